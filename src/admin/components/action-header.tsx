import React, { useEffect } from 'react';
import { useTranslation } from 'adminjs';

type Props = {
  resource: { id: string; name: string };
  record?: { title?: string };
  action: { name: string; label: string };
  OriginalComponent: React.ComponentType<any>;
  [key: string]: unknown;
};

/** i18n key under which the header finds the page's title (see below). */
const TITLE_KEY = 'aiUsagePageTitle';

/**
 * AdminJS's action header with a title that says what the page shows (it replaces "List", "Show"):
 * the resource's name on its list, the record's title on its page, and the action with it elsewhere.
 * The browser tab shows the same. The original header translates its title as an action label, so
 * the title is registered as that resource's translation of TITLE_KEY.
 */
const ActionHeader: React.FC<Props> = (props) => {
  const { OriginalComponent, resource, record, action } = props;
  const { i18n, translateLabel, translateAction } = useTranslation();
  const resourceName = translateLabel(resource.name, resource.id);
  const actionName = translateAction(action.label, resource.id);
  let title: string;
  if (action.name === 'list') title = resourceName;
  else if (action.name === 'show' && record?.title) title = `${resourceName}: ${record.title}`;
  else if (record?.title) title = `${actionName}: ${record.title}`;
  else title = `${resourceName}: ${actionName}`;
  useEffect(() => {
    document.title = title;
  }, [title]);
  // One key per action: the list's header and a drawer's over it (Stats, Export) show at the same time.
  const key = `${TITLE_KEY}_${action.name}`;
  i18n.addResource(i18n.language, 'translation', `resources.${resource.id}.actions.${key}`, title.replace(/\{\{|\}\}/g, ''));
  return <OriginalComponent {...props} action={{ ...action, label: key }} />;
};

export default ActionHeader;
