import { histogramPercentile } from '../../core/latency-histogram.js';

/** The 95th percentile of response time, and how it was obtained. */
export interface ResponseTimeP95 {
  /**
   * In ms: `exact` the nearest-rank p95 (percentile_disc) of every matching row; `sampled` the same
   * over a block sample of the logs; `histogram` the upper bound of the aggregate's latency bucket
   * holding that p95 (it is at most that), null when that is the open last bucket (see `above`).
   * Null without rows.
   */
  value: number | null;
  method: 'exact' | 'sampled' | 'histogram';
  /** `histogram` only: the bucket's lower bound; the p95 is above it (null: the first bucket, from 0 ms). */
  above?: number | null;
}

/** The p95 read from summed latency-histogram counts (bucket order of LATENCY_BUCKETS). */
export function p95FromHistogram(counts: readonly (number | string)[]): ResponseTimeP95 {
  const bucket = histogramPercentile(counts, 0.95);
  return bucket ? { value: bucket.high, method: 'histogram', above: bucket.low } : { value: null, method: 'histogram', above: null };
}
