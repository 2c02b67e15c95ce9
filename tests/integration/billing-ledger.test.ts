import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestDatabase } from '../helpers/db';
import type { DatabaseHandle } from '../../src/db/index';
import { postLedgerEntries } from '../../src/billing/ledger';
import { openPeriodForCorrections } from '../../src/billing/run';

// The ledger's database-level guarantees: append-only, and a closed period frozen.
describe('ledger', () => {
  let h: DatabaseHandle;
  let accountId: number;
  beforeAll(async () => {
    h = await createTestDatabase();
    await sql`insert into community (community_id, name, katottg) values (1, 'Тест', 'UA05020030000031457')`.execute(h.db);
    await sql`insert into street (community_id, street_id, type, name, name_key, translit_key) values (1, 1, 'вулиця', 'Соборна', 'соборна', 'soborna')`.execute(h.db);
    await sql`insert into building (community_id, building_id, street_id, number, house_key) values (1, 1, 1, 1, '1')`.execute(h.db);
    await sql`insert into premise (community_id, premise_id, building_id, number, apartment_key, total_area) values (1, 1, 1, '1', '1', 50)`.execute(h.db);
    await sql`insert into provider (community_id, provider_id, edrpou, iban, name) values (1, 1, '32855961', 'UA213223130000026007233566001', 'Водоканал')`.execute(h.db);
    await sql`insert into service (community_id, service_id, code, name_uk, name_en, unit) values (1, 1, 'cold_water', 'Холодна вода', 'Cold water', 'м³')`.execute(h.db);
    const acc = await sql<{ account_id: number }>`insert into account (community_id, provider_id, premise_id, service_id, number, opened_on) values (1, 1, 1, 1, '100', '2026-01-01') returning account_id`.execute(h.db);
    accountId = acc.rows[0].account_id;
  }, 30_000);
  afterAll(() => h?.close());

  it('posts entries in bulk and refuses to change them', async () => {
    await h.db.transaction().execute((trx) =>
      postLedgerEntries(trx, [
        { communityId: 1, accountId, period: '2026-10-01', kind: 'opening_balance', amount: 12000, source: 'import' },
        { communityId: 1, accountId, period: '2026-10-01', kind: 'payment', amount: -5000, source: 'payment' },
      ]),
    );
    const sum = await sql<{ s: number }>`select sum(amount)::bigint as s from ledger_entry where account_id = ${accountId}`.execute(h.db);
    expect(sum.rows[0].s).toBe(7000);
    await expect(sql`update ledger_entry set amount = 1`.execute(h.db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from ledger_entry`.execute(h.db)).rejects.toThrow(/append-only/);
    await expect(sql`truncate ledger_entry`.execute(h.db)).rejects.toThrow(/append-only/);
  });

  it('refuses an entry for an account that does not exist, and the removal of an account with entries, as a foreign key would', async () => {
    const refused = sql`insert into ledger_entry (community_id, account_id, period, kind, amount, source) values (1, 999999, '2026-10-01', 'charge', 100, 'import'), (1, ${accountId}, '2026-10-01', 'charge', 100, 'import')`.execute(h.db);
    await expect(refused).rejects.toMatchObject({ code: '23503', constraint: 'ledger_entry_account_fkey' });
    // The statement is refused whole: the entry for the real account is not there either.
    const charges = await sql<{ n: number }>`select count(*)::int as n from ledger_entry where kind = 'charge' and amount = 100 and period = '2026-10-01'`.execute(h.db);
    expect(charges.rows[0].n).toBe(0);
    await expect(sql`insert into ledger_entry (community_id, account_id, period, kind, amount, source, reverses_entry_id) values (1, ${accountId}, '2026-10-01', 'reversal', 100, 'import', 424242)`.execute(h.db)).rejects.toMatchObject({
      code: '23503',
      constraint: 'ledger_entry_reverses_fkey',
    });
    // In another community the same account id is not there.
    await sql`insert into community (community_id, name, katottg) values (2, 'Інша', 'UA05020030000031457') on conflict do nothing`.execute(h.db);
    await expect(sql`insert into ledger_entry (community_id, account_id, period, kind, amount, source) values (2, ${accountId}, '2026-10-01', 'charge', 100, 'import')`.execute(h.db)).rejects.toMatchObject({ code: '23503' });
    await expect(sql`delete from account where account_id = ${accountId}`.execute(h.db)).rejects.toMatchObject({ code: '23503', constraint: 'ledger_entry_account_fkey' });
    const left = await sql<{ n: number }>`select count(*)::int as n from account where account_id = ${accountId}`.execute(h.db);
    expect(left.rows[0].n).toBe(1);
  });

  it('enforces the sign of payments', async () => {
    await expect(
      h.db.transaction().execute((trx) =>
        postLedgerEntries(trx, [{ communityId: 1, accountId, period: '2026-10-01', kind: 'payment', amount: 100, source: 'payment' }]),
      ),
    ).rejects.toThrow();
  });

  it('refuses entries into a closed period and never reopens it', async () => {
    await sql`insert into billing_period (community_id, period, status) values (1, '2026-10-01', 'closed')`.execute(h.db);
    await expect(
      h.db.transaction().execute((trx) =>
        postLedgerEntries(trx, [{ communityId: 1, accountId, period: '2026-10-01', kind: 'charge', amount: 100, source: 'import' }]),
      ),
    ).rejects.toThrow(/closed/);
    await expect(sql`update billing_period set status = 'open'`.execute(h.db)).rejects.toThrow(/closed/);
    await expect(sql`delete from billing_period`.execute(h.db)).rejects.toThrow(/closed/);
    // The next period is open for corrections.
    await h.db.transaction().execute((trx) =>
      postLedgerEntries(trx, [{ communityId: 1, accountId, period: '2026-11-01', kind: 'charge', amount: 100, source: 'import' }]),
    );
  });

  it('sends a correction to the first period not yet closed, even once the calendar has moved on', async () => {
    // October is closed (above). With no later period, the month after it or this month, if later.
    expect(await openPeriodForCorrections(h.db, 1, '2026-09-01')).toBe('2026-11-01');
    expect(await openPeriodForCorrections(h.db, 1, '2027-01-01')).toBe('2027-01-01');
    // November open, today in December or January: November, so that it is on November's bill.
    await sql`insert into billing_period (community_id, period, status) values (1, '2026-11-01', 'calculated'), (1, '2026-12-01', 'open')`.execute(h.db);
    expect(await openPeriodForCorrections(h.db, 1, '2026-12-01')).toBe('2026-11-01');
    expect(await openPeriodForCorrections(h.db, 1, '2027-01-01')).toBe('2026-11-01');
    // Another community, with nothing billed yet: this month.
    expect(await openPeriodForCorrections(h.db, 2, '2026-12-01')).toBe('2026-12-01');
  });
});
