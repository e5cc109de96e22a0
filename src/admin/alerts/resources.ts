import type { ActionContext, ActionRequest, ActionResponse, ResourceWithOptions } from 'adminjs';
import { QueryTypes } from 'sequelize';
import { describeScope, alertLogQuery } from '../../alerts/alert-message.js';
import { ALERT_METRICS, ALERT_WINDOWS, defineAlertModels, type AlertScope } from '../../core/alerts/index.js';
import { ADMIN_ROLE } from '../access.js';
import type { AdminContext } from '../resources/context.js';
import { SafeSequelizeResource } from '../safe-resource.js';
import type { AlertComponents } from './components.js';
import { validateRulePayload } from './rule-payload.js';

export const ALERT_RULES_ID = 'ai_usage_alert_rules';
export const ALERTS_ID = 'ai_usage_alerts';

const adminsOnly = ({ currentAdmin }: ActionContext) => currentAdmin?.role === ADMIN_ROLE;
const choices = (values: readonly string[]) => values.map((value) => ({ value, label: value }));

type Params = Record<string, unknown>;

/** Recipients as one line for list and show (the column is an array, flattened by AdminJS). */
function withRecipients(params: Params): void {
  const list = Object.keys(params).filter((k) => k.startsWith('emailRecipients.')).sort().map((k) => params[k]);
  params.recipients = list.join(', ');
}

function afterRuleRead(response: ActionResponse): ActionResponse {
  for (const record of [response.record, ...(response.records ?? [])]) if (record?.params) withRecipients(record.params);
  return response;
}

/** Alert rules: the same fields as AI_USAGE_ALERT_RULES_FILE, checked by the same validation; admins only (webhook secrets). */
function alertRulesResource(context: AdminContext, models: ReturnType<typeof defineAlertModels>): ResourceWithOptions {
  const validate = validateRulePayload(new Set(context.sections.list().map((s) => s.id)));
  const sectionChoices = context.sections.list().map((s) => ({ value: s.id, label: s.label ?? s.id }));
  return {
    resource: new SafeSequelizeResource(models.AlertRule, { exact: ['metric', 'window', 'scopeSection', 'source'] }),
    options: {
      id: ALERT_RULES_ID,
      navigation: { name: 'Alerts and reports', icon: 'Bell' },
      listProperties: ['name', 'metric', 'window', 'threshold', 'scopeUserEmail', 'scopeSection', 'scopeModel', 'enabled', 'source'],
      showProperties: ['name', 'metric', 'window', 'threshold', 'scopeUserEmail', 'scopeSection', 'scopeModel', 'spikeFactor', 'webhookUrl', 'recipients', 'enabled', 'source', 'updatedAt'],
      editProperties: ['name', 'metric', 'window', 'threshold', 'scopeUserEmail', 'scopeSection', 'scopeModel', 'spikeFactor', 'webhookUrl', 'webhookSecret', 'recipients', 'enabled'],
      filterProperties: ['name', 'metric', 'window', 'scopeSection', 'enabled', 'source'],
      translations: {
        en: {
          properties: {
            scopeUserEmail: 'Scope: user email',
            scopeSection: 'Scope: section',
            scopeModel: 'Scope: model',
            spikeFactor: 'Spike factor (× 7-day average)',
            webhookUrl: 'Webhook URL',
            webhookSecret: 'Webhook secret (signs each delivery)',
            recipients: 'Email recipients',
          },
        },
      },
      properties: {
        metric: { availableValues: choices(ALERT_METRICS), description: 'error_rate is a fraction: 0.05 = 5 %' },
        window: { availableValues: choices(ALERT_WINDOWS), description: 'period: the scope user’s subscription period, or the calendar month (UTC)' },
        threshold: { type: 'number', description: 'Fires when the value goes above this; again only after it came back to or below it' },
        scopeSection: { availableValues: sectionChoices },
        spikeFactor: { type: 'number', description: 'Optional: also require the value above this many times its 7-day average' },
        webhookSecret: { isVisible: { list: false, show: false, filter: false, edit: true } },
        recipients: { type: 'textarea', isVisible: { list: false, show: true, filter: false, edit: true }, description: 'One address per line, or separated by commas' },
        emailRecipients: { isVisible: false },
        spikeVs: { isVisible: false },
        source: { isVisible: { list: true, show: true, filter: true, edit: false }, description: 'file: from AI_USAGE_ALERT_RULES_FILE, replaced at every start' },
        createdAt: { isVisible: false },
        updatedAt: { isVisible: { list: false, show: true, filter: false, edit: false } },
      },
      actions: {
        list: { isAccessible: adminsOnly, after: afterRuleRead },
        show: { isAccessible: adminsOnly, after: afterRuleRead },
        search: { isAccessible: adminsOnly },
        new: { isAccessible: adminsOnly, before: validate },
        edit: { isAccessible: adminsOnly, before: validate, after: afterRuleRead },
        delete: { isAccessible: adminsOnly },
        bulkDelete: { isAccessible: adminsOnly },
      },
    },
  };
}

interface DeliveryRow {
  alert_id: string;
  channel: string;
  status: string;
  attempts: number;
  last_error: string | null;
}

