/**
 * Billing runs and periods. A period goes open → calculated → closed.
 *
 * Why a staging table (charge_line) instead of posting each run to the ledger and reversing it on
 * a repeat: a run for an open period may be repeated many times while operators fix tariffs and
 * readings; with reverse-and-repost every attempt would leave two million ledger entries behind
 * and bills would have to net them out. Computing into charge_line per run keeps the ledger to
 * what residents were actually billed: a repeat supersedes the previous run and drops its lines,
 * and closing posts the last run's lines to the ledger in one INSERT…SELECT, in the same
 * transaction that freezes the period (the database then refuses any change to it).
 */
import { sql } from 'kysely';
import type { Db, DbOrTx, Tx } from '../db/index';
import { conflict, invalid, notFound } from '../shared/errors';
import { writeAudit } from '../auth/audit';
import { addDays, daysInPeriod, kyivToday, nextPeriod, periodEnd, periodOf, prevPeriod, type Period } from '../shared/period';
import { ADJUSTMENT_STEPS, CHARGE_STEPS, penalties, type PenaltyScope, type RunScope } from './engine';
import { overdueDaysInPeriod } from './methods/penalty';
import { flagTariffMismatches } from './flags';
import { computeConsumption } from '../metering/consumption';
import { lockLedgerForSnapshot, writeLedgerSnapshot } from './snapshot';
import { boundsOf, type AmountBounds } from '../shared/amount-bounds';
import type { TariffExcess } from './tables';

export interface BillingSettings {
  dueDay: number;
  penaltyEnabled: boolean;
  penaltyRatePerDay: string;
  penaltyMoratorium: boolean;
  holidays: string[];
  outlierFactor: string;
  /** The go-live month: no run before it; null until set (by an administrator or the first close). */
  firstPeriod: Period | null;
  /** Bounds of plausible amounts per money field (the community's own, or the defaults). */
  amountBounds: AmountBounds;
  /** A provider's imported charge above the approved tariff: posted and flagged, or held for a decision. */
  tariffExcess: TariffExcess;
}

export async function loadSettings(db: DbOrTx, communityId: number): Promise<BillingSettings> {
  const row = await db.selectFrom('billing_settings').selectAll().where('community_id', '=', communityId).executeTakeFirst();
  return {
    dueDay: row?.due_day ?? 20,
    penaltyEnabled: row?.penalty_enabled ?? true,
    penaltyRatePerDay: row?.penalty_rate_per_day ?? '0.0001',
    penaltyMoratorium: row?.penalty_moratorium ?? false,
    holidays: row?.holidays ?? [],
    outlierFactor: row?.outlier_factor ?? '3',
    firstPeriod: row?.first_period ? periodOf(row.first_period) : null,
    amountBounds: boundsOf(row?.amount_bounds),
    tariffExcess: row?.tariff_excess ?? 'flag',
  };
}

/** The due date of a period's bill: `dueDay` of the next month unless the period says otherwise. */
export function defaultDueDate(period: Period, dueDay: number): string {
  return addDays(nextPeriod(period), dueDay - 1);
}

async function ensurePeriod(trx: Tx, communityId: number, period: Period, dueDay: number) {
  await sql`insert into billing_period (community_id, period, status, due_date)
            values (${communityId}, ${period}::date, 'open', ${defaultDueDate(period, dueDay)}::date)
            on conflict (community_id, period) do nothing`.execute(trx);
  return trx
    .selectFrom('billing_period')
    .selectAll()
    .where('community_id', '=', communityId)
    .where('period', '=', period)
    .forUpdate()
    .executeTakeFirstOrThrow();
}

export const supersededError = (billingRunId: number) =>
  conflict('run_superseded', {
    uk: `Нарахування №${billingRunId} замінене новішим запуском за той самий період`,
    en: `Billing run ${billingRunId} was superseded by a newer run of the same period`,
  }, { billingRunId });

const closedError = (period: Period) =>
  conflict(
    'period_closed',
    {
      uk: `Період ${period.slice(0, 7)} закрито: змінити його не можна; виправлення вносьте в наступний відкритий період`,
      en: `Period ${period.slice(0, 7)} is closed and cannot change; enter corrections in the next open period`,
    },
    { period },
  );

