import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import iconv from 'iconv-lite';
import type { DatabaseHandle } from '../../src/db/index';
import { makeUnifiedAccountNumber } from '../../src/shared/identifiers';
import { addDays, kyivToday } from '../../src/shared/period';
import { pay, reversePayment, verifyPaymentsChain, type Agent } from '../../src/payments/service';
import { addContract, exportSettlementDay, listContracts, owingProviders } from '../../src/payments/settlement';
import { createTestDatabase } from '../helpers/db';
import { createBillingFixture } from './billing-fixture';

// Settlement over several days: a payment settled one day and reversed the next leaves each of
// its providers owing, so that day transfers nothing and the debt comes off the provider's next
// transfer; and each payment's commission, and its reversal's, is by the contract of its own day.
describe('settlement over several days', () => {
  let h: DatabaseHandle;
  let agent: Agent;
  const UA1 = makeUnifiedAccountNumber(500001);
  const day = (n: number) => addDays(kyivToday(), n);
  const noonOf = (date: string) => new Date(`${date}T12:00:00+02:00`);
  beforeAll(async () => {
    h = await createTestDatabase();
    await createBillingFixture(h.db);
    await h.db.insertInto('unified_account').values({ community_id: 1, premise_id: 1, number: UA1 }).execute();
    // Besides the water debt of the fixture, the household owes its power and heat suppliers.
    await sql`insert into ledger_entry (community_id, account_id, period, kind, amount, source) values
      (1, 21, '2026-09-01', 'opening_balance', 40000, 'import'), (1, 31, '2026-09-01', 'opening_balance', 60000, 'import')`.execute(h.db);
    const row = await h.db.insertInto('payment_agent').values({ community_id: 1, code: 'bank', name: 'Банк', max_amount: 1_000_000_000 }).returning('agent_id').executeTakeFirstOrThrow();
    agent = { communityId: 1, agentId: row.agent_id, code: 'bank', name: 'Банк', maxAmount: 1_000_000_000 };
  }, 120_000);
  afterAll(() => h?.close());

  it('transfers nothing that day and sets the debt against the next registry, losing no kopeck', async () => {
    const [first, second, third] = [day(-3), day(-2), day(-1)];
    const paid = await pay(h.db, agent, { txnId: 'carry-1', unifiedAccount: UA1, amount: 5000 }, noonOf(first));
    expect(paid.parts.length).toBeGreaterThan(1);
    const firstDay = await exportSettlementDay(h.db, 1, first);
    expect(firstDay.every((r) => r.carriedIn === 0 && r.transfer.amount === r.net && r.net > 0)).toBe(true);

    await reversePayment(h.db, 1, paid.paymentId, 'платіж помилковий', { sameDayOnly: false }, noonOf(second));
    const secondDay = await exportSettlementDay(h.db, 1, second);
    expect(secondDay.map((r) => r.providerId)).toEqual(firstDay.map((r) => r.providerId));
    for (const r of secondDay) {
      const before = firstDay.find((f) => f.providerId === r.providerId)!;
      expect(r.net).toBe(-before.net);
      expect([r.transfer.amount, r.carriedOut]).toEqual([0, r.net]);
    }
    const owingCsv = iconv.decode(secondDay[0]!.csv, 'windows-1251').trimEnd().split('\r\n').slice(-3);
    expect(owingCsv).toEqual(['CARRIED_IN;;;;;;;;;;0.00', 'TRANSFER;;;;;;;;;;0.00', `CARRIED_OUT;;;;;;;;;;${(secondDay[0]!.net / 100).toFixed(2)}`]);

    // Until their next registry, the desk sees who owes what, since when; a provider sees only its own debt.
    expect((await owingProviders(h.db, 1)).map((o) => [o.providerId, o.owed, o.since])).toEqual(
      [...secondDay].sort((a, b) => a.providerId - b.providerId).map((r) => [r.providerId, -r.carriedOut, second]),
    );
    expect((await owingProviders(h.db, 1, 3)).map((o) => o.providerId)).toEqual([3]);
    await pay(h.db, agent, { txnId: 'carry-2', unifiedAccount: UA1, amount: 12000 }, noonOf(third));
    const thirdDay = await exportSettlementDay(h.db, 1, third);
    for (const r of thirdDay) {
      const owed = secondDay.find((s) => s.providerId === r.providerId)?.carriedOut ?? 0;
      expect(r.carriedIn).toBe(owed);
      expect(r.transfer.amount).toBe(Math.max(0, r.net + owed));
      expect(r.carriedOut).toBe(Math.min(0, r.net + owed));
    }
    expect((await owingProviders(h.db, 1)).map((o) => o.providerId)).toEqual(thirdDay.filter((r) => r.carriedOut < 0).map((r) => r.providerId));
    // Per provider, every transfer made plus what it still owes is what its days netted.
    const all = [...firstDay, ...secondDay, ...thirdDay];
    for (const providerId of new Set(all.map((r) => r.providerId))) {
      const mine = all.filter((r) => r.providerId === providerId);
      const transferred = mine.reduce((s, r) => s + r.transfer.amount, 0);
      expect(transferred + mine.at(-1)!.carriedOut).toBe(mine.reduce((s, r) => s + r.net, 0));
    }
    // Formed again, the same bytes; and what was carried in is sealed in the chain.
    const again = await exportSettlementDay(h.db, 1, third);
    expect(again.map((r) => r.csv.equals(thirdDay.find((t) => t.registryId === r.registryId)!.csv))).toEqual(again.map(() => true));
    expect((await verifyPaymentsChain(h.db, 1)).problem).toBeNull();
    const carried = thirdDay.find((r) => r.carriedIn !== 0)!;
    await sql`alter table settlement_registry disable trigger settlement_registry_immutable`.execute(h.db);
    await sql`update settlement_registry set carried_in = 0 where registry_id = ${carried.registryId}`.execute(h.db);
    expect((await verifyPaymentsChain(h.db, 1)).problem).toMatchObject({ kind: 'settlement', id: carried.registryId, problem: 'changed' });
  });

  it('charges each payment, and takes back on its reversal, the commission of the contract in force on the payment’s day', async () => {
    const [before, from, later] = [day(-6), day(-5), day(-4)];
    const heatPart = (p: { parts: Array<{ serviceCode: string; amount: number }> }) => p.parts.find((x) => x.serviceCode === 'heating')!.amount;
    const unpriced = await pay(h.db, agent, { txnId: 'terms-1', unifiedAccount: UA1, amount: 8000 }, noonOf(before));
    // The heat supplier's general contract, 2 %, made on the next day and in force from it.
    await addContract(h.db, 1, { providerId: 3, percent: '2' }, noonOf(from));
    await expect(addContract(h.db, 1, { providerId: 3, percent: '3', validFrom: before }, noonOf(from))).rejects.toMatchObject({ code: 'contract_in_past', status: 422 });
    await expect(addContract(h.db, 1, { providerId: 3, fixed: 100 }, noonOf(from))).rejects.toMatchObject({ code: 'contract_exists', status: 409 });
    const priced = await pay(h.db, agent, { txnId: 'terms-2', unifiedAccount: UA1, amount: 8000 }, noonOf(from));
    // From the day after, 5 %; then both payments are taken back.
    await addContract(h.db, 1, { providerId: 3, percent: '5' }, noonOf(later));
    expect((await listContracts(h.db, 1)).map((c) => [c.providerId, c.percent, c.validFrom])).toEqual([[3, '2.000', from], [3, '5.000', later]]);
    await reversePayment(h.db, 1, unpriced.paymentId, 'повернення', { sameDayOnly: false }, noonOf(later));
    await reversePayment(h.db, 1, priced.paymentId, 'повернення', { sameDayOnly: false }, noonOf(later));

    const heatOn = async (date: string) => (await exportSettlementDay(h.db, 1, date)).find((r) => r.providerId === 3)!;
    expect((await heatOn(before)).commission).toBe(0);
    const charged = Math.round(heatPart(priced) * 0.02);
    expect((await heatOn(from)).commission).toBe(charged);
    // The day of the reversals: the first paid nothing and gets nothing back; the second gets back its 2 %, not 5 %.
    const reversed = await heatOn(later);
    expect([reversed.gross, reversed.commission]).toEqual([-(heatPart(unpriced) + heatPart(priced)), -charged]);
  });
});
