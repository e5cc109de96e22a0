import React from 'react';
import { ViewHelpers } from 'adminjs';
import { Box, Text } from '@adminjs/design-system';
import { formatInt } from './format.js';

/**
 * Says how many requests have no price and which models lack one, with links to add the price
 * (then "Reprice unpriced" on the prices page fills their cost in). Nothing when all are priced.
 */
export function UnpricedNotice({ total, models }: { total: number; models: { modelName: string; unpricedRequests: number }[] }) {
  if (!total) return null;
  const h = new ViewHelpers();
  const add = h.resourceActionUrl({ resourceId: 'ai_model_prices', actionName: 'new' });
  const list = (model: string) => `${h.resourceUrl({ resourceId: 'ai_model_prices' })}?filters.model=${encodeURIComponent(model)}`;
  return (
    <Box data-testid="unpriced-notice" style={{ background: '#fffbeb', border: '1px solid #fcd34d', borderRadius: 8, padding: '8px 14px', margin: '0 0 12px' }}>
      <Text style={{ color: '#92400e', fontSize: 13 }}>
        <strong>{formatInt(total)} unpriced {total === 1 ? 'request' : 'requests'}</strong>: their cost is not in the totals yet. Models without a price:{' '}
        {models.filter((m) => m.unpricedRequests > 0).map((m, i) => (
          <span key={m.modelName}>
            {i ? ', ' : ''}
            <a href={list(m.modelName)} data-testid="unpriced-model">{m.modelName}</a> ({formatInt(m.unpricedRequests)})
          </span>
        ))}
        . <a href={add} data-testid="add-price">Add a price</a>, then run “Reprice unpriced” on Model prices.
      </Text>
    </Box>
  );
}
