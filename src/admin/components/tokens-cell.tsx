import React from 'react';
import type { BasePropertyProps } from 'adminjs';
import { ShowField } from './show-field.js';
import { formatInt } from './format.js';

/**
 * The total tokens with their parts underneath: input, output, and thoughts and cached when not
 * zero. `property.custom` names the params holding each part.
 */
const TokensCell: React.FC<BasePropertyProps> = ({ property, record, where }) => {
  const params = record?.params ?? {};
  const parts = (property.custom?.parts ?? {}) as { input?: string; output?: string; thoughts?: string; cached?: string };
  const part = (key?: string) => (key ? params[key] : undefined);
  const thoughts = Number(part(parts.thoughts) ?? 0);
  const cached = Number(part(parts.cached) ?? 0);
  const details = [`in ${formatInt(part(parts.input))}`, `out ${formatInt(part(parts.output))}`];
  if (thoughts) details.push(`thoughts ${formatInt(thoughts)}`);
  if (cached && where === 'show') details.push(`cached ${formatInt(cached)}`);
  return (
    <ShowField property={property} where={where}>
      <span data-testid="tokens-cell" style={{ display: 'inline-flex', flexDirection: 'column', lineHeight: '16px' }}>
        <strong>{formatInt(params[property.path])}</strong>
        {/* A narrow column wraps between the parts, never inside one ("in" and its number stay together). */}
        <small style={{ color: '#6b7280', whiteSpace: 'nowrap' }}>
          {details.map((detail, i) => (
            <React.Fragment key={detail}>
              {i ? ' · ' : null}
              <span style={{ whiteSpace: 'nowrap' }}>{detail}</span>
            </React.Fragment>
          ))}
        </small>
      </span>
    </ShowField>
  );
};

export default TokensCell;
