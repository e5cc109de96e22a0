import type { Sequelize } from 'sequelize';
import { sweepExpiredHolds } from '../core/budgets/sweeper.js';
import type { RunningJobQueue } from './job-queue.js';

export const BUDGET_SWEEPER_QUEUE = 'ai-usage-budget-sweeper';
/** Every minute: pg-boss schedules have minute resolution. */
export const BUDGET_SWEEPER_CRON = '* * * * *';

/** Registers the sweeper of expired budget holds and schedules it (one schedule shared by every instance). */
export async function scheduleBudgetSweeper(jobs: RunningJobQueue, sequelize: Sequelize): Promise<void> {
  await jobs.register({ name: BUDGET_SWEEPER_QUEUE, retryLimit: 0, handler: () => sweepExpiredHolds(sequelize) });
  await jobs.schedule(BUDGET_SWEEPER_QUEUE, BUDGET_SWEEPER_CRON);
}
