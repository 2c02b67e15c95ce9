import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/db';
import type { DatabaseHandle } from '../../src/db/index';
import { JobQueue } from '../../src/jobs/queue';

const COMMUNITY = 1;

describe('job queue', () => {
  let h: DatabaseHandle;
  let queue: JobQueue;
  const attempts: number[] = [];

  beforeAll(async () => {
    h = await createTestDatabase();
    await h.db.insertInto('community').values({ community_id: COMMUNITY, name: 'Тест', katottg: 'UA05020030010063857' }).execute();
    queue = new JobQueue(h);
    // Counts to `n` in steps, saving a checkpoint after each; crashes once at `crashAt`.
    queue.register<{ n: number; crashAt?: number }>('count', async (run) => {
      let i = (run.checkpoint as { i: number } | null)?.i ?? 0;
      attempts.push(i);
      for (; i < run.params.n; i++) {
        if (run.params.crashAt === i && attempts.length === 1) throw new Error('simulated crash');
        await run.saveCheckpoint({ i: i + 1 });
        await run.progress(i + 1, run.params.n);
      }
      return { counted: i };
    });
  });
  afterAll(async () => {
    await queue.stop();
    await h?.close();
  });

  it('runs inline, records progress and result', async () => {
    const seen: number[] = [];
    const { jobId, result } = await queue.runNow(COMMUNITY, 'count', { n: 5 }, (done) => seen.push(done));
    expect(result).toEqual({ counted: 5 });
    expect(seen).toEqual([1, 2, 3, 4, 5]);
    const row = await h.db.selectFrom('job').selectAll().where('job_id', '=', jobId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'succeeded', progress_done: 5, progress_total: 5, result: { counted: 5 } });
  });

  it('resumes a crashed job from its checkpoint instead of starting over', async () => {
    attempts.length = 0;
    await expect(queue.runNow(COMMUNITY, 'count', { n: 6, crashAt: 3 })).rejects.toThrow('simulated crash');
    const failed = await h.db.selectFrom('job').selectAll().orderBy('job_id', 'desc').executeTakeFirstOrThrow();
    expect(failed.status).toBe('failed');
    expect(failed.checkpoint).toEqual({ i: 3 });
    const result = await queue.resume(COMMUNITY, failed.job_id);
    expect(result).toEqual({ counted: 6 });
    expect(attempts).toEqual([0, 3]);
  });

  it('runs enqueued jobs in the background worker', async () => {
    await queue.start();
    const jobId = await queue.enqueue(COMMUNITY, 'count', { n: 3 });
    let status = 'queued';
    for (let tries = 0; tries < 100 && status !== 'succeeded'; tries++) {
      await new Promise((r) => setTimeout(r, 200));
      status = (await h.db.selectFrom('job').select('status').where('job_id', '=', jobId).executeTakeFirstOrThrow()).status;
    }
    expect(status).toBe('succeeded');
  });

  it('refuses an unknown job kind with a bilingual error', async () => {
    await expect(queue.runNow(COMMUNITY, 'nope', {})).rejects.toMatchObject({ code: 'unknown_job' });
  });
});
