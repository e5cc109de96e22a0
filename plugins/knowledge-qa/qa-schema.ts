/** One generated question with its answer. */
export interface QAPair {
  question: string;
  answer: string;
}

export const MAX_PAIRS = 20;
const MAX_QUESTION_CHARS = 500;
const MAX_ANSWER_CHARS = 4000;

/** The model's output was not the JSON the prompt asked for; the message says what was wrong. */
export class QAOutputError extends Error {
  override name = 'QAOutputError';
}

/** The response schema given to Gemini (responseSchema), matching what parseQAPairs accepts. */
export const QA_RESPONSE_SCHEMA = {
  type: 'array',
  items: {
    type: 'object',
    properties: { question: { type: 'string' }, answer: { type: 'string' } },
    required: ['question', 'answer'],
  },
} as const;

/** Parses and validates the model's JSON: 1 to 20 pairs of non-empty question and answer strings. */
export function parseQAPairs(text: string): QAPair[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.trim().replace(/^```(?:json)?\s*|\s*```$/g, ''));
  } catch (error) {
    throw new QAOutputError(`model output is not valid JSON: ${(error as Error).message}`);
  }
  const list = Array.isArray(parsed) ? parsed : (parsed as { pairs?: unknown })?.pairs;
  if (!Array.isArray(list)) throw new QAOutputError('model output is not a JSON array of {question, answer} objects');
  if (list.length === 0) throw new QAOutputError('model output has no Q&A pairs');
  if (list.length > MAX_PAIRS) throw new QAOutputError(`model output has ${list.length} pairs, more than ${MAX_PAIRS}`);
  return list.map((item, index) => {
    const { question, answer } = (item ?? {}) as Record<string, unknown>;
    if (typeof question !== 'string' || !question.trim()) throw new QAOutputError(`pair ${index + 1}: question must be a non-empty string`);
    if (typeof answer !== 'string' || !answer.trim()) throw new QAOutputError(`pair ${index + 1}: answer must be a non-empty string`);
    if (question.length > MAX_QUESTION_CHARS || answer.length > MAX_ANSWER_CHARS) {
      throw new QAOutputError(`pair ${index + 1}: question over ${MAX_QUESTION_CHARS} or answer over ${MAX_ANSWER_CHARS} characters`);
    }
    return { question: question.trim(), answer: answer.trim() };
  });
}
