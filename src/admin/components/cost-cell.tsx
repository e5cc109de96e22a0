import React from 'react';
import type { BasePropertyProps } from 'adminjs';
import { ShowField } from './show-field.js';
import { formatCost } from './format.js';
import { Pill } from './pill.js';

/** A cost in USD; an "unpriced" badge when the model had no price (cost not known yet), "not billed" when Gemini billed nothing. */
const CostCell: React.FC<BasePropertyProps> = ({ property, record, where }) => {
  const value = record?.params?.[property.path];
  const status = record?.params?.costStatus;
  if (status === 'unpriced') {
    return (
      <ShowField property={property} where={where}>
        <span data-testid="cost-cell">
          <Pill background="#fef3c7" color="#92400e" title={`no ${record?.params?.serviceTier ?? 'standard'} price for ${record?.params?.modelName} on that day: add one under Model prices, then reprice`} data={{ status: 'unpriced' }}>unpriced</Pill>
        </span>
      </ShowField>
    );
  }
  const unknown = value === null || value === undefined || value === '';
  return (
    <ShowField property={property} where={where}>
      <span data-testid="cost-cell" style={{ whiteSpace: 'nowrap', color: status === 'not_billed' ? '#6b7280' : undefined }} title={status === 'not_billed' ? 'not billed: the call failed before any response' : unknown ? 'no price known' : String(value)}>
        {formatCost(value)}
      </span>
    </ShowField>
  );
};

export default CostCell;
