import React, { useEffect, useState } from 'react';
import { ApiClient } from 'adminjs';
import { Box, Button, H2, Loader, MessageBox, Text } from '@adminjs/design-system';
import { Legend, StackedBars, type Series } from '../../components/charts.js';
import { formatCost, formatInt } from '../../components/format.js';
// Types only: erased from the browser bundle.
import type { CostReport as Report, ReportLine as Line } from '../../../reports/cost-report.js';
import type { ReportGroup as Group } from '../../../reports/report-range.js';

const api = new ApiClient();

const GROUPS: Group[] = ['user', 'section', 'model'];
const COLORS = ['#2563eb', '#d97706', '#059669', '#db2777', '#7c3aed', '#9ca3af'];
const day = (d: Date) => d.toISOString().slice(0, 10);

function presets(now = new Date()) {
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  return {
    lastMonth: { from: day(new Date(Date.UTC(y, m - 1, 1))), to: day(new Date(Date.UTC(y, m, 0))) },
    monthToDate: { from: day(new Date(Date.UTC(y, m, 1))), to: day(now) },
  };
}

const change = (value: number | null) =>
  value === null ? <span style={{ color: '#6b7280' }}>new</span> : <span style={{ color: value > 0 ? '#b91c1c' : '#15803d' }}>{`${value > 0 ? '+' : ''}${(value * 100).toFixed(1)} %`}</span>;
const perRequest = (value: string | null) => (value === null ? '–' : `$${Number(value).toFixed(6)}`);

const rootPath = () => (window as unknown as { REDUX_STATE?: { paths?: { rootPath?: string } } }).REDUX_STATE?.paths?.rootPath ?? '/admin';

function Card({ label, value, testid }: { label: string; value: React.ReactNode; testid: string }) {
  return (
    <Box style={{ background: '#fff', border: '1px solid #e5e7eb', borderRadius: 8, padding: '10px 14px', flex: '1 1 150px', minWidth: 0 }}>
      <Text style={{ color: '#6b7280', fontSize: 12 }}>{label}</Text>
      <Text data-testid={testid} style={{ fontSize: 20, fontWeight: 600 }}>{value}</Text>
    </Box>
  );
}

function Section({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <Box style={{ background: '#fff', border: '1px solid #e5e7eb', borderRadius: 8, padding: 16, marginBottom: 16, minWidth: 0, overflowX: 'auto' }}>
      <Text style={{ fontWeight: 600, marginBottom: 8 }}>{title}</Text>
      {children}
    </Box>
  );
}

function Table({ head, rows, testid }: { head: string[]; rows: React.ReactNode[][]; testid: string }) {
  const cell = { padding: '4px 8px', borderBottom: '1px solid #f3f4f6', whiteSpace: 'nowrap' as const };
  return (
    <table data-testid={testid} style={{ width: '100%', borderCollapse: 'collapse', fontSize: 13 }}>
      <thead><tr>{head.map((x, i) => <th key={x} style={{ ...cell, textAlign: i ? 'right' : 'left', color: '#6b7280', fontWeight: 500 }}>{x}</th>)}</tr></thead>
      <tbody>{rows.map((row, r) => <tr key={r}>{row.map((x, i) => <td key={i} style={{ ...cell, textAlign: i ? 'right' : 'left' }}>{x}</td>)}</tr>)}</tbody>
    </table>
  );
}

