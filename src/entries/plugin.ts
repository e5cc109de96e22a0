export * from '../plugin.js';
export * from '../plugin-routes.js';
