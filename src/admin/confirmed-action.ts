import { NotFoundError, type Action, type ActionContext, type BaseRecord, type ComponentLoader, type NoticeMessage, type ActionResponse } from 'adminjs';
import { fileURLToPath } from 'node:url';

export const CONFIRM_ACTION_COMPONENT = 'AiUsageConfirmAction';

export interface ConfirmedRecordActionOptions {
  /** The question the confirmation page asks, e.g. "Revoke this token?". */
  confirm: string;
  /** Does the change; runs only on POST. Its notice is shown, then the record's page. */
  run(record: BaseRecord, context: ActionContext): Promise<NoticeMessage>;
  icon?: string;
  variant?: 'danger' | 'primary';
  /** As AdminJS's own: when the action is offered and allowed (e.g. not on an already revoked token). */
  isVisible?: Action<ActionResponse>['isVisible'];
  isAccessible?: Action<ActionResponse>['isAccessible'];
}

/**
 * A record action that changes state only on POST: opening it (GET, e.g. a link followed from
 * another site) shows a confirmation page, whose button sends the POST, from the panel's own
 * origin. Use it for every custom action that writes; AdminJS calls `component: false` actions by GET.
 */
export function confirmedRecordAction(componentLoader: ComponentLoader, options: ConfirmedRecordActionOptions): Partial<Action<ActionResponse>> {
  const component = componentLoader.add(CONFIRM_ACTION_COMPONENT, fileURLToPath(new URL('./components/confirm-action', import.meta.url)));
  return {
    actionType: 'record',
    icon: options.icon,
    variant: options.variant,
    ...(options.isVisible !== undefined && { isVisible: options.isVisible }),
    ...(options.isAccessible !== undefined && { isAccessible: options.isAccessible }),
    component,
    custom: { confirm: options.confirm },
    handler: async (request, _response, context) => {
      const { record, resource, currentAdmin, h } = context;
      if (!record) throw new NotFoundError('record not found', 'confirmedRecordAction');
      if (request.method !== 'post') return { record: record.toJSON(currentAdmin) };
      const notice = await options.run(record, context);
      const fresh = (await resource.findOne(String(record.id()), context)) ?? record;
      return { record: fresh.toJSON(currentAdmin), notice, redirectUrl: h.recordActionUrl({ resourceId: resource.id(), recordId: String(record.id()), actionName: 'show' }) };
    },
  };
}
