import React from 'react';
import { Link } from 'react-router-dom';
import { ViewHelpers, type BasePropertyProps } from 'adminjs';
import { ShowField } from '../../components/show-field.js';

const h = new ViewHelpers();

/** The usage log filtered to the alert's scope and window. */
const AlertLogLink: React.FC<BasePropertyProps> = ({ property, record, where }) => {
  const query = record?.params?.logQuery;
  if (!query) return null;
  return (
    <ShowField property={property} where={where}>
      <Link to={`${h.resourceUrl({ resourceId: 'ai_usage_logs' })}?${query}`} data-testid="alert-log-link" onClick={(event) => event.stopPropagation()}>
        View requests
      </Link>
    </ShowField>
  );
};

export default AlertLogLink;
