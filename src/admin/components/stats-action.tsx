import React from 'react';
import { useLocation } from 'react-router-dom';
import type { ActionProps } from 'adminjs';
import { Box, H3 } from '@adminjs/design-system';
import { StatsPanel } from './stats-panel.js';

/** The Stats action: statistics of the current filter and search, on a page of their own. */
const StatsAction: React.FC<ActionProps> = ({ resource }) => {
  const location = useLocation();
  return (
    <Box variant="container">
      <H3>Statistics for the current filter and search</H3>
      <StatsPanel resource={resource} search={location.search} />
    </Box>
  );
};

export default StatsAction;
