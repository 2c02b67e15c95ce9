import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execSql, type DatabaseHandle, type Db } from '../../src/db/index';
import { JobQueue } from '../../src/jobs/queue';
import { BILLING_CLOSE_JOB, BILLING_RUN_JOB, STEP_LABELS, registerBillingJobs } from '../../src/billing/jobs';
import { submitReading, upsertMetersBulk } from '../../src/metering/service';
import { runSummary } from '../../src/billing/run-report';
import { createTestDatabase } from '../helpers/db';
import { seedMeteringWorld, type MeteringWorld } from './metering-fixtures';

/**
 * From the desk to the bill: a cold-water meter, readings taken at the call centre through
 * metering's service, and billing runs started as a person starts them (the job, which first
 * recomputes the month's consumption from readings). Three months:
 *
 *   installed 2026-08-20 at 100.000 m³ (its initial reading); price 29.988 UAH/m³
 *   September: read 2026-09-27 at 113.750          → actual      13.750 m³
 *   October:   no reading                          → estimated   13.750 / 38 days × 31 = 11.217 m³
 *   November:  run before the reading (estimated)  →             13.750 / 38 days × 30 = 10.855 m³
 *              read 2026-11-27 at 136.217, run again → reconciled 136.217 − 113.750 − 11.217 = 11.250 m³
 *
 * (38 days: 20 August to 27 September. The readings fall in the default window, the last five days
 * of the month, so each counts in its own month.) Every charge is volume × price rounded once,
 * half up, to the kopeck.
 */
