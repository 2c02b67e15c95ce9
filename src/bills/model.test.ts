import { describe, expect, it } from 'vitest';
import { balance, input } from '../../tests/helpers/bill-fixture';
import { BillInputError, composeBill, trimDecimal } from './model';
import { decodeQrUrl } from './qr';

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

  it.each([
    { news: '', communityNews: [], shown: '' },
    { news: 'Новини', communityNews: [], shown: 'Новини' },
    { news: '', communityNews: ['Ярмарок у суботу'], shown: 'Ярмарок у суботу' },
    { news: 'Новини', communityNews: ['Ярмарок', 'Толока'], shown: 'Новини\nЯрмарок\nТолока' },
  ])("news: the design's $news and the period's $communityNews → $shown", ({ news, communityNews, shown }) => {
    expect(composeBill(input({ design: { ...input().design, news }, communityNews })).news).toBe(shown);
  });

  it('hidden news hides the community news of the period too', () => {
    expect(composeBill(input({ design: { ...input().design, sections: ['meters'] }, communityNews: ['Ярмарок'] })).news).toBe('');
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
