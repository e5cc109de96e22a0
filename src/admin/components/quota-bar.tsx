import React from 'react';
import type { BasePropertyProps } from 'adminjs';
import { ShowField } from './show-field.js';
import { formatInt } from './format.js';

/**
 * Tokens used against a quota as a bar: green, orange from 80%, red from 100%. `custom.used` and
 * `custom.quota` name the params; "no active subscription" when there is no quota.
 */
const QuotaBar: React.FC<BasePropertyProps> = ({ property, record, where }) => {
  const params = record?.params ?? {};
  const used = Number(params[property.custom?.used ?? 'tokensUsed']);
  const quota = Number(params[property.custom?.quota ?? 'tokenQuota']);
  if (!Number.isFinite(quota) || !Number.isFinite(used) || params[property.custom?.quota ?? 'tokenQuota'] == null) {
    return (
      <ShowField property={property} where={where}>
        <em style={{ color: '#6b7280' }}>no active subscription</em>
      </ShowField>
    );
  }
  const ratio = quota > 0 ? used / quota : used > 0 ? Infinity : 0;
  const color = ratio >= 1 ? '#b91c1c' : ratio >= 0.8 ? '#c2410c' : '#15803d';
  return (
    <ShowField property={property} where={where}>
      <span data-testid="quota-bar" data-ratio={ratio.toFixed(3)} style={{ display: 'inline-flex', flexDirection: 'column', gap: 4, minWidth: 160 }}>
        <span style={{ background: '#e5e7eb', borderRadius: 4, height: 8, overflow: 'hidden', display: 'block' }}>
          <span style={{ display: 'block', height: 8, width: `${Math.min(100, ratio * 100)}%`, background: color }} />
        </span>
        <small style={{ color: '#374151', whiteSpace: 'nowrap' }}>
          {formatInt(used)} / {formatInt(quota)} ({Number.isFinite(ratio) ? `${Math.round(ratio * 100)}%` : 'over'})
        </small>
      </span>
    </ShowField>
  );
};

export default QuotaBar;
