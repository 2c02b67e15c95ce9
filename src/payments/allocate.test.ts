import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { allocate, largestRemainder, largestRemainderBig, type DebtLine } from './allocate';

const lines = (...owed: Array<[number, string, number]>): DebtLine[] => owed.map(([accountId, serviceCode, toPay]) => ({ accountId, serviceCode, toPay }));
const parts = (r: ReturnType<typeof allocate>) => {
  if (!r.ok) throw new Error(r.reason.en);
  return r.parts.map((p) => [p.accountId, p.amount]);
};

describe('allocate', () => {
  const house = lines([1, 'cold_water', 30000], [2, 'heating', 60000], [3, 'waste', 10000]);

  it.each([
    ['the exact total pays each debt', 100000, [[1, 30000], [2, 60000], [3, 10000]]],
    ['half the total pays half of each', 50000, [[1, 15000], [2, 30000], [3, 5000]]],
    ['one kopeck goes to the largest share', 1, [[2, 1]]],
    ['an overpayment is an advance in the same shares', 110000, [[1, 33000], [2, 66000], [3, 11000]]],
    ['kopecks left go to the largest remainders', 10001, [[1, 3000], [2, 6001], [3, 1000]]],
  ])('%s', (_what, amount, expected) => {
    expect(parts(allocate(amount, house))).toEqual(expected);
  });

  it('breaks equal remainders towards the account listed first', () => {
    expect(parts(allocate(1, lines([7, 'a', 100], [5, 'b', 100])))).toEqual([[7, 1]]);
    expect(parts(allocate(3, lines([7, 'a', 100], [5, 'b', 100])))).toEqual([[7, 2], [5, 1]]);
  });

  it('puts a payment with nothing owed on the first account as an advance, skipping accounts in credit', () => {
    expect(parts(allocate(5000, lines([1, 'a', 0], [2, 'b', 0])))).toEqual([[1, 5000]]);
    expect(parts(allocate(5000, lines([1, 'a', 0], [2, 'b', 700])))).toEqual([[2, 5000]]);
  });

  it("takes the payer's split, spreading a service's part over its accounts by their debts", () => {
    const two = lines([1, 'cold_water', 30000], [2, 'intercom', 1000], [3, 'intercom', 3000]);
    expect(parts(allocate(12000, two, [{ serviceCode: 'cold_water', amount: 8000 }, { serviceCode: 'intercom', amount: 4000 }]))).toEqual([
      [1, 8000],
      [2, 1000],
      [3, 3000],
    ]);
  });

  it('refuses a split that does not add up or names a service the household lacks', () => {
    const short = allocate(10000, house, [{ serviceCode: 'heating', amount: 9000 }]);
    expect(short).toMatchObject({ ok: false, code: 'split_sum', field: 'split' });
    const alien = allocate(10000, house, [{ serviceCode: 'gas_supply', amount: 10000 }]);
    expect(alien).toMatchObject({ ok: false, code: 'split_unknown_service', field: 'split[0].serviceCode' });
    const negative = allocate(10000, house, [{ serviceCode: 'heating', amount: 11000 }, { serviceCode: 'waste', amount: -1000 }]);
    expect(negative).toMatchObject({ ok: false, code: 'split_negative', field: 'split[1].amount' });
    expect(allocate(100, [])).toMatchObject({ ok: false, code: 'no_accounts' });
  });

  const household = fc.array(fc.integer({ min: 0, max: 50_000_000 }), { minLength: 1, maxLength: 9 }).map((owed) => owed.map((toPay, i) => ({ accountId: i + 1, serviceCode: `s${i % 4}`, toPay })));

  it('always sums exactly, never negative, the same every time, and within a kopeck of the exact share', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2_000_000_000 }), household, (amount, debts) => {
        const r = parts(allocate(amount, debts));
        expect(r.reduce((s, [, a]) => s + a!, 0)).toBe(amount);
        expect(r.every(([, a]) => a! > 0)).toBe(true);
        expect(parts(allocate(amount, debts))).toEqual(r);
        const total = debts.reduce((s, d) => s + d.toPay, 0);
        if (total > 0) {
          for (const d of debts) {
            const got = r.find(([id]) => id === d.accountId)?.[1] ?? 0;
            expect(Math.abs(got - (amount * d.toPay) / total)).toBeLessThan(1.000001);
          }
          // A payment of at least the total pays every debt in full.
          if (amount >= total) for (const d of debts) expect(r.find(([id]) => id === d.accountId)?.[1] ?? 0).toBeGreaterThanOrEqual(d.toPay);
          // A partial payment never pays more than is owed.
          if (amount <= total) for (const d of debts) expect(r.find(([id]) => id === d.accountId)?.[1] ?? 0).toBeLessThanOrEqual(d.toPay);
        }
      }),
    );
  });

  it("keeps the payer's split exactly when it adds up", () => {
    fc.assert(
      fc.property(household, fc.array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 4, maxLength: 4 }), (debts, perService) => {
        const codes = [...new Set(debts.map((d) => d.serviceCode))];
        const split = codes.map((serviceCode, i) => ({ serviceCode, amount: perService[i]! }));
        const amount = split.reduce((s, p) => s + p.amount, 0);
        fc.pre(amount > 0);
        const r = allocate(amount, debts, split);
        expect(r.ok).toBe(true);
        if (!r.ok) return;
        for (const p of split) {
          const ids = new Set(debts.filter((d) => d.serviceCode === p.serviceCode).map((d) => d.accountId));
          expect(r.parts.filter((x) => ids.has(x.accountId)).reduce((s, x) => s + x.amount, 0)).toBe(p.amount);
        }
      }),
    );
  });

  it('largestRemainder handles amounts whose products pass 2^53', () => {
    expect(largestRemainder(9_000_000_000_000, [3_000_000_000_000, 6_000_000_000_000])).toEqual([3_000_000_000_000, 6_000_000_000_000]);
  });

  it('largestRemainder in numbers gives the BigInt split, up to and past the 2^53 boundary', () => {
    // Amounts and weights around the fast path's limit (amount × weight ≤ 2^53 − 1), and ordinary ones.
    const weight = fc.oneof(fc.integer({ min: 0, max: 200_000_000 }), fc.integer({ min: 0, max: 2 ** 26 }), fc.constantFrom(0, 1, 2 ** 26, 2 ** 27 - 1));
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: 1, max: 2_000_000_000 }), fc.integer({ min: 2 ** 25, max: 2 ** 27 })), fc.array(weight, { minLength: 1, maxLength: 9 }), (amount, weights) => {
        fc.pre(weights.some((w) => w > 0));
        expect(largestRemainder(amount, weights)).toEqual(largestRemainderBig(amount, weights));
      }),
      { numRuns: 2000 },
    );
  });
});
