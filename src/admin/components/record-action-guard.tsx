import { RecordActionGuard } from './action-guard.js';

export default RecordActionGuard;
