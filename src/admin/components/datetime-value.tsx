import React from 'react';
import type { BasePropertyProps } from 'adminjs';
import { ShowField } from './show-field.js';
import { panelTimeZone, wallClock, zoneLabel } from './panel-time.js';

/**
 * Every date and datetime of every resource (it replaces AdminJS's own list and show components):
 * a datetime on the panel zone's wall clock with that zone's offset beside it, so no time is ever
 * read in the browser's zone; a date (a calendar day) as `YYYY-MM-DD`.
 */
const DateTimeValue: React.FC<BasePropertyProps> = ({ property, record, where }) => {
  const raw = record?.params?.[property.path];
  const zone = panelTimeZone();
  let content: React.ReactNode = '';
  if (property.type === 'date') {
    content = raw ? String(raw).slice(0, 10) : '';
  } else {
    const text = wallClock(raw, zone, where === 'show');
    if (text) {
      content = (
        <span data-testid="datetime" data-iso={new Date(String(raw)).toISOString()} style={{ whiteSpace: 'nowrap' }}>
          {text} <span data-testid="datetime-zone" title={zone} style={{ color: '#6b7280', fontSize: '0.85em' }}>{zoneLabel(new Date(String(raw)), zone)}</span>
        </span>
      );
    }
  }
  return <ShowField property={property} where={where}>{content}</ShowField>;
};

export default DateTimeValue;
