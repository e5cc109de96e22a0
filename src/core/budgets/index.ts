export { createBudgetGate, type BudgetCall, type BudgetGate, type BudgetGateOptions, type BudgetLogger, type Reservation } from './budget-gate.js';
export { DEFAULT_BUDGET_CONFIG, loadBudgetConfig, type BudgetConfig } from './config.js';
export { budgetStatuses, budgetsOfUser, type BudgetStatus, type BudgetStatusOptions } from './status.js';
export { sweepExpiredHolds, type SweepResult } from './sweeper.js';
export { worstCase, type CallBounds, type WorstCase } from './worst-case.js';
export { BUDGET_REFUSAL_KIND, BUDGET_UNAVAILABLE_KIND, refusalMetadata } from './refusal.js';
