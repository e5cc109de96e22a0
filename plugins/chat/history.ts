/** A message as Gemini's `contents` takes it. */
export interface ChatTurn {
  role: 'user' | 'model';
  parts: { text: string }[];
}

export interface HistoryPolicy {
  /** Summarise older messages once a conversation holds more than this many unsummarised ones. */
  summarizeAfterMessages: number;
  /** Messages always sent verbatim, the most recent ones. */
  keepRecentMessages: number;
}

export const DEFAULT_HISTORY_POLICY: HistoryPolicy = { summarizeAfterMessages: 20, keepRecentMessages: 8 };

export function checkHistoryPolicy(policy: HistoryPolicy): HistoryPolicy {
  const { summarizeAfterMessages, keepRecentMessages } = policy;
  if (!Number.isInteger(keepRecentMessages) || keepRecentMessages < 2) throw new TypeError('chat: keepRecentMessages must be an integer of at least 2');
  if (!Number.isInteger(summarizeAfterMessages) || summarizeAfterMessages <= keepRecentMessages) {
    throw new TypeError('chat: summarizeAfterMessages must be an integer above keepRecentMessages');
  }
  return policy;
}

/**
 * How many of `total` messages should be covered by the summary after this turn: none until the
 * unsummarised tail exceeds the threshold, then all but the most recent ones.
 */
export function messagesToSummarize(total: number, alreadySummarized: number, policy: HistoryPolicy): number {
  return total - alreadySummarized > policy.summarizeAfterMessages ? total - policy.keepRecentMessages : alreadySummarized;
}

export function toTurn(message: { role: 'user' | 'model'; content: string }): ChatTurn {
  return { role: message.role, parts: [{ text: message.content }] };
}

/** The instruction that asks the model to fold older messages into the running summary. */
export function summaryInstruction(previousSummary: string | null, messages: { role: string; content: string }[]): string {
  const transcript = messages.map((m) => `${m.role === 'user' ? 'Customer' : 'Assistant'}: ${m.content}`).join('\n');
  return [
    'Summarise this customer conversation for the assistant that continues it.',
    'Keep facts, names, order numbers, promises made and open questions; drop greetings. At most 200 words.',
    previousSummary ? `Summary so far:\n${previousSummary}` : '',
    `Messages to add:\n${transcript}`,
  ]
    .filter(Boolean)
    .join('\n\n');
}

/** The system instruction: the conversation's own prompt plus the summary of what came before. */
export function systemInstruction(systemPrompt: string | null, summary: string | null): string | undefined {
  const parts = [systemPrompt ?? '', summary ? `Summary of the earlier conversation:\n${summary}` : ''].filter(Boolean);
  return parts.length ? parts.join('\n\n') : undefined;
}
