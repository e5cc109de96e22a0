/** A calendar month in UTC, `YYYY-MM`: the unit of the log's partitions. */
export type Month = string;

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function isMonth(value: string): boolean {
  return MONTH.test(value);
}

/** The month `offset` months after `month` (negative: before). */
export function addMonths(month: Month, offset: number): Month {
  const [year, index] = month.split('-').map(Number) as [number, number];
  const date = new Date(Date.UTC(year, index - 1 + offset, 1));
  return monthOf(date);
}

/** The UTC month of an instant. */
export function monthOf(date: Date): Month {
  return `${date.getUTCFullYear()}-${String(date.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** The first instant of a month, as a timestamptz literal. */
export function monthStartLiteral(month: Month): string {
  return `${month}-01 00:00:00+00`;
}

/** The months from `first` to `last`, both included. */
export function monthsBetween(first: Month, last: Month): Month[] {
  const months: Month[] = [];
  for (let month = first; month <= last; month = addMonths(month, 1)) months.push(month);
  return months;
}

/** The partition holding a month's rows (the migration names them the same way). */
export function monthPartitionName(month: Month): string {
  return `ai_usage_logs_y${month.replace('-', 'm')}`;
}

export const DEFAULT_PARTITION = 'ai_usage_logs_default';
