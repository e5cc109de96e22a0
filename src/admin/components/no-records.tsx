import React from 'react';
import { Link, useLocation } from 'react-router-dom';
import { Box, InfoBox, Text } from '@adminjs/design-system';

type Props = { resource: { id: string }; OriginalComponent?: React.ComponentType<any> };

/**
 * The empty list (it replaces AdminJS's NoRecords): when a filter or search is applied it says that
 * nothing matches it and offers to clear it, instead of "There are no records in this resource".
 */
const NoRecords: React.FC<Props> = (props) => {
  const location = useLocation();
  const params = new URLSearchParams(location.search);
  const filtered = [...params.keys()].some((key) => key.startsWith('filters.'));
  if (!filtered) {
    const Original = props.OriginalComponent;
    return Original ? <Original {...props} /> : null;
  }
  const cleared = new URLSearchParams([...params].filter(([key]) => !key.startsWith('filters.') && key !== 'page'));
  const to = `${location.pathname}${cleared.toString() ? `?${cleared}` : ''}`;
  return (
    <Box data-testid="no-records-filtered">
      <InfoBox title="No matching records" illustration="Docs">
        <Text mb="lg">No record matches the filter.</Text>
        <Link to={to} data-testid="clear-filter">Clear the filter</Link>
      </InfoBox>
    </Box>
  );
};

export default NoRecords;
