export * from './rule.js';
export * from './rule-store.js';
export * from './rules-file.js';
export * from './window.js';
export * from './metrics.js';
export * from './crossing-state.js';
export * from './evaluate.js';
export * from './models.js';
