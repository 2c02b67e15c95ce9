/**
 * A provider's self-service (issue #17): its home's figures and its own accounts, over HTTP, in the
 * billing town with the access fixture — the matrix's provider user works for Водоканал (cold
 * water on premises 1–3); Енергозбут's figures must never be in its answers.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeUnifiedAccountNumber } from '../../src/shared/identifiers';
import { kyivToday } from '../../src/shared/period';
import { startApiWorld, type ApiWorld } from './api-world';

describe("a provider's home and its own accounts", () => {
  let world: ApiWorld;
  const get = (role: 'provider' | 'operator', url: string) => world.app.inject({ method: 'GET', url, headers: world.as[role].headers });

  beforeAll(async () => {
    world = await startApiWorld();
    const month = `${kyivToday().slice(0, 7)}-01`;
    // November's charges: Водоканал's two accounts, and Енергозбут's one (not Водоканал's business).
    await sql`insert into ledger_entry (community_id, account_id, period, kind, amount, source) values
      (1, 11, '2026-11-01', 'charge', 26989, 'billing'), (1, 12, '2026-11-01', 'charge', 14994, 'billing'),
      (1, 21, '2026-11-01', 'charge', 99999, 'billing'), (1, 11, '2026-10-01', 'charge', 100, 'billing')`.execute(world.db);
    // This month: a reading on Водоканал's meter, and one on Енергозбут's.
    await sql`insert into meter_reading (community_id, meter_id, read_on, period, value1, channel, status) values
      (1, 1, ${month}::date, ${month}::date, 120, 'portal', 'accepted'), (1, 4, ${month}::date, ${month}::date, 120, 'portal', 'accepted')`.execute(world.db);
  }, 120_000);
  afterAll(async () => world?.close());

  it('shows its own figures only', async () => {
    const res = await get('provider', '/api/provider/home');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      provider: { providerId: 1, name: 'Водоканал', edrpou: '32855961' },
      openAccounts: 3,
      chargedPeriod: '2026-11-01',
      charged: 26989 + 14994,
      readingsThisMonth: 1,
      // Reading 500 waits on its meter 1; reading 501 is on a premise where it has no account.
      readingsToReview: 1,
      importRowsToReview: 0,
    });
    expect((await get('operator', '/api/provider/home')).statusCode).toBe(403);
  });

  it('lists its own accounts with balances, searched by number, address or unified account, page by page', async () => {
    const all = (await get('provider', '/api/provider/accounts')).json();
    expect(all.items.map((a: { number: string }) => a.number)).toEqual(['В-1', 'В-2', 'В-3']);
    expect(all.items[0]).toMatchObject({ serviceCode: 'cold_water', address: expect.stringContaining('Соборна'), open: true, balance: 100000 + 26989 + 100 });
    expect(all.next).toBeNull();
    const byNumber = (await get('provider', `/api/provider/accounts?q=${encodeURIComponent('в-2')}`)).json();
    expect(byNumber.items.map((a: { number: string }) => a.number)).toEqual(['В-2']);
    const byUnified = (await get('provider', `/api/provider/accounts?q=${makeUnifiedAccountNumber(1)}`)).json();
    expect(byUnified.items.map((a: { number: string }) => a.number)).toEqual(['В-1']);
    const first = (await get('provider', '/api/provider/accounts?limit=2')).json();
    expect(first.items).toHaveLength(2);
    const rest = (await get('provider', `/api/provider/accounts?limit=2&after=${encodeURIComponent(first.next)}`)).json();
    expect(rest.items.map((a: { number: string }) => a.number)).toEqual(['В-3']);
    // Another provider's account numbers are not found by this one.
    expect((await get('provider', `/api/provider/accounts?q=${encodeURIComponent('Е-1')}`)).json().items).toEqual([]);
    expect((await get('provider', `/api/provider/accounts?q=${encodeURIComponent('%')}`)).json().items).toEqual([]);
  });
});
