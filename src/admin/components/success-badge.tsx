import React from 'react';
import type { BasePropertyProps } from 'adminjs';
import { ShowField } from './show-field.js';
import { Pill } from './pill.js';

/** Success as a check (green) or a cross (red). */
const SuccessBadge: React.FC<BasePropertyProps> = ({ property, record, where }) => {
  const value = record?.params?.[property.path];
  if (value === undefined || value === null || value === '') return null;
  const ok = value === true || value === 'true';
  return (
    <ShowField property={property} where={where}>
      <Pill background={ok ? '#dcfce7' : '#fee2e2'} color={ok ? '#166534' : '#991b1b'} title={ok ? 'success' : 'failure'} data={{ testid: 'success-badge', success: String(ok) }}>
        {ok ? '✓ ok' : '✗ failed'}
      </Pill>
    </ShowField>
  );
};

export default SuccessBadge;
