/**
 * Spreadsheet formula injection (CSV injection): a text cell starting with = + - @, tab or carriage
 * return may run as a formula when a spreadsheet opens the file. Such text is prefixed with a single
 * quote, which spreadsheets read as "this is text". Values that already start with quotes before a
 * trigger character get one more quote, so that `restoreFormulaText` undoes exactly what
 * `neutraliseFormulaText` did and re-importing an export gives back the original text.
 */
const NEEDS_QUOTE = /^'*[=+\-@\t\r]/;
const QUOTED = /^'+[=+\-@\t\r]/;

export function neutraliseFormulaText(text: string): string {
  return NEEDS_QUOTE.test(text) ? `'${text}` : text;
}

export function restoreFormulaText(text: string): string {
  return QUOTED.test(text) ? text.slice(1) : text;
}
