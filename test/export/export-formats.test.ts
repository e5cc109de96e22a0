import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { download, ndjsonRecords, seedLogs, startExportTestApp, type ExportTestApp } from './support.js';

const FIELDS = 'id,userId,section,totalTokens,costUsd,success,errorMessage,metadata,createdAt';
/** The headers of CSV and XLSX: the labels the panel shows for these fields (this resource has no translations but the user's). */
const LABELS = ['Id', 'User', 'Section', 'Total Tokens', 'Cost Usd', 'Success', 'Error Message', 'Metadata', 'Created At'];
const QUERY = `filters.success=false&sortBy=createdAt&direction=asc&fields=${FIELDS}`;

interface LogRow {
  id: string;
  user_id: number | null;
  section: string;
  total_tokens: number;
  cost_usd: string | null;
  success: boolean;
  error_message: string | null;
  metadata: Record<string, unknown>;
  created_at: string;
}

describe('export formats parse back to the same records', () => {
  let base: ExportTestApp;
  let expected: LogRow[];
  beforeAll(async () => {
    base = await startExportTestApp();
    await seedLogs(base.db, 200);
    [expected] = (await base.db.sequelize.query(
      `SELECT id, user_id, section, total_tokens, cost_usd, success, error_message, metadata,
              to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS created_at
       FROM ai_usage_logs WHERE NOT success ORDER BY created_at`,
    )) as [LogRow[], unknown];
  });
  afterAll(() => base.close());

  it('CSV: RFC 4180 with a header of the panel\'s labels, typed text, formulas neutralised, a telling file name', async () => {
    const { status, headers, body } = await download(base, 'export_logs', QUERY);
    expect(status).toBe(200);
    expect(headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(headers.get('content-disposition')).toMatch(/^attachment; filename="export_logs_success-false_\d{4}-\d{2}-\d{2}\.csv"$/);
    const labelled = parse(body, { bom: true, columns: true }) as Record<string, string>[];
    expect(Object.keys(labelled[0]!)).toEqual(LABELS);
    const rows = parse(body, { bom: true, columns: FIELDS.split(','), from_line: 2 }) as Record<string, string>[];
    expect(rows).toHaveLength(expected.length);
    rows.forEach((row, i) => {
      const want = expected[i]!;
      expect(row.id).toBe(want.id);
      expect(row.userId).toBe(want.user_id === null ? '' : String(want.user_id));
      expect(Number(row.totalTokens)).toBe(want.total_tokens);
      expect(row.costUsd).toBe(want.cost_usd ?? '');
      expect(row.success).toBe('false');
      expect(row.createdAt).toBe(want.created_at);
      const neutral = /^[=+\-@\t\r]/.test(want.error_message ?? '') ? `'${want.error_message}` : (want.error_message ?? '');
      expect(row.errorMessage).toBe(neutral);
    });
    const cells = rows.flatMap((row) => [row.errorMessage!, row.metadata!]);
    expect(cells.some((cell) => cell.startsWith("'=HYPERLINK"))).toBe(true);
    expect(cells.filter((cell) => /^[=+\-@\t\r]/.test(cell))).toEqual([]);
  });

  it('XLSX: typed numbers, booleans and dates, header frozen with an autofilter, read back with exceljs', async () => {
    const { status, headers, body } = await download(base, 'export_logs', QUERY.replace('fields=', 'format=xlsx&fields='));
    expect(status).toBe(200);
    expect(headers.get('content-disposition')).toContain('.xlsx"');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(body as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.autoFilter).toBeTruthy();
    expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual(LABELS);
    expect(sheet.rowCount).toBe(expected.length + 1);
    expected.forEach((want, i) => {
      const row = sheet.getRow(i + 2).values as unknown[];
      expect(row[1]).toBe(want.id);
      expect(row[2] ?? null).toBe(want.user_id);
      expect(row[4]).toBe(want.total_tokens);
      expect(row[5] ?? null).toBe(want.cost_usd === null ? null : Number(want.cost_usd));
      expect(row[6]).toBe(false);
      expect(row[9]).toEqual(new Date(want.created_at));
      if (want.error_message?.startsWith('=')) expect(row[7]).toBe(`'${want.error_message}`);
    });
    expect(sheet.getCell('I2').numFmt).toBe('yyyy-mm-dd hh:mm:ss "UTC"');
  });

  it('NDJSON and JSON: the exact values with their JSON types keyed by field name, no spreadsheet quoting', async () => {
    const ndjson = ndjsonRecords((await download(base, 'export_logs', QUERY.replace('fields=', 'format=ndjson&fields='))).body);
    const json = JSON.parse((await download(base, 'export_logs', QUERY.replace('fields=', 'format=json&fields='))).body.toString('utf8')) as unknown[];
    expect(json).toEqual(ndjson);
    expect(ndjson).toEqual(
      expected.map((want) => ({
        id: want.id,
        userId: want.user_id,
        section: want.section,
        totalTokens: want.total_tokens,
        costUsd: want.cost_usd === null ? null : Number(want.cost_usd),
        success: false,
        errorMessage: want.error_message,
        metadata: want.metadata,
        createdAt: want.created_at,
      })),
    );
  });

  it('an empty result is a valid empty file in every format', async () => {
    const none = 'filters.section=none';
    expect((await download(base, 'export_logs', `${none}&format=csv&fields=id,section`)).body.toString('utf8')).toBe('\uFEFFId,Section\r\n');
    expect((await download(base, 'export_logs', `${none}&format=ndjson`)).body.toString('utf8')).toBe('');
    expect(JSON.parse((await download(base, 'export_logs', `${none}&format=json`)).body.toString('utf8'))).toEqual([]);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await download(base, 'export_logs', `${none}&format=xlsx`)).body as unknown as ArrayBuffer);
    expect(workbook.worksheets[0]!.rowCount).toBe(1);
  });

  it('refuses unknown or hidden fields, unknown formats and formats the resource does not offer', async () => {
    expect((await download(base, 'export_logs', 'fields=id,nope')).status).toBe(400);
    expect((await download(base, 'ledger_entries', 'fields=id,secret')).status).toBe(400);
    expect((await download(base, 'export_logs', 'format=xml')).status).toBe(400);
    const xlsxOff = await download(base, 'export_tracking', 'format=xlsx');
    expect(xlsxOff.status).toBe(400);
    expect(JSON.parse(xlsxOff.body.toString('utf8'))).toEqual({ error: 'format must be one of csv, ndjson' });
    expect((await download(base, 'no_such_resource', '')).status).toBe(404);
    expect((await download(base, 'api_tokens', '')).status).toBe(404);
  });
});