/** Inbox rows: scope in words, the filtered log's query, and each delivery's outcome. */
async function decorateAlerts(context: AdminContext, response: ActionResponse): Promise<ActionResponse> {
  const records = [response.record, ...(response.records ?? [])].filter((r) => r?.params);
  if (records.length === 0) return response;
  const deliveries = await context.sequelize.query<DeliveryRow>(
    'SELECT alert_id::text, channel, status, attempts, last_error FROM ai_usage_alert_deliveries WHERE alert_id = ANY($1::bigint[]) ORDER BY channel',
    { bind: [records.map((r) => String(r.params.id))], type: QueryTypes.SELECT },
  );
  for (const record of records) {
    const p = record.params;
    const scope: AlertScope = {};
    for (const key of ['user', 'section', 'model'] as const) if (p[`scope.${key}`]) scope[key] = String(p[`scope.${key}`]);
    p.scopeText = describeScope(scope);
    p.logQuery = await alertLogQuery(context.sequelize, { metric: String(p.metric), scope, window_start: new Date(String(p.windowStart)), window_end: new Date(String(p.windowEnd)) });
    p.deliveries = deliveries
      .filter((d) => d.alert_id === String(p.id))
      .map((d) => `${d.channel}: ${d.status}${d.attempts > 1 ? ` after ${d.attempts} attempts` : ''}${d.last_error && d.status !== 'delivered' ? ` (${d.last_error})` : ''}`)
      .join('; ') || 'in-panel only';
  }
  return response;
}

/** The alert inbox: every triggered alert, newest first, with a link to its requests and Acknowledge. */
function alertsResource(context: AdminContext, models: ReturnType<typeof defineAlertModels>, components: AlertComponents): ResourceWithOptions {
  const decorate = (response: ActionResponse) => decorateAlerts(context, response);
  return {
    resource: new SafeSequelizeResource(models.Alert, { exact: ['metric', 'window', 'ruleName'], readOnly: true }),
    options: {
      id: ALERTS_ID,
      navigation: { name: 'Alerts and reports', icon: 'Bell' },
      sort: { sortBy: 'triggeredAt', direction: 'desc' },
      listProperties: ['triggeredAt', 'ruleName', 'metric', 'window', 'scopeText', 'value', 'threshold', 'status', 'logQuery'],
      showProperties: ['triggeredAt', 'ruleName', 'metric', 'window', 'scopeText', 'value', 'threshold', 'baseline', 'windowStart', 'windowEnd', 'status', 'recoveredAt', 'acknowledgedAt', 'acknowledgedBy', 'deliveries', 'logQuery'],
      filterProperties: ['ruleName', 'metric', 'window', 'triggeredAt', 'acknowledgedAt'],
      translations: {
        en: {
          labels: { [ALERTS_ID]: 'Alert inbox' },
          properties: { scopeText: 'Scope', logQuery: 'Requests', baseline: '7-day baseline', status: 'Status', deliveries: 'Deliveries' },
          actions: { acknowledge: 'Acknowledge' },
        },
      },
      properties: {
        // The title column is the one AdminJS keeps on narrow screens.
        ruleName: { isTitle: true },
        scopeText: { type: 'string', isSortable: false },
        logQuery: { type: 'string', isSortable: false, components: { list: components.AlertLogLink, show: components.AlertLogLink } },
        status: { type: 'string', isSortable: false, components: { list: components.AlertStatus, show: components.AlertStatus } },
        deliveries: { type: 'textarea', isSortable: false },
        scope: { isVisible: false },
        windowKey: { isVisible: false },
        crossing: { isVisible: false },
        ruleId: { isVisible: false },
        value: { type: 'number' },
        threshold: { type: 'number' },
      },
      actions: {
        new: { isAccessible: false, isVisible: false },
        edit: { isAccessible: false, isVisible: false },
        delete: { isAccessible: false, isVisible: false },
        bulkDelete: { isAccessible: false, isVisible: false },
        list: { after: decorate },
        show: { after: decorate },
        acknowledge: {
          actionType: 'record',
          icon: 'Check',
          component: components.AcknowledgeAlert,
          isVisible: ({ record }) => !record?.params?.acknowledgedAt,
          // A state change only on POST (the button); a GET just shows the alert.
          handler: async (request: ActionRequest, _response, { record, currentAdmin, h, resource }) => {
            if (!record) return {};
            if (request.method === 'post') {
              await context.sequelize.query('UPDATE ai_usage_alerts SET acknowledged_at = now(), acknowledged_by = $2 WHERE id = $1 AND acknowledged_at IS NULL', {
                bind: [String(record.id()), currentAdmin?.email ?? 'admin'],
              });
              const fresh = (await resource.findOne(String(record.id()))) ?? record;
              return {
                record: fresh.toJSON(currentAdmin),
                notice: { message: 'Alert acknowledged', type: 'success' },
                redirectUrl: h.resourceUrl({ resourceId: ALERTS_ID }),
              };
            }
            return decorate({ record: record.toJSON(currentAdmin) });
          },
        },
      },
    },
  };
}

/** The alert rules and the inbox, on the panel's loader and models. */
export function alertResources(context: AdminContext, components: AlertComponents): ResourceWithOptions[] {
  const models = defineAlertModels(context.sequelize);
  return [alertsResource(context, models, components), alertRulesResource(context, models)];
}
