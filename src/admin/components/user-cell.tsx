import React from 'react';
import { Link } from 'react-router-dom';
import { ViewHelpers, type BasePropertyProps } from 'adminjs';
import { ShowField } from './show-field.js';

const h = new ViewHelpers();

/** The user a row belongs to, as a link to that user's record; "system" for work without a user (or `custom.emptyLabel`). */
const UserCell: React.FC<BasePropertyProps> = ({ property, record, where }) => {
  const id = record?.params?.[property.path];
  if (id === null || id === undefined || id === '') {
    return (
      <ShowField property={property} where={where}>
        <em data-testid="user-cell" style={{ color: '#6b7280', whiteSpace: 'nowrap' }}>{property.custom?.emptyLabel ?? 'system'}</em>
      </ShowField>
    );
  }
  const populated = record?.populated?.[property.path];
  if (!property.reference) {
    return (
      <ShowField property={property} where={where}>
        <span data-testid="user-cell" style={{ whiteSpace: 'nowrap' }}>{`user ${id}`}</span>
      </ShowField>
    );
  }
  const href = h.recordActionUrl({ resourceId: property.reference, recordId: String(id), actionName: 'show' });
  return (
    <ShowField property={property} where={where}>
      <Link to={href} data-testid="user-cell" style={{ whiteSpace: 'nowrap' }} onClick={(event) => event.stopPropagation()}>
        {populated?.title ? String(populated.title) : `user #${id}`}
      </Link>
    </ShowField>
  );
};

export default UserCell;
