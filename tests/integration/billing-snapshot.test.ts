import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { DatabaseHandle } from '../../src/db/index';
import type { JobQueue } from '../../src/jobs/queue';
import { BILLING_CLOSE_JOB, BILLING_RUN_JOB } from '../../src/billing/jobs';
import { penalties, type PenaltyScope } from '../../src/billing/engine';
import { postLedgerEntries, type NewLedgerEntry } from '../../src/billing/ledger';
import { scopeOf } from '../../src/billing/run';
import { runOutliers } from '../../src/billing/run-report';
import { prevPeriod } from '../../src/shared/period';
import { A, C, NOV, OCT, openBillingTown } from './billing-fixture';

const DEC = '2026-12-01';

/**
 * The ledger snapshot written at close must count exactly what the whole ledger says, and
 * penalties started from it must equal penalties read from every entry — also for entries the
 * snapshot could miss: a payment of the next month posted before the close, and entries posted
 * after the close to a month that never was a billing period.
 */
describe('billing: the ledger snapshot written at close', () => {
  let h: DatabaseHandle;
  let jobs: JobQueue;

  const post = (entries: Array<Omit<NewLedgerEntry, 'communityId' | 'source'>>) =>
    h.db.transaction().execute((trx) => postLedgerEntries(trx, entries.map((e) => ({ ...e, communityId: C, source: 'manual' as const, reason: 'test' }))));
  const runAndClose = async (period: string) => {
    await jobs.runNow(C, BILLING_RUN_JOB, { period, refreshConsumption: false });
    await jobs.runNow(C, BILLING_CLOSE_JOB, { period });
  };
  const mark = async (period: string) =>
    (await h.db.selectFrom('billing_period').select('snapshot_entry_id').where('community_id', '=', C).where('period', '=', period).executeTakeFirstOrThrow()).snapshot_entry_id;

  /** The snapshot's rows beside the same sums taken from the ledger up to the mark. */
  const compareWithLedger = async (period: string) => {
    const upTo = await mark(period);
    expect(upTo).toBeGreaterThan(0);
    const snapshot = await sql<{ account_id: number; principal: number; penalties: number; last_bill: number }>`
      select account_id, principal, penalties, last_bill, charged_1, charged_2, charged_3
        from ledger_snapshot where community_id = ${C} and period = ${period}::date
       order by account_id`.execute(h.db);
    // charged_1..3: the charges of the period and of the two before; null for a month with none.
    const direct = await sql<{ account_id: number; principal: number; penalties: number; last_bill: number }>`
      select account_id,
             coalesce(sum(amount) filter (where kind <> 'penalty'), 0)::bigint as principal,
             coalesce(sum(amount) filter (where kind = 'penalty'), 0)::bigint as penalties,
             coalesce(sum(amount) filter (where period = ${period}::date and kind not in ('payment', 'penalty', 'opening_balance')), 0)::bigint as last_bill,
             sum(amount) filter (where kind = 'charge' and period = ${period}::date)::bigint as charged_1,
             sum(amount) filter (where kind = 'charge' and period = ${prevPeriod(period)}::date)::bigint as charged_2,
             sum(amount) filter (where kind = 'charge' and period = ${prevPeriod(period, 2)}::date)::bigint as charged_3
        from ledger_entry where community_id = ${C} and period <= ${period}::date and entry_id <= ${upTo}
       group by account_id order by account_id`.execute(h.db);
    expect(snapshot.rows.length).toBeGreaterThan(0);
    expect(snapshot.rows).toEqual(direct.rows);
  };

  /** Penalties of `period` into a run of their own, from the snapshot (mark) or from every entry (null). */
  const penaltyLines = async (period: string, snapshotEntryId: number | null) => {
    const run = await h.db.insertInto('billing_run').values({ community_id: C, period, status: 'superseded' }).returning('billing_run_id').executeTakeFirstOrThrow();
    const scope = scopeOf(C, run.billing_run_id, period);
    const p: PenaltyScope = { ratePerDay: '0.0001', overdueDaysOfLastBill: 8, snapshotEntryId };
    for (const premiseParity of [0, 1] as const) {
      await h.db.transaction().execute((trx) => penalties(trx, { ...scope, premiseParity }, p));
    }
    const lines = await sql<{ account_id: number; amount: number }>`
      select account_id, amount from charge_line where billing_run_id = ${run.billing_run_id} order by account_id`.execute(h.db);
    await sql`delete from charge_line where billing_run_id = ${run.billing_run_id}`.execute(h.db);
    return lines.rows;
  };

  beforeAll(async () => {
    ({ h, jobs } = await openBillingTown());
  }, 60_000);
  afterAll(() => h?.close());

  it('October: the first snapshot sums the whole ledger', async () => {
    await post([{ accountId: A.p1Cold, period: OCT, kind: 'payment', amount: -40000 }]);
    // A payment of November that arrives while October is still open.
    await post([{ accountId: A.p2Cold, period: NOV, kind: 'payment', amount: -20000 }]);
    await runAndClose(OCT);
    await compareWithLedger(OCT);
  });

  it('November: penalties from the snapshot equal penalties from the whole ledger', async () => {
    // After the close: an opening balance found late for September (never a billing period), and payments.
    await post([
      { accountId: A.p3Cold, period: '2026-09-01', kind: 'opening_balance', amount: 54321 },
      { accountId: A.p1Cold, period: NOV, kind: 'payment', amount: -12345 },
    ]);
    const fromSnapshot = await penaltyLines(NOV, await mark(OCT));
    const fromLedger = await penaltyLines(NOV, null);
    expect(fromLedger.length).toBeGreaterThan(2);
    expect(fromSnapshot).toEqual(fromLedger);
    // The late opening balance is owed all month: premise 3's penalty counts it.
    expect(fromSnapshot.find((l) => l.account_id === A.p3Cold)!.amount).toBeGreaterThanOrEqual(Math.round(54321 * 30 * 0.0001));
  });

  it('December: the next snapshot adds the month to the last one and replaces it', async () => {
    await runAndClose(NOV);
    await compareWithLedger(NOV);
    const older = await sql<{ n: number }>`select count(*)::int as n from ledger_snapshot where period < ${NOV}::date`.execute(h.db);
    expect(older.rows[0].n).toBe(0);
    await post([{ accountId: A.p2Cold, period: '2026-09-01', kind: 'adjustment', amount: 777 }]);
    expect(await penaltyLines(DEC, await mark(NOV))).toEqual(await penaltyLines(DEC, null));
  });

  it("December's review: usual charges from the snapshot equal those from every charge entry", async () => {
    // A charge posted after November's close to September (never a billing period) is in the
    // window the usual charge averages: that account is read from the ledger.
    await post([{ accountId: A.p1Cold, period: '2026-09-01', kind: 'charge', amount: 4321 }]);
    const { result } = await jobs.runNow(C, BILLING_RUN_JOB, { period: DEC, refreshConsumption: false });
    const runId = (result as { billingRunId: number }).billingRunId;
    // Factor 0: every account charged this month that has a usual charge is listed, with it.
    const fromSnapshot = await runOutliers(h.db, C, runId, DEC, '0');
    const fromLedger = await runOutliers(h.db, C, runId, DEC, '0', 200, { fromLedger: true });
    expect(fromLedger.length).toBeGreaterThan(2);
    expect(fromLedger.map((o) => o.account_id)).toContain(A.p1Cold);
    expect(fromSnapshot).toEqual(fromLedger);
  });
});