/**
 * Which months may be run: none before the community's first period, none more than one month
 * after the current calendar month (Kyiv time), so a typo («1999-01», «2062-11») is refused with
 * the reason instead of opening a period that blocks every later month.
 */
export function runPeriodProblem(period: Period, firstPeriod: Period | null, today: string): { code: string; uk: string; en: string } | null {
  const month = period.slice(0, 7);
  if (firstPeriod !== null && period < firstPeriod) {
    const first = firstPeriod.slice(0, 7);
    return {
      code: 'before_first_period',
      uk: `Період ${month} раніший за перший розрахунковий період громади (${first}): нарахування за нього не запускають`,
      en: `Period ${month} is before the community's first billing period (${first}): it cannot be run`,
    };
  }
  // Before the first period is set (by an administrator, or by the first close), a typo of a
  // year such as 1999 is still refused: at most three years back.
  const earliest = `${Number(today.slice(0, 4)) - 3}${today.slice(4, 7)}-01`;
  if (firstPeriod === null && period < earliest) {
    return {
      code: 'too_early_without_first_period',
      uk: `Період ${month} більш як на три роки раніший за поточний місяць: щоб рахувати такі давні місяці, спершу задайте перший розрахунковий період громади`,
      en: `Period ${month} is more than three years before this month: to bill months that old, set the community's first billing period first`,
    };
  }
  const latest = nextPeriod(periodOf(today));
  if (period > latest) {
    return {
      code: 'period_too_far',
      uk: `Період ${month} пізніший за наступний місяць (${latest.slice(0, 7)}): нарахування можна запустити щонайпізніше на місяць наперед`,
      en: `Period ${month} is after next month (${latest.slice(0, 7)}): a run may be at most one month ahead`,
    };
  }
  return null;
}

/** Refuses (422, bilingual) a period `runPeriodProblem` does not allow. */
export async function checkRunPeriod(db: DbOrTx, communityId: number, period: Period, today = kyivToday()): Promise<void> {
  const settings = await loadSettings(db, communityId);
  const problem = runPeriodProblem(period, settings.firstPeriod, today);
  if (problem) throw invalid(problem.code, { uk: problem.uk, en: problem.en }, { field: 'period', period, firstPeriod: settings.firstPeriod });
}

/**
 * Starts a run: the period is opened if new; an earlier period still open refuses the run (months
 * are billed in order, so penalties see a final previous month). Earlier runs of the period are
 * superseded and their lines dropped — a repeat replaces its own calculation.
 */
