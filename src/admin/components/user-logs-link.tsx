import React from 'react';
import { Link } from 'react-router-dom';
import { ViewHelpers, type BasePropertyProps } from 'adminjs';
import { ShowField } from './show-field.js';

const h = new ViewHelpers();

/** On a user's page: a link to the AI usage log filtered to that user. */
const UserLogsLink: React.FC<BasePropertyProps> = ({ property, record }) => {
  const id = record?.params?.id;
  if (id === undefined) return null;
  const logs = property.custom?.logsResourceId ?? 'ai_usage_logs';
  const search = new URLSearchParams({ 'filters.userId': String(id) }).toString();
  return (
    <ShowField property={property} where="show">
      <Link to={`${h.resourceUrl({ resourceId: logs })}?${search}`} data-testid="user-logs-link">
        Show this user's AI usage logs
      </Link>
    </ShowField>
  );
};

export default UserLogsLink;
