import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/db/index';
import { seedCity } from '../../src/registry/seed/seed';
import { seedCityMeters } from '../../src/metering/seed';
import { runDemoMonth, seedDemoTariffs } from '../../src/billing/demo';
import { loadSettings } from '../../src/billing/run';
import { accountStatement, premiseStatement } from '../../src/billing/statements';
import { nextPeriod, prevPeriod } from '../../src/shared/period';
import { createTestDatabase } from '../helpers/db';

// #17: the demo city starts with last month run and closed (what `npm start` does on a first
// start, src/cli/startup.ts), so statements and account cards have a month to show at once.
describe('runDemoMonth: the demo city starts with a closed month', () => {
  let h: DatabaseHandle;
  const today = '2026-12-04';
  const month = prevPeriod('2026-12-01');
  let result: { lines: number; posted: number };

  beforeAll(async () => {
    h = await createTestDatabase();
    await seedCity(h, { scale: 'tiny', seed: 5, communityId: 1, users: false });
    await seedDemoTariffs(h.db, 1);
    await seedCityMeters(h.db, 1, today);
    result = await runDemoMonth(h.db, 1, month);
  }, 120_000);
  afterAll(() => h?.close());

  it('closes the month, posts every calculated line, and makes it the first billing period', async () => {
    const period = await h.db.selectFrom('billing_period').selectAll().where('community_id', '=', 1).where('period', '=', month).executeTakeFirstOrThrow();
    expect(period.status).toBe('closed');
    expect(result.posted).toBeGreaterThan(0);
    const ledger = await sql<{ n: number }>`select count(*)::int as n from ledger_entry where community_id = 1 and period = ${month}::date and source = 'billing'`.execute(h.db);
    expect(ledger.rows[0].n).toBe(result.posted);
    const lines = await sql<{ n: number }>`select count(*)::int as n from charge_line cl join billing_run r using (community_id, billing_run_id) where r.period = ${month}::date and r.status = 'posted'`.execute(h.db);
    expect(lines.rows[0].n).toBe(result.posted);
    expect((await loadSettings(h.db, 1)).firstPeriod).toBe(month);
    // The next month is open for the person who visits: it is what the billing page offers.
    const next = await h.db.selectFrom('billing_period').select('status').where('community_id', '=', 1).where('period', '=', nextPeriod(month)).executeTakeFirstOrThrow();
    expect(next.status).toBe('open');
  });

  it('every open account with a tariff has a charge for the month, so its card and its premise statement are not empty', async () => {
    const unbilled = await sql<{ account_id: number; premise_id: number }>`
select a.account_id, a.premise_id from account a
 where a.community_id = 1 and a.closed_on is null
   and exists (select 1 from tariff t where t.community_id = a.community_id and t.provider_id = a.provider_id and t.service_id = a.service_id)
   and not exists (select 1 from ledger_entry le where le.community_id = a.community_id and le.account_id = a.account_id and le.period = ${month}::date and le.kind = 'charge')`.execute(h.db);
    const why = await sql<{ code: string; meter: boolean; persons: number; n: number }>`
select s.code, exists (select 1 from meter m where m.premise_id = a.premise_id and m.service_id = a.service_id) as meter,
       (select count(*)::int from registration r where r.premise_id = a.premise_id and r.registered_to is null) as persons, count(*)::int as n
  from account a join service s using (community_id, service_id) where a.account_id in (${sql.join([0, ...unbilled.rows.map((r) => r.account_id)])})
 group by 1, 2, 3`.execute(h.db);
    // What goes unbilled is only a metered service of an empty premise with no meter: norm × 0 persons.
    for (const w of why.rows) expect({ ...w, n: 0 }).toEqual({ code: w.code, meter: false, persons: 0, n: 0 });
    const billed = await sql<{ n: number }>`select count(distinct account_id)::int as n from ledger_entry where period = ${month}::date and kind = 'charge'`.execute(h.db);
    expect(billed.rows[0].n).toBeGreaterThan(unbilled.rows.length * 10);
    const some = await sql<{ account_id: number; premise_id: number }>`select account_id, premise_id from ledger_entry join account using (community_id, account_id) where period = ${month}::date and kind = 'charge' order by account_id limit 1`.execute(h.db);
    const card = await accountStatement(h.db, 1, some.rows[0].account_id);
    expect(card.find((r) => r.period === month)?.charged).toBeGreaterThan(0);
    const statement = await premiseStatement(h.db, 1, some.rows[0].premise_id);
    expect(statement.find((r) => r.period === month)?.charged).toBeGreaterThan(0);
  });
});
