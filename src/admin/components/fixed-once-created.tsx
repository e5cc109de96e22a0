import React from 'react';
import { BasePropertyComponent, useTranslation, type BasePropertyProps } from 'adminjs';
import { FormGroup, Label } from '@adminjs/design-system';

/**
 * Edit field of a value fixed once the record exists (a budget's scope and period): the usual
 * input on the new form; on the edit form the value as text, with why it cannot change.
 */
const FixedOnceCreated: React.FC<BasePropertyProps> = (props) => {
  const { property, record } = props;
  const { translateProperty } = useTranslation();
  if (!record?.id) return <BasePropertyComponent {...props} property={{ ...property, components: {} }} />;
  const value = record.params?.[property.path];
  const shown = record.populated?.[property.path]?.title ?? (value === null || value === undefined || value === '' ? property.custom?.emptyLabel ?? 'any' : String(value));
  return (
    <FormGroup>
      <Label>{translateProperty(property.label, property.resourceId)}</Label>
      <div data-testid={`fixed-${property.path}`} style={{ padding: '8px 0' }}>
        {shown} <small style={{ color: '#6b7280' }}>(fixed once created: a different scope or period is a new budget)</small>
      </div>
    </FormGroup>
  );
};

export default FixedOnceCreated;
