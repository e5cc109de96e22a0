import type { ComponentLoader } from 'adminjs';
import { fileURLToPath } from 'node:url';

const file = (name: string) => fileURLToPath(new URL(`./components/${name}`, import.meta.url));

/** The alert inbox's and cost report's components, registered on the panel's loader. */
export function registerAlertComponents(loader: ComponentLoader) {
  return {
    AlertLogLink: loader.add('AiUsageAlertLogLink', file('alert-log-link')),
    AlertStatus: loader.add('AiUsageAlertStatus', file('alert-status')),
    AcknowledgeAlert: loader.add('AiUsageAcknowledgeAlert', file('acknowledge-alert')),
    CostReport: loader.add('AiUsageCostReport', file('cost-report')),
  };
}

export type AlertComponents = ReturnType<typeof registerAlertComponents>;
