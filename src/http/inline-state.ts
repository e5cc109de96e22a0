import type { NextFunction, Request, Response } from 'express';

/** Where AdminJS's page templates inline JSON into a <script> element with JSON.stringify. */
const INLINE_JSON_MARKERS = ['window.REDUX_STATE = ', 'window.THEME = '];
const UNSAFE_IN_SCRIPT = /[<>&\u2028\u2029]/g;

/** The index just past the JSON value starting at `start` (an object or array, strings honoured). */
function endOfJson(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

/**
 * Escapes `<`, `>`, `&`, U+2028 and U+2029 as \uXXXX in the JSON AdminJS inlines into its pages'
 * <script> (the session, with the signed-in user's name, among it), so a name like
 * `</script><script>...` stays text instead of ending the script. The JSON means the same.
 */
export function escapeInlineJson(html: string): string {
  let out = html;
  let from = 0;
  for (const marker of INLINE_JSON_MARKERS) {
    const at = out.indexOf(marker, from);
    if (at === -1) continue;
    const start = at + marker.length;
    const end = endOfJson(out, start);
    if (end === -1) continue;
    const safe = out.slice(start, end).replace(UNSAFE_IN_SCRIPT, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
    out = out.slice(0, start) + safe + out.slice(end);
    from = start + safe.length;
  }
  return out;
}

/** Applies escapeInlineJson to every HTML page the panel sends. */
export function escapeInlinedState(_req: Request, res: Response, next: NextFunction): void {
  const send = res.send.bind(res);
  res.send = (body?: unknown) => send(typeof body === 'string' && body.includes('window.REDUX_STATE') ? escapeInlineJson(body) : body);
  next();
}
