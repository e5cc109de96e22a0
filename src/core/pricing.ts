/** Strips the REST resource prefix so `models/gemini-2.5-pro` and `gemini-2.5-pro` price alike. */
export function normalizeModelName(model: string): string {
  return model.trim().replace(/^models\//, '');
}
