import PgBoss from 'pg-boss';
import type { JobDefinition } from '../plugin.js';

export type JobState = 'created' | 'retry' | 'active' | 'completed' | 'cancelled' | 'failed';

export interface JobStatus {
  id: string;
  name: string;
  state: JobState;
  /** What the handler returned (completed) or the error it threw (failed). */
  output: unknown;
  retryCount: number;
  createdOn: Date;
  completedOn: Date | null;
}

/** Background jobs of the plugins, on pg-boss in the application's own database. */
export interface JobQueue {
  /** Enqueues a job for a registered queue and returns its id. */
  send(name: string, data: object): Promise<string>;
  /** A job's state and output, or null when unknown. */
  status(name: string, id: string): Promise<JobStatus | null>;
}

export interface RunningJobQueue extends JobQueue {
  /** Creates the queue and starts working it. */
  register(job: JobDefinition): Promise<void>;
  /** Enqueues at most one job per `seconds` slot under `key`, across every app instance; null when one is already in the slot. */
  sendThrottled(name: string, data: object, seconds: number, key: string): Promise<string | null>;
  /** Runs a registered queue on a cron schedule (UTC); one schedule per name, shared by every instance. */
  schedule(name: string, cron: string, data?: object): Promise<void>;
  unschedule(name: string): Promise<void>;
  stop(): Promise<void>;
}

/** Starts pg-boss (it creates and migrates its own `pgboss` schema) and returns the queue. */
export async function startJobQueue(databaseUrl: string, onError: (error: Error) => void): Promise<RunningJobQueue> {
  const boss = new PgBoss({ connectionString: databaseUrl, max: 4, schedule: true, supervise: true });
  boss.on('error', onError);
  await boss.start();
  const registered = new Set<string>();

  return {
    async register(job) {
      if (registered.has(job.name)) throw new Error(`job queue "${job.name}" is registered twice`);
      registered.add(job.name);
      await boss.createQueue(job.name, {
        name: job.name,
        retryLimit: job.retryLimit ?? 2,
        retryDelay: job.retryDelaySeconds ?? 2,
        retryBackoff: true,
      });
      await boss.work(job.name, { batchSize: 1, pollingIntervalSeconds: 0.5 }, async ([item]) => {
        if (item) return job.handler(item.data, { id: item.id });
        return undefined;
      });
    },
    async send(name, data) {
      if (!registered.has(name)) throw new Error(`no job queue named "${name}" is registered`);
      const id = await boss.send(name, data);
      if (!id) throw new Error(`pg-boss did not accept a job for "${name}"`);
      return id;
    },
    async sendThrottled(name, data, seconds, key) {
      if (!registered.has(name)) throw new Error(`no job queue named "${name}" is registered`);
      return boss.sendThrottled(name, data, {}, seconds, key);
    },
    async schedule(name, cron, data = {}) {
      if (!registered.has(name)) throw new Error(`no job queue named "${name}" is registered`);
      await boss.schedule(name, cron, data, { tz: 'UTC' });
    },
    unschedule: (name) => boss.unschedule(name),
    async status(name, id) {
      if (!registered.has(name)) return null;
      const job = await boss.getJobById(name, id);
      if (!job) return null;
      return {
        id: job.id,
        name: job.name,
        state: job.state,
        output: job.output ?? null,
        retryCount: job.retryCount,
        createdOn: job.createdOn,
        completedOn: job.completedOn,
      };
    },
    stop: () => boss.stop({ graceful: true, wait: true, timeout: 5_000 }),
  };
}

/** A queue for applications without jobs: any send is a programming error. */
export const NO_JOBS: JobQueue = {
  send: async (name) => {
    throw new Error(`no job queue named "${name}" is registered`);
  },
  status: async () => null,
};
