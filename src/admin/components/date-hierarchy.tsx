import React, { useEffect, useState } from 'react';
import { Link, useLocation } from 'react-router-dom';
import { ApiClient, type ResourceJSON } from 'adminjs';
import { Box, Text } from '@adminjs/design-system';
import { formatInt } from './format.js';
import { panelTimeZone } from './panel-time.js';

const api = new ApiClient();

interface HierarchyLink {
  label: string;
  from: string;
  to: string;
  count?: number;
  active?: boolean;
}

interface Hierarchy {
  field: string;
  level: 'year' | 'month' | 'day';
  crumbs: HierarchyLink[];
  links: HierarchyLink[];
}

/** The hidden action serving the hierarchy (src/admin/date-hierarchy/action.ts). */
export const DATE_HIERARCHY_ACTION = 'dateHierarchy';

/** The list's query string with the link's whole days as its date filter (no quick range, first page). */
function searchFor(search: string, field: string, link: HierarchyLink): string {
  const params = new URLSearchParams(search);
  params.delete('filters.period');
  params.delete('page');
  for (const end of ['from', 'to'] as const) {
    const key = `filters.${field}~~${end}`;
    if (link[end]) params.set(key, link[end]);
    else params.delete(key);
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/**
 * Django's date_hierarchy above a list: years, then months, then days, each a link that filters
 * the list to those whole days (with how many rows it will show), and links back up. Counts follow
 * the list's other filters and search, from the resource's `dateHierarchy` action.
 */
export const DateHierarchy: React.FC<{ resource: ResourceJSON }> = ({ resource }) => {
  const location = useLocation();
  const filters = new URLSearchParams([...new URLSearchParams(location.search)].filter(([key]) => key.startsWith('filters.'))).toString();
  const [hierarchy, setHierarchy] = useState<Hierarchy | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    setError(null);
    api
      .resourceAction({ resourceId: resource.id, actionName: DATE_HIERARCHY_ACTION, params: new URLSearchParams(filters) })
      .then((response) => current && setHierarchy((response.data as { hierarchy: Hierarchy }).hierarchy))
      .catch((failure: unknown) => current && setError(failure instanceof Error ? failure.message : String(failure)));
    return () => {
      current = false;
    };
  }, [resource.id, filters]);
  if (error) return <Text data-testid="date-hierarchy-error" style={{ color: '#b91c1c' }}>Dates unavailable: {error}</Text>;
  if (!hierarchy) return <Box data-testid="date-hierarchy-loading" style={{ minHeight: 32 }} />;
  const to = (link: HierarchyLink) => ({ pathname: location.pathname, search: searchFor(location.search, hierarchy.field, link) });
  const zoned = resource.properties[hierarchy.field]?.type === 'datetime';
  return (
    <Box data-testid="date-hierarchy" data-level={hierarchy.level} style={{ display: 'flex', flexWrap: 'wrap', gap: '6px 14px', alignItems: 'baseline', padding: '10px 16px', marginBottom: 12, background: '#fff', borderRadius: 4, fontSize: 13 }}>
      {hierarchy.crumbs.map((crumb) => (
        <Link key={crumb.label} to={to(crumb)} data-testid="date-hierarchy-up" style={{ whiteSpace: 'nowrap' }}>
          ‹ {crumb.label}
        </Link>
      ))}
      {hierarchy.links.map((link) =>
        link.active ? (
          <strong key={link.from} data-testid="date-hierarchy-current" data-from={link.from} data-to={link.to} style={{ whiteSpace: 'nowrap' }}>
            {link.label} <span style={{ color: '#6b7280', fontWeight: 400 }}>({formatInt(link.count ?? 0)})</span>
          </strong>
        ) : (
          <Link key={link.from} to={to(link)} data-testid="date-hierarchy-link" data-from={link.from} data-to={link.to} style={{ whiteSpace: 'nowrap' }}>
            {link.label} <span style={{ color: '#6b7280' }}>({formatInt(link.count ?? 0)})</span>
          </Link>
        ),
      )}
      {!hierarchy.links.length ? <span style={{ color: '#6b7280' }}>No dates</span> : null}
      {zoned ? <span style={{ color: '#6b7280', fontSize: 12, marginLeft: 'auto' }}>days in {panelTimeZone()}</span> : null}
    </Box>
  );
};
