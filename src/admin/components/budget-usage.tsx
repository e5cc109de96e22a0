import React from 'react';
import type { BasePropertyProps } from 'adminjs';
import { ShowField } from './show-field.js';
import { formatCost, formatInt } from './format.js';

type Unit = 'usd' | 'tokens';

/** Green, orange from 80 %, red when used and held reach the limit. */
export function budgetColor(ratio: number): string {
  return ratio >= 1 ? '#b91c1c' : ratio >= 0.8 ? '#c2410c' : '#15803d';
}

const share = (part: number, whole: number) => (whole > 0 ? Math.max(0, Math.min(100, (part / whole) * 100)) : part > 0 ? 100 : 0);

/** One limit of a budget: a bar of used (solid) and held (striped) against the limit, and the numbers. */
function LimitBar({ unit, params, compact }: { unit: Unit; params: Record<string, any>; compact: boolean }) {
  const key = unit === 'usd' ? 'Usd' : 'Tokens';
  const limit = params[`currentLimit${key}`];
  if (limit === null || limit === undefined || limit === '') return null;
  const format = unit === 'usd' ? formatCost : (value: unknown) => `${formatInt(value)} tokens`;
  const used = Number(params[`used${key}`] ?? 0);
  const reserved = Number(params[`reserved${key}`] ?? 0);
  const remaining = Number(params[`remaining${key}`] ?? 0);
  const ratio = Number(limit) > 0 ? (used + reserved) / Number(limit) : used + reserved > 0 ? Infinity : 0;
  const color = budgetColor(ratio);
  const usedWidth = share(used, Number(limit));
  const reservedWidth = Math.min(100 - usedWidth, share(reserved, Number(limit)));
  const percent = Number.isFinite(ratio) ? `${Math.round(ratio * 100)}%` : 'over';
  return (
    <span
      data-testid={`budget-usage-${unit}`}
      data-used={params[`used${key}`]}
      data-reserved={params[`reserved${key}`]}
      data-remaining={params[`remaining${key}`]}
      data-limit={limit}
      style={{ display: 'flex', flexDirection: 'column', gap: 3, minWidth: compact ? 150 : 220, maxWidth: compact ? 260 : 480 }}
    >
      <span role="meter" aria-valuemin={0} aria-valuemax={Number(limit)} aria-valuenow={used + reserved} aria-label={`${unit === 'usd' ? 'USD' : 'tokens'} used and held`} style={{ background: '#e5e7eb', borderRadius: 4, height: 10, overflow: 'hidden', display: 'flex' }}>
        <span style={{ width: `${usedWidth}%`, background: color }} />
        <span title="held by calls in flight" style={{ width: `${reservedWidth}%`, background: `repeating-linear-gradient(45deg, ${color} 0 3px, #ffffff 3px 6px)`, opacity: 0.8 }} />
      </span>
      <small style={{ color: '#374151', lineHeight: 1.35 }}>
        <b>{format(params[`used${key}`])}</b> used{reserved > 0 ? <> + {format(params[`reserved${key}`])} held</> : null} of {format(limit)} ({percent})
        {' · '}
        {remaining < 0 ? <span style={{ color: '#b91c1c', fontWeight: 600 }}>over by {format(String(-remaining))}</span> : <span>{format(params[`remaining${key}`])} left</span>}
      </small>
    </span>
  );
}

/**
 * A budget's current period: used, held by calls in flight, and what is left, per limit (USD,
 * tokens), from the params the budgets' list and show add (see budget-status-params.ts).
 */
const BudgetUsage: React.FC<BasePropertyProps> = ({ property, record, where }) => {
  const params = record?.params ?? {};
  const content =
    params.usage === 'inactive' ? (
      <em data-testid="budget-usage" data-state="inactive" style={{ color: '#6b7280' }}>
        {params.subscriptionId ? 'not in effect: its subscription is not the user’s active one' : 'the user has no active subscription: nothing counted now'}
      </em>
    ) : params.usage === 'current' ? (
      <span data-testid="budget-usage" data-state="current" style={{ display: 'flex', flexDirection: 'column', gap: 8 }}>
        <LimitBar unit="usd" params={params} compact={where === 'list'} />
        <LimitBar unit="tokens" params={params} compact={where === 'list'} />
      </span>
    ) : (
      <em style={{ color: '#6b7280' }}>—</em>
    );
  return <ShowField property={property} where={where}>{content}</ShowField>;
};

export default BudgetUsage;
