import React from 'react';
import type { BasePropertyProps } from 'adminjs';
import { Pill } from '../../components/pill.js';
import { ShowField } from '../../components/show-field.js';

/** Active (still above), recovered (back at or below), or acknowledged by an admin. */
const AlertStatus: React.FC<BasePropertyProps> = ({ property, record, where }) => {
  const p = record?.params ?? {};
  const [label, background, color] = p.acknowledgedAt
    ? ['Acknowledged', '#e5e7eb', '#374151']
    : p.recoveredAt
      ? ['Recovered', '#dcfce7', '#166534']
      : ['Active', '#fee2e2', '#991b1b'];
  return (
    <ShowField property={property} where={where}>
      <Pill background={background} color={color} data={{ testid: 'alert-status' }}>
        {label}
      </Pill>
    </ShowField>
  );
};

export default AlertStatus;
