import type { Sequelize } from 'sequelize';
import { withSessionAdvisoryLock } from '../core/advisory-lock.js';

/** The advisory lock key app instances take while they set a database up (any fixed bigint). */
const STARTUP_LOCK_KEY = 7150431002871934209n;

/**
 * Runs `work` holding the startup lock on the ledger's database: app instances started together on
 * one database (a rolling deploy, an autoscaler) then migrate, upsert their catalogues and schedule
 * their jobs one after another, instead of racing to create the same tables or deadlock on the same
 * rows (migrations alone take a lock of their own too, for `npm run db:migrate`: always after this one).
 */
export function withStartupLock<T>(sequelize: Sequelize, work: () => Promise<T>): Promise<T> {
  return withSessionAdvisoryLock(sequelize, STARTUP_LOCK_KEY, work);
}
