import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { execSql, type DatabaseHandle } from '../../src/db/index';
import type { JobQueue } from '../../src/jobs/queue';
import { BILLING_CLOSE_JOB, BILLING_RUN_JOB } from '../../src/billing/jobs';
import { postLedgerEntries } from '../../src/billing/ledger';
import { accountStatement, premiseBalances, premisePeriodLines } from '../../src/billing/statements';
import { amountDue } from '../../src/billing/amount-due';
import { startRun } from '../../src/billing/run';
import { A, C, NOV, OCT, openBillingTown, linesOf } from './billing-fixture';

/**
 * Two months of a small town, every figure worked by hand (the arithmetic is in the comments),
 * through the real job, the real SQL engine and the ledger.
 */
describe('billing: October and November, to the kopeck', () => {
  let h: DatabaseHandle;
  let jobs: JobQueue;
  let octRun: number;
  let novRun: number;

  const run = async (period: string) => {
    // refreshConsumption: false — the fixture writes meter_consumption by hand (it has no readings).
    const { result } = await jobs.runNow(C, BILLING_RUN_JOB, { period, refreshConsumption: false });
    const { billingRunId, lines } = result as { billingRunId: number; lines: number };
    const counted = await sql<{ n: number }>`select count(*)::int as n from charge_line where billing_run_id = ${billingRunId}`.execute(h.db);
    expect(lines).toBe(counted.rows[0].n);
    return billingRunId;
  };
  const close = (period: string) => jobs.runNow(C, BILLING_CLOSE_JOB, { period });
  const pay = (accountId: number, period: string, amount: number) =>
    h.db.transaction().execute((trx) => postLedgerEntries(trx, [{ communityId: C, accountId, period, kind: 'payment', amount: -amount, source: 'payment' }]));

  beforeAll(async () => {
    ({ h, jobs } = await openBillingTown());
  }, 60_000);
  afterAll(() => h?.close());

  it('October: every method', async () => {
    await pay(A.p1Cold, OCT, 40000); // 400.00 paid in October against the imported 1,000.00
    octRun = await run(OCT);
    // Cold water 29.988 UAH/m³ (the September price 25.00 has ended). Building meter 26 m³,
    // apartment meters 9 + 5 = 14 → imbalance 12 m³ by area 50 : 70 : 80 of 200 → 3, 4.2, 4.8 m³.
    // Premise 1: 9 × 29.988 = 269.892 → 269.89; 3 × 29.988 = 89.964 → 89.96.
    //   Benefit: 50 % for 1 of 2 persons within 2 m³ a person: 359.85 × 4/12 × 50 % / 2 = 29.9875 → 29.99.
    //   Penalty: 1,000.00 − 400.00 = 600.00 overdue all 31 days × 0.01 % = 1.86.
    expect(await linesOf(h.db, octRun, A.p1Cold)).toEqual([
      ['benefit', 'benefit', null, -2999],
      ['charge', 'building_distribution', null, 8996],
      ['charge', 'metered', 1, 26989],
      ['penalty', 'penalty', null, 186],
    ]);
    // Premise 2: meter past verification → norm 3 × 4.6 = 13.8 m³ × 29.988 = 413.8344 → 413.83;
    //   imbalance 4.2 × 29.988 = 125.9496 → 125.95.
    expect(await linesOf(h.db, octRun, A.p2Cold)).toEqual([
      ['charge', 'building_distribution', null, 12595],
      ['charge', 'norm', null, 41383],
    ]);
    // Premise 3: no meter → 1 person (the other moved out in September) × 4.6 = 4.6 × 29.988 = 137.9448 → 137.94;
    //   imbalance 4.8 × 29.988 = 143.9424 → 143.94; absent 12 of 31 days: 281.88 × 12/31 = 109.1148 → −109.11.
    expect(await linesOf(h.db, octRun, A.p3Cold)).toEqual([
      ['charge', 'building_distribution', null, 14394],
      ['charge', 'norm', null, 13794],
      ['recalculation', 'recalculation', null, -10911],
    ]);
    // Electricity 4.32: two zones 150 × 4.32 = 648.00, 90 × 2.16 = 194.40.
    expect(await linesOf(h.db, octRun, A.p1Electricity)).toEqual([
      ['charge', 'metered', 1, 64800],
      ['charge', 'metered', 2, 19440],
    ]);
    // No reading and no norm for electricity: nothing to charge.
    expect(await linesOf(h.db, octRun, A.p2Electricity)).toEqual([]);
    // Electric heating category: 2000 × 2.64 + 500 × 4.32 = 5,280 + 2,160 = 7,440.00.
    expect(await linesOf(h.db, octRun, A.p3Electricity)).toEqual([['charge', 'metered', 1, 744000]]);
    // Heating by heated area 40.6: 50 × 40.6 = 2,030.00; 70 × 40.6 = 2,842.00; 0 m² heated → nothing.
    expect(await linesOf(h.db, octRun, A.p1Heating)).toEqual([['charge', 'area_heated', null, 203000]]);
    // Premise 2 heating benefit: norm 21 × 3 + 10.5 = 73.5 m² ≥ 70 → 2,842.00 × 100 % / 3 = 947.333 → −947.33;
    //   subsidy credited −845.12.
    expect(await linesOf(h.db, octRun, A.p2Heating)).toEqual([
      ['benefit', 'benefit', null, -94733],
      ['charge', 'area_heated', null, 284200],
      ['subsidy', 'subsidy', null, -84512],
    ]);
    expect(await linesOf(h.db, octRun, A.p3Heating)).toEqual([]);
    // Building 2 has its own tariff: 20 Gcal × 100 UAH split with common area 40 m² × 0.5:
    //   (50·200 + 20·50)/(200·120) = 11/24 → 916.666… → 916.67; premise 6: 2000/24000 → 166.67.
    expect(await linesOf(h.db, octRun, A.p4Heating)).toEqual([['charge', 'heat_distribution', null, 91667]]);
    expect(await linesOf(h.db, octRun, A.p5Heating)).toEqual([['charge', 'heat_distribution', null, 91667]]);
    expect(await linesOf(h.db, octRun, A.p6Heating)).toEqual([['charge', 'heat_distribution', null, 16667]]);
    // Management 5.75 UAH/m²: 50 → 287.50, 70 → 402.50, 80 → 460.00.
    expect(await linesOf(h.db, octRun, A.p1Management)).toEqual([['charge', 'area_total', null, 28750]]);
    expect(await linesOf(h.db, octRun, A.p2Management)).toEqual([['charge', 'area_total', null, 40250]]);
    expect(await linesOf(h.db, octRun, A.p3Management)).toEqual([['charge', 'area_total', null, 46000]]);
    // Waste 47.80 a person + 6.14: 2 → 101.74, 3 → 149.54, 1 → 53.94.
    expect(await linesOf(h.db, octRun, A.p1Waste)).toEqual([['charge', 'per_person', null, 10174]]);
    expect(await linesOf(h.db, octRun, A.p2Waste)).toEqual([['charge', 'per_person', null, 14954]]);
    expect(await linesOf(h.db, octRun, A.p3Waste)).toEqual([['charge', 'per_person', null, 5394]]);
    // Intercom 25.00 per premise: once, on the premise's first account.
    expect(await linesOf(h.db, octRun, A.p1Intercom)).toEqual([['charge', 'fixed_premise', null, 2500]]);
    expect(await linesOf(h.db, octRun, A.p1IntercomSecond)).toEqual([]);
    // Gas distribution 1,340 m³ × 1.79 ÷ 12 = 199.883 → 199.88; parking 350.00.
    expect(await linesOf(h.db, octRun, A.p2GasDistribution)).toEqual([['charge', 'capacity', null, 19988]]);
    expect(await linesOf(h.db, octRun, A.p3Parking)).toEqual([['charge', 'fixed_account', null, 35000]]);

    const period = await h.db.selectFrom('billing_period').selectAll().where('period', '=', OCT).executeTakeFirstOrThrow();
    expect(period).toMatchObject({ status: 'calculated', due_date: '2026-11-20' });
  });

  it('a repeated run replaces its own lines with the same result', async () => {
    const before = await sql`select account_id, kind, method, zone, amount from charge_line where billing_run_id = ${octRun} order by 1, 2, 3, 4, 5`.execute(h.db);
    const again = await run(OCT);
    expect(again).not.toBe(octRun);
    const after = await sql`select account_id, kind, method, zone, amount from charge_line where billing_run_id = ${again} order by 1, 2, 3, 4, 5`.execute(h.db);
    expect(after.rows).toEqual(before.rows);
    const left = await sql<{ n: number }>`select count(*)::int as n from charge_line where billing_run_id = ${octRun}`.execute(h.db);
    expect(left.rows[0].n).toBe(0);
    const old = await h.db.selectFrom('billing_run').select('status').where('billing_run_id', '=', octRun).executeTakeFirstOrThrow();
    expect(old.status).toBe('superseded');
    octRun = again;
  });

  it('November cannot run before October closes', async () => {
    await expect(startRun(h.db, C, NOV)).rejects.toMatchObject({ code: 'earlier_period_open' });
  });

  it('closing posts the run to the ledger and freezes October', async () => {
    const { result } = await close(OCT);
    const lines = await sql<{ n: number; s: number }>`select count(*)::int as n, sum(amount)::bigint as s from charge_line where billing_run_id = ${octRun}`.execute(h.db);
    const posted = await sql<{ n: number; s: number }>`select count(*)::int as n, sum(amount)::bigint as s from ledger_entry where billing_run_id = ${octRun}`.execute(h.db);
    expect(posted.rows[0]).toEqual(lines.rows[0]);
    expect((result as { posted: number }).posted).toBe(lines.rows[0].n);

    const refused = [
      sql`insert into ledger_entry (community_id, account_id, period, kind, amount, source) values (1, 11, '2026-10-01', 'charge', 1, 'import')`,
      sql`update ledger_entry set amount = amount + 1 where period = '2026-10-01'`,
      sql`delete from ledger_entry where period = '2026-10-01'`,
      sql`insert into charge_line (community_id, billing_run_id, account_id, period, kind, method, amount) values (1, ${octRun}, 11, '2026-10-01', 'charge', 'manual', 1)`,
      sql`delete from charge_line where billing_run_id = ${octRun}`,
      sql`update charge_line set amount = 0 where billing_run_id = ${octRun}`,
      sql`update billing_period set status = 'open' where period = '2026-10-01'`,
      sql`delete from billing_period where period = '2026-10-01'`,
    ];
    for (const q of refused) await expect(q.execute(h.db)).rejects.toThrow();
    await expect(startRun(h.db, C, OCT)).rejects.toMatchObject({ code: 'period_closed' });
    await expect(close(OCT)).rejects.toMatchObject({ code: 'period_closed' });
    const after = await sql<{ n: number; s: number }>`select count(*)::int as n, sum(amount)::bigint as s from ledger_entry where period = '2026-10-01'`.execute(h.db);
    expect(after.rows[0]).toEqual({ n: lines.rows[0].n + 1, s: Number(lines.rows[0].s) - 40000 });
    const nov = await h.db.selectFrom('billing_period').select('status').where('period', '=', NOV).executeTakeFirstOrThrow();
    expect(nov.status).toBe('open');
  });

  it('November: an estimated reading, the benefit again, a payment and penalties', async () => {
    await pay(A.p1Cold, NOV, 50000);
    novRun = await run(NOV);
    // Premise 1 cold water: 11 m³ (estimated) × 29.988 = 329.868 → 329.87; no building reading → no imbalance.
    //   Benefit 329.87 × 4/11 × 50 % / 2 = 29.98818… → −29.99.
    //   Penalty: before November (penalties excluded) 1,000 − 400 + 269.89 + 89.96 − 29.99 = 929.86, of which
    //   the October bill 329.86 and older 600.00; paid 500.00 → older 100.00 unpaid all 30 days, the October
    //   bill unpaid from the first working day after Friday 20 November (Monday 23rd): 8 days.
    //   (10,000 × 30 + 32,986 × 8) × 0.0001 = 56.3888 → 0.56.
    expect(await linesOf(h.db, novRun, A.p1Cold)).toEqual([
      ['benefit', 'benefit', null, -2999],
      ['charge', 'metered', 1, 32987],
      ['penalty', 'penalty', null, 56],
    ]);
    const estimated = await h.db.selectFrom('charge_line').select('estimated').where('billing_run_id', '=', novRun).where('account_id', '=', A.p1Cold).where('method', '=', 'metered').executeTakeFirstOrThrow();
    expect(estimated.estimated).toBe(true);
    // Premise 2 cold water: no November reading → norm 413.83; penalty on the unpaid October bill
    //   (413.83 + 125.95 = 539.78) × 8 days × 0.01 % = 0.431824 → 0.43.
    expect(await linesOf(h.db, novRun, A.p2Cold)).toEqual([
      ['charge', 'norm', null, 41383],
      ['penalty', 'penalty', null, 43],
    ]);
    // Premise 2 heating: October net 2,842.00 − 947.33 − 845.12 = 1,049.55 × 8 × 0.01 % = 0.83964 → 0.84.
    expect((await linesOf(h.db, novRun, A.p2Heating)).find((l) => l[0] === 'penalty')).toEqual(['penalty', 'penalty', null, 84]);
    // Premise 3 cold water: 137.94 + 143.94 − 109.11 = 172.77 × 8 × 0.01 % = 0.138216 → 0.14.
    expect((await linesOf(h.db, novRun, A.p3Cold)).find((l) => l[0] === 'penalty')).toEqual(['penalty', 'penalty', null, 14]);
  });

  it('a moratorium switches penalties off; lifting it brings the same run back', async () => {
    const withPenalties = await sql`select account_id, kind, amount from charge_line where billing_run_id = ${novRun} order by 1, 2, 3`.execute(h.db);
    await execSql(h.db, `insert into billing_settings (community_id, penalty_moratorium) values (1, true) on conflict (community_id) do update set penalty_moratorium = true`);
    const moratorium = await run(NOV);
    const penalties = await sql<{ n: number }>`select count(*)::int as n from charge_line where billing_run_id = ${moratorium} and kind = 'penalty'`.execute(h.db);
    expect(penalties.rows[0].n).toBe(0);
    await execSql(h.db, `update billing_settings set penalty_moratorium = false where community_id = 1`);
    novRun = await run(NOV);
    const again = await sql`select account_id, kind, amount from charge_line where billing_run_id = ${novRun} order by 1, 2, 3`.execute(h.db);
    expect(again.rows).toEqual(withPenalties.rows);
  });

  it('statements agree with the ledger, per account and per unified account', async () => {
    await close(NOV);
    // Premise 1 cold water: opened at 929.86 + October penalty 1.86 = 931.72; + 329.87 − 29.99 + 0.56 − 500.00 = 732.16.
    const st = await accountStatement(h.db, C, A.p1Cold);
    expect(st.map((r) => r.period)).toEqual(['2026-09-01', '2026-10-01', '2026-11-01']);
    expect(st[2]).toEqual({
      period: NOV,
      opening: 93172,
      charged: 32987,
      recalculations: 0,
      benefits: -2999,
      subsidies: 0,
      penalties: 56,
      adjustments: 0,
      paid: -50000,
      closing: 73216,
    });
    expect(st[1]).toMatchObject({ opening: 100000, charged: 35985, benefits: -2999, penalties: 186, paid: -40000, closing: 93172 });
    // Every account: the last closing is the sum of its ledger.
    const sums = await sql<{ account_id: number; s: number }>`select account_id, sum(amount)::bigint as s from ledger_entry group by account_id`.execute(h.db);
    for (const { account_id, s } of sums.rows) {
      const rows = await accountStatement(h.db, C, account_id);
      expect(rows.at(-1)!.closing).toBe(s);
    }
    // The unified account of premise 1 for November adds up its personal accounts.
    const lines = await premisePeriodLines(h.db, C, 1, NOV);
    const total = await sql<{ s: number }>`select sum(le.amount)::bigint as s from ledger_entry le join account a using (community_id, account_id) where a.premise_id = 1`.execute(h.db);
    expect(lines.reduce((s, l) => s + Number(l.closing), 0)).toBe(total.rows[0].s);
    const coldLine = lines.find((l) => l.account_id === A.p1Cold)!;
    expect(coldLine).toMatchObject({ opening: 93172, closing: 73216, paid: -50000 });
    // "To pay" of the November bill is what each account's closing owes, advances apart.
    const due = amountDue(await premiseBalances(h.db, C, 1, NOV));
    for (const line of lines) {
      const dueLine = due.lines.find((d) => d.account.accountId === line.account_id)!;
      expect(dueLine.toPay - dueLine.advance).toBe(Number(line.closing));
    }
    expect(due.total).toBe(lines.reduce((s, l) => s + Math.max(Number(l.closing), 0), 0));
    expect(due.lines.find((d) => d.account.accountId === A.p1Cold)!.toPay).toBe(73216);
  });
});