describe('exports in the panel time zone (Europe/Berlin)', () => {
  let base: ExportTestApp;
  beforeAll(async () => {
    base = await startExportTestApp({ AI_USAGE_PANEL_TIME_ZONE: 'Europe/Berlin' });
    await seedLogs(base.db, 30);
  });
  afterAll(() => base.close());

  it('writes ISO 8601 times with the zone\'s offset (CSV, NDJSON) and its wall-clock time, named, in XLSX', async () => {
    const query = 'sortBy=createdAt&direction=asc&fields=id,createdAt';
    const [record] = parse((await download(base, 'export_logs', `${query}&format=csv`)).body, { bom: true, columns: true }) as Record<string, string>[];
    // seedLogs: row 1 at 2026-11-01T00:01:00.001Z, which is 01:01 in Berlin (CET, +01:00).
    expect(record!['Created At']).toBe('2026-11-01T01:01:00.001+01:00');
    const [first] = ndjsonRecords((await download(base, 'export_logs', `${query}&format=ndjson`)).body);
    expect(first!.createdAt).toBe('2026-11-01T01:01:00.001+01:00');
    expect(new Date(first!.createdAt as string).toISOString()).toBe('2026-11-01T00:01:00.001Z');

    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await download(base, 'export_logs', `${query}&format=xlsx`)).body as unknown as ArrayBuffer);
    const cell = workbook.worksheets[0]!.getCell('B2');
    expect(cell.value).toEqual(new Date('2026-11-01T01:01:00.001Z'));
    expect(cell.numFmt).toBe('yyyy-mm-dd hh:mm:ss "Europe/Berlin"');
  });

  it('the dialog names the zone', async () => {
    const response = await fetch(`${base.baseUrl}/admin/api/resources/export_logs/actions/export`, { headers: { cookie: base.admin } });
    expect(((await response.json()) as { exportDialog: { timeZone: string } }).exportDialog.timeZone).toBe('Europe/Berlin');
  });
});
