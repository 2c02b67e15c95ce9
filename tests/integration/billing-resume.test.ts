import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { execSql, type DatabaseHandle } from '../../src/db/index';
import type { JobQueue } from '../../src/jobs/queue';
import { BILLING_RUN_JOB } from '../../src/billing/jobs';
import { runStep, scopeOf, startRun } from '../../src/billing/run';
import { C, OCT, openBillingTown } from './billing-fixture';

/** A run that crashes part-way resumes from where it stopped: no step lost, none repeated. */
describe('billing run: resume after a crash', () => {
  let h: DatabaseHandle;
  let jobs: JobQueue;

  beforeAll(async () => {
    ({ h, jobs } = await openBillingTown());
  }, 60_000);
  afterAll(() => h?.close());

  const lines = (runId: number) =>
    sql<{ account_id: number; kind: string; method: string; zone: number | null; amount: number }>`
      select account_id, kind, method, zone, amount from charge_line where billing_run_id = ${runId} order by 1, 2, 3, 4, 5`
      .execute(h.db)
      .then((r) => r.rows);

  it('completes the steps it had not done, and the result equals a clean run', async () => {
    // The benefits step fails (a stand-in for a crash): every step before it is done and recorded.
    await execSql(
      h.db,
      `create function fail_benefits() returns trigger language plpgsql as $$
       begin
         if exists (select 1 from changed where kind = 'benefit') then raise exception 'simulated crash'; end if;
         return null;
       end $$;
       create trigger fail_benefits after insert on charge_line referencing new table as changed
         for each statement execute function fail_benefits();`,
    );
    // refreshConsumption: false — the fixture writes meter_consumption by hand (it has no readings).
    const failed = jobs.runNow(C, BILLING_RUN_JOB, { period: OCT, refreshConsumption: false });
    await expect(failed).rejects.toThrow(/simulated crash/);
    const job = await h.db.selectFrom('job').selectAll().where('kind', '=', BILLING_RUN_JOB).orderBy('job_id', 'desc').executeTakeFirstOrThrow();
    expect(job.status).toBe('failed');
    const runId = (job.checkpoint as { billingRunId: number }).billingRunId;
    const run = await h.db.selectFrom('billing_run').select('summary').where('billing_run_id', '=', runId).executeTakeFirstOrThrow();
    const stepsBefore = (run.summary as { steps: Record<string, number> }).steps;
    expect(Object.keys(stepsBefore)).toContain('recalculations');
    expect(Object.keys(stepsBefore)).not.toContain('benefits');
    const partial = await lines(runId);

    await execSql(h.db, `drop trigger fail_benefits on charge_line; drop function fail_benefits();`);
    const result = (await jobs.resume(C, job.job_id)) as { billingRunId: number; lines: number };
    expect(result.billingRunId).toBe(runId);
    const resumed = await lines(runId);
    // Nothing written before the crash was written again…
    expect(resumed.filter((l) => l.kind !== 'benefit' && l.kind !== 'subsidy')).toEqual(partial);
    expect(result.lines).toBe(resumed.length);

    // …and the whole equals a run that never crashed.
    const { result: clean } = await jobs.runNow(C, BILLING_RUN_JOB, { period: OCT, refreshConsumption: false });
    const strip = (rows: typeof resumed) => rows.map(({ account_id, kind, method, zone, amount }) => [account_id, kind, method, zone, amount]);
    expect(strip(await lines((clean as { billingRunId: number }).billingRunId))).toEqual(strip(resumed));
  });

  it('a run superseded by a newer one while it works leaves no line behind', async () => {
    const older = await startRun(h.db, C, OCT);
    await runStep(h.db, scopeOf(C, older, OCT), 'area');
    const newer = await startRun(h.db, C, OCT);
    expect(newer).toBeGreaterThan(older);
    // The older run's next step is refused and rolled back; what it wrote before is gone.
    await expect(runStep(h.db, scopeOf(C, older, OCT), 'volume_odd')).rejects.toMatchObject({ code: 'run_superseded' });
    expect(await lines(older)).toEqual([]);
    const status = await h.db.selectFrom('billing_run').select('status').where('billing_run_id', '=', older).executeTakeFirstOrThrow();
    expect(status.status).toBe('superseded');
  });
});
