import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { amountDue } from './amount-due';

describe('amountDue', () => {
  it.each([
    { balances: [], total: 0, advance: 0 },
    { balances: [12_345], total: 12_345, advance: 0 },
    { balances: [12_345, -5_000], total: 12_345, advance: 5_000 },
    { balances: [0, 0], total: 0, advance: 0 },
    { balances: [-1, -2], total: 0, advance: 3 },
    { balances: [100, 250, -70], total: 350, advance: 70 },
  ])('$balances → to pay $total, advance $advance', ({ balances, total, advance }) => {
    const due = amountDue(balances.map((balance, i) => ({ accountId: i + 1, balance })));
    expect(due.total).toBe(total);
    expect(due.advance).toBe(advance);
  });

  it('an advance on one account never lowers what another owes', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -10_000_000, max: 10_000_000 }), { maxLength: 12 }), (balances) => {
        const due = amountDue(balances.map((balance, i) => ({ accountId: i, balance })));
        due.lines.forEach((line, i) => {
          expect(line.toPay - line.advance).toBe(balances[i]);
          expect(line.toPay).toBeGreaterThanOrEqual(0);
          expect(line.advance).toBeGreaterThanOrEqual(0);
        });
        expect(due.total - due.advance).toBe(balances.reduce((a, b) => a + b, 0));
        expect(due.total).toBe(due.lines.reduce((s, l) => s + l.toPay, 0));
      }),
    );
  });

  it('refuses a balance that is not whole kopecks', () => {
    expect(() => amountDue([{ accountId: 1, balance: 1.5 }])).toThrow(RangeError);
  });
});
