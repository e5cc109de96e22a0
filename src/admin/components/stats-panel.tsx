import React, { useEffect, useState } from 'react';
import { ApiClient, type ResourceJSON } from 'adminjs';
import { Box, Loader, Text } from '@adminjs/design-system';
import { formatCost, formatInt, formatMs, formatRate, textOn, type SectionColors } from './format.js';
import { Pill } from './pill.js';
import { UnpricedNotice } from './unpriced-notice.js';

const api = new ApiClient();

interface Figures {
  requests: number;
  successes: number;
  failures: number;
  successRate: number;
  promptTokens: string;
  completionTokens: string;
  thoughtsTokens: string;
  totalTokens: string;
  costUsd: string;
  unpricedRequests: number;
  avgResponseTimeMs: number | null;
}

interface Stats {
  totals: Figures;
  p95ResponseTime: { value: number | null; method: 'exact' | 'sampled' | 'histogram'; above?: number | null };
  bySection: (Figures & { section: string })[];
  byModel: (Figures & { modelName: string })[];
  approximate: { sampledRequests: number; samplePercent: number } | null;
}

/** The p95 as shown: a histogram's gives the bound of its latency bucket ("≤"), a sample's is approximate ("≈"). */
function p95Text(p95: Stats['p95ResponseTime']): string {
  if (p95.method === 'histogram') {
    if (p95.value === null && p95.above != null) return `p95 > ${formatMs(p95.above)}`;
    return `p95 ${p95.value === null ? '' : '≤ '}${formatMs(p95.value)}`;
  }
  return `p95 ${p95.method === 'sampled' ? '≈ ' : ''}${formatMs(p95.value)}`;
}

const P95_HELP: Record<Stats['p95ResponseTime']['method'], string> = {
  histogram: 'From the daily totals, which keep response times in buckets (25 ms, 50 ms, 100 ms, … doubling): the 95th percentile is at most the bucket bound shown.',
  exact: 'The 95th percentile of the matching requests.',
  sampled: 'The 95th percentile of the matching requests in a sample of the log.',
};

function ApproximateNotice({ approximate }: { approximate: NonNullable<Stats['approximate']> }) {
  const percent = approximate.samplePercent < 1 ? approximate.samplePercent.toPrecision(2) : formatInt(Math.round(approximate.samplePercent));
  return (
    <Text data-testid="stats-approximate" style={{ background: '#fffbeb', border: '1px solid #fcd34d', borderRadius: 6, padding: '6px 10px', marginBottom: 12, fontSize: 13 }}>
      <strong>Approximate:</strong> too many requests match to sum them all, so these figures are estimated from a {percent}% sample of the log
      ({formatInt(approximate.sampledRequests)} matching requests sampled). Filters without a search or a time of day are exact.
    </Text>
  );
}

function Card({ label, value, detail, testid, title }: { label: string; value: string; detail?: string; testid: string; title?: string }) {
  return (
    <Box data-testid={testid} title={title} style={{ background: '#fff', border: '1px solid #e5e7eb', borderRadius: 8, padding: '10px 14px', minWidth: 150 }}>
      <Text style={{ color: '#6b7280', fontSize: 12 }}>{label}</Text>
      <Text data-testid={`${testid}-value`} style={{ fontSize: 20, fontWeight: 600 }}>{value}</Text>
      {detail ? <Text style={{ color: '#6b7280', fontSize: 12 }}>{detail}</Text> : null}
    </Box>
  );
}

