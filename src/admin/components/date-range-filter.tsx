import React from 'react';
import { useTranslation, type BasePropertyProps } from 'adminjs';
import { Box, FormGroup, Label, Text } from '@adminjs/design-system';
import { panelTimeZone } from './panel-time.js';

const inputStyle: React.CSSProperties = { width: '100%', boxSizing: 'border-box', padding: '6px 8px', border: '1px solid #c0c0ca', borderRadius: 4, background: 'transparent', color: 'inherit', font: 'inherit' };

/**
 * The filter of every date and datetime property (it replaces AdminJS's date picker, which sent the
 * browser's local midnight): two plain day fields, `from` and `to`, both whole days of the panel's
 * time zone and both included, so From = To is that one day. The server reads the days in the zone.
 */
const DateRangeFilter: React.FC<BasePropertyProps> = ({ property, filter = {}, onChange }) => {
  const { translateProperty } = useTranslation();
  const zone = panelTimeZone();
  const key = (end: 'from' | 'to') => `${property.path}~~${end}`;
  const day = (value: unknown) => (typeof value === 'string' ? value.slice(0, 10) : '');
  const field = (end: 'from' | 'to', label: string) => (
    <Box flex flexDirection="column" style={{ flex: 1, minWidth: 0 }}>
      <Label htmlFor={`${property.path}-${end}`} style={{ fontSize: 12 }}>{label}</Label>
      <input
        id={`${property.path}-${end}`}
        data-testid={`date-filter-${end}`}
        type="date"
        value={day(filter[key(end)])}
        style={inputStyle}
        onChange={(event) => onChange?.(key(end), event.target.value || undefined)}
      />
    </Box>
  );
  return (
    <FormGroup variant="filter" data-testid={`date-filter-${property.path}`}>
      <Label>{translateProperty(property.label, property.resourceId)}</Label>
      <Box flex style={{ gap: 8 }}>
        {field('from', 'From')}
        {field('to', 'To')}
      </Box>
      <Text data-testid="date-filter-zone" style={{ fontSize: 11, opacity: 0.75, marginTop: 4 }}>
        {property.type === 'date' ? 'Calendar days, both included' : `Whole days in ${zone}, both included`}
      </Text>
    </FormGroup>
  );
};

export default DateRangeFilter;
