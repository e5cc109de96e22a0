import React, { useState } from 'react';
import { ApiClient, useTranslation, type BasePropertyProps } from 'adminjs';
import { FormGroup, Label, SelectAsync } from '@adminjs/design-system';

const api = new ApiClient();

type Option = { value: string; label: string };

/** The filter value that selects rows without a user (system work); the log and every resource's filter read it. */
export const SYSTEM_USER = 'system';
const SYSTEM_OPTION: Option = { value: SYSTEM_USER, label: 'No user (system)' };

/**
 * The user filter: AdminJS's search over the users resource, plus "No user (system)" for the
 * rows of jobs that ran without a user.
 */
const UserFilter: React.FC<BasePropertyProps> = ({ property, filter = {}, onChange }) => {
  const { translateProperty } = useTranslation();
  const [options, setOptions] = useState<Option[]>([SYSTEM_OPTION]);
  // Offered with an empty box, or when what is typed is part of its label ("system", "no user").
  const loadOptions = async (input: string): Promise<Option[]> => {
    const records = property.reference ? await api.searchRecords({ resourceId: property.reference, query: input }) : [];
    const system = !input.trim() || SYSTEM_OPTION.label.toLowerCase().includes(input.trim().toLowerCase()) ? [SYSTEM_OPTION] : [];
    const loaded = [...system, ...records.map((record) => ({ value: String(record.id), label: record.title }))];
    setOptions(loaded);
    return loaded;
  };
  const value = filter[property.path];
  const selected = value === undefined || value === '' ? null : (options.find((o) => o.value === String(value)) ?? { value: String(value), label: `user #${value}` });
  return (
    <FormGroup variant="filter" data-testid={`user-filter-${property.path}`}>
      <Label>{translateProperty(property.label, property.resourceId)}</Label>
      <SelectAsync
        variant="filter"
        isClearable
        cacheOptions
        defaultOptions
        value={selected}
        loadOptions={loadOptions}
        onChange={(choice: Option | null) => onChange?.(property.path, choice?.value ?? '')}
      />
    </FormGroup>
  );
};

export default UserFilter;
