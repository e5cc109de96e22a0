import { createWriteStream } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import Cursor from 'pg-cursor';
import type { Sequelize } from 'sequelize';

interface PgClient {
  query<T>(cursor: Cursor<T>): Cursor<T>;
}

const BATCH_ROWS = 1000;

function readBatch(cursor: Cursor<{ line: string }>): Promise<{ line: string }[]> {
  return new Promise((resolve, reject) => cursor.read(BATCH_ROWS, (error, rows) => (error ? reject(error) : resolve(rows))));
}

/**
 * Writes every row of one partition to `DIR/<partition>.ndjson.gz`: one JSON object per line as
 * PostgreSQL renders it (row_to_json, so numbers and timestamps keep their exact text), read through
 * a server-side cursor 1,000 rows at a time and gzipped as it streams, so a partition of any size
 * never sits in memory. Written to a `.partial` file, synced, then renamed: a file with the final
 * name is complete. Returns the file and its row count.
 */
export async function archivePartition(sequelize: Sequelize, partition: string, dir: string): Promise<{ file: string; rows: number }> {
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${partition}.ndjson.gz`);
  const partial = `${file}.partial`;
  const manager = sequelize.connectionManager as unknown as { getConnection(options: { type: 'read' }): Promise<PgClient>; releaseConnection(client: PgClient): void };
  const client = await manager.getConnection({ type: 'read' });
  let rows = 0;
  try {
    const cursor = client.query(new Cursor<{ line: string }>(`SELECT row_to_json(p)::text AS line FROM ${partition} AS p ORDER BY created_at, id`));
    async function* lines() {
      try {
        for (let batch = await readBatch(cursor); batch.length > 0; batch = await readBatch(cursor)) {
          rows += batch.length;
          yield `${batch.map((row) => row.line).join('\n')}\n`;
        }
      } finally {
        await cursor.close();
      }
    }
    await pipeline(Readable.from(lines()), createGzip(), createWriteStream(partial));
    const handle = await open(partial, 'r');
    await handle.sync().finally(() => handle.close());
    await rename(partial, file);
    return { file, rows };
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  } finally {
    manager.releaseConnection(client);
  }
}
