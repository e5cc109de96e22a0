import React, { useEffect, useState } from 'react';
import { ApiClient, useTranslation, type BasePropertyProps } from 'adminjs';
import { FormGroup, Label, Select } from '@adminjs/design-system';

const api = new ApiClient();

/**
 * Model filter whose choices come from the data (the resource's `modelChoices` action, served from
 * ai_usage_tracking), so a model appears as soon as it was used. Exact match.
 */
const ModelFilter: React.FC<BasePropertyProps> = ({ property, filter = {}, onChange, resource }) => {
  const { translateProperty } = useTranslation();
  const [models, setModels] = useState<string[]>([]);
  useEffect(() => {
    api
      .resourceAction({ resourceId: resource.id, actionName: 'modelChoices' })
      .then((response) => setModels((response.data as { models?: string[] }).models ?? []))
      .catch((error: unknown) => console.error('model choices', error));
  }, [resource.id]);
  const value = filter[property.path];
  const options = models.map((model) => ({ value: model, label: model }));
  const selected = value ? { value, label: String(value) } : null;
  return (
    <FormGroup variant="filter">
      <Label>{translateProperty(property.label, property.resourceId)}</Label>
      <Select
        variant="filter"
        isClearable
        value={selected}
        options={options}
        onChange={(choice: { value: string } | null) => onChange?.(property.path, choice?.value)}
      />
    </FormGroup>
  );
};

export default ModelFilter;
