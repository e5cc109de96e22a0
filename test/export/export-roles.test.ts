import { importFile, ledgerRows, seedLedger } from './import-support.js';
import { download, seedLogs, startExportTestApp, type ExportTestApp } from './support.js';

async function actionAnswer(base: ExportTestApp, resourceId: string, action: string, cookie: string) {
  const response = await fetch(`${base.baseUrl}/admin/api/resources/${resourceId}/actions/${action}`, { headers: { cookie } });
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

/** Refused by the panel's API guard (403) or by AdminJS's own check (an error notice): either way, nothing ran. */
function expectRefused(answer: { status: number; body: Record<string, any> }): void {
  if (answer.status === 403) return;
  expect(answer.status).toBe(200);
  expect(answer.body.notice).toMatchObject({ type: 'error' });
}

describe('who may export and import', () => {
  let base: ExportTestApp;
  beforeAll(async () => {
    base = await startExportTestApp();
    await seedLogs(base.db, 30);
    await seedLedger(base);
  });
  afterAll(() => base.close());

  it('nobody without a panel session: the download redirects to the login page', async () => {
    const anonymous = await fetch(`${base.baseUrl}/admin/export/export_logs?format=csv`, { redirect: 'manual' });
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get('location')).toBe('/admin/login');
    const forged = await fetch(`${base.baseUrl}/admin/export/export_logs`, { redirect: 'manual', headers: { cookie: 'ai_usage_session=s%3Aforged.sig' } });
    expect(forged.status).toBe(302);
  });

  it('viewers export by default, both the dialog and the download', async () => {
    expect((await download(base, 'export_logs', 'format=csv', base.viewer)).status).toBe(200);
    const dialog = await actionAnswer(base, 'export_logs', 'export', base.viewer);
    expect(dialog.body.exportDialog).toMatchObject({ downloadPath: '/admin/export/export_logs' });
  });

  it('viewers do not export where viewerMayExport is false, on the server too', async () => {
    const refused = await download(base, 'export_tracking', 'format=csv', base.viewer);
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.body.toString('utf8'))).toEqual({ error: 'you may not export export_tracking' });
    const dialog = await actionAnswer(base, 'export_tracking', 'export', base.viewer);
    expect(dialog.body.exportDialog).toBeUndefined();
    expectRefused(dialog);
    expect((await download(base, 'export_tracking', 'format=csv')).status).toBe(200);
  });

  it('viewers never import, whatever the resource allows', async () => {
    const before = await ledgerRows(base);
    const answer = await importFile(base, 'ledger_entries', 'x.csv', 'label,amount,bookedOn\nviewer,1,2026-11-01\n', { cookie: base.viewer });
    expect(answer.body.importReport).toBeUndefined();
    expectRefused(answer);
    expect(await ledgerRows(base)).toEqual(before);
    const dialog = await actionAnswer(base, 'ledger_entries', 'import', base.viewer);
    expect(dialog.body.importDialog).toBeUndefined();
    expectRefused(dialog);
  });

  it('import is offered only where it is on and the resource can be written, and to admins', async () => {
    expect((await actionAnswer(base, 'ledger_entries', 'import', base.admin)).body.importDialog).toMatchObject({ defaultMode: 'atomic', modes: ['atomic', 'per-row'] });
    const readOnly = await importFile(base, 'export_tracking', 'x.csv', 'section\nchat\n');
    expect(readOnly.body.importReport).toBeUndefined();
    expectRefused(readOnly as { status: number; body: Record<string, any> });
    const turnedOff = await fetch(`${base.baseUrl}/admin/api/resources/export_logs/actions/import`, { headers: { cookie: base.admin } });
    expect(turnedOff.status).not.toBe(200);
  });
});
