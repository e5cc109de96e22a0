import { ValidationError, type ActionRequest } from 'adminjs';
import { AlertRuleError, validateAlertRule } from '../../core/alerts/index.js';

/** The panel property that shows each rule field's error. */
const PROPERTY_OF_FIELD: Record<string, string> = {
  name: 'name',
  metric: 'metric',
  window: 'window',
  threshold: 'threshold',
  'scope.user': 'scopeUserEmail',
  'scope.section': 'scopeSection',
  'scope.model': 'scopeModel',
  'spike.factor': 'spikeFactor',
  'webhook.url': 'webhookUrl',
  'webhook.secret': 'webhookSecret',
};

const blank = (value: unknown) => value === undefined || value === null || value === '';
const numberOrRaw = (value: unknown) => (blank(value) ? undefined : Number.isFinite(Number(value)) ? Number(value) : value);

/** Recipients typed one per line or separated by commas. */
export function splitRecipients(value: unknown): string[] {
  return typeof value === 'string' ? value.split(/[\s,;]+/).map((a) => a.trim()).filter(Boolean) : [];
}

/**
 * The panel edits the file's fields: the form's payload is checked by the same validateAlertRule
 * as the rules file, and an error is shown on the property it concerns.
 */
export function validateRulePayload(knownSections: ReadonlySet<string>) {
  return async (request: ActionRequest): Promise<ActionRequest> => {
    if (request.method !== 'post' || !request.payload) return request;
    const p = request.payload as Record<string, unknown>;
    const recipients = splitRecipients(p.recipients);
    const input = {
      name: p.name,
      metric: p.metric,
      window: p.window,
      threshold: numberOrRaw(p.threshold) ?? null,
      scope: { user: p.scopeUserEmail || undefined, section: p.scopeSection || undefined, model: p.scopeModel || undefined },
      spike: blank(p.spikeFactor) ? undefined : { vs: '7d_average', factor: numberOrRaw(p.spikeFactor) },
      webhook: blank(p.webhookUrl) && blank(p.webhookSecret) ? undefined : { url: p.webhookUrl ?? '', secret: p.webhookSecret ?? '' },
      email: recipients.length ? recipients : undefined,
    };
    let rule;
    try {
      rule = validateAlertRule(input, { knownSections });
    } catch (error) {
      if (!(error instanceof AlertRuleError)) throw error;
      const property = PROPERTY_OF_FIELD[error.field] ?? (error.field.startsWith('email') ? 'recipients' : error.field.startsWith('spike') ? 'spikeFactor' : 'name');
      throw new ValidationError({ [property]: { message: error.message } }, { message: error.message });
    }
    const payload: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(p)) if (!key.startsWith('emailRecipients') && key !== 'recipients') payload[key] = value;
    Object.assign(payload, {
      name: rule.name,
      metric: rule.metric,
      window: rule.window,
      threshold: rule.threshold,
      scopeUserEmail: rule.scope.user ?? null,
      scopeSection: rule.scope.section ?? null,
      scopeModel: rule.scope.model ?? null,
      spikeVs: rule.spike ? rule.spike.vs : null,
      spikeFactor: rule.spike?.factor ?? null,
      webhookUrl: rule.webhook?.url ?? null,
      webhookSecret: rule.webhook?.secret ?? null,
      emailRecipients: rule.email ?? [],
      source: 'panel',
    });
    return { ...request, payload };
  };
}
