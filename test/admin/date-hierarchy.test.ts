import { QueryTypes } from 'sequelize';
import { readLogListParams } from '../../src/admin/ai-usage-log/filters.js';
import { logDateCounter, splitByUtcDays } from '../../src/admin/date-hierarchy/log-counter.js';
import { planHierarchy, type DayRange } from '../../src/admin/date-hierarchy/levels.js';
import { dayEnd, dayStart } from '../../src/admin/time/time-zone.js';
import { DEFAULT_SECTIONS } from '../../src/core/sections.js';
import { listQuery, startPanel, type Panel } from './support/panel.js';

describe('planHierarchy: the links of each level', () => {
  const bounds = { from: '2025-11-03', to: '2026-02-10' };

  it('opens on the years of the data, or on the months of a single year, or the days of a single month', () => {
    expect(planHierarchy({}, bounds)).toMatchObject({ level: 'year', crumbs: [], links: [{ label: '2025', from: '2025-01-01', to: '2025-12-31' }, { label: '2026', from: '2026-01-01', to: '2026-12-31' }] });
    expect(planHierarchy({}, { from: '2026-03-30', to: '2026-05-02' }).links.map((l) => l.label)).toEqual(['March 2026', 'April 2026', 'May 2026']);
    expect(planHierarchy({}, { from: '2026-03-03', to: '2026-03-05' })).toMatchObject({ level: 'day', links: [{ label: 'Mar 3' }, { label: 'Mar 4' }, { label: 'Mar 5' }] });
    expect(planHierarchy({}, null)).toEqual({ level: 'year', crumbs: [], links: [] });
  });

  it('drills a year into months, a month into days, and keeps a single day with links back up', () => {
    const year = planHierarchy({ from: '2024-01-01', to: '2024-12-31' }, null);
    expect(year.level).toBe('month');
    expect(year.crumbs.map((c) => c.label)).toEqual(['All dates']);
    expect(year.links).toHaveLength(12);
    expect(year.links[1]).toEqual({ label: 'February 2024', from: '2024-02-01', to: '2024-02-29' });
    const month = planHierarchy({ from: '2024-02-01', to: '2024-02-29' }, null);
    expect(month).toMatchObject({ level: 'day', crumbs: [{ label: 'All dates' }, { label: '2024', from: '2024-01-01', to: '2024-12-31' }] });
    expect(month.links.map((l) => l.from)).toHaveLength(29);
    const day = planHierarchy({ from: '2024-02-29', to: '2024-02-29' }, null);
    expect(day.crumbs.map((c) => c.label)).toEqual(['All dates', '2024', 'February 2024']);
    expect(day.links).toEqual([{ label: 'Feb 29', from: '2024-02-29', to: '2024-02-29' }]);
  });

  it('shows any other range as the days, months or years it spans', () => {
    expect(planHierarchy({ from: '2026-01-28', to: '2026-02-03' }, null).links.map((l) => l.label)).toEqual(['Jan 28', 'Jan 29', 'Jan 30', 'Jan 31', 'Feb 1', 'Feb 2', 'Feb 3']);
    expect(planHierarchy({ from: '2025-12-01' }, bounds)).toMatchObject({ level: 'month', links: [{ label: 'December 2025' }, { label: 'January 2026' }, { label: 'February 2026' }] });
    expect(planHierarchy({ to: '2026-01-15' }, { from: '2020-05-01', to: '2026-02-01' }).links.map((l) => l.label)).toEqual(['2020', '2021', '2022', '2023', '2024', '2025', '2026']);
  });
});

describe('splitByUtcDays', () => {
  it('keeps a UTC day whole and splits another zone’s day into slivers around whole UTC days', () => {
    expect(splitByUtcDays({ start: new Date('2026-11-20T00:00:00Z'), end: new Date('2026-11-21T00:00:00Z') })).toEqual({ days: { from: '2026-11-20', to: '2026-11-20' }, slivers: [] });
    const ny = splitByUtcDays({ start: new Date('2026-11-01T04:00:00Z'), end: new Date('2026-12-01T05:00:00Z') });
    expect(ny.days).toEqual({ from: '2026-11-02', to: '2026-11-30' });
    expect(ny.slivers).toEqual([
      { start: new Date('2026-11-01T04:00:00Z'), end: new Date('2026-11-02T00:00:00Z') },
      { start: new Date('2026-12-01T00:00:00Z'), end: new Date('2026-12-01T05:00:00Z') },
    ]);
    expect(splitByUtcDays({ start: new Date('2026-11-20T05:00:00Z'), end: new Date('2026-11-21T05:00:00Z') }).days).toBeUndefined();
  });
});

