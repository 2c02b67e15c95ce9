/**
 * Billing as resumable jobs. A run is a fixed list of steps, each one transaction; the checkpoint
 * records the run and the next step, so a crashed run resumes where it stopped instead of
 * starting over (and a repeat of the whole run simply supersedes it).
 */
import type { JobQueue, JobRun } from '../jobs/queue';
import type { ConsumptionSummary } from '../metering/consumption';
import { conflict } from '../shared/errors';
import { CONSUMPTION_STEPS, closePeriod, finishRun, runRemainingSteps, runSteps, scopeOf, startRun } from './run';

export const BILLING_RUN_JOB = 'billing.run';

/** What a person watching the run reads for each step: «українською / in English», as every job writes. */
export const STEP_LABELS: Record<string, string> = {
  consumption_even: 'обсяги з показників, частина 1 / consumption from readings, part 1',
  consumption_odd: 'обсяги з показників, частина 2 / consumption from readings, part 2',
  penalties_even: 'пеня, частина 1 / penalties, part 1',
  penalties_odd: 'пеня, частина 2 / penalties, part 2',
  volume_even: 'за лічильниками і за нормою, частина 1 / metered and by norm, part 1',
  volume_odd: 'за лічильниками і за нормою, частина 2 / metered and by norm, part 2',
  area: 'за площею / by area',
  capacity: 'за потужністю / by capacity',
  per_person: 'на особу / per person',
  fixed_premise: 'фіксовано на приміщення / fixed per premise',
  fixed_account: 'фіксовано на рахунок / fixed per account',
  building_imbalance: 'небаланс будинкового лічильника / building meter imbalance',
  heat: 'опалення за площею / heating by area',
  recalculations: 'перерахунки / recalculations',
  benefits: 'пільги / benefits',
  subsidies: 'субсидії / subsidies',
};
export const BILLING_CLOSE_JOB = 'billing.close';

export interface BillingRunParams {
  period: string;
  userId?: number | null;
  /**
   * Recompute the period's meter_consumption from accepted readings before charging (default);
   * false keeps meter_consumption as it stands (tests whose fixtures write it by hand).
   */
  refreshConsumption?: boolean;
}

interface RunCheckpoint {
  billingRunId: number;
}

/** The checkpoint names the run; which steps are done is recorded by each step itself (see runStep). */
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
    // startRun first: it refuses a closed period (whose consumption must never change) or one
    // whose earlier month is still open.
    const billingRunId = await startRun(db, communityId, params.period, { jobId: job.jobId, userId: params.userId ?? undefined });
    cp = { billingRunId };
    await job.saveCheckpoint(cp);
  }
  const scope = scopeOf(communityId, cp.billingRunId, params.period);
  // Readings taken since the last refresh (the call-centre desk, a cash desk) count in this run:
  // the refresh is its first step, recorded like the others, so a resumed run repeats it only if
  // it had not finished.
  const refreshConsumption = params.refreshConsumption !== false;
  const total = runSteps(refreshConsumption).length;
  await job.progress(0, total, 'розпочато / started');
  const lines = await runRemainingSteps(db, scope, (done, _total, name) => job.progress(done, total, STEP_LABELS[name] ?? name), { refreshConsumption });
  const run = await db.selectFrom('billing_run').select('summary').where('community_id', '=', communityId).where('billing_run_id', '=', cp.billingRunId).executeTakeFirst();
  // The refresh's two halves: rows added up; seconds of the longer one, as they run side by side
  // on PostgreSQL (PGlite's single connection takes them in turn).
  const halves = CONSUMPTION_STEPS.flatMap((name) => (run?.summary as Record<string, ConsumptionSummary & { seconds: number }> | null)?.[name] ?? []);
  const consumption = halves.length
    ? halves.reduce((sum, h) => ({ ...sum, rows: sum.rows + h.rows, estimated: sum.estimated + h.estimated, seconds: Math.max(sum.seconds, h.seconds) }))
    : undefined;
  const summary = await finishRun(db, communityId, cp.billingRunId, params.period, lines);
  return { billingRunId: cp.billingRunId, period: params.period, ...summary, ...(consumption ? { consumption } : {}) };
}

export async function billingCloseJob(job: JobRun<BillingRunParams>) {
  await job.progress(0, 1, 'проведення в особові рахунки / posting to the ledger');
  const r = await closePeriod(job.db, job.communityId, job.params.period, job.params.userId ?? null);
  await job.progress(1, 1, 'період закрито / period closed');
  return { period: job.params.period, ...r };
}

export function registerBillingJobs(queue: JobQueue): void {
  queue.register(BILLING_RUN_JOB, billingRunJob);
  queue.register(BILLING_CLOSE_JOB, billingCloseJob);
}
