import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { meterVolume, meteredCharge, tieredCost } from './metered';
import { dec } from './decimal';

describe('meterVolume', () => {
  it.each([
    // previous, current, digits, multiplier, expected: the arithmetic
    ['100', '112.5', 5, '1', '12.5'], // 112.5 − 100 = 12.5
    ['99990', '15', 5, '1', '25'], // rolled over: 15 + 100000 − 99990 = 25
    ['9995', '3', 4, '1', '8'], // 4 digits: 3 + 10000 − 9995 = 8
    ['1200', '1260', 5, '40', '2400'], // transformer meter: (1260 − 1200) × 40 = 2400 kWh
    ['500', '500', 5, '1', '0'],
  ])('%s → %s (%d digits, ×%s) = %s', (prev, cur, digits, mult, expected) => {
    expect(meterVolume(prev, cur, digits, mult).toString()).toBe(expected);
  });
});

describe('meteredCharge', () => {
  it('prices a single-zone meter: 12.345 m³ × 29.988 = 370.20186 → 370.20 UAH', () => {
    expect(meteredCharge([{ zone: 1, volume: '12.345' }], { price: '29.988' })).toEqual([
      { zone: 1, volume: '12.345', unitPrice: '29.988', amount: 37020 },
    ]);
  });

  it('prices a two-zone electricity meter: day ×1, night ×0.5 at 4.32 UAH/kWh', () => {
    // day: 150 × 4.32 = 648.00; night: 90 × 2.16 = 194.40
    const lines = meteredCharge(
      [
        { zone: 1, volume: '150' },
        { zone: 2, volume: '90' },
      ],
      { price: '4.32', zoneCoefficients: ['1', '0.5'] },
    );
    expect(lines.map((l) => [l.unitPrice, l.amount])).toEqual([
      ['4.32', 64800],
      ['2.16', 19440],
    ]);
  });

  it('prices a three-zone meter: peak ×1.5, night ×0.4, other ×1', () => {
    // peak 37 × 6.48 = 239.76; night 61 × 1.728 = 105.408 → 105.41; other 102 × 4.32 = 440.64
    const lines = meteredCharge(
      [
        { zone: 1, volume: '37' },
        { zone: 2, volume: '61' },
        { zone: 3, volume: '102' },
      ],
      { price: '4.32', zoneCoefficients: ['1.5', '0.4', '1'] },
    );
    expect(lines.map((l) => l.amount)).toEqual([23976, 10541, 44064]);
  });

  it('rounds each line once, half up: 0.125 m³ × 1 UAH = 0.125 → 0.13', () => {
    expect(meteredCharge([{ zone: 1, volume: '0.125' }], { price: '1' })[0].amount).toBe(13);
  });

  it('prices electric heating by tiers: first 2,000 kWh at 2.64, the rest at 4.32', () => {
    const tiers = [
      { from: '0', to: '2000', price: '2.64' },
      { from: '2000', to: null, price: '4.32' },
    ];
    // 2,500 kWh: 2000 × 2.64 + 500 × 4.32 = 5280 + 2160 = 7440.00
    expect(meteredCharge([{ zone: 1, volume: '2500' }], { price: '4.32', tiers })[0].amount).toBe(744000);
    // 1,234.5 kWh: all in the first tier: 1234.5 × 2.64 = 3259.08
    expect(meteredCharge([{ zone: 1, volume: '1234.5' }], { price: '4.32', tiers })[0].amount).toBe(325908);
    // a negative reconciliation volume is priced at the first tier: −10 × 2.64
    expect(tieredCost('-10', tiers).toString()).toBe('-26.4');
  });

  it('adds zones up before pricing tiers: 1,500 + 700 kWh', () => {
    // 2,200 kWh: 2000 × 2.64 + 200 × 4.32 = 5280 + 864 = 6144.00
    const tiers = [
      { from: '0', to: '2000', price: '2.64' },
      { from: '2000', to: null, price: '4.32' },
    ];
    expect(
      meteredCharge(
        [
          { zone: 1, volume: '1500' },
          { zone: 2, volume: '700' },
        ],
        { price: '4.32', tiers },
      ),
    ).toEqual([{ zone: 1, volume: '2200', unitPrice: null, amount: 614400 }]);
  });

  it('property: tiers with one price cost exactly volume × price, wherever the bound lies', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 1, max: 5000 }), (milli, bound) => {
        const v = dec(milli).dividedBy(1000);
        const cost = tieredCost(v, [
          { from: 0, to: bound, price: '4.32' },
          { from: bound, to: null, price: '4.32' },
        ]);
        expect(cost.equals(v.times('4.32'))).toBe(true);
      }),
    );
  });
});
