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
  p95ResponseTime: { value: number | null; method: 'exact' | 'sampled' };
  bySection: (Figures & { section: string })[];
  byModel: (Figures & { modelName: string })[];
}

function Card({ label, value, detail, testid }: { label: string; value: string; detail?: string; testid: string }) {
  return (
    <Box data-testid={testid} style={{ background: '#fff', border: '1px solid #e5e7eb', borderRadius: 8, padding: '10px 14px', minWidth: 150 }}>
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
  return (
    <Box data-testid="stats-panel" mb="lg">
      <UnpricedNotice total={t.unpricedRequests} models={stats.byModel} />
      <Box style={{ display: 'flex', flexWrap: 'wrap', gap: 12, marginBottom: 12 }}>
        <Card testid="stat-requests" label="Requests" value={formatInt(t.requests)} />
        <Card testid="stat-tokens" label="Tokens" value={formatInt(t.totalTokens)} detail={`in ${formatInt(t.promptTokens)} · out ${formatInt(t.completionTokens)} · thoughts ${formatInt(t.thoughtsTokens)}`} />
        <Card testid="stat-cost" label="Cost" value={formatCost(t.costUsd)} detail={t.unpricedRequests ? `+ ${formatInt(t.unpricedRequests)} unpriced requests` : undefined} />
        <Card testid="stat-success" label="Success rate" value={t.requests ? formatRate(t.successRate) : '—'} detail={`${formatInt(t.successes)} ok · ${formatInt(t.failures)} failed`} />
        <Card testid="stat-latency" label="Response time" value={`avg ${formatMs(t.avgResponseTimeMs)}`} detail={`p95 ${p95.method === 'sampled' ? '≈ ' : ''}${formatMs(p95.value)}${p95.method === 'sampled' ? ' (sampled)' : ''}`} />
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