export async function startRun(db: Db, communityId: number, period: Period, opts: { jobId?: number; userId?: number } = {}) {
  const settings = await loadSettings(db, communityId);
  await checkRunPeriod(db, communityId, period);
  return db.transaction().execute(async (trx) => {
    const p = await ensurePeriod(trx, communityId, period, settings.dueDay);
    if (p.status === 'closed') throw closedError(period);
    // An earlier month blocks while it has a calculation under way or done and not closed; an open
    // month never run (or whose run was discarded) does not, nor does one before the first period.
    const earlier = await trx
      .selectFrom('billing_period as p')
      .select('p.period')
      .where('p.community_id', '=', communityId)
      .where('p.period', '<', period)
      .$if(settings.firstPeriod !== null, (q) => q.where('p.period', '>=', settings.firstPeriod!))
      .where('p.status', '<>', 'closed')
      .where((eb) =>
        eb.or([
          eb('p.status', '=', 'calculated'),
          eb.exists(
            eb
              .selectFrom('billing_run as r')
              .select('r.billing_run_id')
              .whereRef('r.community_id', '=', 'p.community_id')
              .whereRef('r.period', '=', 'p.period')
              .where('r.status', 'in', ['running', 'calculated', 'failed']),
          ),
        ]),
      )
      .orderBy('p.period')
      .executeTakeFirst();
    if (earlier) {
      throw conflict(
        'earlier_period_open',
        {
          uk: `Спершу закрийте період ${earlier.period.slice(0, 7)}: місяці нараховуються по черзі`,
          en: `Close period ${earlier.period.slice(0, 7)} first: months are billed in order`,
        },
        { period: earlier.period },
      );
    }
    const previous = await trx
      .selectFrom('billing_run')
      .select('billing_run_id')
      .where('community_id', '=', communityId)
      .where('period', '=', period)
      .where('status', 'in', ['running', 'calculated', 'failed'])
      .execute();
    if (previous.length > 0) {
      const ids = previous.map((r) => r.billing_run_id);
      await trx.deleteFrom('charge_line').where('community_id', '=', communityId).where('billing_run_id', 'in', ids).execute();
      await trx
        .updateTable('billing_run')
        .set({ status: 'superseded', finished_at: new Date() })
        .where('community_id', '=', communityId)
        .where('billing_run_id', 'in', ids)
        .execute();
    }
    if (p.status === 'calculated') {
      await trx.updateTable('billing_period').set({ status: 'open' }).where('community_id', '=', communityId).where('period', '=', period).execute();
    }
    const run = await trx
      .insertInto('billing_run')
      .values({ community_id: communityId, period, job_id: opts.jobId ?? null, created_by: opts.userId ?? null })
      .returningAll()
      .executeTakeFirstOrThrow();
    await writeAudit(trx, { communityId, userId: opts.userId ?? null }, 'start', 'billing_run', run.billing_run_id, null, run);
    return run.billing_run_id;
  });
}

export function scopeOf(communityId: number, billingRunId: number, period: Period): RunScope {
  return {
    communityId,
    billingRunId,
    period,
    periodEnd: periodEnd(period),
    previousPeriod: prevPeriod(period),
    daysInPeriod: daysInPeriod(period),
  };
}

/**
 * Steps that do not depend on each other: penalties (from the ledger, in two halves by premise)
 * and the charge methods. Then the adjustments, which read the charges, in order.
 */
export const PARALLEL_STEPS: string[] = ['penalties_even', 'penalties_odd', ...CHARGE_STEPS.map((s) => s.name)];
export const RUN_STEPS: string[] = [...PARALLEL_STEPS, ...ADJUSTMENT_STEPS.map((s) => s.name)];

/**
 * The refresh of the period's meter_consumption from accepted readings comes first, in two halves
 * by meter id, side by side: each half then reads only its own half of the period's readings. The
 * steps that read consumption wait for both halves; the others run beside the refresh.
 */
export const CONSUMPTION_STEPS = ['consumption_even', 'consumption_odd'];

/** The steps a step waits for (those of them that are part of the run). */
const WAITS_FOR: Record<string, readonly string[]> = {
  volume_even: CONSUMPTION_STEPS,
  volume_odd: CONSUMPTION_STEPS,
  building_imbalance: CONSUMPTION_STEPS,
  heat: CONSUMPTION_STEPS,
};

/** The steps of a run, in the order the workers take them (a step comes after what it waits for). */
export function runSteps(refreshConsumption: boolean): string[] {
  return refreshConsumption ? [...CONSUMPTION_STEPS, ...RUN_STEPS] : RUN_STEPS;
}

/**
 * Takes the step a free worker runs next out of `pending`: the first one whose prerequisites are
 * all finished (none of them in `unfinished`: pending or running); with none such, the first one,
 * which then waits.
 */
export function takeNextStep(pending: string[], unfinished: ReadonlySet<string>): string | undefined {
  const ready = pending.findIndex((name) => !(WAITS_FOR[name] ?? []).some((p) => unfinished.has(p)));
  return pending.splice(ready === -1 ? 0 : ready, 1)[0];
}

/** Steps already done in a run, with the lines each wrote (recorded in the step's own transaction). */
export async function stepsDone(db: DbOrTx, communityId: number, billingRunId: number): Promise<Record<string, number>> {
  const run = await db
    .selectFrom('billing_run')
    .select('summary')
    .where('community_id', '=', communityId)
    .where('billing_run_id', '=', billingRunId)
    .executeTakeFirst();
  return ((run?.summary as { steps?: Record<string, number> } | null)?.steps ?? {}) as Record<string, number>;
}

