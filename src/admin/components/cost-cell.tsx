import React from 'react';
import type { BasePropertyProps } from 'adminjs';
import { formatCost } from './format.js';

/** A cost in USD; "—" with an explanation when the model had no price. */
const CostCell: React.FC<BasePropertyProps> = ({ property, record }) => {
  const value = record?.params?.[property.path];
  const unknown = value === null || value === undefined || value === '';
  return (
    <span data-testid="cost-cell" style={{ whiteSpace: 'nowrap' }} title={unknown ? 'no price known for this model' : String(value)}>
      {formatCost(value)}
    </span>
  );
};

export default CostCell;
