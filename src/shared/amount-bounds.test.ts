import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { boundsOf, DEFAULT_BOUNDS, rowBoundsReason, withinAccount, withinRow } from './amount-bounds';

describe('plausible amounts', () => {
  const b = DEFAULT_BOUNDS;
  it.each([
    ['payment', 200, true],
    ['payment', 199, false],
    ['payment', 1_499_900, true],
    ['payment', 1_500_000, false],
    ['payment', 9_999_999_999_999, false],
    ['payment', -100, false],
    ['charge', 0, true],
    ['charge', -1, false],
    ['recalculation', -5_000_000, true],
    ['opening_balance', -50_000_000, true],
    ['opening_balance', 50_000_001, false],
  ] as const)('%s of %d kopecks within bounds: %s', (field, kopecks, ok) => expect(withinRow(field, kopecks, b)).toBe(ok));

  it('a number past 2⁵³ is never within bounds', () => expect(withinRow('payment', 2 ** 53 + 2, { ...b, payment: { min: 0, max: Number.MAX_VALUE, perAccount: 1 } })).toBe(false));

  it('per account: the absolute total', () => {
    expect(withinAccount('payment', 3_000_000, b)).toBe(true);
    expect(withinAccount('payment', 3_000_001, b)).toBe(false);
    expect(withinAccount('recalculation', -10_000_001, b)).toBe(false);
  });

  it('a community’s own bounds replace the defaults field by field; junk is ignored', () => {
    const own = boundsOf({ payment: { max: 5_000_000 }, charge: { min: 'x', max: 1.5 }, nonsense: { max: 1 } });
    expect(own.payment).toEqual({ ...DEFAULT_BOUNDS.payment, max: 5_000_000 });
    expect(own.charge).toEqual(DEFAULT_BOUNDS.charge);
    expect(boundsOf(null)).toEqual(DEFAULT_BOUNDS);
  });

  it('the reason names the field and the range in both languages', () => {
    expect(rowBoundsReason('payment', b)).toEqual({
      uk: expect.stringMatching(/^оплата поза межами 2,00 … 14\s999,00 грн/),
      en: expect.stringMatching(/^payment outside 2,00 … 14\s999,00 UAH/),
    });
  });

  it('every amount is either within or out, never both ways for one bound (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), (k) => {
        expect(withinRow('payment', k, b)).toBe(k >= 200 && k <= 1_499_900);
      }),
    );
  });
});
