export * from '../mount/index.js';
export { createApp, type App, type CreateAppOptions } from '../app.js';
export { loadConfig, type AppConfig } from '../config.js';
export type { ApiUser } from '../http/api-auth.js';