function Breakdown({ title, rows, name }: { title: string; rows: (Figures & { key: string })[]; name: (key: string) => React.ReactNode }) {
  const cell = { padding: '4px 8px', borderBottom: '1px solid #f3f4f6', textAlign: 'right' as const, whiteSpace: 'nowrap' as const };
  return (
    // Side by side when both fit whole, one under the other otherwise; never one running under the other.
    <Box data-testid="stats-breakdown" style={{ flex: '1 1 480px', minWidth: 0, overflowX: 'auto' }}>
      <Text style={{ fontWeight: 600, margin: '8px 0' }}>{title}</Text>
      <table style={{ width: '100%', borderCollapse: 'collapse', fontSize: 13, background: '#fff' }}>
        <thead>
          <tr>{['', 'Requests', 'Tokens', 'Cost', 'Success', 'Avg'].map((h) => <th key={h} style={{ ...cell, color: '#6b7280', fontWeight: 500 }}>{h}</th>)}</tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.key} data-testid="stats-breakdown-row">
              <td style={{ ...cell, textAlign: 'left' }}>{name(row.key)}</td>
              <td style={cell}>{formatInt(row.requests)}</td>
              <td style={cell}>{formatInt(row.totalTokens)}</td>
              <td style={cell} title={row.unpricedRequests ? `${row.unpricedRequests} unpriced requests not included` : undefined}>
                {formatCost(row.costUsd)}
                {row.unpricedRequests ? <div style={{ color: '#92400e', fontSize: 11 }}>+{formatInt(row.unpricedRequests)} unpriced</div> : null}
              </td>
              <td style={cell}>{formatRate(row.successRate)}</td>
              <td style={cell}>{formatMs(row.avgResponseTimeMs)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Box>
  );
}

/** Statistics of the rows the list shows, fetched from the resource's `stats` action with the page's query string. */
export function StatsPanel({ resource, search }: { resource: ResourceJSON; search: string }) {
  // Only the filters matter: paging or sorting the list must not recompute the statistics.
  const filters = new URLSearchParams([...new URLSearchParams(search)].filter(([key]) => key.startsWith('filters.'))).toString();
  const [stats, setStats] = useState<Stats | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    setError(null);
    api
      .resourceAction({ resourceId: resource.id, actionName: 'stats', params: new URLSearchParams(filters) })
      .then((response) => current && setStats((response.data as { stats: Stats }).stats))
      .catch((failure: unknown) => current && setError(failure instanceof Error ? failure.message : String(failure)));
    return () => {
      current = false;
    };
  }, [resource.id, filters]);
  if (error) return <Text data-testid="stats-error" style={{ color: '#b91c1c' }}>Statistics unavailable: {error}</Text>;
  if (!stats) return <Loader />;
  const t = stats.totals;
  const sections = (resource.properties.section?.custom?.sections ?? {}) as SectionColors;
  const sectionName = (id: string) => {
    const color = sections[id]?.color ?? '#6b7280';
    return <Pill background={color} color={textOn(color)}>{sections[id]?.label ?? id}</Pill>;
  };
  const p95 = stats.p95ResponseTime;
  const about = stats.approximate ? '≈ ' : '';
  return (
    <Box data-testid="stats-panel" mb="lg">
      {stats.approximate ? <ApproximateNotice approximate={stats.approximate} /> : null}
      <UnpricedNotice total={t.unpricedRequests} models={stats.byModel} />
      <Box style={{ display: 'flex', flexWrap: 'wrap', gap: 12, marginBottom: 12 }}>
        <Card testid="stat-requests" label="Requests" value={`${about}${formatInt(t.requests)}`} />
        <Card testid="stat-tokens" label="Tokens" value={`${about}${formatInt(t.totalTokens)}`} detail={`in ${formatInt(t.promptTokens)} · out ${formatInt(t.completionTokens)} · thoughts ${formatInt(t.thoughtsTokens)}`} />
        <Card testid="stat-cost" label="Cost" value={`${about}${formatCost(t.costUsd)}`} detail={t.unpricedRequests ? `+ ${formatInt(t.unpricedRequests)} unpriced requests` : undefined} />
        <Card testid="stat-success" label="Success rate" value={t.requests ? formatRate(t.successRate) : '—'} detail={`${formatInt(t.successes)} ok · ${formatInt(t.failures)} failed`} />
        <Card testid="stat-latency" label="Response time" value={`avg ${formatMs(t.avgResponseTimeMs)}`} detail={p95Text(p95)} title={P95_HELP[p95.method]} />
      </Box>
      {t.requests ? (
        <Box style={{ display: 'flex', flexWrap: 'wrap', gap: 16 }}>
          <Breakdown title="By section" rows={stats.bySection.map((r) => ({ ...r, key: r.section }))} name={sectionName} />
          <Breakdown title="By model" rows={stats.byModel.map((r) => ({ ...r, key: r.modelName }))} name={(m) => m} />
        </Box>
      ) : null}
    </Box>
  );
}
