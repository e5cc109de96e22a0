import React from 'react';
import { flat, type BasePropertyProps } from 'adminjs';
import { ShowField } from './show-field.js';

/**
 * A JSON value pretty-printed as text. Reads `custom.jsonParam` (the JSON as a string, exact) when
 * the resource provides one, else rebuilds the object from the record's flattened params.
 */
const JsonShow: React.FC<BasePropertyProps> = ({ property, record }) => {
  const params = record?.params ?? {};
  const jsonParam = property.custom?.jsonParam as string | undefined;
  let value: unknown;
  if (jsonParam && typeof params[jsonParam] === 'string') {
    value = JSON.parse(params[jsonParam]);
  } else {
    value = (flat.unflatten(params) as Record<string, unknown>)[property.path] ?? null;
  }
  return (
    <ShowField property={property} where="show">
      <pre data-testid="json-show" style={{ background: '#f6f8fa', padding: 12, borderRadius: 6, overflowX: 'auto', fontSize: 13, lineHeight: '18px' }}>
        {JSON.stringify(value, null, 2)}
      </pre>
    </ShowField>
  );
};

export default JsonShow;
