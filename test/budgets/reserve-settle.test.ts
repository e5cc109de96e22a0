import { randomUUID } from 'node:crypto';
import { QueryTypes } from 'sequelize';
import { BudgetExceededError, budgetStatuses, budgetsOfUser, createBudgetGate, createTracker, sweepExpiredHolds, type BudgetGate, type Tracker } from '../../src/core/index.js';
import { DEFAULT_BUDGET_CONFIG } from '../../src/core/budgets/config.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { insertUser } from '../support/fixtures.js';
import { brokenInvariants, insertBudget, usageOf } from './support.js';

let db: TestDatabase;
let tracker: Tracker;
let gate: BudgetGate;
let userId: number;
let otherUser: number;
const warnings: string[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  tracker = createTracker({ sequelize: db.sequelize, logger: { warn: () => {}, error: () => {} } });
  gate = createBudgetGate({ sequelize: db.sequelize, logger: { warn: (message) => warnings.push(message) } });
  userId = await insertUser(db.sequelize);
  otherUser = await insertUser(db.sequelize);
});
afterAll(() => db.drop());
// Each test starts from an empty ledger: a new budget counts its period's spend so far.
beforeEach(async () => {
  await db.sequelize.query('DELETE FROM ai_budgets WHERE subscription_id IS NULL');
  await db.sequelize.query('TRUNCATE ai_usage_logs, ai_usage_tracking, ai_budget_holds, ai_budget_usage');
});
afterEach(async () => expect(await brokenInvariants(db.sequelize)).toEqual([]));

const call = (over: Partial<Parameters<BudgetGate['reserve']>[0]> = {}) => ({
  eventId: randomUUID(),
  userId,
  section: 'chat',
  modelName: 'gemini-2.5-flash',
  at: new Date(),
  hold: { usd: '0.010000000000', tokens: 1000 },
  ...over,
});

/** The ledger row of a reserved call: same id and created_at, its real cost. */
const settle = (c: ReturnType<typeof call>, tokens = { promptTokens: 100, completionTokens: 200 }) =>
  tracker.track({ id: c.eventId, userId: c.userId, section: c.section, modelName: c.modelName, createdAt: c.at, responseTimeMs: 10, ...tokens });

const holdCount = async () => (await db.sequelize.query<{ n: number }>('SELECT count(*)::int AS n FROM ai_budget_holds', { type: QueryTypes.SELECT }))[0]!.n;

describe('scopes', () => {
  it('reserves on and settles into exactly the budgets whose scope matches the call', async () => {
    const everything = await insertBudget(db.sequelize, { limitUsd: '10' });
    const mine = await insertBudget(db.sequelize, { userId, limitUsd: '10' });
    const others = await insertBudget(db.sequelize, { userId: otherUser, limitUsd: '10' });
    const chat = await insertBudget(db.sequelize, { section: 'chat', limitTokens: 100_000 });
    const qa = await insertBudget(db.sequelize, { section: 'knowledge_qa', limitUsd: '10' });
    const flash = await insertBudget(db.sequelize, { modelName: 'gemini-2.5-flash', limitUsd: '10', period: 'month' });
    const pro = await insertBudget(db.sequelize, { modelName: 'gemini-2.5-pro', limitUsd: '10' });
    const mineInChat = await insertBudget(db.sequelize, { userId, section: 'chat', modelName: 'gemini-2.5-flash', limitUsd: '10' });
    const mineInQa = await insertBudget(db.sequelize, { userId, section: 'knowledge_qa', limitUsd: '10' });

    const c = call();
    const reservation = await gate.reserve(c);
    expect(reservation.held).toBe(5);
    const held = await db.sequelize.query<{ budget_id: number }>('SELECT budget_id FROM ai_budget_holds WHERE event_id = $1 ORDER BY budget_id', { bind: [c.eventId], type: QueryTypes.SELECT });
    expect(held.map((h) => h.budget_id)).toEqual([everything, mine, chat, flash, mineInChat]);

    const result = await settle(c);
    expect(await holdCount()).toBe(0);
    for (const id of [everything, mine, chat, flash, mineInChat]) {
      expect(await usageOf(db.sequelize, id)).toEqual([expect.objectContaining({ used_usd: result.costUsd, used_tokens: '300', reserved_usd: '0.000000000000', reserved_tokens: '0' })]);
    }
    for (const id of [others, qa, pro, mineInQa]) {
      expect(await usageOf(db.sequelize, id)).toEqual([expect.objectContaining({ used_usd: '0', used_tokens: '0' })]);
    }
  });

  it('a system call (no user) counts only on budgets without a user', async () => {
    const everything = await insertBudget(db.sequelize, { limitTokens: 10_000 });
    const mine = await insertBudget(db.sequelize, { userId, limitTokens: 10_000 });
    const c = call({ userId: null });
    expect((await gate.reserve(c)).held).toBe(1);
    await settle(c);
    expect((await usageOf(db.sequelize, everything))[0]).toMatchObject({ used_tokens: '300' });
    expect((await usageOf(db.sequelize, mine))[0]).toMatchObject({ used_tokens: '0' });
  });
});

