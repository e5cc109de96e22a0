import React from 'react';
import { ViewHelpers, type BasePropertyProps } from 'adminjs';
import { ShowField } from './show-field.js';

const h = new ViewHelpers();
/** Set by our own panel, which serves the read-only view; a host's AdminJS shows no link. */
const viewAsUserServed = () => (window as unknown as { AdminJS?: { env?: Record<string, string> } }).AdminJS?.env?.AI_USAGE_VIEW_AS_USER === 'true';

/** On a user's page: opens their end-user usage page as they see it, read-only (<panel>/usage-view/<id>). */
const ViewAsUserLink: React.FC<BasePropertyProps> = ({ property, record }) => {
  const id = record?.params?.id;
  if (id === undefined || !viewAsUserServed()) return null;
  return (
    <ShowField property={property} where="show">
      <a href={h.urlBuilder(['usage-view', encodeURIComponent(String(id))])} data-testid="view-as-user-link">
        View this user's usage page (read-only)
      </a>
    </ShowField>
  );
};

export default ViewAsUserLink;
