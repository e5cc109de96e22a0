import React from 'react';
import type { BasePropertyProps } from 'adminjs';
import { Pill } from './pill.js';

/** Success as a check (green) or a cross (red). */
const SuccessBadge: React.FC<BasePropertyProps> = ({ property, record }) => {
  const value = record?.params?.[property.path];
  if (value === undefined || value === null || value === '') return null;
  const ok = value === true || value === 'true';
  return (
    <Pill background={ok ? '#dcfce7' : '#fee2e2'} color={ok ? '#166534' : '#991b1b'} title={ok ? 'success' : 'failure'} data={{ testid: 'success-badge', success: String(ok) }}>
      {ok ? '✓ ok' : '✗ failed'}
    </Pill>
  );
};

export default SuccessBadge;
