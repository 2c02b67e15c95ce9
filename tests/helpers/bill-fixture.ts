/** A premise's period as composeBill takes it: the bills' unit tests start from this. */
import type { PremiseAccountBalance, PremiseAccountLine } from '../../src/billing/statements';
import { DEFAULT_DESIGN, type BillInput } from '../../src/bills/model';

export function balance(accountId: number, serviceCode: string, amount: number): PremiseAccountBalance {
  return {
    accountId, number: `A${accountId}`, providerId: accountId, provider: `Постачальник ${accountId}`, providerEdrpou: '32855961',
    providerIban: 'UA213223130000026007233566001', serviceId: accountId, serviceCode, serviceUk: `Послуга ${serviceCode}`, serviceEn: serviceCode, balance: amount,
  };
}
export function line(accountId: number, l: Partial<PremiseAccountLine>): PremiseAccountLine {
  return {
    account_id: accountId, number: `A${accountId}`, provider: '', service: '', service_en: '', period: '2026-11-01', opening: 0, charged: 0, recalculations: 0,
    benefits: 0, subsidies: 0, penalties: 0, adjustments: 0, paid: 0, closing: 0, ...l,
  };
}

export const input = (over: Partial<BillInput> = {}): BillInput => ({
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