/**
 * Runs one named step in its own transaction and records it as done in the same transaction, so
 * a crash either loses the whole step or none of it, and a resumed run never repeats a step.
 * Joins and sorts over a million accounts want memory: work_mem is raised for the step only.
 */
export async function runStep(db: Db, scope: RunScope, name: string): Promise<number> {
  if (CONSUMPTION_STEPS.includes(name)) {
    return db.transaction().execute(async (trx) => {
      const started = performance.now();
      const consumption = await computeConsumption(trx, scope.communityId, scope.period, { meterParity: name === 'consumption_even' ? 0 : 1 });
      const seconds = Math.round(performance.now() - started) / 1000;
      await recordStep(trx, scope, name, 0, { [name]: { ...consumption, seconds } });
      return 0;
    });
  }
  const step = [...CHARGE_STEPS, ...ADJUSTMENT_STEPS].find((s) => s.name === name);
  let penaltyScope: PenaltyScope | null = null;
  if (!step) {
    if (name !== 'penalties_even' && name !== 'penalties_odd') throw new Error(`unknown billing step ${name}`);
    const settings = await loadSettings(db, scope.communityId);
    if (settings.penaltyEnabled && !settings.penaltyMoratorium) {
      const previous = await db
        .selectFrom('billing_period')
        .select(['due_date', 'snapshot_entry_id'])
        .where('community_id', '=', scope.communityId)
        .where('period', '=', scope.previousPeriod)
        .executeTakeFirst();
      const due = previous?.due_date ?? defaultDueDate(scope.previousPeriod, settings.dueDay);
      penaltyScope = {
        ratePerDay: settings.penaltyRatePerDay,
        overdueDaysOfLastBill: overdueDaysInPeriod(scope.period, scope.periodEnd, due, settings.holidays),
        snapshotEntryId: previous?.snapshot_entry_id ?? null,
      };
    }
  }
  const shape = await sql<{ building: boolean; category: boolean }>`
select coalesce(bool_or(building_id is not null), false) as building, coalesce(bool_or(consumer_category is not null), false) as category
  from tariff where community_id = ${scope.communityId}`.execute(db);
  scope = { ...scope, buildingTariffs: shape.rows[0].building, categoryTariffs: shape.rows[0].category };
  return db.transaction().execute(async (trx) => {
    await sql`set local work_mem = '192MB'`.execute(trx);
    // Row estimates through the tariff CTEs are poor, and a step costed high enough gets
    // JIT-compiled: over a second of compiling for nothing (the steps are joins, not expressions).
    await sql`set local jit = off`.execute(trx);
    // The penalty halves too: like the volume steps they meet every account of their half
    // (measured 9 % less time with hash joins only).
    if (step ? step.hashJoinsOnly : penaltyScope !== null) {
      await sql`set local enable_mergejoin = off`.execute(trx);
      await sql`set local enable_nestloop = off`.execute(trx);
    }
    const half = { ...scope, premiseParity: name === 'penalties_even' ? (0 as const) : (1 as const) };
    const lines = step ? await step.run(trx, scope) : penaltyScope ? await penalties(trx, half, penaltyScope) : 0;
    await recordStep(trx, scope, name, lines);
    return lines;
  });
}

/** Marks a step done (with its line count, and anything to keep in the run's summary) in the step's transaction. */
async function recordStep(trx: Tx, scope: RunScope, name: string, lines: number, extra: Record<string, unknown> = {}) {
  const recorded = await sql`update billing_run
               set summary = coalesce(summary, '{}'::jsonb) || ${JSON.stringify(extra)}::jsonb
                   || jsonb_build_object('steps', coalesce(summary -> 'steps', '{}'::jsonb) || jsonb_build_object(${name}::text, ${lines}::int))
             where community_id = ${scope.communityId} and billing_run_id = ${scope.billingRunId} and status = 'running'`.execute(trx);
  // A newer run of the period superseded this one meanwhile: its lines must not stay behind.
  if (Number(recorded.numAffectedRows ?? 0) === 0) throw supersededError(scope.billingRunId);
}