describe('refusal', () => {
  it('refuses a call whose worst case does not fit, holding nothing anywhere, and says why', async () => {
    const roomy = await insertBudget(db.sequelize, { limitUsd: '100' });
    const small = await insertBudget(db.sequelize, { userId, name: 'small', limitUsd: '0.015' });
    const first = call();
    await gate.reserve(first);
    const second = call();
    const refused = await gate.reserve(second).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(BudgetExceededError);
    const error = refused as BudgetExceededError;
    expect(error.code).toBe('BUDGET_EXCEEDED');
    expect(error.budget).toEqual({ id: small, name: 'small' });
    expect(error.limit).toEqual({ usd: '0.015', tokens: null });
    expect(error.used.usd).toBe('0');
    expect(error.reserved.usd).toBe('0.010000000000');
    expect(error.resetsAt.getTime()).toBe(Date.UTC(first.at.getUTCFullYear(), first.at.getUTCMonth(), first.at.getUTCDate() + 1));
    // Nothing held for the refused call, not even on the budget it would have fitted.
    expect((await usageOf(db.sequelize, roomy))[0]).toMatchObject({ reserved_usd: '0.010000000000' });
    await settle(first);
    // The first call really cost less than its hold: the room is back for the second.
    await gate.reserve(second);
    await settle(second);
  });

  it('refuses a call to an unpriced model on a USD budget, but not on a token budget', async () => {
    await insertBudget(db.sequelize, { section: 'chat', limitTokens: 1_000_000 });
    const unpricedOk = call({ modelName: 'gemini-unknown-9', hold: { usd: null, tokens: 500 } });
    await gate.reserve(unpricedOk);
    await tracker.track({ id: unpricedOk.eventId, userId, section: 'chat', modelName: 'gemini-unknown-9', createdAt: unpricedOk.at, responseTimeMs: 1, promptTokens: 5 });
    await insertBudget(db.sequelize, { limitUsd: '5' });
    const error = (await gate.reserve(call({ modelName: 'gemini-unknown-9', hold: { usd: null, tokens: 500 } })).catch((e: unknown) => e)) as BudgetExceededError;
    expect(error).toBeInstanceOf(BudgetExceededError);
    expect(error.refusal.reason).toBe('unpriced');
  });

  it('a token limit refuses like a USD one', async () => {
    await insertBudget(db.sequelize, { userId, limitTokens: 1500 });
    const c = call();
    await gate.reserve(c);
    await expect(gate.reserve(call())).rejects.toBeInstanceOf(BudgetExceededError);
    await settle(c);
    await gate.reserve(call()).then(() => db.sequelize.query('DELETE FROM ai_budget_holds'));
    await db.sequelize.query('UPDATE ai_budget_usage SET reserved_usd = 0, reserved_tokens = 0');
  });
});

describe('warn mode', () => {
  it('lets a call over the limit through, holds it, and warns', async () => {
    const warn = await insertBudget(db.sequelize, { userId, name: 'soft', limitUsd: '0.001', mode: 'warn' });
    const c = call();
    const reservation = await gate.reserve(c);
    expect(reservation.overWarnings).toEqual([expect.objectContaining({ budgetId: warn, budgetName: 'soft' })]);
    expect(warnings.at(-1)).toMatch(/\[BUDGET_WARNING\] budget "soft"/);
    expect((await usageOf(db.sequelize, warn))[0]).toMatchObject({ reserved_usd: '0.010000000000' });
    await settle(c);
    const [status] = await budgetStatuses(db.sequelize, { budgetIds: [warn] });
    expect(status).toMatchObject({ mode: 'warn', reservedUsd: '0.000000000000' });
  });
});

