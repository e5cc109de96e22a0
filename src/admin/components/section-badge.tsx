import React from 'react';
import type { BasePropertyProps } from 'adminjs';
import { ShowField } from './show-field.js';
import { textOn, type SectionColors } from './format.js';
import { Pill } from './pill.js';

const UNKNOWN = '#6b7280';

/** A section as a badge in its registry colour (`property.custom.sections`); unknown ids in grey. */
const SectionBadge: React.FC<BasePropertyProps> = ({ property, record, where }) => {
  const id = record?.params?.[property.path];
  if (!id) return null;
  const section = ((property.custom?.sections ?? {}) as SectionColors)[id];
  const background = section?.color ?? UNKNOWN;
  return (
    <ShowField property={property} where={where}>
      <Pill background={background} color={textOn(background)} title={id} data={{ testid: 'section-badge', section: String(id) }}>
        {section?.label ?? String(id)}
      </Pill>
    </ShowField>
  );
};

export default SectionBadge;
