import ExcelJS from 'exceljs';
import { startPanel, type Panel } from '../admin/support/panel.js';

const IMPORT_PATH = '/admin/api/resources/subscriptions/actions/import';
let panel: Panel;

beforeAll(async () => {
  panel = await startPanel();
}, 60_000);
afterAll(() => panel?.close());

async function workbook(rows: unknown[][]): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('subscriptions');
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await book.xlsx.writeBuffer());
}

/** Sets the uncompressed size the zip's central directory declares for `entry`, as a zip bomb's honest header would. */
function declareUncompressed(zip: Buffer, entry: string, size: number): Buffer {
  const out = Buffer.from(zip);
  for (let at = out.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])); at !== -1; at = out.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]), at + 4)) {
    const name = out.subarray(at + 46, at + 46 + out.readUInt16LE(at + 28)).toString();
    if (name === entry) {
      out.writeUInt32LE(size, at + 24);
      return out;
    }
  }
  throw new Error(`no ${entry} in the zip`);
}

async function importXlsx(content: Buffer): Promise<{ status: number; body: any }> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(content)]), 'subscriptions.xlsx');
  const response = await fetch(`${panel.baseUrl}${IMPORT_PATH}`, { method: 'POST', headers: { cookie: panel.adminCookie }, body: form });
  return { status: response.status, body: await response.json() };
}

const subscriptionCount = async () => (await panel.db.sequelize.query<{ n: number }>('SELECT count(*)::int AS n FROM subscriptions', { type: 'SELECT' as never }))[0]!.n;
const HEADER = ['userId', 'plan', 'tokenQuota', 'periodStart', 'periodEnd'];

it('refuses an XLSX whose parts unpack to more than the limit, before inflating anything', async () => {
  const before = await subscriptionCount();
  const file = await workbook([HEADER, [panel.fixture.bob, 'pro', 1000, new Date('2026-01-01'), new Date('2026-02-01')]]);
  const bomb = declareUncompressed(file, 'xl/worksheets/sheet1.xml', 4_000_000_000);
  const { status, body } = await importXlsx(bomb);
  expect(status).toBe(200);
  expect(body.importError).toMatch(/^the XLSX unpacks to \d+ bytes, over the 209715200-byte limit for an import/);
  expect(await subscriptionCount()).toBe(before);
});

it('refuses a cell longer than Excel allows, naming row and column, and imports nothing', async () => {
  const before = await subscriptionCount();
  const file = await workbook([HEADER, [panel.fixture.bob, 'x'.repeat(40_000), 1000, new Date('2026-01-01'), new Date('2026-02-01')]]);
  const { status, body } = await importXlsx(file);
  expect(status).toBe(200);
  expect(body.importError).toBe('XLSX row 2, column plan: a cell of 40000 characters, over the 32767-character limit');
  expect(await subscriptionCount()).toBe(before);
});

it('still imports an ordinary workbook', async () => {
  const before = await subscriptionCount();
  const { body } = await importXlsx(await workbook([HEADER, [panel.fixture.bob, 'pro', 1000, new Date('2026-01-01'), new Date('2026-02-01')]]));
  expect(body.importReport).toMatchObject({ committed: true, created: 1 });
  expect(await subscriptionCount()).toBe(before + 1);
});