/**
 * Runs the steps not yet done: penalties and the charge methods two at a time (each on its own connection on
 * PostgreSQL; PGlite's single connection takes them in turn), then the adjustments in order.
 */
export async function runRemainingSteps(
  db: Db,
  scope: RunScope,
  onStep?: (done: number, total: number, name: string) => Promise<void> | void,
  { refreshConsumption = false } = {},
) {
  const steps = runSteps(refreshConsumption);
  const done = await stepsDone(db, scope.communityId, scope.billingRunId);
  let count = Object.keys(done).length;
  const pending = steps.slice(0, steps.length - ADJUSTMENT_STEPS.length).filter((n) => !(n in done));
  const unfinished = new Set(pending);
  // Each step taken, settling when it is done: what a later step waits for.
  const taken = new Map<string, Promise<unknown>>();
  // After a failure neither worker starts another step, and the run fails only once both have
  // stopped: a step still writing when the job is marked failed could be done twice on resume.
  let failure: { error: unknown } | null = null;
  const worker = async () => {
    for (let name = takeNextStep(pending, unfinished); name && !failure; name = takeNextStep(pending, unfinished)) {
      const prerequisites = (WAITS_FOR[name] ?? []).map((p) => taken.get(p));
      const step = Promise.all(prerequisites).then(() => (failure ? undefined : runStep(db, scope, name)));
      taken.set(name, step);
      try {
        await step;
        if (!failure) await onStep?.(++count, steps.length, name);
      } catch (error) {
        failure ??= { error };
      } finally {
        unfinished.delete(name);
      }
    }
  };
  await Promise.all([worker(), worker()]);
  if (failure) throw (failure as { error: unknown }).error;
  // Fresh statistics for the lines just written: the adjustments and the review join them with
  // the ledger, and a planner that still thinks the table empty picks nested loops (PGlite has
  // no autovacuum at all; on a server it would come too late).
  await sql`analyze charge_line`.execute(db);
  for (const name of RUN_STEPS.slice(PARALLEL_STEPS.length)) {
    if (name in done) continue;
    await runStep(db, scope, name);
    await onStep?.(++count, steps.length, name);
  }
  const all = await stepsDone(db, scope.communityId, scope.billingRunId);
  return Object.values(all).reduce((s, n) => s + n, 0);
}

export async function finishRun(db: Db, communityId: number, billingRunId: number, period: Period, lines: number) {
  await flagTariffMismatches(db, communityId, period);
  await db.transaction().execute(async (trx) => {
    const updated = await sql`update billing_run
                 set status = 'calculated', finished_at = now(),
                     summary = coalesce(summary, '{}'::jsonb) || jsonb_build_object('lines', ${lines}::int)
               where community_id = ${communityId} and billing_run_id = ${billingRunId} and status = 'running'`.execute(trx);
    if (Number(updated.numAffectedRows ?? 0) === 0) throw supersededError(billingRunId);
    await trx
      .updateTable('billing_period')
      .set({ status: 'calculated', calculated_at: new Date() })
      .where('community_id', '=', communityId)
      .where('period', '=', period)
      .execute();
  });
  return { lines };
}

/**
 * Closes a calculated period: posts the last run's lines to the ledger and freezes the period in
 * one transaction. The next period is opened for corrections.
 */
