import React from 'react';
import type { BasePropertyProps } from 'adminjs';
import { ShowField } from './show-field.js';
import { formatMs, speedOf, SPEED_COLORS } from './format.js';
import { Pill } from './pill.js';

/**
 * Response time coloured by `property.custom` thresholds: green under fastMs, orange under slowMs,
 * red from slowMs. With `custom.average` it shows a sum divided by a count (the daily aggregate).
 */
const ResponseTimeBadge: React.FC<BasePropertyProps> = ({ property, record, where }) => {
  const custom = property.custom ?? {};
  const params = record?.params ?? {};
  const average = custom.average as { sum: string; count: string } | undefined;
  const raw = average ? Number(params[average.sum]) / Number(params[average.count] || 0) : Number(params[property.path]);
  if (!Number.isFinite(raw)) return null;
  const speed = speedOf(raw, { fastMs: Number(custom.fastMs ?? 1000), slowMs: Number(custom.slowMs ?? 3000) });
  return (
    <ShowField property={property} where={where}>
      <Pill background={SPEED_COLORS[speed]} color="#ffffff" data={{ testid: 'response-time-badge', speed }}>
        {formatMs(raw)}
      </Pill>
    </ShowField>
  );
};

export default ResponseTimeBadge;