/** Cost report: a date range (last full month by default), by user, section or model, pivoted either way, from the daily aggregate. */
const CostReport: React.FC = () => {
  const [range, setRange] = useState(presets().lastMonth);
  const [group, setGroup] = useState<Group>('user');
  const [pivot, setPivot] = useState<Group | 'none'>('section');
  const [report, setReport] = useState<Report | null>(null);
  const [error, setError] = useState<string | null>(null);
  const query = { from: range.from, to: range.to, group, pivot };
  useEffect(() => {
    let current = true;
    setError(null);
    api
      .getPage({ pageName: 'costReport', params: query })
      .then((response) => {
        if (!current) return;
        const data = response.data as { report?: Report; error?: string };
        if (data.error) setError(data.error);
        else setReport(data.report ?? null);
      })
      .catch((failure: unknown) => current && setError(failure instanceof Error ? failure.message : String(failure)));
    return () => {
      current = false;
    };
  }, [range.from, range.to, group, pivot]);

  const download = (format: 'csv' | 'xlsx') => `${rootPath()}/reports/cost.${format}?${new URLSearchParams({ from: range.from, to: range.to, group }).toString()}`;
  const p = presets();
  const choose = (value: Group | 'none', set: (g: any) => void, options: (Group | 'none')[], testid: string) => (
    <select data-testid={testid} value={value} onChange={(e) => set(e.target.value)} style={{ padding: '6px 8px', borderRadius: 6, border: '1px solid #d1d5db' }}>
      {options.map((o) => <option key={o} value={o}>{o === 'none' ? 'no pivot' : o}</option>)}
    </select>
  );
  const t = report?.totals;
  const series: Series[] = report
    ? [...new Set(report.daily.map((d) => d.key))].map((key, i) => ({ id: key, label: report.lines.find((l) => l.key === key)?.label ?? 'other', color: COLORS[Math.min(i, COLORS.length - 1)]! }))
    : [];
  const days = report ? [...new Set(report.daily.map((d) => d.date))].map((date) => ({ date })) : [];
  const labelOf = (key: string) => report?.lines.find((l) => l.key === key)?.label ?? key;

  return (
    <Box variant="grey" data-testid="cost-report">
      <H2>Cost report</H2>
      <Box style={{ display: 'flex', flexWrap: 'wrap', gap: 8, alignItems: 'center', marginBottom: 16 }}>
        <Button size="sm" variant={range.from === p.lastMonth.from && range.to === p.lastMonth.to ? 'contained' : 'outlined'} onClick={() => setRange(p.lastMonth)} data-testid="preset-last-month">Last full month</Button>
        <Button size="sm" variant={range.from === p.monthToDate.from && range.to === p.monthToDate.to ? 'contained' : 'outlined'} onClick={() => setRange(p.monthToDate)} data-testid="preset-month-to-date">Month to date</Button>
        <label>From <input type="date" data-testid="report-from" value={range.from} onChange={(e) => e.target.value && setRange({ ...range, from: e.target.value })} /></label>
        <label>To <input type="date" data-testid="report-to" value={range.to} onChange={(e) => e.target.value && setRange({ ...range, to: e.target.value })} /></label>
        <span>By {choose(group, setGroup, GROUPS, 'report-group')}</span>
        <span>× {choose(pivot, setPivot, ['none', ...GROUPS.filter((g) => g !== group)], 'report-pivot')}</span>
        <Button size="sm" variant="text" disabled={pivot === 'none'} onClick={() => pivot !== 'none' && (setGroup(pivot), setPivot(group))} data-testid="report-swap">Swap rows and columns</Button>
        <a href={download('csv')} data-testid="download-csv">Download CSV</a>
        <a href={download('xlsx')} data-testid="download-xlsx">Download XLSX</a>
      </Box>
      {error ? <MessageBox mb="lg" variant="danger" data-testid="report-error" message={error} /> : null}
      {!report || !t ? (
        error ? null : <Loader />
      ) : (
        <>
          <Text mb="md" style={{ color: '#6b7280' }}>
            {report.range.from} to {report.range.to} (UTC days), compared with {report.previous.from} to {report.previous.to}. From the daily aggregate.
          </Text>
          <Box style={{ display: 'flex', flexWrap: 'wrap', gap: 12, marginBottom: 16 }}>
            <Card label="Cost" value={formatCost(t.costUsd)} testid="total-cost" />
            <Card label="Month over month" value={change(t.change)} testid="total-change" />
            <Card label="Requests" value={formatInt(t.requests)} testid="total-requests" />
            <Card label="Tokens" value={formatInt(t.tokens)} testid="total-tokens" />
            <Card label="Cost per request" value={perRequest(t.costPerRequestUsd)} testid="total-cost-per-request" />
            <Card label="Unpriced requests" value={<span style={{ color: t.unpricedRequests ? '#b45309' : undefined }}>{formatInt(t.unpricedRequests)}</span>} testid="total-unpriced" />
          </Box>
          {days.length ? (
            <Section title={`Cost per day by ${report.group}`}>
              <StackedBars testid="report-chart" days={days} series={series} format={(n) => formatCost(n)} value={(i, id) => Number(report.daily.find((d) => d.date === days[i]!.date && d.key === id)?.costUsd ?? 0)} />
              <Legend series={series} />
            </Section>
          ) : null}
          <Section title={`By ${report.group}`}>
            <Table
              testid="report-lines"
              head={[report.group, 'Requests', 'Tokens', 'Cost', 'Cost / request', 'Unpriced', 'Previous', 'Change']}
              rows={report.lines.map((l) => [l.label, formatInt(l.requests), formatInt(l.tokens), formatCost(l.costUsd), perRequest(l.costPerRequestUsd), formatInt(l.unpricedRequests), formatCost(l.previousCostUsd), change(l.change)])}
            />
          </Section>
          {report.pivot ? (
            <Section title={`Cost by ${report.group} × ${report.pivot}`}>
              <Table
                testid="report-pivot-table"
                head={[`${report.group} \\ ${report.pivot}`, ...report.columns.map((c) => c.label)]}
                rows={[...new Set(report.cells.map((c) => c.row))].map((row) => [
                  labelOf(row),
                  ...report.columns.map((c) => {
                    const cell = report.cells.find((x) => x.row === row && x.column === c.key);
                    return cell ? formatCost(cell.costUsd) : '–';
                  }),
                ])}
              />
            </Section>
          ) : null}
          <Section title="Top spenders">
            <Table testid="report-top-spenders" head={['User', 'Requests', 'Cost', 'Change']} rows={report.topSpenders.map((s) => [s.label, formatInt(s.requests), formatCost(s.costUsd), change(s.change)])} />
          </Section>
        </>
      )}
    </Box>
  );
};

export default CostReport;