export async function closePeriod(db: Db, communityId: number, period: Period, userId: number | null = null) {
  return db.transaction().execute(async (trx) => {
    const p = await trx
      .selectFrom('billing_period')
      .selectAll()
      .where('community_id', '=', communityId)
      .where('period', '=', period)
      .forUpdate()
      .executeTakeFirst();
    if (p?.status === 'closed') throw closedError(period);
    if (!p || p.status !== 'calculated') {
      throw invalid('period_not_calculated', {
        uk: `Період ${period.slice(0, 7)} ще не розраховано: спершу запустіть нарахування`,
        en: `Period ${period.slice(0, 7)} has not been calculated: run billing first`,
      }, { period });
    }
    const run = await trx
      .selectFrom('billing_run')
      .select(['billing_run_id', 'status'])
      .where('community_id', '=', communityId)
      .where('period', '=', period)
      .orderBy('billing_run_id', 'desc')
      .executeTakeFirstOrThrow();
    if (run.status !== 'calculated') {
      throw conflict('run_not_calculated', {
        uk: `Останнє нарахування за ${period.slice(0, 7)} не завершене (${run.status})`,
        en: `The last billing run for ${period.slice(0, 7)} has not finished (${run.status})`,
      }, { billingRunId: run.billing_run_id });
    }
    await lockLedgerForSnapshot(trx);
    const posted = await sql`
      insert into ledger_entry (community_id, account_id, period, kind, amount, volume, tariff, source, billing_run_id, created_by)
      select community_id, account_id, period, kind, amount, volume, tariff, 'billing', billing_run_id, ${userId}::bigint
        from charge_line
       where community_id = ${communityId} and billing_run_id = ${run.billing_run_id}`.execute(trx);
    await trx
      .updateTable('billing_run')
      .set({ status: 'posted' })
      .where('community_id', '=', communityId)
      .where('billing_run_id', '=', run.billing_run_id)
      .execute();
    await writeLedgerSnapshot(trx, communityId, period);
    const closed = await trx
      .updateTable('billing_period')
      .set({ status: 'closed', closed_at: new Date(), closed_by: userId })
      .where('community_id', '=', communityId)
      .where('period', '=', period)
      .returningAll()
      .executeTakeFirstOrThrow();
    await writeAudit(trx, { communityId, userId }, 'close', 'billing_period', period, p, { ...closed, billing_run_id: run.billing_run_id, posted: Number(posted.numAffectedRows ?? 0) });
    const settings = await loadSettings(trx, communityId);
    // The first close fixes the go-live month when no administrator set it before.
    if (settings.firstPeriod === null) {
      await trx.insertInto('billing_settings').values({ community_id: communityId, first_period: period }).onConflict((oc) => oc.column('community_id').doUpdateSet({ first_period: period })).execute();
    }
    await ensurePeriod(trx, communityId, nextPeriod(period), settings.dueDay);
    // The ledger just grew by a month: next month's penalties and outliers read it.
    await sql`analyze ledger_entry`.execute(trx);
    return { billingRunId: run.billing_run_id, posted: Number(posted.numAffectedRows ?? 0) };
  });
}

/**
 * The period a correction goes to: the earliest billing period not yet closed after the last
 * closed one, so that it is on the next bill (in early December that is still November, if November
 * is open). With no such period: the month after the last closed one, or `fallback` (this month)
 * if that is later or nothing was ever closed.
 */
export async function openPeriodForCorrections(db: DbOrTx, communityId: number, fallback: Period): Promise<Period> {
  const last = await db
    .selectFrom('billing_period')
    .select((eb) => eb.fn.max('period').as('period'))
    .where('community_id', '=', communityId)
    .where('status', '=', 'closed')
    .executeTakeFirst();
  const open = await db
    .selectFrom('billing_period')
    .select((eb) => eb.fn.min('period').as('period'))
    .where('community_id', '=', communityId)
    .where('status', '<>', 'closed')
    .$if(Boolean(last?.period), (qb) => qb.where('period', '>', last!.period!))
    .executeTakeFirst();
  return choosePeriodForCorrections(last?.period ?? null, open?.period ?? null, fallback);
}

/**
 * The rule of `openPeriodForCorrections` on its two figures (the last closed period, the first
 * one after it not closed), for a caller that read them in a larger statement.
 */
export function choosePeriodForCorrections(lastClosed: Period | null, firstOpen: Period | null, fallback: Period): Period {
  if (firstOpen) return firstOpen;
  if (!lastClosed) return fallback;
  const next = nextPeriod(lastClosed);
  return next > fallback ? next : fallback;
}

