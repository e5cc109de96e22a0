import React from 'react';
import type { BasePropertyProps } from 'adminjs';
import { ShowField } from './show-field.js';

/** Long text (an error message) in full, wrapped, as text: markup in it is shown, never interpreted. */
const TextShow: React.FC<BasePropertyProps> = ({ property, record }) => {
  const value = record?.params?.[property.path];
  return (
    <ShowField property={property} where="show">
      <pre data-testid="text-show" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word', background: value ? '#fef2f2' : 'transparent', padding: value ? 12 : 0, borderRadius: 6, fontSize: 13, lineHeight: '18px' }}>
        {value === null || value === undefined || value === '' ? '—' : String(value)}
      </pre>
    </ShowField>
  );
};

export default TextShow;
