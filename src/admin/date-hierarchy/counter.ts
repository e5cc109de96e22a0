import type { DayRange } from './levels.js';

/** Counts behind a date hierarchy, over the rows a list's other filters select (its date filter left out). */
export interface DateCounter {
  /** The first and last day holding such rows, or null when none do. */
  bounds(): Promise<DayRange | null>;
  /** How many such rows fall in each range of days, in order. */
  counts(ranges: readonly DayRange[]): Promise<number[]>;
}
