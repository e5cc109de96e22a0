import React, { useEffect } from 'react';
import { useLocation, useNavigate } from 'react-router-dom';
import { useQueryParams, type ActionProps } from 'adminjs';
import { Box, Button, Text } from '@adminjs/design-system';
import { DATE_HIERARCHY_ACTION, DateHierarchy } from './date-hierarchy.js';

/** Page sizes offered under every list; AdminJS's default is the first. */
export const PAGE_SIZES = ['20', '50', '100', '200'];
const DEFAULT_SIZE = PAGE_SIZES[0]!;
const storageKey = (resourceId: string) => `aiUsage.perPage.${resourceId}`;

function storedSize(resourceId: string): string | undefined {
  try {
    const value = window.localStorage.getItem(storageKey(resourceId)) ?? undefined;
    return value && PAGE_SIZES.includes(value) ? value : undefined;
  } catch {
    // Storage refused (private mode, a sandbox): the URL alone carries the size.
    return undefined;
  }
}

type Props = ActionProps & { OriginalComponent: React.ComponentType<ActionProps> };

/**
 * Every resource's list (it wraps AdminJS's): the date hierarchy above it when the resource serves
 * one, and a choice of page size under it. The size lives in the URL (`perPage`) and is remembered
 * per resource in this browser: a list opened without one gets the last size chosen.
 */
const PagedList: React.FC<Props> = (props) => {
  const { OriginalComponent, resource } = props;
  const location = useLocation();
  const navigate = useNavigate();
  const { storeParams } = useQueryParams();
  const inUrl = new URLSearchParams(location.search).get('perPage') ?? undefined;
  const remembered = storedSize(resource.id);
  // AdminJS drops perPage from the URL when it changes page or filters: put the remembered size back
  // before the list fetches, so it never shows a page of the wrong size.
  const restoring = !inUrl && remembered !== undefined && remembered !== DEFAULT_SIZE;
  useEffect(() => {
    if (!restoring) return;
    const params = new URLSearchParams(location.search);
    params.set('perPage', remembered!);
    navigate({ pathname: location.pathname, search: `?${params}` }, { replace: true });
  }, [restoring, location.search]);
  const size = inUrl ?? remembered ?? DEFAULT_SIZE;
  const choose = (next: string) => {
    try {
      window.localStorage.setItem(storageKey(resource.id), next);
    } catch {
      // See storedSize.
    }
    storeParams({ perPage: next, page: '1' } as Record<string, string>);
  };
  if (restoring) return null;
  const hierarchy = resource.actions.some((action) => action.name === DATE_HIERARCHY_ACTION);
  return (
    <>
      {hierarchy ? <DateHierarchy resource={resource} /> : null}
      <OriginalComponent {...props} />
      <Box data-testid="page-size" style={{ display: 'flex', gap: 6, alignItems: 'center', justifyContent: 'flex-end', marginTop: 8 }}>
        <Text as="span" style={{ color: '#6b7280', fontSize: 12 }}>Rows per page</Text>
        {PAGE_SIZES.map((option) => (
          <Button key={option} type="button" size="sm" data-size={option} variant={option === size ? 'contained' : 'outlined'} aria-pressed={option === size} onClick={() => choose(option)}>
            {option}
          </Button>
        ))}
      </Box>
    </>
  );
};

export default PagedList;
