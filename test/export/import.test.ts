import ExcelJS from 'exceljs';
import { importFile, ledgerRows, seedLedger } from './import-support.js';
import { download, startExportTestApp, type ExportTestApp } from './support.js';

const HEADER = 'label,amount,bookedOn,paid,note';

describe('import: validated, all or nothing, idempotent by id', () => {
  let base: ExportTestApp;
  beforeAll(async () => {
    base = await startExportTestApp();
  });
  beforeEach(async () => {
    await base.db.sequelize.query('TRUNCATE ledger_entries RESTART IDENTITY');
    await seedLedger(base);
  });
  afterAll(() => base.close());

  it.each(['csv', 'xlsx', 'ndjson', 'json'])('re-importing a %s export of the same rows changes nothing', async (format) => {
    const before = await ledgerRows(base);
    const exported = await download(base, 'ledger_entries', `format=${format}&fields=id,label,amount,bookedOn,paid,note,details,createdAt,updatedAt`);
    expect(exported.status).toBe(200);
    const { body } = await importFile(base, 'ledger_entries', `ledger.${format}`, exported.body);
    expect(body.importError).toBeUndefined();
    expect(body.importReport).toMatchObject({ rows: 4, created: 0, updated: 0, unchanged: 4, failed: 0, committed: true });
    expect(body.importReport!.ignoredColumns.sort()).toEqual(['createdAt', 'updatedAt']);
    expect(await ledgerRows(base)).toEqual(before);
  });

  it('updates rows by id, creates rows without one, undoes the formula quoting, and keeps the id sequence ahead', async () => {
    const csv = [
      'id,' + HEADER,
      `1,rent,1250.00,2026-11-01,true,`,
      `,'=SUM(A1),9.99,2026-11-20,no,"new, quoted"`,
      `2,=cmd|calc,15.5,2026-11-02,false,'-minus note`,
      `50,explicit id,1,2026-11-21,yes,`,
    ].join('\r\n');
    const { body } = await importFile(base, 'ledger_entries', 'fix.csv', csv);
    expect(body.importReport).toMatchObject({ rows: 4, created: 2, updated: 1, unchanged: 1, failed: 0, committed: true });
    const rows = await ledgerRows(base);
    expect(rows[0]).toMatchObject({ id: 1, amount: '1250.00', note: null });
    expect(rows[4]).toMatchObject({ id: 5, label: '=SUM(A1)', amount: '9.99', paid: false, note: 'new, quoted' });
    expect(rows[5]).toMatchObject({ id: 50, label: 'explicit id', paid: true });
    await base.db.sequelize.query(`INSERT INTO ledger_entries (label, amount, booked_on) VALUES ('after', 1, '2026-11-21')`);
    expect((await ledgerRows(base))[6]).toMatchObject({ id: 51, label: 'after' });
  });

  it('reports every bad row by line with its reason and, by default, writes nothing', async () => {
    const before = await ledgerRows(base);
    const csv = [
      HEADER,
      'fine,1.00,2026-11-05,true,',
      'negative,-5,2026-11-05,true,',
      'bad date,1,2026-13-45,true,',
      `${'x'.repeat(41)},1,2026-11-05,true,`,
      ',1,2026-11-05,true,',
      'maybe,1,2026-11-05,perhaps,',
      '"multi\nline",abc,2026-11-05,true,',
    ].join('\n');
    const { status, body } = await importFile(base, 'ledger_entries', 'bad.csv', csv);
    expect(status).toBe(200);
    expect(body.importReport).toMatchObject({ rows: 7, created: 0, failed: 6, committed: false, lineUnit: 'line' });
    expect(body.importReport!.errors).toEqual([
      { line: 3, field: 'amount', message: 'amount must not be negative' },
      { line: 4, field: 'bookedOn', message: 'Booked On is not a date (use YYYY-MM-DD)' },
      { line: 5, field: 'label', message: 'label must be 1 to 40 characters' },
      { line: 6, field: 'label', message: 'Label is required' },
      { line: 7, field: 'paid', message: 'Paid is not true or false' },
      { line: 8, field: 'amount', message: 'Amount is not a number' },
    ]);
    expect(body.notice).toEqual({ type: 'error', message: 'Nothing imported: 6 of 7 rows are invalid (line 3: amount must not be negative; see the report).' });
    expect(await ledgerRows(base)).toEqual(before);
  });

  it('counts rows in words: one row, two rows', async () => {
    const one = await importFile(base, 'ledger_entries', 'one.csv', `${HEADER}
negative,-1,2026-11-05,true,
`);
    expect(one.body.notice!.message).toBe('Nothing imported: 1 of 1 row is invalid (line 2: amount must not be negative).');
    const two = await importFile(base, 'ledger_entries', 'two.csv', `${HEADER}
new one,1,2026-11-05,true,
new two,2,2026-11-05,true,
`);
    expect(two.body.notice!.message).toBe('Imported 2 rows: 2 created, 0 updated, 0 unchanged.');
    const single = await importFile(base, 'ledger_entries', 'single.csv', `${HEADER}
new three,3,2026-11-05,true,
`);
    expect(single.body.notice!.message).toBe('Imported 1 row: 1 created, 0 updated, 0 unchanged.');
  });

  it('takes the labelled headers of a CSV export as their fields, and refuses two headers for one field', async () => {
    const exported = await download(base, 'ledger_entries', 'format=csv&fields=id,label,amount,bookedOn,paid,note');
    const [header] = exported.body.toString('utf8').replace(/^\uFEFF/, '').split('\r\n');
    expect(header).toBe('Id,Label,Amount,Booked On,Paid,Note');
    const edited = exported.body.toString('utf8').replace('1200.00', '1250.00');
    const { body } = await importFile(base, 'ledger_entries', 'labelled.csv', edited);
    expect(body.importReport).toMatchObject({ rows: 4, updated: 1, unchanged: 3, failed: 0, committed: true });
    expect((await ledgerRows(base))[0]).toMatchObject({ amount: '1250.00' });
    const twice = await importFile(base, 'ledger_entries', 'twice.csv', 'id,Amount,amount\n1,3,3\n');
    expect(twice.body.importError).toBe('columns "Amount" and "amount" are the same field (amount); keep one');
  });

  it('rolls back rows already written when the database refuses a later one', async () => {
    const before = await ledgerRows(base);
    const csv = [HEADER, 'first,1.00,2026-11-05,true,', 'too big,99999999999.99,2026-11-05,true,'].join('\n');
    const { body } = await importFile(base, 'ledger_entries', 'overflow.csv', csv);
    expect(body.importReport).toMatchObject({ committed: false, created: 0, failed: 1 });
    expect(body.importReport!.errors[0]).toMatchObject({ line: 3, message: expect.stringContaining('numeric field overflow') });
    expect(await ledgerRows(base)).toEqual(before);
  });

  it('per-row mode keeps the good rows and reports the bad ones', async () => {
    const csv = [HEADER, 'good,1.00,2026-11-05,true,', 'negative,-5,2026-11-05,true,', 'too big,99999999999.99,2026-11-05,true,', 'also good,2,2026-11-06,false,'].join('\n');
    const { body } = await importFile(base, 'ledger_entries', 'mixed.csv', csv, { mode: 'per-row' });
    expect(body.importReport).toMatchObject({ rows: 4, created: 2, failed: 2, committed: true });
    expect(body.importReport!.errors.map((error) => error.line)).toEqual([3, 4]);
    expect((await ledgerRows(base)).map((row) => row.label)).toEqual(['rent', '=cmd|calc', 'coffee, "good"', '@refund', 'good', 'also good']);
  });

  it('reads XLSX rows by sheet row number, typed cells included', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('fix');
    sheet.addRow(['id', 'label', 'amount', 'bookedOn', 'paid']);
    sheet.addRow([4, '@refund', 7.25, new Date('2026-11-04T00:00:00Z'), true]);
    sheet.addRow([null, 'formula', { formula: '1+1', result: 2 }, new Date('2026-11-08T00:00:00Z'), false]);
    const { body } = await importFile(base, 'ledger_entries', 'fix.xlsx', Buffer.from(await workbook.xlsx.writeBuffer()));
    expect(body.importReport).toMatchObject({ lineUnit: 'row', failed: 1, committed: false });
    expect(body.importReport!.errors).toEqual([{ line: 3, field: 'amount', message: 'Amount is a formula; import plain values' }]);
  });

  it.each([
    ['broken.csv', 'label,amount\n"unclosed,1\n', /^malformed CSV: /],
    ['short.csv', 'label,amount\nonly one\n', /^malformed CSV: Invalid Record Length/],
    ['broken.json', '[{"label": "x"', /^malformed JSON: /],
    ['broken.ndjson', '{"label": "x"}\nnot json\n', /^malformed NDJSON: line 2 is not valid JSON/],
    ['broken.xlsx', 'this is not a zip', /^not a readable XLSX file: /],
    ['empty.csv', '', /^CSV: the file is empty$/],
    ['extra.csv', 'label,amount,hack\nx,1,2\n', /^unknown column "hack"; the file may have: /],
    ['hidden.csv', 'label,secret\nx,1\n', /^unknown column "secret"/],
    ['twice.csv', 'label,label\nx,y\n', /^CSV: column "label" appears twice/],
    ['object.json', '{"label": "x"}', /^JSON: expected an array of objects$/],
  ])('a malformed file (%s) gets a clear error, never a 500', async (name, content, message) => {
    const before = await ledgerRows(base);
    const { status, body } = await importFile(base, 'ledger_entries', name, content);
    expect(status).toBe(200);
    expect(body.importError).toMatch(message);
    expect(body.notice).toMatchObject({ type: 'error' });
    expect(await ledgerRows(base)).toEqual(before);
  });
});
