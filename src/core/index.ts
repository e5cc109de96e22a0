export * from './errors.js';
export * from './sections.js';
export * from './pricing.js';
export * from './event.js';
export * from './tracker.js';
export * from './database.js';
export * from './migrator.js';
export * from './models/index.js';
