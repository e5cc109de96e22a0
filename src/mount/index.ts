export { createAiUsage } from './create-ai-usage.js';
export { mountAiUsage, type MountAiUsageOptions, type MountedAiUsage } from './mount-ai-usage.js';
export type { PanelOptions } from './panel.js';
export type { AiUsage, AiUsageAdminParts, AiUsageOptions, ApiRouterOptions, AppLogger, PanelAuthenticate } from './types.js';
