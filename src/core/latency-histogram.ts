/**
 * The response-time histogram kept on every daily aggregate row, so a 95th percentile survives
 * aggregation: fixed log-scale buckets (upper bounds 25 ms doubling to 102,400 ms, then one open
 * bucket), one bigint column each, summed like every other aggregate column. A percentile read from
 * it is the upper bound of the bucket it falls in. Columns `failure_response_ms_*` count failed
 * requests only, so failures and successes (all minus failures) have their own.
 */

/** Inclusive upper bounds in ms of every bucket but the last, which takes anything slower. */
export const LATENCY_BUCKET_BOUNDS_MS: readonly number[] = Array.from({ length: 13 }, (_, i) => 25 * 2 ** i);

export interface LatencyBucket {
  /** Exclusive lower bound in ms; null for the first bucket (0 ms and up). */
  low: number | null;
  /** Inclusive upper bound in ms; null for the open last bucket. */
  high: number | null;
  /** Aggregate column counting every request in the bucket. */
  column: string;
  /** Aggregate column counting the failed requests in the bucket. */
  failureColumn: string;
  /** SQL over a log row (`response_time_ms`): whether it falls in the bucket. */
  condition: string;
}

const last = LATENCY_BUCKET_BOUNDS_MS[LATENCY_BUCKET_BOUNDS_MS.length - 1]!;

export const LATENCY_BUCKETS: readonly LatencyBucket[] = [
  ...LATENCY_BUCKET_BOUNDS_MS.map((high, i) => {
    const low = i === 0 ? null : LATENCY_BUCKET_BOUNDS_MS[i - 1]!;
    return {
      low,
      high,
      column: `response_ms_le_${high}`,
      failureColumn: `failure_response_ms_le_${high}`,
      condition: low === null ? `response_time_ms <= ${high}` : `response_time_ms > ${low} AND response_time_ms <= ${high}`,
    };
  }),
  { low: last, high: null, column: `response_ms_over_${last}`, failureColumn: `failure_response_ms_over_${last}`, condition: `response_time_ms > ${last}` },
];

/** A percentile read from a histogram: the bucket's bounds; `high` null when it is the open last bucket. */
export interface HistogramPercentile {
  /** The percentile is at most this many ms (null: above `low`, the last bound). */
  high: number | null;
  /** ... and, as far as the histogram can tell, above this many ms (null: 0 ms or more). */
  low: number | null;
}

/**
 * The bucket holding the `p` percentile of the counted values by nearest rank (PostgreSQL's
 * percentile_disc: the value at 1-based rank ceil(p * n)), or null without values: the exact
 * percentile is in that bucket, at most its upper bound.
 */
export function histogramPercentile(counts: readonly (number | bigint | string)[], p: number): HistogramPercentile | null {
  const values = counts.map(Number);
  const n = values.reduce((a, b) => a + b, 0);
  if (n === 0) return null;
  const rank = Math.max(0, Math.ceil(p * n) - 1); // 0-based
  let seen = 0;
  for (let i = 0; i < values.length; i++) {
    seen += values[i]!;
    if (seen > rank) return { low: LATENCY_BUCKETS[i]!.low, high: LATENCY_BUCKETS[i]!.high };
  }
  throw new Error('histogramPercentile: the counts do not cover the rank');
}
