import React, { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { ApiClient, useResource, useTranslation, type ResourceJSON } from 'adminjs';
import { Box, InfoBox, Loader, Text } from '@adminjs/design-system';

const api = new ApiClient();

type Props = { OriginalComponent: React.ComponentType<any>; [key: string]: unknown };
type Params = { resourceId?: string; actionName?: string; recordId?: string };

/** What a user sees on the URL of an action their role may not run, instead of "Page not found". */
export function NotAllowed({ resource, actionName }: { resource: ResourceJSON; actionName: string }) {
  const { translateAction, translateLabel } = useTranslation();
  const action = translateAction(resource.actions.find((a) => a.name === actionName)?.label ?? actionName, resource.id);
  const name = translateLabel(resource.name, resource.id);
  useEffect(() => {
    document.title = `Not allowed: ${name}`;
  }, [name]);
  return (
    <Box variant="container" data-testid="not-allowed">
      <InfoBox title="Not allowed" illustration="Padlock">
        <Text mb="lg">{`You are not allowed to use “${action}” on ${name}.`}</Text>
        {resource.href ? <Link to={resource.href}>Back to {name}</Link> : null}
      </InfoBox>
    </Box>
  );
}

/**
 * A resource action's route (it wraps AdminJS's): an action the resource has but this user may
 * not run says so, where AdminJS would say "Page not found".
 */
export const ResourceActionGuard: React.FC<Props> = (props) => {
  const { resourceId, actionName } = useParams<Params>();
  const resource = useResource(resourceId!);
  const known = resource?.actions.some((a) => a.name === actionName && a.actionType === 'resource');
  if (resource && known && !resource.resourceActions.some((a) => a.name === actionName)) return <NotAllowed resource={resource} actionName={actionName!} />;
  const { OriginalComponent } = props;
  return <OriginalComponent {...props} />;
};

/**
 * A record action's route (it wraps AdminJS's): before AdminJS asks the server for an action the
 * user may not run (a 403 it does not handle), the record's own list of allowed actions is read,
 * and a refused one says so.
 */
export const RecordActionGuard: React.FC<Props> = (props) => {
  const { resourceId, actionName, recordId } = useParams<Params>();
  const resource = useResource(resourceId!);
  const known = Boolean(resource?.actions.some((a) => a.name === actionName && a.actionType === 'record'));
  const check = known && actionName !== 'show';
  const [allowed, setAllowed] = useState<boolean | undefined>(check ? undefined : true);
  useEffect(() => {
    if (!check) return setAllowed(true);
    let current = true;
    setAllowed(undefined);
    api
      .recordAction({ resourceId: resourceId!, recordId: recordId!, actionName: 'show' })
      .then((response) => current && setAllowed(Boolean(response.data.record?.recordActions?.some((a: { name: string }) => a.name === actionName))))
      // The record cannot be read (gone, or not this user's): AdminJS's own route says which.
      .catch(() => current && setAllowed(true));
    return () => {
      current = false;
    };
  }, [resourceId, recordId, actionName, check]);
  if (allowed === undefined) return <Loader />;
  if (!allowed && resource) return <NotAllowed resource={resource} actionName={actionName!} />;
  const { OriginalComponent } = props;
  return <OriginalComponent {...props} />;
};
