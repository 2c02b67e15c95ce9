import { describe, expect, it } from 'vitest';
import { areaCharge, capacityCharge, fixedCharge, normCharge, normVolume, perPersonCharge } from './simple';
import { estimateVolume, reconcileVolume } from './estimated';

describe('norm × registered persons', () => {
  it.each([
    // persons, norm, price, kopecks: the arithmetic
    [3, '4.6', '29.988', 41383], // 4.6 × 3 = 13.8 m³; 13.8 × 29.988 = 413.8344 → 413.83
    [1, '3.28', '7.95689', 2610], // gas stove with hot water: 3.28 × 7.95689 = 26.0985992 → 26.10
    [2, '10.49', '7.95689', 16694], // stove + water heater: 20.98 × 7.95689 = 166.9355522 → 166.94
    [0, '4.6', '29.988', 0], // nobody registered: nothing
  ])('%d persons × %s × %s = %d kopecks', (persons, norm, price, expected) => {
    expect(normCharge(persons, norm, price)).toBe(expected);
  });
  it('gives the volume for the explanation', () => {
    expect(normVolume(3, '4.6').toString()).toBe('13.8');
  });
});

describe('per person and per m²', () => {
  it('waste: 47.80 per person × 3 + subscriber fee 6.14 = 149.54', () => {
    expect(perPersonCharge(3, '47.80', '6.14')).toBe(14954);
  });
  it('waste by annual norm: 2.03 m³ × 205 UAH ÷ 12 = 34.679166… per person', () => {
    // entered as a per-person price of 2.03 × 205 / 12 exact to 6 places = 34.679167; × 2 = 69.358334 → 69.36
    expect(perPersonCharge(2, '34.679167')).toBe(6936);
  });
  it.each([
    ['52.3', '5.75', 30073], // ОСББ dues: 52.3 × 5.75 = 300.725 → 300.73 (half up)
    ['48.15', '4.4', 21186], // 48.15 × 4.4 = 211.86
    ['0', '6.5', 0],
  ])('%s m² × %s UAH = %d', (area, price, expected) => {
    expect(areaCharge(area, price)).toBe(expected);
  });
});

describe('fixed and capacity', () => {
  it('intercom 25.00 a month', () => {
    expect(fixedCharge('25')).toBe(2500);
  });
  it('gas distribution: 1,340 m³ a year × 1.79 UAH ÷ 12 = 199.883… → 199.88', () => {
    // 1340 × 1.79 = 2398.6; / 12 = 199.88333…
    expect(capacityCharge('1340', '1.79')).toBe(19988);
  });
  it('gas distribution: 600 m³ × 1.99 ÷ 12 = 99.50 exactly', () => {
    expect(capacityCharge('600', '1.99')).toBe(9950);
  });
});

describe('estimated volume and reconciliation', () => {
  it('averages daily consumption of recent months over the days of this one', () => {
    // 9 m³ in 30 days, 10 m³ in 31, 8.5 m³ in 30 = 27.5 m³ / 91 days × 30 = 9.0659340659…
    const v = estimateVolume(
      [
        { volume: '9', days: 30 },
        { volume: '10', days: 31 },
        { volume: '8.5', days: 30 },
      ],
      30,
    );
    expect(v!.toDecimalPlaces(6).toString()).toBe('9.065934');
  });
  it('has no estimate without history', () => {
    expect(estimateVolume([], 30)).toBeNull();
  });
  it('bills actual minus estimates when a reading arrives', () => {
    // estimated 9.07 and 9.37, actual since the last reading 21 → 2.56 more
    expect(reconcileVolume('21', ['9.07', '9.37']).toString()).toBe('2.56');
    // over-estimated: actual 15 → −3.44 (a credit)
    expect(reconcileVolume('15', ['9.07', '9.37']).toString()).toBe('-3.44');
  });
});
