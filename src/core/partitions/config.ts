/** Partition maintenance and retention of the log (AI_USAGE_PARTITIONS_AHEAD, AI_USAGE_RETENTION_*, AI_USAGE_MAINTENANCE_CRON). */
export interface PartitionsConfig {
  /** AI_USAGE_PARTITIONS_AHEAD (default 3): months ahead of the current one that always have a partition. */
  monthsAhead: number;
  /** AI_USAGE_RETENTION_KEEP_MONTHS: months of logs the maintenance job keeps (current one included); null (unset): it drops nothing. */
  retentionKeepMonths: number | null;
  /** AI_USAGE_RETENTION_ARCHIVE_DIR: where the job archives each partition (gzipped NDJSON) before dropping it; unset: no archive. */
  retentionArchiveDir: string | null;
  /** AI_USAGE_MAINTENANCE_CRON (default "23 * * * *": hourly, UTC): when the maintenance job runs; "off" runs it only at start. */
  maintenanceCron: string | null;
}

export class PartitionsConfigError extends Error {
  override name = 'PartitionsConfigError';
}

function wholeNumber(env: NodeJS.ProcessEnv, name: string, min: number, max: number): number | undefined {
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw new PartitionsConfigError(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  return value;
}

export function loadPartitionsConfig(env: NodeJS.ProcessEnv): PartitionsConfig {
  const cron = env.AI_USAGE_MAINTENANCE_CRON?.trim();
  return {
    monthsAhead: wholeNumber(env, 'AI_USAGE_PARTITIONS_AHEAD', 1, 24) ?? 3,
    retentionKeepMonths: wholeNumber(env, 'AI_USAGE_RETENTION_KEEP_MONTHS', 1, 1200) ?? null,
    retentionArchiveDir: env.AI_USAGE_RETENTION_ARCHIVE_DIR?.trim() || null,
    maintenanceCron: cron === 'off' ? null : cron || '23 * * * *',
  };
}
