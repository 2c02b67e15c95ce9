import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { afterCarry, commissionOf, commissionsOf, contractInForce, settlementCsv, totals, transferPurpose, type SettlementLine } from './settlement-format';

const line = (amount: number, commission: number, kind: SettlementLine['kind'] = 'payment'): SettlementLine => ({
  kind,
  paymentId: 1,
  agent: 'bank',
  txnId: 't;1',
  paidAt: '2026-12-03T10:00:00.000Z',
  unifiedAccount: '1000011',
  accountNumber: 'Т-1',
  serviceCode: 'heating',
  amount,
  commission,
});

describe('settlement arithmetic and files', () => {
  it.each([
    [10000, { percent: '1.5', fixed: null }, 150],
    [333, { percent: '1.5', fixed: null }, 5], // 4.995 → 5, half up
    [10000, { percent: null, fixed: 300 }, 300],
    [200, { percent: null, fixed: 300 }, 200], // never more than the part itself
    [-10000, { percent: '1.5', fixed: null }, -150], // a reversal takes the commission back
    [10000, undefined, 0],
  ])('commission on %i by %j is %i', (amount, contract, expected) => {
    expect(commissionOf(amount, contract)).toBe(expected);
  });

  it('takes a fixed commission once per payment, however many of the provider’s accounts it was split over; a percent on every part', () => {
    const fixed = { percent: null, fixed: 200 };
    const part = (paymentId: number, amount: number, kind: SettlementLine['kind'] = 'payment', contract: typeof fixed | { percent: string; fixed: null } = fixed) => ({ kind, paymentId, amount, contract });
    expect(commissionsOf([part(1, 5000), part(1, 3000), part(2, 150), part(2, 20), part(3, 9000)])).toEqual([200, 0, 170, 0, 200]);
    // Its reversal takes back the same, once.
    expect(commissionsOf([part(1, 5000), part(1, 3000), part(1, -5000, 'reversal'), part(1, -3000, 'reversal')])).toEqual([200, 0, -200, 0]);
    const pct = { percent: '1.5', fixed: null };
    expect(commissionsOf([part(1, 10000, 'payment', pct), part(1, 333, 'payment', pct)])).toEqual([150, 5]);
    expect(commissionsOf([{ kind: 'payment', paymentId: 1, amount: 10000, contract: undefined }])).toEqual([0]);
  });

  it('net is gross less commission, and a payment reversed the same day nets to zero', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 10_000_000 }), { minLength: 1, maxLength: 30 }), fc.integer({ min: 0, max: 500 }), (amounts, bp) => {
        const contract = { percent: (bp / 100).toFixed(2), fixed: null };
        const lines = amounts.map((a) => line(a, commissionOf(a, contract)));
        const t = totals(lines);
        expect(t.net).toBe(t.gross - t.commission);
        const back = totals([...lines, ...amounts.map((a) => line(-a, commissionOf(-a, contract), 'reversal'))]);
        expect(back).toEqual({ gross: 0, commission: 0, net: 0 });
      }),
    );
  });

  it('writes the CSV in Windows-1251 with a totals line, quoting what needs it', () => {
    const text = iconv.decode(settlementCsv([line(12345, 185)]), 'windows-1251');
    expect(text.split('\r\n')).toEqual([
      'KIND;PAYMENT;AGENT;TXN;PAID_AT;UNIFIED;ACCOUNT;SERVICE;AMOUNT;COMMISSION;NET',
      'payment;1;bank;"t;1";2026-12-03T10:00:00.000Z;1000011;Т-1;heating;123.45;1.85;121.60',
      'TOTAL;;;;;;;;123.45;1.85;121.60',
      '',
    ]);
    expect(transferPurpose('2026-12-03', 5)).toBe('Перерахування коштів населення за 03.12.2026 згідно з реєстром №5, без ПДВ');
  });

  it.each([
    [10000, 0, 10000, 0],
    [10000, -3000, 7000, 0], // an earlier day's debt is deducted
    [-2500, 0, 0, -2500], // more taken back than came in: nothing to transfer, the rest is owed
    [1000, -2500, 0, -1500], // a debt larger than the day: carried on
    [0, 0, 0, 0],
  ])('net %i with %i carried in: transfer %i, carried on %i', (net, carriedIn, transfer, carriedOut) => {
    expect(afterCarry(net, carriedIn)).toEqual({ transfer, carriedOut });
  });

  it('loses no kopeck across a run of days: what is transferred plus what is still owed is what the days netted', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -5_000_000, max: 5_000_000 }), { minLength: 1, maxLength: 40 }), (nets) => {
        let carried = 0;
        let transferred = 0;
        for (const net of nets) {
          const c = afterCarry(net, carried);
          expect(c.transfer).toBeGreaterThanOrEqual(0);
          expect(c.carriedOut).toBeLessThanOrEqual(0);
          expect(c.transfer === 0 || c.carriedOut === 0).toBe(true);
          transferred += c.transfer;
          carried = c.carriedOut;
        }
        expect(transferred + carried).toBe(nets.reduce((sum, n) => sum + n, 0));
      }),
    );
  });

  it('says in the CSV what an earlier debt took from the transfer, and what is carried on', () => {
    const withDebt = iconv.decode(settlementCsv([line(12345, 185)], -5000), 'windows-1251').split('\r\n');
    expect(withDebt.slice(2)).toEqual(['TOTAL;;;;;;;;123.45;1.85;121.60', 'CARRIED_IN;;;;;;;;;;-50.00', 'TRANSFER;;;;;;;;;;71.60', 'CARRIED_OUT;;;;;;;;;;0.00', '']);
    const owing = iconv.decode(settlementCsv([line(-12345, -185, 'reversal')]), 'windows-1251').split('\r\n');
    expect(owing.slice(2)).toEqual(['TOTAL;;;;;;;;-123.45;-1.85;-121.60', 'CARRIED_IN;;;;;;;;;;0.00', 'TRANSFER;;;;;;;;;;0.00', 'CARRIED_OUT;;;;;;;;;;-121.60', '']);
  });

  it('takes the contract in force on the payment’s day: the agent’s own begun last by then, else the general one', () => {
    const contracts = [
      { agentId: null, validFrom: '2026-01-01', percent: '1.000', fixed: null },
      { agentId: null, validFrom: '2026-12-01', percent: '1.200', fixed: null },
      { agentId: 7, validFrom: '2026-12-05', percent: null, fixed: 300 },
    ];
    expect(contractInForce(contracts, 7, '2025-12-31')).toBeUndefined();
    expect(contractInForce(contracts, 7, '2026-11-30')).toEqual({ percent: '1.000', fixed: null });
    expect(contractInForce(contracts, 7, '2026-12-04')).toEqual({ percent: '1.200', fixed: null });
    expect(contractInForce(contracts, 7, '2026-12-05')).toEqual({ percent: null, fixed: 300 });
    expect(contractInForce(contracts, 8, '2026-12-05')).toEqual({ percent: '1.200', fixed: null });
  });
});
