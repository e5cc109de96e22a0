import type { Sequelize } from 'sequelize';
import { formatPico, usdToPico } from '../prices/money.js';
import { withPgClient } from '../pg-client.js';
import { SWEEP_SQL } from './reserve-sql.js';

export interface SweepResult {
  /** Counter rows whose reserved amounts went down. */
  counters: number;
  releasedUsd: string;
  releasedTokens: string;
}

/** Releases every expired hold (its process died between reserve and settle); holds being settled right now are left to their settle. */
export async function sweepExpiredHolds(sequelize: Sequelize): Promise<SweepResult> {
  const { rows } = await withPgClient(sequelize, (client) =>
    client.query<{ counters: number; released_usd: string; released_tokens: string }>({ text: SWEEP_SQL, values: [] }),
  );
  const [row] = rows;
  return { counters: row!.counters, releasedUsd: formatPico(usdToPico(row!.released_usd)), releasedTokens: row!.released_tokens };
}
