import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { distributeHeat, distributeImbalance } from './distribution';
import { dec, sumDec } from './decimal';

const premises = [
  { premiseId: 1, totalArea: '50', persons: 1, consumption: '10' },
  { premiseId: 2, totalArea: '70', persons: 3, consumption: '20' },
  { premiseId: 3, totalArea: '80', persons: 2, consumption: '30' },
];

describe('building meter imbalance', () => {
  // Building 72 m³, apartments 10 + 20 + 30 = 60: imbalance 12 m³ at 30 UAH/m³ = 360 UAH.
  it('by area: 50/200, 70/200, 80/200 of 12 m³', () => {
    const r = distributeImbalance('72', premises, 'area', '30');
    // 12 × 50/200 = 3 m³ → 90.00; 12 × 70/200 = 4.2 → 126.00; 12 × 80/200 = 4.8 → 144.00
    expect(r.map((x) => [x.volume.toString(), x.amount])).toEqual([
      ['3', 9000],
      ['4.2', 12600],
      ['4.8', 14400],
    ]);
  });
  it('by persons: 1/6, 3/6, 2/6', () => {
    // 12/6 = 2 m³ a person: 2 → 60.00, 6 → 180.00, 4 → 120.00
    expect(distributeImbalance('72', premises, 'persons', '30').map((x) => x.amount)).toEqual([6000, 18000, 12000]);
  });
  it('by consumption: 10/60, 20/60, 30/60', () => {
    // 12 × 10/60 = 2 → 60.00; 4 → 120.00; 6 → 180.00
    expect(distributeImbalance('72', premises, 'consumption', '30').map((x) => x.amount)).toEqual([6000, 12000, 18000]);
  });
  it('rounds each share once: 10 m³ by persons 1/3 each at 29.988', () => {
    const three = [1, 2, 3].map((i) => ({ premiseId: i, totalArea: '1', persons: 1, consumption: '0' }));
    // 10 × 29.988 / 3 = 99.96 each (exact)
    expect(distributeImbalance('10', three, 'persons', '29.988').map((x) => x.amount)).toEqual([9996, 9996, 9996]);
    // 1 × 10 / 3 = 3.3333… → 3.33 each
    expect(distributeImbalance('1', three, 'persons', '10').map((x) => x.amount)).toEqual([333, 333, 333]);
  });
  it('does not distribute a negative imbalance', () => {
    expect(distributeImbalance('55', premises, 'area', '30')).toEqual([]);
  });
  it('does not distribute when nothing carries weight (0 is not a share basis)', () => {
    const nobody = premises.map((p) => ({ ...p, persons: 0 }));
    expect(distributeImbalance('72', nobody, 'persons', '30')).toEqual([]);
    expect(distributeImbalance('60', premises, 'area', '30')).toEqual([]); // imbalance 0
  });
});

describe('heating by heated area with a common-area coefficient', () => {
  const flats = [
    { premiseId: 1, heatedArea: '50', totalArea: '50' },
    { premiseId: 2, heatedArea: '50', totalArea: '50' },
    { premiseId: 3, heatedArea: '0', totalArea: '100' }, // disconnected from the network
  ];
  it('without common areas: only by heated area', () => {
    // Q = 20 Gcal at 1,654.41 UAH: 10 Gcal each to the heated flats = 16,544.10; nothing to flat 3
    expect(distributeHeat('20', flats, '0', '1', '1654.41').map((x) => x.amount)).toEqual([1654410, 1654410, 0]);
  });
  it('common areas with k = 0.5: stairwells paid by total area', () => {
    // ΣH = 100, ΣT = 200, A_c = 40, k = 0.5 → k·A_c = 20; denominator 200 × 120 = 24,000
    // flat 1: (50 × 200 + 20 × 50) / 24000 = 11000/24000 → 20 × 11/24 = 9.1666… Gcal × 100 = 916.67 UAH
    // flat 3: (0 + 20 × 100) / 24000 = 2000/24000 → 20 × 1/12 = 1.6666… Gcal → 166.67 UAH
    const r = distributeHeat('20', flats, '40', '0.5', '100');
    expect(r.map((x) => x.amount)).toEqual([91667, 91667, 16667]);
    expect(sumDec(r.map((x) => x.volume)).toDecimalPlaces(20).toString()).toBe('20');
  });
  it('shares nothing when no premise is heated and there are no common areas (no 0/0)', () => {
    const cutOff = flats.map((f) => ({ ...f, heatedArea: '0' }));
    expect(distributeHeat('20', cutOff, '0', '0.2', '100')).toEqual([]);
  });
  it('property: shares always add up to the building heat', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ h: fc.integer({ min: 0, max: 200 }), t: fc.integer({ min: 1, max: 200 }) }), { minLength: 1, maxLength: 20 }),
        fc.integer({ min: 0, max: 500 }),
        fc.integer({ min: 2, max: 20 }),
        (rows, common, k10) => {
          const ps = rows.map((r, i) => ({ premiseId: i, heatedArea: String(r.h), totalArea: String(Math.max(r.h, r.t)) }));
          const shares = distributeHeat('123.456', ps, String(common), dec(k10).dividedBy(10), '1');
          if (shares.length === 0) return;
          expect(sumDec(shares.map((s) => s.volume)).toDecimalPlaces(25).equals('123.456')).toBe(true);
        },
      ),
    );
  });
});