describe('date hierarchy counts', () => {
  let panel: Panel;
  beforeAll(async () => {
    panel = await startPanel({ panelTimeZone: 'America/New_York' });
  });
  afterAll(() => panel?.close());

  /** Log rows in whole days of the zone, counted straight from the log. */
  async function truth(range: DayRange, zone: string, where = 'TRUE', bind: unknown[] = []): Promise<number> {
    const [row] = await panel.db.sequelize.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ai_usage_logs WHERE created_at >= $1 AND created_at < $2 AND ${where}`,
      { bind: [dayStart(range.from, zone), dayEnd(range.to, zone), ...bind], type: QueryTypes.SELECT },
    );
    return row!.n;
  }

  const cases: [string, Record<string, string>, string, unknown[]][] = [
    ['nothing else', {}, 'TRUE', []],
    ['a section', { section: 'chat' }, "section = 'chat'", []],
    ['failures', { success: 'false' }, 'NOT success', []],
    ['system work', { userId: 'system' }, 'user_id IS NULL', []],
    ['a search (the log alone answers)', { q: 'overloaded' }, "error_message ILIKE '%overloaded%'", []],
  ];

  it.each(['UTC', 'America/New_York', 'Asia/Kolkata'])('equals the log counted by day, month and year in %s, whatever the other filters', async (zone) => {
    for (const [, filters, where, bind] of cases) {
      const counter = logDateCounter(panel.db.sequelize, readLogListParams(filters, undefined, zone), DEFAULT_SECTIONS);
      const bounds = await counter.bounds();
      expect(bounds).not.toBeNull();
      const days: DayRange[] = [];
      for (let d = new Date(`${bounds!.from}T00:00:00Z`); d.toISOString().slice(0, 10) <= bounds!.to; d = new Date(d.getTime() + 86_400_000)) {
        days.push({ from: d.toISOString().slice(0, 10), to: d.toISOString().slice(0, 10) });
      }
      const ranges = [...days, ...planHierarchy({}, bounds).links, { from: bounds!.from, to: bounds!.to }];
      const counts = await counter.counts(ranges);
      const expected = await Promise.all(ranges.map((r) => truth(r, zone, where, bind)));
      expect(counts).toEqual(expected);
      expect(counts[counts.length - 1]).toBe(await truth({ from: '1970-01-01', to: '2999-12-31' }, zone, where, bind));
    }
  });

  it('serves the drill-down of the log list: the links of the current filter, each counting what clicking it lists', async () => {
    const top = await panel.api(`/resources/ai_usage_logs/actions/dateHierarchy?${listQuery({ 'filters.section': 'chat' })}`);
    expect(top.status).toBe(200);
    const links = top.body.hierarchy.links as { from: string; to: string; count: number }[];
    expect(links.length).toBeGreaterThan(0);
    for (const link of links) expect(link.count).toBe(await truth(link, 'America/New_York', "section = 'chat'"));
    const first = links[0]!;
    const list = await panel.api(`/resources/ai_usage_logs/actions/list?${listQuery({ 'filters.section': 'chat', 'filters.createdAt~~from': first.from, 'filters.createdAt~~to': first.to })}`);
    expect(list.body.meta.total).toBe(first.count);
    // Drilling in keeps the other filters and marks the selected range, a quick range counts as its days.
    const drilled = await panel.api(`/resources/ai_usage_logs/actions/dateHierarchy?${listQuery({ 'filters.section': 'chat', 'filters.createdAt~~from': first.from, 'filters.createdAt~~to': first.to })}`);
    expect(drilled.body.hierarchy.crumbs[0]).toMatchObject({ label: 'All dates' });
    const today = await panel.api(`/resources/ai_usage_logs/actions/dateHierarchy?${listQuery({ 'filters.period': 'today' })}`);
    expect(today.body.hierarchy).toMatchObject({ level: 'day', links: [{ active: true }] });
  });

  it('counts the daily aggregate’s rows by its date column', async () => {
    const { status, body } = await panel.api(`/resources/ai_usage_tracking/actions/dateHierarchy?${listQuery({ 'filters.section': 'chat' })}`);
    expect(status).toBe(200);
    for (const link of body.hierarchy.links as { from: string; to: string; count: number }[]) {
      const [row] = await panel.db.sequelize.query<{ n: number }>(`SELECT count(*)::int AS n FROM ai_usage_tracking WHERE date BETWEEN $1 AND $2 AND section = 'chat'`, { bind: [link.from, link.to], type: QueryTypes.SELECT });
      expect(link.count).toBe(row!.n);
      const list = await panel.api(`/resources/ai_usage_tracking/actions/list?${listQuery({ 'filters.section': 'chat', 'filters.date~~from': link.from, 'filters.date~~to': link.to })}`);
      expect(list.body.meta.total).toBe(link.count);
    }
  });

  it('refuses a filter the list refuses, with a 400', async () => {
    const { status } = await panel.api(`/resources/ai_usage_logs/actions/dateHierarchy?${listQuery({ 'filters.costUsd': '1' })}`);
    expect(status).toBe(400);
  });
});
