import React from 'react';
import { useTranslation, type BasePropertyProps } from 'adminjs';
import { FormGroup, FormMessage, Label, Text } from '@adminjs/design-system';
import { localInputValue, panelTimeZone } from './panel-time.js';

const inputStyle: React.CSSProperties = { width: '100%', maxWidth: 320, padding: '8px 10px', border: '1px solid #c0c0ca', borderRadius: 4, font: 'inherit' };

/**
 * The form field of every date and datetime (it replaces AdminJS's date picker, which read the
 * browser's zone): a datetime is typed on the panel zone's wall clock and sent without an offset,
 * which the server reads in that zone; a date is a plain day.
 */
const DateTimeEdit: React.FC<BasePropertyProps> = ({ property, record, onChange }) => {
  const { translateProperty, tm } = useTranslation();
  const zone = panelTimeZone();
  const raw = record?.params?.[property.path];
  const error = record?.errors?.[property.path];
  const isDate = property.type === 'date';
  const value = isDate ? (raw ? String(raw).slice(0, 10) : '') : localInputValue(raw, zone);
  return (
    <FormGroup error={!!error}>
      <Label htmlFor={`edit-${property.path}`} required={property.isRequired}>{translateProperty(property.label, property.resourceId)}</Label>
      <input
        id={`edit-${property.path}`}
        data-testid={`datetime-edit-${property.path}`}
        type={isDate ? 'date' : 'datetime-local'}
        step={isDate ? undefined : 1}
        value={value}
        disabled={property.isDisabled}
        style={inputStyle}
        onChange={(event) => onChange?.(property.path, event.target.value || null)}
      />
      {isDate ? null : <Text style={{ fontSize: 12, color: '#6b7280', marginTop: 4 }}>Time in {zone}</Text>}
      <FormMessage>{error && tm(error.message, property.resourceId)}</FormMessage>
    </FormGroup>
  );
};

export default DateTimeEdit;
