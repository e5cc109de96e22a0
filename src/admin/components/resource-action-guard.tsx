import { ResourceActionGuard } from './action-guard.js';

export default ResourceActionGuard;
