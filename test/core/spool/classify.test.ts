import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { createSequelize, createTracker, InvalidEventError, UnknownUserError, type Tracker } from '../../../src/core/index.js';
import { transientFailureReason } from '../../../src/core/spool/index.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';
import { insertUser } from '../../support/fixtures.js';
import { closedPort, fakeDatabaseServer, recordingLogger, sampleEvent } from './support.js';

let db: TestDatabase;
let tracker: Tracker;
beforeAll(async () => {
  db = await createTestDatabase({ poolMax: 4 });
  tracker = createTracker({ sequelize: db.sequelize, logger: recordingLogger() });
});
afterAll(() => db.drop());

/** The error a real failure throws out of track(). */
async function failureOf(work: () => Promise<unknown>): Promise<unknown> {
  try {
    await work();
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

describe('failures that are not the event\'s fault (spooled)', () => {
  it('connection refused: nothing listens on the port', async () => {
    const sequelize = createSequelize(`postgres://postgres@127.0.0.1:${await closedPort()}/x`);
    try {
      const error = await failureOf(() => createTracker({ sequelize, logger: recordingLogger() }).track(sampleEvent()));
      expect(transientFailureReason(error)).toMatch(/ECONNREFUSED|ConnectionRefused/);
    } finally {
      await sequelize.close();
    }
  });

  it('connection reset by the server', async () => {
    const server = await fakeDatabaseServer('reset');
    const sequelize = createSequelize(server.url);
    try {
      const error = await failureOf(() => createTracker({ sequelize, logger: recordingLogger() }).track(sampleEvent()));
      expect(transientFailureReason(error)).toBeDefined();
    } finally {
      await sequelize.close();
      await server.close();
    }
  });

  it('admin shutdown: the backend is terminated mid-session (57P01)', async () => {
    const client = new pg.Client({ connectionString: db.url });
    client.on('error', () => {});
    await client.connect();
    const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    await db.sequelize.query('SELECT pg_terminate_backend($1)', { bind: [rows[0]!.pid] });
    const error = await failureOf(() => client.query('SELECT 1'));
    await client.end().catch(() => {});
    expect(transientFailureReason(error)).toBeDefined();
  });

  it('read-only transaction, as on a standby after a failover (25006)', async () => {
    const error = await failureOf(() =>
      db.sequelize.transaction(async (transaction) => {
        await db.sequelize.query('SET TRANSACTION READ ONLY', { transaction });
        await tracker.track(sampleEvent(), { transaction });
      }),
    );
    expect(transientFailureReason(error)).toBe('pg 25006');
  });

  it('statement timeout (57014)', async () => {
    const error = await failureOf(() =>
      db.sequelize.transaction(async (transaction) => {
        await db.sequelize.query('SET LOCAL statement_timeout = 1', { transaction });
        await db.sequelize.query('SELECT pg_sleep(0.5)', { transaction });
      }),
    );
    expect(transientFailureReason(error)).toBe('pg 57014');
  });

  it.each([['53300', 'too many connections'], ['57P03', 'the database system is starting up'], ['08006', 'connection failure'], ['40001', 'serialization failure'], ['53100', 'disk full']])(
    'SQLSTATE %s (%s), also when wrapped the way Sequelize and the tracker wrap it',
    (code) => {
      const pgError = Object.assign(new Error('x'), { code });
      expect(transientFailureReason(pgError)).toBe(`pg ${code}`);
      expect(transientFailureReason(new Error('wrapped', { cause: { name: 'SequelizeDatabaseError', parent: pgError } }))).toBe(`pg ${code}`);
    },
  );

  it.each(['ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN'])('Node socket error %s, also inside an AggregateError', (code) => {
    expect(transientFailureReason(Object.assign(new Error('socket'), { code }))).toBe(code);
    expect(transientFailureReason(new AggregateError([Object.assign(new Error('socket'), { code })]))).toBe(code);
  });
});

describe('failures that may be the event\'s (never spooled)', () => {
  it('a user that does not exist (23503), as the tracker reports it', async () => {
    const error = await failureOf(() => tracker.track(sampleEvent({ userId: 2_000_000_000 })));
    expect(error).toBeInstanceOf(UnknownUserError);
    expect(transientFailureReason(error)).toBeUndefined();
  });

  it('a malformed event', async () => {
    const error = await failureOf(() => tracker.track(sampleEvent({ promptTokens: -1 })));
    expect(error).toBeInstanceOf(InvalidEventError);
    expect(transientFailureReason(error)).toBeUndefined();
  });

  it('constraint and data errors of PostgreSQL (check violation, bad input, unknown table)', async () => {
    const userId = await insertUser(db.sequelize);
    const check = await failureOf(() => db.sequelize.query('INSERT INTO ai_usage_logs (id, user_id, section, model_name, prompt_tokens, response_time_ms, created_at) VALUES ($1, $2, $3, $4, -5, 1, now())', { bind: [randomUUID(), userId, 'chat', 'm'] }));
    const badInput = await failureOf(() => db.sequelize.query(`SELECT 'not-a-uuid'::uuid`));
    const noTable = await failureOf(() => db.sequelize.query('SELECT * FROM no_such_table'));
    for (const error of [check, badInput, noTable]) expect(transientFailureReason(error)).toBeUndefined();
  });
});
