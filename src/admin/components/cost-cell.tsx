import React from 'react';
import type { BasePropertyProps } from 'adminjs';
import { ShowField } from './show-field.js';
import { formatCost } from './format.js';

/** A cost in USD; "—" with an explanation when the model had no price. */
const CostCell: React.FC<BasePropertyProps> = ({ property, record, where }) => {
  const value = record?.params?.[property.path];
  const unknown = value === null || value === undefined || value === '';
  return (
    <ShowField property={property} where={where}>
      <span data-testid="cost-cell" style={{ whiteSpace: 'nowrap' }} title={unknown ? 'no price known for this model' : String(value)}>
        {formatCost(value)}
      </span>
    </ShowField>
  );
};

export default CostCell;
