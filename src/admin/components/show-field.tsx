import React from 'react';
import { useTranslation, type PropertyJSON } from 'adminjs';
import { ValueGroup } from '@adminjs/design-system';

/** On a show page, the value under its (translated) label, as AdminJS's own show components do; elsewhere the value alone. */
export function ShowField({ property, where, children }: { property: PropertyJSON; where?: string; children: React.ReactNode }) {
  const { translateProperty } = useTranslation();
  if (where !== 'show') return <>{children}</>;
  return <ValueGroup label={translateProperty(property.label, property.resourceId)}>{children}</ValueGroup>;
}
