import React, { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { ApiClient, ViewHelpers } from 'adminjs';
import { Box, Button, H2, Loader, MessageBox, Text } from '@adminjs/design-system';
import { Legend, LineChart, StackedBars, type Series } from './charts.js';
import { formatCost, formatInt, formatMs, formatRate } from './format.js';
import { UnpricedNotice } from './unpriced-notice.js';

const api = new ApiClient();
const h = new ViewHelpers();

interface Day {
  date: string;
  requests: number;
  failures: number;
  avgResponseTimeMs: number | null;
  bySection: Record<string, { requests: number; tokens: number; cost: number }>;
}

interface Data {
  range: { from: string; to: string; days: number; timeZone: string };
  sections: Series[];
  days: Day[];
  totals: { requests: number; failures: number; errorRate: number; tokens: number; cost: number; avgResponseTimeMs: number | null };
  topUsers: { userId: number | string | null; username: string | null; requests: number; tokens: number; cost: number }[];
  usersResourceId: string | null;
  topModels: { modelName: string; requests: number; tokens: number; cost: number }[];
  unpriced: { total: number; models: { modelName: string; unpricedRequests: number }[] };
  health: Health | null;
}

interface Health {
  status: 'ok' | 'degraded' | 'spool_full';
  database: 'up' | 'down';
  spool: { depth: number; oldestAgeSeconds: number | null; deadLetters: number; lastDrainAt: string | null };
  partitions?: {
    oldestMonth: string | null;
    newestMonth: string | null;
    defaultRows: number;
    warning: string | null;
    retention: { keepMonths: number | null; archive: boolean; droppedMonths: number; lastDroppedMonth: string | null };
  } | null;
}

const HEALTH_COLOURS = { ok: '#15803d', degraded: '#b45309', spool_full: '#b91c1c' };

/** One line: is every event reaching the ledger (database, spool depth and age, dead letters, last drain)? */
function HealthLine({ health }: { health: Health }) {
  const { spool } = health;
  const parts = [
    `database ${health.database}`,
    `spooled events ${formatInt(spool.depth)}${spool.oldestAgeSeconds === null ? '' : ` (oldest ${formatInt(spool.oldestAgeSeconds)} s)`}`,
    `dead letters ${formatInt(spool.deadLetters)}`,
    `last drain ${spool.lastDrainAt ? new Date(spool.lastDrainAt).toLocaleString() : 'never'}`,
  ];
  return (
    <Text data-testid="ledger-health" mb={health.partitions ? 'sm' : 'lg'} style={{ fontSize: 13 }}>
      <span style={{ color: HEALTH_COLOURS[health.status], fontWeight: 600 }}>Ledger {health.status.replace('_', ' ')}</span> · {parts.join(' · ')}
    </Text>
  );
}

/** The log's monthly partitions and the retention setting (AI_USAGE_RETENTION_KEEP_MONTHS), with the default-partition warning. */
function PartitionsLine({ partitions }: { partitions: NonNullable<Health['partitions']> }) {
  const { retention } = partitions;
  const parts = [
    `log partitions ${partitions.oldestMonth ?? '?'} to ${partitions.newestMonth ?? '?'}`,
    retention.keepMonths === null
      ? 'retention off (logs kept for ever)'
      : `retention: logs kept ${retention.keepMonths} month${retention.keepMonths === 1 ? '' : 's'}${retention.archive ? ', archived before dropping' : ''}, daily totals for ever`,
    ...(retention.droppedMonths > 0 ? [`${formatInt(retention.droppedMonths)} month(s) of logs dropped, the last ${retention.lastDroppedMonth}`] : []),
  ];
  return (
    <>
      <Text data-testid="ledger-partitions" mb={partitions.warning ? 'default' : 'lg'} style={{ fontSize: 13, color: '#4b5563' }}>{parts.join(' · ')}</Text>
      {partitions.warning ? <MessageBox mb="lg" variant="danger" data-testid="partitions-warning" message={partitions.warning} /> : null}
    </>
  );
}

const RANGES = [7, 30, 90];

function Panel({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <Box style={{ background: '#fff', border: '1px solid #e5e7eb', borderRadius: 8, padding: 16, flex: '1 1 460px', minWidth: 0 }}>
      <Text style={{ fontWeight: 600, marginBottom: 8 }}>{title}</Text>
      {children}
    </Box>
  );
}

function Table({ head, rows, testid }: { head: string[]; rows: React.ReactNode[][]; testid: string }) {
  const cell = { padding: '4px 8px', borderBottom: '1px solid #f3f4f6', textAlign: 'right' as const };
  return (
    <table data-testid={testid} style={{ width: '100%', borderCollapse: 'collapse', fontSize: 13 }}>
      <thead><tr>{head.map((x, i) => <th key={x} style={{ ...cell, textAlign: i ? 'right' : 'left', color: '#6b7280', fontWeight: 500 }}>{x}</th>)}</tr></thead>
      <tbody>{rows.map((row, r) => <tr key={r}>{row.map((x, i) => <td key={i} style={{ ...cell, textAlign: i ? 'right' : 'left' }}>{x}</td>)}</tr>)}</tbody>
    </table>
  );
}

/** Set by createAdmin from the Gemini endpoint in use. */
const isGeminiSimulated = () => (window as unknown as { AdminJS?: { env?: Record<string, string> } }).AdminJS?.env?.GEMINI_SIMULATED === 'true';

/** The dashboard: usage per day by section, top users and models, error rate and latency trend, from the daily aggregate. */
const Dashboard: React.FC = () => {
  const [days, setDays] = useState(30);
  const [data, setData] = useState<Data | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    api
      .getDashboard({ params: { days } })
      .then((response) => current && setData(response.data as Data))
      .catch((failure: unknown) => current && setError(failure instanceof Error ? failure.message : String(failure)));
    return () => {
      current = false;
    };
  }, [days]);
  if (error) return <Box variant="grey"><Text data-testid="dashboard-error">Dashboard unavailable: {error}</Text></Box>;
  if (!data) return <Box variant="grey"><Loader /></Box>;
  const series = data.sections.filter((s) => data.days.some((d) => d.bySection[s.id]));
  const pick = (metric: 'requests' | 'tokens' | 'cost') => (i: number, id: string) => data.days[i]!.bySection[id]?.[metric] ?? 0;
  const t = data.totals;
  return (
    <Box variant="grey" data-testid="ai-usage-dashboard">
      {isGeminiSimulated() ? (
        <MessageBox mb="lg" variant="info" data-testid="gemini-simulated" message="Gemini is simulated: GEMINI_API_KEY is unset, so the features' AI calls go to the built-in simulator. Set GEMINI_API_KEY to call Gemini." />
      ) : null}
      {data.health ? <HealthLine health={data.health} /> : null}
      {data.health?.partitions ? <PartitionsLine partitions={data.health.partitions} /> : null}
      <Box style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', flexWrap: 'wrap', gap: 12, marginBottom: 16 }}>
        <H2 mb="0" data-testid="dashboard-range">AI usage, {data.range.from} to {data.range.to} <span data-testid="dashboard-zone" style={{ color: '#6b7280', fontSize: '0.7em' }}>days in {data.range.timeZone}</span></H2>
        <Box style={{ display: 'flex', gap: 6 }}>
          {RANGES.map((n) => (
            <Button key={n} size="sm" data-days={n} variant={n === days ? 'contained' : 'outlined'} onClick={() => setDays(n)}>{n} days</Button>
          ))}
        </Box>
      </Box>
      <UnpricedNotice total={data.unpriced.total} models={data.unpriced.models} />
      <Box style={{ display: 'flex', gap: 12, flexWrap: 'wrap', marginBottom: 16 }} data-testid="dashboard-totals">
        {[
          ['Requests', formatInt(t.requests)],
          ['Tokens', formatInt(t.tokens)],
          ['Cost', formatCost(t.cost)],
          ['Error rate', formatRate(t.errorRate)],
          ['Avg response time', formatMs(t.avgResponseTimeMs)],
        ].map(([label, value]) => (
          <Box key={label} style={{ background: '#fff', border: '1px solid #e5e7eb', borderRadius: 8, padding: '10px 14px', minWidth: 150 }}>
            <Text style={{ color: '#6b7280', fontSize: 12 }}>{label}</Text>
            <Text style={{ fontSize: 20, fontWeight: 600 }}>{value}</Text>
          </Box>
        ))}
      </Box>
      <Box style={{ display: 'flex', gap: 16, flexWrap: 'wrap' }}>
        <Panel title="Requests per day by section">
          <StackedBars testid="chart-requests" days={data.days} series={series} value={pick('requests')} format={formatInt} />
          <Legend series={series} />
        </Panel>
        <Panel title="Tokens per day by section">
          <StackedBars testid="chart-tokens" days={data.days} series={series} value={pick('tokens')} format={formatInt} />
        </Panel>
        <Panel title="Cost per day by section">
          <StackedBars testid="chart-cost" days={data.days} series={series} value={pick('cost')} format={formatCost} />
        </Panel>
        <Panel title="Error rate and average response time per day">
          <LineChart testid="chart-error-rate" days={data.days} color="#b91c1c" format={formatRate} value={(i) => (data.days[i]!.requests ? data.days[i]!.failures / data.days[i]!.requests : null)} />
          <LineChart testid="chart-latency" days={data.days} color="#2563eb" format={formatMs} value={(i) => data.days[i]!.avgResponseTimeMs} />
        </Panel>
        <Panel title="Top users by tokens">
          <Table
            testid="top-users"
            head={['User', 'Requests', 'Tokens', 'Cost']}
            rows={data.topUsers.map((u) => [
              u.userId === null ? (
                <em>system</em>
              ) : data.usersResourceId ? (
                <Link to={h.recordActionUrl({ resourceId: data.usersResourceId, recordId: String(u.userId), actionName: 'show' })}>{u.username ?? `user #${u.userId}`}</Link>
              ) : (
                u.username ?? `user ${u.userId}`
              ),
              formatInt(u.requests), formatInt(u.tokens), formatCost(u.cost),
            ])}
          />
        </Panel>
        <Panel title="Top models by requests">
          <Table testid="top-models" head={['Model', 'Requests', 'Tokens', 'Cost']} rows={data.topModels.map((m) => [m.modelName, formatInt(m.requests), formatInt(m.tokens), formatCost(m.cost)])} />
        </Panel>
      </Box>
    </Box>
  );
};

export default Dashboard;
