import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { monthlyHistory } from './history';

describe('monthlyHistory', () => {
  it('fills every month, sums charges with corrections and payments net of reversals', () => {
    const h = monthlyHistory('2026-11-01', 3, [
      { period: '2026-11-01', kind: 'charge', amount: 50_000 },
      { period: '2026-11-01', kind: 'recalculation', amount: -2_000 },
      { period: '2026-11-01', kind: 'payment', amount: -30_000 },
      { period: '2026-11-01', kind: 'reversal', amount: 10_000 },
      { period: '2026-09-01', kind: 'opening_balance', amount: 7_000 },
      { period: '2026-08-01', kind: 'charge', amount: 99_999 },
    ], [
      { period: '2026-10-01', serviceCode: 'cold_water', volume: '3.5' },
      { period: '2026-10-01', serviceCode: 'cold_water', volume: '1.25' },
    ]);
    expect(h).toEqual([
      { period: '2026-09-01', charged: 0, paid: 0, consumption: {} },
      { period: '2026-10-01', charged: 0, paid: 0, consumption: { cold_water: '4.75' } },
      { period: '2026-11-01', charged: 48_000, paid: 20_000, consumption: {} },
    ]);
  });

  it('the months add up to the rows inside the window', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ m: fc.integer({ min: 0, max: 30 }), kind: fc.constantFrom('charge', 'payment', 'penalty', 'reversal'), amount: fc.integer({ min: -100_000, max: 100_000 }) })), fc.integer({ min: 1, max: 24 }), (rows, months) => {
        const ledger = rows.map((r) => ({ period: `2025-${String((r.m % 12) + 1).padStart(2, '0')}-01`, kind: r.kind, amount: r.amount }));
        const h = monthlyHistory('2025-12-01', months, ledger, []);
        expect(h).toHaveLength(months);
        const inside = ledger.filter((r) => h.some((m) => m.period === r.period));
        expect(h.reduce((s, m) => s + m.charged, 0)).toBe(inside.filter((r) => r.kind === 'charge' || r.kind === 'penalty').reduce((s, r) => s + r.amount, 0));
        expect(h.reduce((s, m) => s + m.paid, 0)).toBe(0 - inside.filter((r) => r.kind === 'payment' || r.kind === 'reversal').reduce((s, r) => s + r.amount, 0));
      }),
    );
  });
});
