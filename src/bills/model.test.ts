import { describe, expect, it } from 'vitest';
import type { PremiseAccountBalance, PremiseAccountLine } from '../billing/statements';
import { BillInputError, composeBill, DEFAULT_DESIGN, trimDecimal, type BillInput } from './model';
import { decodeQrUrl } from './qr';

function balance(accountId: number, serviceCode: string, amount: number): PremiseAccountBalance {
  return {
    accountId, number: `A${accountId}`, providerId: accountId, provider: `Постачальник ${accountId}`, providerEdrpou: '32855961',
    providerIban: 'UA213223130000026007233566001', serviceId: accountId, serviceCode, serviceUk: `Послуга ${serviceCode}`, serviceEn: serviceCode, balance: amount,
  };
}
function line(accountId: number, l: Partial<PremiseAccountLine>): PremiseAccountLine {
  return {
    account_id: accountId, number: `A${accountId}`, provider: '', service: '', period: '2026-11-01', opening: 0, charged: 0, recalculations: 0,
    benefits: 0, subsidies: 0, penalties: 0, adjustments: 0, paid: 0, closing: 0, ...l,
  };
}

const input = (over: Partial<BillInput> = {}): BillInput => ({
  communityName: 'Вінницька громада',
  period: '2026-11-01',
  dueDate: '2026-12-20',
  unifiedAccount: '0000012345',
  addressee: { name: 'Коваленко Олена Петрівна', street: 'вул. Київська, 12а, кв. 1', postalCode: '21000', locality: 'м. Вінниця' },
  lines: [line(1, { opening: 10_000, charged: 45_000, paid: -10_000, closing: 45_000 }), line(2, { opening: -3_000, charged: 0, closing: -3_000 })],
  balances: [balance(1, 'water', 45_000), balance(2, 'gas', -3_000)],
  charges: [{ accountId: 1, volume: '4.500', tariff: '100.00', amount: 45_000 }],
  meters: [{ serviceCode: 'water', serviceUk: 'Вода', serial: 'W1', zone: 1, previous: '10', current: '14.5', estimated: false, consumption: '4.5', unit: 'м³' }],
  notices: [{ provider: 'Водоканал', text: 'Планова повірка лічильників' }],
  design: { ...DEFAULT_DESIGN, recipientName: 'КП ЦОД', collectingIban: 'UA213223130000026007233566001', recipientCode: '32855961', serviceOrder: ['gas'] },
  ...over,
});

describe('composeBill', () => {
  it('to pay is amountDue: debts add up, the advance is shown beside and not netted', () => {
    const bill = composeBill(input());
    expect(bill.toPay).toBe(45_000);
    expect(bill.advance).toBe(3_000);
    expect(bill.totals.closing).toBe(42_000);
    expect(bill.services.map((s) => [s.serviceCode, s.toPay, s.advance])).toEqual([['gas', 0, 3_000], ['water', 45_000, 0]]);
  });

  it('shows the charge as billed, volume × tariff', () => {
    expect(composeBill(input()).services[1].chargedAs).toEqual(['4.5 × 100']);
  });

  it('the QR carries the total, the collecting IBAN and the account and period in the purpose', () => {
    const bill = composeBill(input());
    const lines = decodeQrUrl(bill.qr!.url);
    expect(lines[6]).toBe('UA213223130000026007233566001');
    expect(lines[7]).toBe('UAH450.00');
    expect(lines[11]).toBe('Єдиний рахунок 0000012345, листопад 2026');
    expect(bill.nothingToPay).toBe(false);
  });

  it.each([
    { name: 'everything paid', balances: [balance(1, 'water', 0)] },
    { name: 'only an advance', balances: [balance(1, 'water', -5_000)] },
  ])('$name → no QR, a line saying nothing to pay', ({ balances }) => {
    const bill = composeBill(input({ balances }));
    expect(bill.qr).toBeNull();
    expect(bill.nothingToPay).toBe(true);
  });

  it.each([
    { toPay: 500_000, reminder: false },
    { toPay: 500_001, reminder: true },
  ])('debt reminder past the threshold: $toPay → $reminder', ({ toPay, reminder }) => {
    expect(composeBill(input({ balances: [balance(1, 'water', toPay)] })).debtReminder).toBe(reminder);
  });

  it('sections the design hides are empty', () => {
    const bill = composeBill(input({ design: { ...input().design, sections: [], news: 'Новини' } }));
    expect([bill.meters, bill.notices, bill.news, bill.debtReminder]).toEqual([[], [], '', false]);
  });

  it('a premise without an address is refused', () => {
    expect(() => composeBill(input({ addressee: { name: 'X', street: null, postalCode: null, locality: 'м. Вінниця' } }))).toThrow(BillInputError);
  });

  it.each([
    ['12.500', '12.5'],
    ['3.000', '3'],
    ['7', '7'],
  ])('trimDecimal(%s) = %s', (a, b) => expect(trimDecimal(a)).toBe(b));
});
