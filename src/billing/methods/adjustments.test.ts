import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { benefitAmount, recalculationAmount, subsidyCredit } from './adjustments';

describe('benefits within the social norm', () => {
  it('cold water: 3 persons, one entitled at 50 %, 9 m³ against a norm of 2 m³ a person', () => {
    // charge 9 × 30 = 270.00; norm 3 × 2 = 6 m³ → within norm 270 × 6/9 = 180.00;
    // per person 60.00; × 50 % = 30.00 → −3000
    expect(
      benefitAmount({ charge: 27000, quantity: '9', persons: 3, socialNormPerPerson: '2', entitledPercents: ['50'], socialNormPerHousehold: null }),
    ).toBe(-3000);
  });
  it('heating by area: 2 persons, both entitled (100 % and 25 %), 62.4 m² against 21 × 2 + 10.5', () => {
    // norm 52.5 m²; charge 62.4 × 40.6 = 2533.44 → 253344 kop; within norm 253344 × 52.5 / 62.4 = 213150
    // per person 106575; × (100 + 25) % = 133218.75 → 133219 (half up) → −1332.19 UAH
    expect(
      benefitAmount({ charge: 253344, quantity: '62.4', persons: 2, socialNormPerPerson: '21', socialNormPerHousehold: '10.5', entitledPercents: ['100', '25'] }),
    ).toBe(-133219);
  });
  it('under the norm the whole charge counts: 4 m³ for 3 persons (norm 6)', () => {
    // 120.00 / 3 × 50 % = 20.00
    expect(benefitAmount({ charge: 12000, quantity: '4', persons: 3, socialNormPerPerson: '2', entitledPercents: ['50'] })).toBe(-2000);
  });
  it('a fixed fee has no quantity: 25.00 / 4 persons × 50 % = 3.125 → 3.13', () => {
    expect(benefitAmount({ charge: 2500, quantity: null, persons: 4, socialNormPerPerson: null, entitledPercents: ['50'] })).toBe(-313);
  });
  it('nothing for a credit, nobody entitled or nobody registered', () => {
    expect(benefitAmount({ charge: -500, quantity: '1', persons: 1, socialNormPerPerson: '2', entitledPercents: ['50'] })).toBe(0);
    expect(benefitAmount({ charge: 500, quantity: '1', persons: 1, socialNormPerPerson: '2', entitledPercents: [] })).toBe(0);
    expect(benefitAmount({ charge: 500, quantity: '1', persons: 0, socialNormPerPerson: '2', entitledPercents: ['50'] })).toBe(0);
  });
  it('property: a benefit never exceeds the charge', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.integer({ min: 1, max: 8 }),
        fc.array(fc.integer({ min: 1, max: 100 }), { maxLength: 8 }),
        fc.integer({ min: 1, max: 100_000 }),
        (charge, persons, percents, q) => {
          const b = benefitAmount({ charge, quantity: String(q / 100), persons, socialNormPerPerson: '2', entitledPercents: percents.map(String) });
          expect(b).toBeLessThanOrEqual(0);
          expect(-b).toBeLessThanOrEqual(charge);
        },
      ),
    );
  });
});

describe('subsidies and recalculations', () => {
  it('credits the awarded subsidy', () => {
    expect(subsidyCredit(84512)).toBe(-84512);
  });
  it('absence 12 of 30 days: −413.83 × 12/30 = −165.532 → −165.53', () => {
    expect(recalculationAmount(41383, 12, 30)).toBe(-16553);
  });
  it('poor quality 10 of 31 days at 50 %: −270.00 × 10/31 × 0.5 = −43.548… → −43.55', () => {
    expect(recalculationAmount(27000, 10, 31, '50')).toBe(-4355);
  });
  it('never more days than the month has', () => {
    expect(recalculationAmount(27000, 31, 30)).toBe(-27000);
  });
});
