/** What an admin or API caller asks a system prompt for. */
export interface PromptRequest {
  businessType: string;
  tone: string;
  language: string;
  audience?: string | null;
  instructions?: string | null;
}

/** The instruction sent to Gemini to write a customer-service system prompt for a business. */
export function buildPromptInstruction(request: PromptRequest): string {
  const lines = [
    'Write a system prompt for an AI customer-service assistant.',
    `Business type: ${request.businessType}.`,
    `Tone: ${request.tone}.`,
    `The assistant answers in ${request.language}.`,
  ];
  if (request.audience) lines.push(`Typical customers: ${request.audience}.`);
  if (request.instructions) lines.push(`Additional requirements from the business: ${request.instructions}`);
  lines.push(
    'The prompt must state the assistant\'s role, what it may and may not promise, how to escalate to a human, and how to format answers.',
    'Return only the system prompt text, without preamble.',
  );
  return lines.join('\n');
}