describe('billing from readings taken at the desk: actual, estimated, reconciled', () => {
  let h: DatabaseHandle;
  let db: Db;
  let w: MeteringWorld;
  let jobs: JobQueue;
  let meterId: number;
  let accountId: number;

  /** A billing run the way `hromada billing run --period …` starts one: the job with only the period. */
  const runBilling = async (period: string) => {
    const messages: string[] = [];
    const { result } = await jobs.runNow(1, BILLING_RUN_JOB, { period, userId: w.operator.userId }, (_done, _total, message) => {
      if (message) messages.push(message);
    });
    return { ...(result as { billingRunId: number; consumption?: { rows: number; estimated: number } }), messages };
  };
  const close = (period: string) => jobs.runNow(1, BILLING_CLOSE_JOB, { period, userId: w.operator.userId });
  /** A reading typed in by the call-centre operator on the day it is read. */
  const readAtDesk = (readOn: string, value: string) => submitReading(db, w.operator, meterId, { readOn, values: [value] }, { channel: 'call_centre', today: readOn });
  const meteredLines = (billingRunId: number) =>
    db
      .selectFrom('charge_line')
      .select(['volume', 'tariff', 'amount', 'estimated'])
      .where('community_id', '=', 1)
      .where('billing_run_id', '=', billingRunId)
      .where('account_id', '=', accountId)
      .where('method', '=', 'metered')
      .execute();
  const waterSummary = async (billingRunId: number, period: string) => (await runSummary(db, 1, billingRunId, period)).find((s) => s.service_id === w.water);
  const consumptionOf = (period: string) =>
    db.selectFrom('meter_consumption').select(['volume', 'estimated']).where('community_id', '=', 1).where('period', '=', period).where('meter_id', '=', meterId).execute();

  beforeAll(async () => {
    h = await createTestDatabase();
    db = h.db;
    w = await seedMeteringWorld(db);
    // The world's water account of the first flat (В-1).
    const account = await db.selectFrom('account').select('account_id').where('number', '=', 'В-1').executeTakeFirstOrThrow();
    accountId = account.account_id;
    await db
      .insertInto('tariff')
      .values({ community_id: 1, provider_id: w.vodokanalId, service_id: w.water, method: 'metered', price: '29.988', unit: 'м³', valid_from: '2026-01-01' })
      .execute();
    const [meter] = await upsertMetersBulk(db, w.operator, [
      { serial: 'CW-100', serviceId: w.water, premiseId: w.flats[0]!, providerId: w.vodokanalId, installedOn: '2026-08-20', verifiedUntil: '2030-01-01', initialValues: ['100'] },
    ]);
    expect(meter!.outcome).toBe('created');
    meterId = meter!.meterId!;
    jobs = new JobQueue(h);
    registerBillingJobs(jobs);
  }, 60_000);
  afterAll(() => h?.close());

  it('September: the desk reading is billed as read', async () => {
    const reading = await readAtDesk('2026-09-27', '113.750');
    expect(reading).toMatchObject({ status: 'accepted', period: '2026-09-01' });

    const run = await runBilling('2026-09-01');
    // The consumption was refreshed before the metered charges, and said so.
    expect(run.messages.indexOf(STEP_LABELS.consumption_even)).toBeGreaterThan(-1);
    expect(run.messages.indexOf(STEP_LABELS.consumption_even)).toBeLessThan(run.messages.indexOf(STEP_LABELS.volume_even));
    expect(run.messages.indexOf(STEP_LABELS.consumption_odd)).toBeLessThan(run.messages.indexOf(STEP_LABELS.volume_odd));
    expect(run.consumption).toMatchObject({ rows: 1, estimated: 0 });
    expect(await consumptionOf('2026-09-01')).toEqual([{ volume: '13.75', estimated: false }]);
    // 13.750 × 29.988 = 412.335 → 412.34 (half up)
    expect(await meteredLines(run.billingRunId)).toEqual([{ volume: '13.75', tariff: '29.988000', amount: 41234, estimated: false }]);
    expect(await waterSummary(run.billingRunId, '2026-09-01')).toMatchObject({ charged: 41234, estimated: 0 });
    await close('2026-09-01');
  });

  it('October: no reading, the volume is estimated from the meter history', async () => {
    const run = await runBilling('2026-10-01');
    expect(run.consumption).toMatchObject({ rows: 1, estimated: 1 });
    // 13.750 / 38 × 31 = 11.2171… → 11.217 m³; × 29.988 = 336.375396 → 336.38
    expect(await consumptionOf('2026-10-01')).toEqual([{ volume: '11.217', estimated: true }]);
    expect(await meteredLines(run.billingRunId)).toEqual([{ volume: '11.217', tariff: '29.988000', amount: 33638, estimated: true }]);
    // The review says how much of the month's water was charged on an estimate: all of it.
    expect(await waterSummary(run.billingRunId, '2026-10-01')).toMatchObject({ charged: 33638, estimated: 33638 });
    await close('2026-10-01');
  });

  it('November: a run before the reading estimates; the reading arrives and the next run reconciles', async () => {
    const early = await runBilling('2026-11-01');
    // 13.750 / 38 × 30 = 10.8552… → 10.855 m³; × 29.988 = 325.519740 → 325.52
    expect(await meteredLines(early.billingRunId)).toEqual([{ volume: '10.855', tariff: '29.988000', amount: 32552, estimated: true }]);

    const reading = await readAtDesk('2026-11-27', '136.217');
    expect(reading).toMatchObject({ status: 'accepted', period: '2026-11-01' });

    // Run again, as the operator would after taking the reading: no separate consumption step.
    const run = await runBilling('2026-11-01');
    expect(run.messages.indexOf(STEP_LABELS.consumption_even)).toBeLessThan(run.messages.indexOf(STEP_LABELS.volume_even));
    expect(run.consumption).toMatchObject({ rows: 1, estimated: 0 });
    // 136.217 − 113.750 − 11.217 (estimated and billed in October) = 11.250 m³
    expect(await consumptionOf('2026-11-01')).toEqual([{ volume: '11.25', estimated: false }]);
    // 11.250 × 29.988 = 337.365 → 337.37 (half up)
    expect(await meteredLines(run.billingRunId)).toEqual([{ volume: '11.25', tariff: '29.988000', amount: 33737, estimated: false }]);
    // The early run was superseded and its lines dropped.
    expect(await meteredLines(early.billingRunId)).toEqual([]);
    // Three months billed 13.750 + 11.217 + 11.250 = 36.217 m³: exactly what the meter turned (136.217 − 100).
    const billed = await db
      .selectFrom('meter_consumption')
      .select((eb) => eb.fn.sum<string>('volume').as('total'))
      .where('community_id', '=', 1)
      .where('meter_id', '=', meterId)
      .executeTakeFirstOrThrow();
    expect(Number(billed.total)).toBe(36.217);
  });

  it('a run whose refresh fails resumes with it, and the steps beside it are not done twice', async () => {
    await db.deleteFrom('meter_consumption').where('community_id', '=', 1).where('period', '=', '2026-11-01').execute();
    await execSql(
      db,
      `create function fail_refresh() returns trigger language plpgsql as $$ begin raise exception 'simulated crash'; end $$;
       create trigger fail_refresh before insert on meter_consumption for each statement execute function fail_refresh();`,
    );
    await expect(runBilling('2026-11-01')).rejects.toThrow(/simulated crash/);
    const job = await db.selectFrom('job').selectAll().where('kind', '=', BILLING_RUN_JOB).orderBy('job_id', 'desc').executeTakeFirstOrThrow();
    const runId = (job.checkpoint as { billingRunId: number }).billingRunId;
    const steps = async () =>
      ((await db.selectFrom('billing_run').select('summary').where('billing_run_id', '=', runId).executeTakeFirstOrThrow()).summary as { steps?: Record<string, number> } | null)?.steps ?? {};
    const before = await steps();
    // Nothing that reads consumption ran without it.
    for (const reader of ['consumption_even', 'volume_even', 'volume_odd']) expect(Object.keys(before)).not.toContain(reader);

    await execSql(db, `drop trigger fail_refresh on meter_consumption; drop function fail_refresh();`);
    const resumed = (await jobs.resume(1, job.job_id)) as { billingRunId: number; lines: number; consumption?: { rows: number } };
    expect(resumed.billingRunId).toBe(runId);
    expect(resumed.consumption).toMatchObject({ rows: 1 });
    expect(await consumptionOf('2026-11-01')).toEqual([{ volume: '11.25', estimated: false }]);
    expect(await meteredLines(runId)).toEqual([{ volume: '11.25', tariff: '29.988000', amount: 33737, estimated: false }]);
    // Every step once: the lines counted per step add up to the lines written.
    const written = await db.selectFrom('charge_line').select((eb) => eb.fn.countAll<number>().as('n')).where('billing_run_id', '=', runId).executeTakeFirstOrThrow();
    expect(Number(written.n)).toBe(resumed.lines);
    for (const [name, lines] of Object.entries(before)) expect((await steps())[name]).toBe(lines);
  });

  it('a closed month keeps its consumption: a run refused for it recomputes nothing', async () => {
    await expect(runBilling('2026-10-01')).rejects.toMatchObject({ code: 'period_closed' });
    expect(await consumptionOf('2026-10-01')).toEqual([{ volume: '11.217', estimated: true }]);
  });
});
