import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sql } from 'kysely';
import type { DatabaseHandle } from '../../src/db/index';
import type { JobQueue } from '../../src/jobs/queue';
import { BILLING_CLOSE_JOB, BILLING_RUN_JOB } from '../../src/billing/jobs';
import { postLedgerEntries } from '../../src/billing/ledger';
import { accountStatement, premiseStatement } from '../../src/billing/statements';
import { meteredCharge } from '../../src/billing/methods/metered';
import { areaCharge, normCharge } from '../../src/billing/methods/simple';
import { distributeHeat, distributeImbalance } from '../../src/billing/methods/distribution';
import { benefitAmount } from '../../src/billing/methods/adjustments';
import { A, C, NOV, OCT, openBillingTown, linesOf } from './billing-fixture';

/** A decimal string with up to `places` decimals between 0 and max. */
const decimal = (max: number, places: number) =>
  fc.integer({ min: 0, max: max * 10 ** places }).map((n) => (n / 10 ** places).toFixed(places));

/**
 * Properties of the SQL engine and the ledger, on random inputs: every line the set-based run
 * writes equals what the pure method computes; a repeated run gives the same lines; statements
 * always add up to the ledger; a closed period is unchanged by anything tried against it.
 */
describe('billing properties', () => {
  let h: DatabaseHandle;
  let jobs: JobQueue;
  const run = async (period: string) => {
    // refreshConsumption: false — the fixture writes meter_consumption by hand (random volumes, no readings).
    const { result } = await jobs.runNow(C, BILLING_RUN_JOB, { period, refreshConsumption: false });
    return (result as { billingRunId: number }).billingRunId;
  };
  const snapshot = (runId: number) =>
    sql<{ account_id: number; kind: string; method: string; zone: number | null; amount: number }>`
      select account_id, kind, method, zone, amount from charge_line where billing_run_id = ${runId} order by 1, 2, 3, 4, 5`
      .execute(h.db)
      .then((r) => r.rows);

  beforeAll(async () => {
    ({ h, jobs } = await openBillingTown());
  }, 60_000);
  afterAll(() => h?.close());

  it('the SQL engine computes every line as the pure methods do, and a repeated run gives the same lines', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          coldPrice: decimal(60, 3),
          p1Volume: decimal(40, 3),
          buildingExtra: decimal(30, 3),
          day: decimal(400, 1),
          night: decimal(300, 1),
          heating: decimal(4000, 0),
          managementPrice: decimal(9, 2),
          heat: decimal(60, 3),
          heatPrice: decimal(3000, 2),
        }),
        async (x) => {
          await sql`update tariff set price = ${x.coldPrice} where tariff_id = 2`.execute(h.db);
          await sql`update tariff set price = ${x.managementPrice} where tariff_id = 7`.execute(h.db);
          await sql`update tariff set price = ${x.heatPrice} where tariff_id = 6`.execute(h.db);
          const building = (Number(x.p1Volume) + 5 + Number(x.buildingExtra)).toFixed(3);
          for (const [meter, zone, volume] of [
            [1, 1, x.p1Volume],
            [3, 1, building],
            [4, 1, x.day],
            [4, 2, x.night],
            [5, 1, x.heating],
            [6, 1, x.heat],
          ] as const) {
            await sql`update meter_consumption set volume = ${volume} where period = ${OCT} and meter_id = ${meter} and zone = ${zone}`.execute(h.db);
          }
          const runId = await run(OCT);
          const lines = await linesOf(h.db, runId, A.p1Cold);
          const amountOf = (rows: unknown[][], method: string, zone: number | null = null) =>
            (rows.find((l) => l[0] === 'charge' && l[1] === method && l[2] === zone)?.[3] as number | undefined) ?? 0;

          // Premise 1 cold water, its share of the imbalance (by area 50/70/80), its benefit.
          const metered = meteredCharge([{ zone: 1, volume: x.p1Volume }], { price: x.coldPrice })[0].amount;
          expect(amountOf(lines, 'metered', 1)).toBe(metered);
          const shares = distributeImbalance(
            building,
            [
              { premiseId: 1, totalArea: '50', persons: 2, consumption: x.p1Volume },
              { premiseId: 2, totalArea: '70', persons: 3, consumption: '5' },
              { premiseId: 3, totalArea: '80', persons: 1, consumption: '0' },
            ],
            'area',
            x.coldPrice,
          );
          expect(amountOf(lines, 'building_distribution')).toBe(shares.find((s) => s.premiseId === 1)?.amount ?? 0);
          expect(amountOf(await linesOf(h.db, runId, A.p2Cold), 'norm')).toBe(normCharge(3, '4.6', x.coldPrice));
          // The benefit sees the lines that exist (a line rounded to zero is not written).
          const share = shares.find((x) => x.premiseId === 1);
          const charge = metered + (share?.amount ?? 0);
          const quantity = (metered !== 0 ? Number(x.p1Volume) : 0) + (share && share.amount !== 0 ? share.volume.toNumber() : 0);
          const benefit = benefitAmount({
            charge,
            quantity: share && share.amount !== 0 ? share.volume.plus(metered !== 0 ? x.p1Volume : 0).toString() : String(quantity),
            persons: 2,
            socialNormPerPerson: '2',
            entitledPercents: ['50'],
          });
          expect((lines.find((l) => l[0] === 'benefit')?.[3] as number | undefined) ?? 0).toBe(benefit);

          // Electricity: two zones; electric heating over tiers.
          const zones = meteredCharge(
            [
              { zone: 1, volume: x.day },
              { zone: 2, volume: x.night },
            ],
            { price: '4.32', zoneCoefficients: ['1', '0.5'] },
          );
          const e1 = await linesOf(h.db, runId, A.p1Electricity);
          for (const z of zones) expect(amountOf(e1, 'metered', z.zone)).toBe(z.amount);
          const tiered = meteredCharge([{ zone: 1, volume: x.heating }], {
            price: '4.32',
            tiers: [
              { from: '0', to: '2000', price: '2.64' },
              { from: '2000', to: null, price: '4.32' },
            ],
          });
          expect(amountOf(await linesOf(h.db, runId, A.p3Electricity), 'metered', 1)).toBe(tiered[0].amount);

          // Management per m², building 2 heat shared with common areas.
          expect(amountOf(await linesOf(h.db, runId, A.p2Management), 'area_total')).toBe(areaCharge('70', x.managementPrice));
          const heat = distributeHeat(
            x.heat,
            [
              { premiseId: 4, heatedArea: '50', totalArea: '50' },
              { premiseId: 5, heatedArea: '50', totalArea: '50' },
              { premiseId: 6, heatedArea: '0', totalArea: '100' },
            ],
            '40',
            '0.5',
            x.heatPrice,
          );
          expect(amountOf(await linesOf(h.db, runId, A.p6Heating), 'heat_distribution')).toBe(heat[2].amount);

          // The same inputs, run again: the same lines, and the old ones gone.
          const first = await snapshot(runId);
          const again = await run(OCT);
          expect(await snapshot(again)).toEqual(first);
          expect(await snapshot(runId)).toEqual([]);
        },
      ),
      {
        numRuns: 12,
        // Found once: a benefit that rounds to zero must be 0, not −0.
        examples: [[{ coldPrice: '0.001', p1Volume: '5.000', buildingExtra: '0.000', day: '0.0', night: '0.0', heating: '0', managementPrice: '0.00', heat: '0.000', heatPrice: '0.00' }]],
      },
    );
  }, 240_000);

  it('statements always add up to the ledger, whatever is posted', async () => {
    await jobs.runNow(C, BILLING_CLOSE_JOB, { period: OCT });
    const entry = fc.record({
      account: fc.constantFrom(A.p1Cold, A.p2Cold, A.p1Heating, A.p2Management),
      kind: fc.constantFrom('payment', 'adjustment', 'charge', 'subsidy') as fc.Arbitrary<'payment' | 'adjustment' | 'charge' | 'subsidy'>,
      amount: fc.integer({ min: 1, max: 5_000_00 }),
      period: fc.constantFrom(NOV, '2026-12-01'),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(entry, { minLength: 1, maxLength: 8 }), async (entries) => {
        await h.db.transaction().execute((trx) =>
          postLedgerEntries(
            trx,
            entries.map((e) => ({
              communityId: C,
              accountId: e.account,
              period: e.period,
              kind: e.kind,
              amount: e.kind === 'payment' || e.kind === 'subsidy' ? -e.amount : e.amount,
              source: e.kind === 'payment' ? ('payment' as const) : e.kind === 'adjustment' ? ('manual' as const) : ('import' as const),
              reason: e.kind === 'adjustment' ? 'property test' : null,
            })),
          ),
        );
        for (const accountId of [A.p1Cold, A.p2Cold, A.p1Heating, A.p2Management]) {
          const st = await accountStatement(h.db, C, accountId);
          const sum = await sql<{ s: number }>`select coalesce(sum(amount), 0)::bigint as s from ledger_entry where account_id = ${accountId}`.execute(h.db);
          // An account with no entries at all (a zero price in the last run above bills nothing)
          // has no statement rows, and its ledger sums to 0.
          expect(st.at(-1)?.closing ?? 0).toBe(Number(sum.rows[0].s));
          for (let i = 0; i < st.length; i++) {
            const r = st[i];
            // opening + movements = closing; and each period opens where the last one closed.
            expect(r.opening + r.charged + r.recalculations + r.benefits + r.subsidies + r.penalties + r.adjustments + r.paid).toBe(r.closing);
            if (i > 0 && r.period !== '2026-09-01') expect(r.opening).toBe(st[i - 1].closing);
          }
        }
        const premise = await premiseStatement(h.db, C, 1);
        const sum1 = await sql<{ s: number }>`select coalesce(sum(le.amount), 0)::bigint as s from ledger_entry le join account a using (community_id, account_id) where a.premise_id = 1`.execute(h.db);
        expect(premise.at(-1)?.closing ?? 0).toBe(Number(sum1.rows[0].s));
      }),
      { numRuns: 25 },
    );
  }, 300_000);

  it('a closed period is unchanged by anything tried against it', async () => {
    const checksum = async () =>
      (
        await sql<{ n: number; s: number; h: string }>`
          select count(*)::int as n, coalesce(sum(amount), 0)::bigint as s,
                 md5(coalesce(string_agg(entry_id || ':' || account_id || ':' || kind || ':' || amount, ',' order by entry_id), '')) as h
            from ledger_entry where period = ${OCT}`.execute(h.db)
      ).rows[0];
    const lines = async () => (await sql<{ n: number; s: number }>`select count(*)::int as n, coalesce(sum(amount), 0)::bigint as s from charge_line where period = ${OCT}`.execute(h.db)).rows[0];
    const before = { ledger: await checksum(), lines: await lines() };
    const attempts = [
      (a: number, k: number) => sql`insert into ledger_entry (community_id, account_id, period, kind, amount, source) values (1, ${a}, ${OCT}, 'adjustment', ${k}, 'import')`,
      (a: number, k: number) => sql`update ledger_entry set amount = amount + ${k} where period = ${OCT} and account_id = ${a}`,
      (a: number) => sql`delete from ledger_entry where period = ${OCT} and account_id = ${a}`,
      (a: number, k: number) => sql`update ledger_entry set period = '2026-11-01' where period = ${OCT} and account_id = ${a} and amount > ${k}`,
      (a: number, k: number) => sql`insert into charge_line (community_id, billing_run_id, account_id, period, kind, method, amount)
                                    select 1, billing_run_id, ${a}, ${OCT}, 'charge', 'manual', ${k} from billing_run where period = ${OCT} limit 1`,
      (a: number) => sql`delete from charge_line where period = ${OCT} and account_id = ${a}`,
      (a: number, k: number) => sql`update charge_line set amount = ${k} where period = ${OCT} and account_id = ${a}`,
      () => sql`update billing_period set status = 'open' where period = ${OCT}`,
      () => sql`delete from billing_period where period = ${OCT}`,
      () => sql`truncate ledger_entry`,
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: attempts.length - 1 }),
        fc.constantFrom(...Object.values(A)),
        fc.integer({ min: 1, max: 100_000 }),
        async (which, account, kopecks) => {
          // Refused by the database, or touching no row at all (nothing of the period matched).
          const outcome = await attempts[which](account, kopecks)
            .execute(h.db)
            .then((r) => Number(r.numAffectedRows ?? 0), () => 'refused');
          expect(outcome === 'refused' || outcome === 0).toBe(true);
          // Even inside a transaction that goes on after the refusal is caught, nothing changes.
          await h.db
            .transaction()
            .execute(async (trx) => {
              await attempts[which](account, kopecks).execute(trx);
            })
            .catch(() => undefined);
          expect({ ledger: await checksum(), lines: await lines() }).toEqual(before);
        },
      ),
      { numRuns: 40 },
    );
    await expect(jobs.runNow(C, BILLING_RUN_JOB, { period: OCT })).rejects.toMatchObject({ code: 'period_closed' });
    expect({ ledger: await checksum(), lines: await lines() }).toEqual(before);
  }, 120_000);
});
