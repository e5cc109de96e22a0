/** Gemini's rule of thumb, and the simulator's tokenizer: about four characters per token. */
export function estimateTokens(text: string): number {
  return tokensForCharacters(text.length);
}

export function tokensForCharacters(characters: number): number {
  return Math.ceil(characters / 4);
}

/**
 * The text of a Gemini request or response fragment: a string, an array of strings and parts, a
 * Content, or a whole request body. Only `text` fields and bare strings in arrays are taken, so
 * configuration values (mime types, schemas) are never counted as prompt.
 */
export function collectText(value: unknown): string {
  const pieces: string[] = [];
  const walk = (node: unknown, inArray: boolean): void => {
    if (typeof node === 'string') {
      if (inArray) pieces.push(node);
      return;
    }
    if (Array.isArray(node)) {
      for (const item of node) walk(item, true);
      return;
    }
    if (node && typeof node === 'object') {
      for (const [key, child] of Object.entries(node)) {
        if (key === 'text' && typeof child === 'string') pieces.push(child);
        else walk(child, false);
      }
    }
  };
  if (typeof value === 'string') return value;
  walk(value, false);
  return pieces.join('\n');
}
