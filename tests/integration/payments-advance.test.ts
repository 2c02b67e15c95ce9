import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { DatabaseHandle } from '../../src/db/index';
import { makeUnifiedAccountNumber } from '../../src/shared/identifiers';
import { checkPayment, pay, type Agent } from '../../src/payments/service';
import { createTestDatabase } from '../helpers/db';
import { A, createBillingFixture } from './billing-fixture';

// A household that owes nothing pays: the whole payment is an advance on its first account, and
// that is never a closed one (here cold water, first in the services' order, was closed).
describe('an advance when nothing is owed', () => {
  let h: DatabaseHandle;
  let agent: Agent;
  const UA1 = makeUnifiedAccountNumber(500001);
  beforeAll(async () => {
    h = await createTestDatabase();
    await createBillingFixture(h.db);
    await h.db.insertInto('unified_account').values({ community_id: 1, premise_id: 1, number: UA1 }).execute();
    await sql`update account set closed_on = '2026-01-31' where account_id = ${A.p1Cold}`.execute(h.db);
    const row = await h.db.insertInto('payment_agent').values({ community_id: 1, code: 'bank', name: 'Банк', max_amount: 1_000_000_000 }).returning('agent_id').executeTakeFirstOrThrow();
    agent = { communityId: 1, agentId: row.agent_id, code: 'bank', name: 'Банк', maxAmount: 1_000_000_000 };
  }, 120_000);
  afterAll(() => h?.close());

  it('goes to the first open account, on the one-statement pay and on the check-and-pay path alike', async () => {
    // Whatever the household owed is squared first, so that nothing is owed.
    await sql`insert into ledger_entry (community_id, account_id, period, kind, amount, source)
              select 1, account_id, '2026-09-01', 'opening_balance', -sum(amount), 'import' from ledger_entry
               where account_id in (select account_id from account where premise_id = 1) group by account_id having sum(amount) <> 0`.execute(h.db);
    const owed = await sql<{ n: number }>`select count(*)::int as n from (select account_id from ledger_entry where account_id in (select account_id from account where premise_id = 1) group by 1 having sum(amount) <> 0) x`.execute(h.db);
    expect(owed.rows[0]!.n).toBe(0);
    const plain = await pay(h.db, agent, { txnId: 'adv-1', unifiedAccount: UA1, amount: 5000 });
    expect(plain.parts.map((p) => [p.serviceCode, p.amount])).toEqual([['electricity', 5000]]);
    // Now electricity is in advance and the rest owe nothing: the next one goes the same way.
    const check = await checkPayment(h.db, agent, { unifiedAccount: UA1, amount: 700 });
    const referenced = await pay(h.db, agent, { txnId: 'adv-2', unifiedAccount: UA1, amount: 700, reference: check.reference });
    expect(referenced.parts.map((p) => [p.serviceCode, p.amount])).toEqual([['electricity', 700]]);
    const onClosed = await sql<{ n: number }>`select count(*)::int as n from payment_allocation where account_id = ${A.p1Cold}`.execute(h.db);
    expect(onClosed.rows[0]!.n).toBe(0);
  });
});