/**
 * An administrator discards a run that is not closed: its lines are removed, the run is marked
 * `discarded` and the period goes back to open (so it blocks no later month), with the reason in
 * the audit log. A closed period stays frozen; a run still running is refused (wait for it).
 */
export async function discardRun(db: Db, actor: { communityId: number; userId: number }, billingRunId: number, reason: string) {
  return db.transaction().execute(async (trx) => {
    const run = await trx
      .selectFrom('billing_run')
      .selectAll()
      .where('community_id', '=', actor.communityId)
      .where('billing_run_id', '=', billingRunId)
      .forUpdate()
      .executeTakeFirst();
    if (!run) throw notFound({ uk: `Нарахування №${billingRunId}`, en: `Billing run ${billingRunId}` });
    const period = periodOf(run.period);
    const p = await trx.selectFrom('billing_period').selectAll().where('community_id', '=', actor.communityId).where('period', '=', period).forUpdate().executeTakeFirstOrThrow();
    if (p.status === 'closed' || run.status === 'posted') throw closedError(period);
    if (run.status !== 'calculated' && run.status !== 'failed') {
      throw conflict('run_not_discardable', {
        uk: `Нарахування №${billingRunId} не можна скасувати: воно ${run.status === 'running' ? 'ще виконується' : 'вже замінене або скасоване'} (${run.status})`,
        en: `Billing run ${billingRunId} cannot be discarded: it is ${run.status === 'running' ? 'still running' : 'already superseded or discarded'} (${run.status})`,
      }, { billingRunId, status: run.status });
    }
    const removed = await trx.deleteFrom('charge_line').where('community_id', '=', actor.communityId).where('billing_run_id', '=', billingRunId).executeTakeFirst();
    const lines = Number(removed.numDeletedRows ?? 0);
    await trx.updateTable('billing_run').set({ status: 'discarded', finished_at: new Date() }).where('community_id', '=', actor.communityId).where('billing_run_id', '=', billingRunId).execute();
    await trx.updateTable('billing_period').set({ status: 'open' }).where('community_id', '=', actor.communityId).where('period', '=', period).execute();
    await writeAudit(trx, actor, 'discard', 'billing_run', billingRunId, { status: run.status, period_status: p.status }, { status: 'discarded', period, lines_removed: lines, reason });
    return { billingRunId, period, linesRemoved: lines };
  });
}

/** An administrator sets the community's first billing period, once. */
export async function setFirstPeriod(db: Db, actor: { communityId: number; userId: number }, period: Period, today = kyivToday()) {
  return db.transaction().execute(async (trx) => {
    await trx.insertInto('billing_settings').values({ community_id: actor.communityId }).onConflict((oc) => oc.doNothing()).execute();
    const before = await trx.selectFrom('billing_settings').selectAll().where('community_id', '=', actor.communityId).forUpdate().executeTakeFirstOrThrow();
    if (before.first_period) {
      const first = periodOf(before.first_period).slice(0, 7);
      throw conflict('first_period_set', {
        uk: `Перший розрахунковий період уже встановлено (${first}): його не змінюють`,
        en: `The first billing period is already set (${first}) and cannot change`,
      }, { field: 'period' });
    }
    const tooFar = runPeriodProblem(period, null, today);
    if (tooFar) throw invalid(tooFar.code, { uk: tooFar.uk, en: tooFar.en }, { field: 'period' });
    const closedBefore = await trx.selectFrom('billing_period').select('period').where('community_id', '=', actor.communityId).where('status', '=', 'closed').where('period', '<', period).executeTakeFirst();
    if (closedBefore) {
      throw conflict('closed_before_first_period', {
        uk: `Період ${periodOf(closedBefore.period).slice(0, 7)} уже закрито: перший період не може бути пізнішим`,
        en: `Period ${periodOf(closedBefore.period).slice(0, 7)} is already closed: the first period cannot be later`,
      }, { field: 'period' });
    }
    await trx.updateTable('billing_settings').set({ first_period: period }).where('community_id', '=', actor.communityId).execute();
    await writeAudit(trx, actor, 'set_first_period', 'billing_settings', actor.communityId, { first_period: null }, { first_period: period });
  });
}
