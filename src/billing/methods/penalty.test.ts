import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { firstWorkingDayAfter, overdueDaysInPeriod, penaltyAmount } from './penalty';

describe('first working day after the due date', () => {
  it.each([
    ['2026-11-20', [], '2026-11-23'], // Friday the 20th → Monday the 23rd
    ['2026-11-18', [], '2026-11-19'], // Wednesday → Thursday
    ['2026-12-20', [], '2026-12-21'], // Sunday → Monday
    ['2026-12-24', ['2026-12-25'], '2026-12-28'], // Thursday; Friday a holiday → Monday
  ])('%s (holidays %j) → %s', (due, holidays, expected) => {
    expect(firstWorkingDayAfter(due, holidays)).toBe(expected);
  });
  it('counts the overdue days of November: from the 23rd to the 30th = 8', () => {
    expect(overdueDaysInPeriod('2026-11-01', '2026-11-30', '2026-11-20')).toBe(8);
    expect(overdueDaysInPeriod('2026-11-01', '2026-11-30', '2026-11-30')).toBe(0); // due on the last day
    expect(overdueDaysInPeriod('2026-11-01', '2026-11-30', '2026-10-20')).toBe(30); // long overdue
  });
});

const base = { penaltiesSoFar: 0, daysInPeriod: 30, overdueDaysOfLastBill: 8, ratePerDay: '0.0001', moratorium: false };

describe('penalty', () => {
  it('the unpaid last bill: 1,000.00 × 0.01 % × 8 days = 0.80', () => {
    expect(penaltyAmount({ ...base, principalBefore: 100000, lastBill: 100000, paidThisPeriod: 0 })).toBe(80);
  });
  it('older debt all month, the last bill from the 23rd: 500 × 30 + 1,000 × 8 days', () => {
    // (50000 × 30 + 100000 × 8) × 0.0001 = (1,500,000 + 800,000) × 0.0001 = 230 kop = 2.30 UAH
    expect(penaltyAmount({ ...base, principalBefore: 150000, lastBill: 100000, paidThisPeriod: 0 })).toBe(230);
  });
  it('a payment pays the older debt first: paid 700 of 500 old + 1,000 recent', () => {
    // old 500 paid; 200 goes to the recent bill → 800 unpaid × 8 days × 0.0001 = 64 kop
    expect(penaltyAmount({ ...base, principalBefore: 150000, lastBill: 100000, paidThisPeriod: 70000 })).toBe(64);
  });
  it('paid in full: nothing', () => {
    expect(penaltyAmount({ ...base, principalBefore: 100000, lastBill: 100000, paidThisPeriod: 100000 })).toBe(0);
  });
  it('half up: 123.45 × 0.01 % × 30 days = 0.37035 UAH → 37 kop', () => {
    // 12345 × 30 × 0.0001 = 37.035 kop → 37
    expect(penaltyAmount({ ...base, principalBefore: 12345, lastBill: 0, paidThisPeriod: 0 })).toBe(37);
  });
  it('capped at 100 % of the debt', () => {
    // debt 10.00, penalties so far 9.99: at most 0.01 more
    expect(penaltyAmount({ ...base, principalBefore: 1000, lastBill: 0, paidThisPeriod: 0, penaltiesSoFar: 999, daysInPeriod: 31 })).toBe(1);
  });
  it('none under a moratorium, none on a credit balance', () => {
    expect(penaltyAmount({ ...base, principalBefore: 100000, lastBill: 100000, paidThisPeriod: 0, moratorium: true })).toBe(0);
    expect(penaltyAmount({ ...base, principalBefore: -5000, lastBill: 0, paidThisPeriod: 0 })).toBe(0);
  });
  it('property: never more than 0.01 % a day of the debt, never past the cap', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1e7, max: 1e8 }),
        fc.integer({ min: -1e6, max: 1e8 }),
        fc.integer({ min: 0, max: 1e8 }),
        fc.integer({ min: 0, max: 1e8 }),
        fc.integer({ min: 0, max: 31 }),
        (principal, lastBill, paid, soFar, overdue) => {
          const p = penaltyAmount({ ...base, daysInPeriod: 31, overdueDaysOfLastBill: overdue, principalBefore: principal, lastBill, paidThisPeriod: paid, penaltiesSoFar: soFar });
          const debt = Math.max(0, principal - paid);
          expect(p).toBeGreaterThanOrEqual(0);
          expect(p).toBeLessThanOrEqual(Math.round(debt * 31 * 0.0001) + 1);
          expect(p).toBeLessThanOrEqual(Math.max(0, debt - soFar));
        },
      ),
    );
  });
});