describe('periods', () => {
  it('a call reserved in one period and settled in the next is charged to the period it was reserved in', async () => {
    const daily = await insertBudget(db.sequelize, { userId, limitUsd: '10' });
    const today = new Date();
    const lastMomentOfYesterday = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()) - 1);
    const c = call({ at: lastMomentOfYesterday });
    await gate.reserve(c);
    const [held] = await usageOf(db.sequelize, daily);
    expect(held!.period_start.getTime()).toBe(lastMomentOfYesterday.getTime() + 1 - 86_400_000);
    // Settled now, in the next day: the ledger row keeps the call's created_at, and so does the budget.
    const result = await settle(c);
    const [yesterday, nextDay] = await usageOf(db.sequelize, daily);
    expect(yesterday).toMatchObject({ used_usd: result.costUsd, reserved_usd: '0.000000000000' });
    expect(nextDay).toMatchObject({ used_usd: '0', reserved_usd: '0' });
    const [status] = await budgetStatuses(db.sequelize, { budgetIds: [daily] });
    expect(status).toMatchObject({ usedUsd: '0', periodStart: new Date(lastMomentOfYesterday.getTime() + 1) });
  });

  it('a subscription quota is an enforced token budget of its period, and follows token_quota', async () => {
    const start = new Date(Date.now() - 86_400_000);
    const end = new Date(Date.now() + 86_400_000);
    const [sub] = await db.sequelize.query<{ id: number }>(
      `INSERT INTO subscriptions (user_id, plan, token_quota, period_start, period_end) VALUES ($1, 'starter', 1200, $2, $3) RETURNING id`,
      { bind: [otherUser, start, end], type: QueryTypes.SELECT },
    );
    const c = call({ userId: otherUser });
    await gate.reserve(c);
    await expect(gate.reserve(call({ userId: otherUser }))).rejects.toThrow(/Token quota: starter/);
    await settle(c);
    const [quota] = (await budgetsOfUser(db.sequelize, otherUser)).filter((b) => b.subscriptionId === sub!.id);
    expect(quota).toMatchObject({ mode: 'enforce', limitTokens: '1200', usedTokens: '300', reservedTokens: '0', periodStart: start, resetsAt: end, shared: false });
    await db.sequelize.query(`UPDATE subscriptions SET quota_mode = 'off' WHERE id = $1`, { bind: [sub!.id] });
    const free = call({ userId: otherUser, hold: { usd: '0.01', tokens: 5000 } });
    expect((await gate.reserve(free)).held).toBe(0);
    await settle(free);
    await db.sequelize.query(`UPDATE subscriptions SET quota_mode = NULL, token_quota = 100000 WHERE id = $1`, { bind: [sub!.id] });
    const [raised] = await budgetStatuses(db.sequelize, { budgetIds: [quota!.budgetId] });
    expect(raised).toMatchObject({ limitTokens: '100000', usedTokens: '600' });
    const gateWarn = createBudgetGate({ sequelize: db.sequelize, config: { ...DEFAULT_BUDGET_CONFIG, quotaMode: 'warn' }, logger: { warn: () => {} } });
    await db.sequelize.query(`UPDATE subscriptions SET token_quota = 10 WHERE id = $1`, { bind: [sub!.id] });
    const over = call({ userId: otherUser });
    expect((await gateWarn.reserve(over)).overWarnings).toHaveLength(1);
    await settle(over);
  });

  it('a budget created mid-period counts the period so far', async () => {
    const c = call({ userId: otherUser, section: 'prompt_generation' });
    const result = await settle(c);
    const late = await insertBudget(db.sequelize, { section: 'prompt_generation', limitUsd: '1' });
    expect((await usageOf(db.sequelize, late))[0]).toMatchObject({ used_usd: result.costUsd, used_tokens: '300' });
  });
});

