import PgBoss from 'pg-boss';
import type { DatabaseHandle, Db } from '../db/index';
import { AppError } from '../shared/errors';

/** What a job handler gets: its parameters, where it stopped last time, and ways to report. */
export interface JobRun<P = Record<string, unknown>> {
  jobId: number;
  communityId: number;
  params: P;
  /** Saved by an earlier attempt that crashed; a handler resumes from it. */
  checkpoint: unknown;
  db: Db;
  progress(done: number, total?: number | null, message?: string): Promise<void>;
  saveCheckpoint(checkpoint: unknown): Promise<void>;
}

export type JobHandler<P = Record<string, unknown>> = (run: JobRun<P>) => Promise<unknown>;

const QUEUE = 'hromada-jobs';

/**
 * Long work (imports, billing runs, seeding) as jobs: a row in `job` that the web app and CLI read
 * for progress, run either by a worker through pg-boss (on PGlite and PostgreSQL alike) or inline
 * by the CLI. A handler that crashed is retried by pg-boss and finds its last checkpoint.
 */
export class JobQueue {
  private readonly handlers = new Map<string, JobHandler<any>>();
  private boss?: PgBoss;

  /** `handle` is public for handlers that need a raw connection (COPY). */
  constructor(readonly handle: DatabaseHandle) {}

  register<P>(kind: string, handler: JobHandler<P>) {
    this.handlers.set(kind, handler as JobHandler<any>);
  }

  /**
   * Starts the queue and, unless `work` is false, its worker. On PGlite every query goes through
   * Kysely's queue for the one connection. Without the worker jobs are recorded and queued for
   * another process to run (the tests that walk the whole API use it: nothing changes under them).
   */
  async start(options: { work?: boolean } = {}) {
    this.boss =
      this.handle.kind === 'postgres'
        ? new PgBoss({ connectionString: this.handle.url, max: 3 })
        : new PgBoss({ db: { executeSql: (text: string, values?: unknown[]) => this.pgliteExecute(text, values) } });
    this.boss.on('error', (err) => console.error('job queue:', err.message));
    await this.boss.start();
    await this.boss.createQueue(QUEUE, { name: QUEUE, retryLimit: 2, retryDelay: 2 });
    if (options.work === false) return;
    await this.boss.work<{ communityId: number; jobId: number }>(QUEUE, { pollingIntervalSeconds: 1 }, async ([job]) => {
      await this.execute(job.data.communityId, job.data.jobId);
    });
  }

  /**
   * pg-boss on PGlite: holding Kysely's one connection keeps its statements out of our open
   * transactions. Multi-statement text returns the rows of every statement, and a failure inside
   * BEGIN…COMMIT is rolled back so it cannot poison the single session (as pg-boss's own adapter does).
   */
  private pgliteExecute(text: string, values?: unknown[]) {
    const pglite = this.handle.pglite!;
    return this.handle.db.connection().execute(async () => {
      try {
        if (values?.length) return await pglite.query(text, values);
        const results = await pglite.exec(text);
        return { rows: results.flatMap((r) => r.rows ?? []) };
      } catch (err) {
        if (pglite.isInTransaction()) await pglite.exec('rollback');
        throw err;
      }
    });
  }

  async stop() {
    await this.boss?.stop({ graceful: true, timeout: 5000 });
  }

  /** Records a job and hands it to the worker; returns at once with its id. */
  async enqueue(communityId: number, kind: string, params: Record<string, unknown>, createdBy?: number): Promise<number> {
    this.requireHandler(kind);
    if (!this.boss) throw new Error('job queue is not started');
    const jobId = await this.create(communityId, kind, params, createdBy);
    await this.boss.send(QUEUE, { communityId, jobId });
    return jobId;
  }

  /** Runs a job in this process and waits for it (the CLI's way); progress goes to `onProgress`. */
  async runNow(
    communityId: number,
    kind: string,
    params: Record<string, unknown>,
    onProgress?: (done: number, total: number | null, message?: string) => void,
  ): Promise<{ jobId: number; result: unknown }> {
    this.requireHandler(kind);
    const jobId = await this.create(communityId, kind, params);
    const result = await this.execute(communityId, jobId, onProgress);
    return { jobId, result };
  }

  /** Runs a job that did not finish (a crash, a killed process) again from its checkpoint. */
  async resume(communityId: number, jobId: number, onProgress?: (done: number, total: number | null, message?: string) => void) {
    return this.execute(communityId, jobId, onProgress);
  }

  private requireHandler(kind: string) {
    const handler = this.handlers.get(kind);
    if (!handler) throw new AppError('unknown_job', 400, { uk: `Невідомий вид задачі: ${kind}`, en: `Unknown job kind: ${kind}` });
    return handler;
  }

  private async create(communityId: number, kind: string, params: Record<string, unknown>, createdBy?: number) {
    const row = await this.handle.db
      .insertInto('job')
      .values({ community_id: communityId, kind, params: JSON.stringify(params), created_by: createdBy ?? null })
      .returning('job_id')
      .executeTakeFirstOrThrow();
    return row.job_id;
  }

  private async execute(
    communityId: number,
    jobId: number,
    onProgress?: (done: number, total: number | null, message?: string) => void,
  ): Promise<unknown> {
    const db = this.handle.db;
    const job = await db
      .selectFrom('job')
      .selectAll()
      .where('community_id', '=', communityId)
      .where('job_id', '=', jobId)
      .executeTakeFirstOrThrow();
    if (job.status === 'succeeded') return job.result;
    const handler = this.requireHandler(job.kind);
    const where = (q: any) => q.where('community_id', '=', communityId).where('job_id', '=', jobId);
    await where(db.updateTable('job').set({ status: 'running', started_at: new Date(), error: null })).execute();
    let lastWrite = 0;
    const run: JobRun = {
      jobId,
      communityId,
      params: job.params as Record<string, unknown>,
      checkpoint: job.checkpoint,
      db,
      progress: async (done, total, message) => {
        onProgress?.(done, total ?? null, message);
        // Progress rows are for people watching: a few writes a second are plenty.
        const now = Date.now();
        if (now - lastWrite < 250 && total !== undefined && done < (total ?? Infinity)) return;
        lastWrite = now;
        const set: Record<string, unknown> = { progress_done: done };
        if (total !== undefined) set.progress_total = total;
        if (message !== undefined) set.message = message;
        await where(db.updateTable('job').set(set)).execute();
      },
      saveCheckpoint: async (checkpoint) => {
        await where(db.updateTable('job').set({ checkpoint: JSON.stringify(checkpoint) })).execute();
      },
    };
    try {
      const result = await handler(run);
      await where(
        db.updateTable('job').set({ status: 'succeeded', result: JSON.stringify(result ?? null), finished_at: new Date() }),
      ).execute();
      return result;
    } catch (err) {
      const error =
        err instanceof AppError
          ? { code: err.code, message_uk: err.messages.uk, message_en: err.messages.en, ...err.details }
          : { code: 'internal', message_en: (err as Error).message };
      await where(db.updateTable('job').set({ status: 'failed', error: JSON.stringify(error), finished_at: new Date() })).execute();
      throw err;
    }
  }
}
