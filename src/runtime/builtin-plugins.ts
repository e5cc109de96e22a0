import type { Plugin } from '../plugin.js';

/** The feature plugins `npm start` serves, in registration order. */
export const BUILTIN_PLUGINS: readonly Plugin[] = [];
