import React from 'react';

export interface Series {
  id: string;
  label: string;
  color: string;
}

const WIDTH = 720;
const PAD = { left: 56, right: 8, top: 8, bottom: 22 };

/** Bars per day, stacked by series (sections in their colours). Pure SVG: nothing is fetched. */
export function StackedBars({ days, series, value, height = 180, format, testid }: {
  days: { date: string }[];
  series: Series[];
  /** The value of one series on one day. */
  value: (dayIndex: number, seriesId: string) => number;
  height?: number;
  format: (n: number) => string;
  testid: string;
}) {
  const totals = days.map((_, i) => series.reduce((sum, s) => sum + value(i, s.id), 0));
  const max = Math.max(0, ...totals) || 1;
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = height - PAD.top - PAD.bottom;
  const barW = plotW / Math.max(1, days.length);
  const labelEvery = Math.ceil(days.length / 8);
  return (
    <svg data-testid={testid} viewBox={`0 0 ${WIDTH} ${height}`} width="100%" role="img" style={{ maxWidth: WIDTH, display: 'block' }}>
      <text x={PAD.left - 6} y={PAD.top + 10} textAnchor="end" fontSize="10" fill="#6b7280">{format(max)}</text>
      <text x={PAD.left - 6} y={PAD.top + plotH} textAnchor="end" fontSize="10" fill="#6b7280">0</text>
      <line x1={PAD.left} x2={WIDTH - PAD.right} y1={PAD.top + plotH} y2={PAD.top + plotH} stroke="#d1d5db" />
      {days.map((d, i) => {
        let y = PAD.top + plotH;
        return (
          <g key={d.date}>
            <title>{`${d.date}: ${format(totals[i]!)}`}</title>
            {series.map((s) => {
              const v = value(i, s.id);
              if (!v) return null;
              const h = (v / max) * plotH;
              y -= h;
              return <rect key={s.id} x={PAD.left + i * barW + 1} y={y} width={Math.max(1, barW - 2)} height={h} fill={s.color} />;
            })}
            {i % labelEvery === 0 ? (
              <text x={PAD.left + i * barW + barW / 2} y={height - 6} textAnchor="middle" fontSize="10" fill="#6b7280">{d.date.slice(5)}</text>
            ) : null}
          </g>
        );
      })}
    </svg>
  );
}

/** One line over the days; days without a value leave a gap. */
export function LineChart({ days, value, color, height = 140, format, testid }: {
  days: { date: string }[];
  value: (dayIndex: number) => number | null;
  color: string;
  height?: number;
  format: (n: number) => string;
  testid: string;
}) {
  const values = days.map((_, i) => value(i));
  const max = Math.max(0, ...values.filter((v): v is number => v !== null)) || 1;
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = height - PAD.top - PAD.bottom;
  const step = plotW / Math.max(1, days.length - 1);
  const segments: string[] = [];
  let current = '';
  values.forEach((v, i) => {
    if (v === null) {
      if (current) segments.push(current);
      current = '';
      return;
    }
    const point = `${(PAD.left + i * step).toFixed(1)},${(PAD.top + plotH - (v / max) * plotH).toFixed(1)}`;
    current = current ? `${current} L${point}` : `M${point}`;
  });
  if (current) segments.push(current);
  return (
    <svg data-testid={testid} viewBox={`0 0 ${WIDTH} ${height}`} width="100%" role="img" style={{ maxWidth: WIDTH, display: 'block' }}>
      <text x={PAD.left - 6} y={PAD.top + 10} textAnchor="end" fontSize="10" fill="#6b7280">{format(max)}</text>
      <text x={PAD.left - 6} y={PAD.top + plotH} textAnchor="end" fontSize="10" fill="#6b7280">0</text>
      <line x1={PAD.left} x2={WIDTH - PAD.right} y1={PAD.top + plotH} y2={PAD.top + plotH} stroke="#d1d5db" />
      {segments.map((d) => <path key={d} d={d} fill="none" stroke={color} strokeWidth={2} />)}
      {values.map((v, i) =>
        v === null ? null : (
          <circle key={days[i]!.date} cx={PAD.left + i * step} cy={PAD.top + plotH - (v / max) * plotH} r={2.5} fill={color}>
            <title>{`${days[i]!.date}: ${format(v)}`}</title>
          </circle>
        ),
      )}
    </svg>
  );
}

/** Colour key of the series. */
export function Legend({ series }: { series: Series[] }) {
  return (
    <div style={{ display: 'flex', flexWrap: 'wrap', gap: 10, fontSize: 12, margin: '6px 0' }}>
      {series.map((s) => (
        <span key={s.id} style={{ display: 'inline-flex', alignItems: 'center', gap: 4 }}>
          <span style={{ width: 10, height: 10, background: s.color, borderRadius: 2, display: 'inline-block' }} />
          {s.label}
        </span>
      ))}
    </div>
  );
}
