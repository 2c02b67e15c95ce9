import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sql } from 'kysely';
import type { DatabaseHandle } from '../../src/db/index';
import { allocate } from '../../src/payments/allocate';
import { maskedNameSql, proportionalSplitSql } from '../../src/payments/repo';
import { maskName } from '../../src/payments/service';
import { createTestDatabase } from '../helpers/db';

/**
 * The batched pay splits and masks in SQL: on random inputs its SQL gives exactly what the
 * specification in TypeScript gives — `allocate` (allocate.ts) for the split, `maskName` for the
 * payer.
 */
describe('pay in one statement: SQL equal to its TypeScript specification', () => {
  let h: DatabaseHandle;
  beforeAll(async () => {
    h = await createTestDatabase();
  }, 60_000);
  afterAll(async () => {
    await h?.close();
  });

  /** Several pays split in one statement, as the batched pay does: each pay's parts. */
  const sqlSplits = async (pays: Array<[amount: number, balances: number[]]>) => {
    const lines = JSON.stringify(pays.flatMap(([amount, balances], grp) => balances.map((b, i) => ({ grp, amount, ord: i + 1, account_id: 1000 * grp + 100 + i, to_pay: b }))));
    const r = await sql<{ grp: number; account_id: number; amount: string | number }>`
      select grp, account_id, amount from (${proportionalSplitSql(sql`(select * from json_to_recordset(${lines}::json) as x(grp int, amount bigint, ord bigint, account_id bigint, to_pay bigint))`)}) s order by grp, ord`.execute(h.db);
    return pays.map((_, grp) => r.rows.filter((p) => p.grp === grp).map((p) => ({ accountId: Number(p.account_id) - 1000 * grp, amount: Number(p.amount) })));
  };
  const sqlSplit = async (amount: number, balances: number[]) => (await sqlSplits([[amount, balances]]))[0];
  const tsSplit = (amount: number, balances: number[]) => {
    const r = allocate(amount, balances.map((b, i) => ({ accountId: 100 + i, serviceCode: `s${i}`, toPay: Math.max(b, 0) })));
    if (!r.ok) throw new Error(r.reason.en);
    return r.parts;
  };

  it.each([
    [100000, [30000, 60000, 10000]],
    [10001, [30000, 60000, 10000]],
    [3, [100, 100]],
    [5000, [0, -200]],
    [5000, [-100, 0, 300]],
    [1, [1, 1, 1]],
  ])('splits %i over %j as allocate does', async (amount, balances) => {
    expect(await sqlSplit(amount, balances)).toEqual(tsSplit(amount, balances));
  });

  it('splits any amounts over any balances exactly as allocate does, several pays in one statement', async () => {
    const balances = fc.array(fc.oneof(fc.integer({ min: -1_000_000, max: 1_000_000_000_000 }), fc.constant(0), fc.integer({ min: 1, max: 3 })), { minLength: 1, maxLength: 8 });
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.integer({ min: 1, max: 1_000_000_000_000 }), balances), { minLength: 1, maxLength: 4 }), async (pays) => {
        expect(await sqlSplits(pays)).toEqual(pays.map(([amount, b]) => tsSplit(amount, b)));
      }),
      { numRuns: 150 },
    );
  }, 60_000);

  it('masks the payer as maskName does', async () => {
    const name = fc.string({ unit: fc.constantFrom('К', 'о', 'в', 'а', 'л', 'ь', 'Ї', 'ґ', 'A', 'z', '’', '-', '😀'), minLength: 0, maxLength: 9 });
    await fc.assert(
      fc.asyncProperty(name, name, async (last, first) => {
        const r = await sql<{ masked: string | null }>`select ${maskedNameSql(sql`${last}::text`, sql`${first}::text`)} as masked`.execute(h.db);
        expect(r.rows[0]!.masked).toBe(last && first ? maskName(last, first) : null);
      }),
      { numRuns: 150 },
    );
  }, 60_000);
});
