/**
 * Spreadsheet formula injection (CSV injection): a text cell starting with = + - @ (or their
 * fullwidth forms ＝ ＋ － ＠), possibly after spaces, NBSP or line breaks that spreadsheets trim,
 * or starting with a tab, CR, LF, vertical tab or form feed, may run as a formula when a
 * spreadsheet opens the file. Such text is prefixed with a single quote, which spreadsheets read as
 * "this is text". Values that already start with quotes before such a start get one more quote, so
 * that `restoreFormulaText` undoes exactly what `neutraliseFormulaText` did and re-importing an
 * export gives back the original text.
 */
const RISKY_START = String.raw`(?:[\s\u00A0\u2000-\u200B\u3000\uFEFF]*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]|[\t\r\n\v\f])`;
const NEEDS_QUOTE = new RegExp(`^'*${RISKY_START}`);
const QUOTED = new RegExp(`^'+${RISKY_START}`);

export function neutraliseFormulaText(text: string): string {
  return NEEDS_QUOTE.test(text) ? `'${text}` : text;
}

export function restoreFormulaText(text: string): string {
  return QUOTED.test(text) ? text.slice(1) : text;
}
