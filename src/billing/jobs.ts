/**
 * Billing as resumable jobs. A run is a fixed list of steps, each one transaction; the checkpoint
 * records the run and the next step, so a crashed run resumes where it stopped instead of
 * starting over (and a repeat of the whole run simply supersedes it).
 */
import type { JobQueue, JobRun } from '../jobs/queue';
import { conflict } from '../shared/errors';
import { closePeriod, finishRun, RUN_STEPS, runStep, scopeOf, startRun } from './run';

export const BILLING_RUN_JOB = 'billing.run';
export const BILLING_CLOSE_JOB = 'billing.close';

export interface BillingRunParams {
  period: string;
  userId?: number | null;
}

interface RunCheckpoint {
  billingRunId: number;
  nextStep: number;
  lines: number;
}

export async function billingRunJob(job: JobRun<BillingRunParams>) {
  const { communityId, db, params } = job;
  let cp = job.checkpoint as RunCheckpoint | null;
  if (cp) {
    const run = await db
      .selectFrom('billing_run')
      .select('status')
      .where('community_id', '=', communityId)
      .where('billing_run_id', '=', cp.billingRunId)
      .executeTakeFirst();
    if (run?.status !== 'running') {
      throw conflict('run_superseded', {
        uk: `Нарахування №${cp.billingRunId} вже не активне (${run?.status ?? 'немає'}): запустіть нове`,
        en: `Billing run ${cp.billingRunId} is no longer active (${run?.status ?? 'missing'}): start a new one`,
      });
    }
  } else {
    const billingRunId = await startRun(db, communityId, params.period, { jobId: job.jobId, userId: params.userId ?? undefined });
    cp = { billingRunId, nextStep: 0, lines: 0 };
    await job.saveCheckpoint(cp);
  }
  const scope = scopeOf(communityId, cp.billingRunId, params.period);
  const total = RUN_STEPS.length + 1;
  for (let i = cp.nextStep; i < RUN_STEPS.length; i++) {
    await job.progress(i, total, RUN_STEPS[i]);
    const lines = await runStep(db, scope, RUN_STEPS[i]);
    cp = { ...cp, nextStep: i + 1, lines: cp.lines + lines };
    await job.saveCheckpoint(cp);
  }
  await job.progress(RUN_STEPS.length, total, 'summary');
  const summary = await finishRun(db, communityId, cp.billingRunId, params.period, cp.lines);
  await job.progress(total, total, 'done');
  return { billingRunId: cp.billingRunId, period: params.period, ...summary };
}

export async function billingCloseJob(job: JobRun<BillingRunParams>) {
  await job.progress(0, 1, 'posting to the ledger');
  const r = await closePeriod(job.db, job.communityId, job.params.period, job.params.userId ?? null);
  await job.progress(1, 1, 'closed');
  return { period: job.params.period, ...r };
}

export function registerBillingJobs(queue: JobQueue): void {
  queue.register(BILLING_RUN_JOB, billingRunJob);
  queue.register(BILLING_CLOSE_JOB, billingCloseJob);
}
