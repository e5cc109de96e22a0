import React from 'react';
import { useLocation } from 'react-router-dom';
import type { ActionProps } from 'adminjs';
import { Box, H3 } from '@adminjs/design-system';
import { StatsPanel } from './stats-panel.js';

/** The Stats action: statistics of the current filter and search (the list's query string), in a drawer over the list. */
const StatsAction: React.FC<ActionProps> = ({ resource }) => {
  const location = useLocation();
  return (
    <Box variant="container" data-testid="stats-action">
      <H3>Statistics for the current filter and search</H3>
      <StatsPanel resource={resource} search={location.search} />
    </Box>
  );
};

export default StatsAction;
