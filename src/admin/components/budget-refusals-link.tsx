import React from 'react';
import { Link } from 'react-router-dom';
import { ViewHelpers, type BasePropertyProps } from 'adminjs';
import { ShowField } from './show-field.js';

const h = new ViewHelpers();

/** A budget's refusals: how many calls it refused, linking to them in the AI usage log. */
const BudgetRefusalsLink: React.FC<BasePropertyProps> = ({ property, record, where }) => {
  const id = record?.params?.id;
  if (id === undefined) return null;
  const count = Number(record?.params?.[property.path] ?? 0);
  const logs = property.custom?.logsResourceId ?? 'ai_usage_logs';
  const search = new URLSearchParams({ 'filters.refused': 'true', 'filters.budgetId': String(id) }).toString();
  return (
    <ShowField property={property} where={where}>
      <Link
        to={`${h.resourceUrl({ resourceId: logs })}?${search}`}
        data-testid="budget-refusals-link"
        data-count={count}
        onClick={(event) => event.stopPropagation()}
        style={{ whiteSpace: 'nowrap', color: count > 0 ? '#b91c1c' : undefined, fontWeight: count > 0 ? 600 : undefined }}
      >
        {count === 0 ? 'none' : `${count.toLocaleString('en-US')} refused`}
      </Link>
    </ShowField>
  );
};

export default BudgetRefusalsLink;
