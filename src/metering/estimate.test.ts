import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import Decimal from 'decimal.js';
import { averageDaily, estimateVolume, reconcile } from './estimate';

describe('averageDaily', () => {
  it.each([
    // first, last, digits, multiplier, per day (by hand)
    [['2026-08-28', '100'], ['2026-10-28', '161'], 5, '1', '1'], // 61 over 61 days
    [['2026-08-28', '100'], ['2026-10-28', '161'], 5, '10', '10'],
    [['2026-09-01', '99990'], ['2026-09-11', '10'], 5, '1', '2'], // rollover: 20 over 10 days
  ] as const)('%j → %j on %i digits ×%s = %s a day', (a, b, digits, mult, daily) => {
    const v = averageDaily({ readOn: a[0], value: a[1] }, { readOn: b[0], value: b[1] }, digits, mult);
    expect(v?.toString()).toBe(daily);
  });
  it('needs at least a day between readings', () => {
    expect(averageDaily({ readOn: '2026-09-01', value: '1' }, { readOn: '2026-09-01', value: '5' }, 5, '1')).toBeNull();
  });
});

describe('estimateVolume', () => {
  const base = { digits: 5, multiplier: '1', daysInPeriod: 30, normMonthlyPerPerson: '4.6', persons: 2 };
  it('from history: average daily × days of the period, to three decimals', () => {
    const e = estimateVolume({
      ...base,
      history: [
        { readOn: '2026-07-28', value: '100' },
        { readOn: '2026-08-28', value: '120' },
        { readOn: '2026-10-28', value: '190' },
      ],
    });
    // 90 over 92 days × 30 = 29.347826… → 29.348
    expect(e).toEqual({ volume: '29.348', basis: 'history' });
  });
  it('rounds a volume exactly half-way up: the days multiplied before the one division', () => {
    // 1 × 2.5 over 48 days × 30 = 1.5625 exactly; 2.5 / 48 first, then × 30, is 1.56249… and would round down.
    const history = [{ readOn: '2026-04-08', value: '0' }, { readOn: '2026-05-26', value: '1' }];
    expect(estimateVolume({ ...base, digits: 4, multiplier: '2.5', history })).toEqual({ volume: '1.563', basis: 'history' });
  });
  it('without history: norm × persons; with neither: zero', () => {
    expect(estimateVolume({ ...base, history: [{ readOn: '2026-10-28', value: '190' }] })).toEqual({ volume: '9.2', basis: 'norm' });
    expect(estimateVolume({ ...base, history: [], persons: 0 })).toEqual({ volume: '0', basis: 'none' });
  });
});

describe('reconcile', () => {
  it('charges the actual difference less what was estimated since the last actual reading', () => {
    // last actual 100; estimated 30 and 30; now 150 → actual 50, charge 50 − 60 = −10
    expect(reconcile('100', '150', 5, '1', ['30', '30'])).toBe('-10');
    expect(reconcile('100', '200', 5, '1', ['30'])).toBe('70');
    expect(reconcile('99990', '20', 5, '1', [])).toBe('30');
  });
  it('estimates plus the reconciliation always add up to the true difference', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 50_000 }), fc.integer({ min: 0, max: 40_000 }), fc.array(fc.integer({ min: 0, max: 5000 }), { maxLength: 5 }), (prev, diff, estimates) => {
        const est = estimates.map(String);
        const charged = new Decimal(reconcile(String(prev), String(prev + diff), 5, '1', est)).plus(estimates.reduce((a, b) => a + b, 0));
        expect(charged.toNumber()).toBe(diff);
      }),
    );
  });
  it('refuses a reading below the last actual one', () => {
    expect(() => reconcile('150', '100', 5, '1', [])).toThrow(RangeError);
  });
});
