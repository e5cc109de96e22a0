import type { ExportTestApp } from './support.js';

export interface ImportAnswer {
  importReport?: {
    rows: number;
    created: number;
    updated: number;
    unchanged: number;
    failed: number;
    committed: boolean;
    lineUnit: string;
    ignoredColumns: string[];
    errors: { line: number; field?: string; message: string }[];
  };
  importError?: string;
  notice?: { message: string; type: string };
}

/** Uploads a file to a resource's import action as the dialog does (multipart, field `file`). */
export async function importFile(
  base: ExportTestApp,
  resourceId: string,
  name: string,
  content: string | Buffer,
  options: { mode?: string; cookie?: string } = {},
): Promise<{ status: number; body: ImportAnswer }> {
  const form = new FormData();
  form.append('file', new Blob([typeof content === 'string' ? content : new Uint8Array(content)]), name);
  if (options.mode) form.append('mode', options.mode);
  const response = await fetch(`${base.baseUrl}/admin/api/resources/${resourceId}/actions/import`, {
    method: 'POST',
    headers: { cookie: options.cookie ?? base.admin },
    body: form,
  });
  return { status: response.status, body: (await response.json()) as ImportAnswer };
}

/** The ledger table as plain rows, in id order, for before/after comparisons. */
export async function ledgerRows(base: ExportTestApp): Promise<Record<string, unknown>[]> {
  const [rows] = await base.db.sequelize.query('SELECT * FROM ledger_entries ORDER BY id');
  return rows as Record<string, unknown>[];
}

export async function seedLedger(base: ExportTestApp): Promise<void> {
  await base.db.sequelize.query(`
    INSERT INTO ledger_entries (label, amount, booked_on, paid, note, details, secret, created_at, updated_at) VALUES
      ('rent', 1200.00, '2026-11-01', true, NULL, '{"invoice": 17}', 's1', '2026-11-01T08:00:00Z', '2026-11-01T08:00:00Z'),
      ('=cmd|calc', 15.50, '2026-11-02', false, '-minus note', NULL, 's2', '2026-11-02T08:00:00Z', '2026-11-02T08:00:00Z'),
      ('coffee, "good"', 3.20, '2026-11-03', false, E'two\\nlines', '[1, "=2"]', 's3', '2026-11-03T08:00:00Z', '2026-11-03T08:00:00Z'),
      ('@refund', 0.00, '2026-11-04', true, '''=already quoted', '{}', 's4', '2026-11-04T08:00:00Z', '2026-11-04T08:00:00Z')`);
}