describe('holds', () => {
  it('a replayed event settles nothing twice', async () => {
    const budget = await insertBudget(db.sequelize, { userId, limitUsd: '10' });
    const c = call();
    await gate.reserve(c);
    const first = await settle(c);
    expect((await settle(c)).status).toBe('duplicate');
    expect((await usageOf(db.sequelize, budget))[0]).toMatchObject({ used_usd: first.costUsd, used_tokens: '300' });
  });

  it('release gives back the holds of a call that will never be recorded', async () => {
    const budget = await insertBudget(db.sequelize, { userId, limitUsd: '10' });
    const c = call();
    await gate.reserve(c);
    await gate.release(c.eventId);
    expect((await usageOf(db.sequelize, budget))[0]).toMatchObject({ reserved_usd: '0.000000000000', reserved_tokens: '0' });
    expect(await holdCount()).toBe(0);
  });

  it('the sweeper frees expired holds and leaves live ones', async () => {
    const budget = await insertBudget(db.sequelize, { userId, limitUsd: '10' });
    const shortLived = createBudgetGate({ sequelize: db.sequelize, config: { ...DEFAULT_BUDGET_CONFIG, holdTtlSeconds: 0.001 } });
    const dead = call();
    await shortLived.reserve(dead);
    const live = call();
    await gate.reserve(live);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await sweepExpiredHolds(db.sequelize)).toEqual({ counters: 1, releasedUsd: '0.010000000000', releasedTokens: '1000' });
    expect((await usageOf(db.sequelize, budget))[0]).toMatchObject({ reserved_usd: '0.010000000000', reserved_tokens: '1000' });
    // The dead call's row arrives after all (a replay from the spool): it is charged, nothing released twice.
    await settle(dead);
    await settle(live);
    expect((await usageOf(db.sequelize, budget))[0]).toMatchObject({ reserved_usd: '0.000000000000', used_tokens: '600' });
  });
});

describe('concurrency', () => {
  it('never lets concurrent reserves overshoot, and counters equal the settled ledger', async () => {
    const budget = await insertBudget(db.sequelize, { userId, limitUsd: '0.05' });
    const other = await insertBudget(db.sequelize, { section: 'chat', limitTokens: 10_000_000 });
    // Waiting for a pooled connection on a loaded machine is not an outage here.
    const many = createBudgetGate({ sequelize: db.sequelize, config: { ...DEFAULT_BUDGET_CONFIG, timeoutMs: 120_000 } });
    const outcomes = await Promise.all(
      Array.from({ length: 40 }, async () => {
        const c = call({ hold: { usd: '0.004000000000', tokens: 400 } });
        try {
          await many.reserve(c);
        } catch (error) {
          if (error instanceof BudgetExceededError) return 'refused';
          throw error;
        }
        await settle(c, { promptTokens: 50, completionTokens: 100 });
        return 'made';
      }),
    );
    const made = outcomes.filter((o) => o === 'made').length;
    expect(made).toBeGreaterThanOrEqual(12);
    const [status] = await budgetStatuses(db.sequelize, { budgetIds: [budget] });
    expect(Number(status!.usedUsd)).toBeLessThanOrEqual(0.05);
    expect(status!.reservedUsd).toBe('0.000000000000');
    expect((await usageOf(db.sequelize, other))[0]).toMatchObject({ used_tokens: String(made * 150) });
  });
});

describe('PostgreSQL unreachable', () => {
  it('fail-closed refuses a call an enforced budget may cover, lets others through; fail-open lets all through unreserved', async () => {
    await insertBudget(db.sequelize, { userId, limitUsd: '10' });
    const { BudgetUnavailableError } = await import('../../src/core/errors.js');
    const down = () => true;
    // Scopes never read: any call may be covered.
    const blind = createBudgetGate({ sequelize: db.sequelize, outage: down, logger: { warn: () => {} } });
    await expect(blind.reserve(call())).rejects.toBeInstanceOf(BudgetUnavailableError);
    // Scopes read while the database was up: only the covered user's calls are refused.
    let outage = false;
    const flaky = createBudgetGate({ sequelize: db.sequelize, outage: () => outage, logger: { warn: () => {} } });
    const before = call();
    await flaky.reserve(before);
    await settle(before);
    for (let i = 0; i < 50; i++) await new Promise((resolve) => setTimeout(resolve, 10)); // the scopes read in the background
    outage = true;
    await expect(flaky.reserve(call())).rejects.toBeInstanceOf(BudgetUnavailableError);
    // A user with no budget of their own (nor a subscription quota).
    const uncovered = await insertUser(db.sequelize);
    expect(await flaky.reserve(call({ userId: uncovered }))).toMatchObject({ held: 0, unreserved: expect.stringMatching(/no enforced budget covers/) });
    const open = createBudgetGate({ sequelize: db.sequelize, outage: down, config: { ...DEFAULT_BUDGET_CONFIG, failMode: 'open' }, logger: { warn: () => {} } });
    expect(await open.reserve(call())).toMatchObject({ held: 0, unreserved: expect.stringMatching(/AI_USAGE_BUDGET_FAIL_MODE=open/) });
  });
});
