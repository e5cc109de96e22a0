import React, { useEffect, useState } from 'react';
import { useLocation } from 'react-router-dom';
import { List, useQueryParams, type ActionProps } from 'adminjs';
import { Box, Button, Input } from '@adminjs/design-system';
import { StatsPanel } from './stats-panel.js';
import { panelTimeZone } from './panel-time.js';

const QUICK_RANGES = [
  { id: 'today', label: 'Today' },
  { id: '7d', label: '7 days' },
  { id: '30d', label: '30 days' },
  { id: 'month', label: 'This month' },
] as const;

/**
 * The AI usage log list: one search box, quick date ranges, budget refusals, the statistics of the current filter
 * and search, then AdminJS's own list (filters, sorting, paging). Everything lives in the query
 * string (`filters.q`, `filters.period`), so a reload or a shared link shows the same rows.
 */
const LogList: React.FC<ActionProps> = (props) => {
  const location = useLocation();
  const { filters = {}, storeParams } = useQueryParams();
  const current = filters as Record<string, string>;
  const [term, setTerm] = useState(current.q ?? '');
  useEffect(() => setTerm(current.q ?? ''), [current.q]);

  const apply = (changes: Record<string, string | undefined>) => {
    const next: Record<string, string> = { ...current };
    for (const [key, value] of Object.entries(changes)) {
      if (value === undefined || value === '') delete next[key];
      else next[key] = value;
    }
    storeParams({ filters: next, page: '1' });
  };
  const pickRange = (period?: string) => apply({ period, 'createdAt~~from': undefined, 'createdAt~~to': undefined });

  return (
    <Box>
      <Box variant="container" mb="lg" style={{ display: 'flex', flexWrap: 'wrap', gap: 12, alignItems: 'center' }}>
        <form
          data-testid="log-search-form"
          style={{ display: 'flex', gap: 8, flex: '1 1 560px' }}
          onSubmit={(event) => {
            event.preventDefault();
            apply({ q: term.trim() || undefined });
          }}
        >
          <Input
            data-testid="log-search"
            type="search"
            value={term}
            placeholder="Search user, section, model, error, metadata, id"
            title="Username or email, section, model, error message or metadata value (3+ letters), or the start of an id"
            onChange={(event: React.ChangeEvent<HTMLInputElement>) => setTerm(event.target.value)}
            style={{ flex: 1 }}
          />
          <Button type="submit" variant="contained">Search</Button>
        </form>
        <Box style={{ display: 'flex', flexWrap: 'wrap', gap: 6 }} data-testid="quick-ranges">
          {QUICK_RANGES.map((range) => (
            <Button key={range.id} type="button" size="sm" data-range={range.id} variant={current.period === range.id ? 'contained' : 'outlined'} onClick={() => pickRange(range.id)}>
              {range.label}
            </Button>
          ))}
          <Button type="button" size="sm" data-range="all" variant={current.period ? 'outlined' : 'contained'} onClick={() => pickRange(undefined)}>
            All time
          </Button>
          <Button
            type="button"
            size="sm"
            data-testid="refusals-filter"
            variant={current.refused === 'true' ? 'contained' : 'outlined'}
            title="Calls a budget refused before they were sent"
            onClick={() => apply(current.refused === 'true' ? { refused: undefined, budgetId: undefined } : { refused: 'true' })}
          >
            {current.refused === 'true' && current.budgetId ? `Refusals of budget #${current.budgetId} ×` : current.refused === 'true' ? 'Budget refusals ×' : 'Budget refusals'}
          </Button>
          <span data-testid="quick-ranges-zone" style={{ alignSelf: 'center', color: '#6b7280', fontSize: 12 }}>days in {panelTimeZone()}</span>
        </Box>
      </Box>
      <Box variant="container" mb="lg">
        <StatsPanel resource={props.resource} search={location.search} />
      </Box>
      <List {...props} />
    </Box>
  );
};

export default LogList;
