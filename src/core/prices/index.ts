export * from './types.js';
export * from './money.js';
export * from './cost.js';
export * from './snapshot.js';
export * from './catalog.js';
export * from './validate.js';
export * from './store.js';
export * from './reprice.js';
