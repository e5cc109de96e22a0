import React from 'react';
import type { BasePropertyProps } from 'adminjs';
import { ShowField } from './show-field.js';

/** A short value on one line (model names), as text. */
const TextCell: React.FC<BasePropertyProps> = ({ property, record, where }) => {
  const value = record?.params?.[property.path];
  return (
    <ShowField property={property} where={where}>
      <span style={{ whiteSpace: 'nowrap' }}>{value === null || value === undefined ? '—' : String(value)}</span>
    </ShowField>
  );
};

export default TextCell;
