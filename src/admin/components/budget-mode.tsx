import React from 'react';
import type { BasePropertyProps } from 'adminjs';
import { ShowField } from './show-field.js';
import { Pill } from './pill.js';

const LOOKS: Record<string, { background: string; color: string; title: string }> = {
  enforce: { background: '#fee2e2', color: '#991b1b', title: 'A call that does not fit is refused before it is sent (HTTP 429)' },
  warn: { background: '#fef3c7', color: '#92400e', title: 'Calls go on; crossing the limit logs a warning' },
  off: { background: '#e5e7eb', color: '#374151', title: 'Counted only: never refuses nor warns' },
};

/** A budget's effective mode as a badge (a subscription's quota takes its subscription's or the global mode). */
const BudgetMode: React.FC<BasePropertyProps> = ({ property, record, where }) => {
  const mode = String(record?.params?.[property.path] ?? record?.params?.mode ?? '');
  const look = LOOKS[mode] ?? LOOKS.off!;
  return (
    <ShowField property={property} where={where}>
      {mode ? <Pill background={look.background} color={look.color} title={look.title} data={{ testid: 'budget-mode', mode }}>{mode}</Pill> : '—'}
    </ShowField>
  );
};

export default BudgetMode;
