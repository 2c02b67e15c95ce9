/**
 * The bill's model: a premise's period (its ledger lines, balances, meters) and the community's
 * design turned into everything a bill shows. The PDF, the HTML e-bill and the API all render
 * this one model. "To pay" comes from `amountDue` over the balances (never computed here another
 * way). Pure, no I/O.
 */
import { amountDue } from '../billing/amount-due';
import type { PremiseAccountBalance, PremiseAccountLine } from '../billing/statements';
import type { Kopecks } from '../shared/money';
import { formatPeriodCompact, formatPeriodUk, type IsoDate, type Period } from '../shared/period';
import { paymentQr, type QrEncoding, type QrFormat } from './qr';

export const BILL_SECTIONS = ['meters', 'notices', 'news', 'debtReminder', 'readingBoxes'] as const;
export type BillSection = (typeof BILL_SECTIONS)[number];

/** The community's design of its bill (table bill_design; defaults in DEFAULT_DESIGN). */
export interface BillDesign {
  recipientName: string;
  collectingIban: string;
  recipientCode: string;
  qrFormat: QrFormat;
  qrEncoding: QrEncoding;
  primaryColor: string;
  accentColor: string;
  /** Service codes in the order they are printed; services not listed follow in their own order. */
  serviceOrder: string[];
  sections: BillSection[];
  contacts: string[];
  footer: string;
  news: string;
  /** A debt reminder prints when the total to pay exceeds this many kopecks. */
  debtThreshold: Kopecks;
  hasLogo: boolean;
}

export const DEFAULT_DESIGN: Omit<BillDesign, 'recipientName' | 'collectingIban' | 'recipientCode'> = {
  qrFormat: '002',
  qrEncoding: 1,
  primaryColor: '#1c4e80',
  accentColor: '#f2b705',
  serviceOrder: [],
  sections: ['meters', 'notices', 'news', 'debtReminder', 'readingBoxes'],
  contacts: [],
  footer: '',
  news: '',
  debtThreshold: 500_000,
  hasLogo: false,
};

export interface ChargeDetail {
  accountId: number;
  volume: string | null;
  tariff: string | null;
  amount: Kopecks;
}

export interface MeterLine {
  serviceCode: string;
  serviceUk: string;
  serial: string;
  zone: number;
  previous: string | null;
  current: string | null;
  estimated: boolean;
  consumption: string;
  unit: string;
}

export interface BillInput {
  communityName: string;
  period: Period;
  dueDate: IsoDate | null;
  unifiedAccount: string;
  addressee: { name: string | null; street: string | null; postalCode: string | null; locality: string };
  lines: PremiseAccountLine[];
  balances: PremiseAccountBalance[];
  charges: ChargeDetail[];
  meters: MeterLine[];
  notices: Array<{ provider: string; text: string }>;
  /** The community's news of the period (table bill_notice), printed after the design's own news. */
  communityNews?: string[];
  design: BillDesign;
}

export interface BillServiceLine {
  accountId: number;
  accountNumber: string;
  /** The service's name in Ukrainian (what the printed bill says) and in English (a page in English). */
  service: string;
  serviceEn: string;
  serviceCode: string;
  provider: { name: string; edrpou: string; iban: string };
  opening: Kopecks;
  /** "volume × tariff" as billed, one entry per charge line of the period. */
  chargedAs: string[];
  charged: Kopecks;
  recalculation: Kopecks;
  benefitOrSubsidy: Kopecks;
  penalty: Kopecks;
  paid: Kopecks;
  closing: Kopecks;
  toPay: Kopecks;
  advance: Kopecks;
}

export interface BillModel {
  communityName: string;
  period: Period;
  periodLabel: string;
  dueDate: IsoDate | null;
  unifiedAccount: string;
  addressee: { name: string; lines: string[] };
  services: BillServiceLine[];
  totals: Omit<BillServiceLine, 'accountId' | 'accountNumber' | 'service' | 'serviceEn' | 'serviceCode' | 'provider' | 'chargedAs'>;
  toPay: Kopecks;
  advance: Kopecks;
  /** The purpose printed and put into the QR. */
  purpose: string;
  qr: { format: QrFormat; url: string; payload: string } | null;
  /** Shown instead of the QR when there is nothing to pay. */
  nothingToPay: boolean;
  debtReminder: boolean;
  meters: MeterLine[];
  notices: Array<{ provider: string; text: string }>;
  news: string;
  design: BillDesign;
}

export class BillInputError extends Error {
  constructor(readonly code: 'no_address' | 'no_unified_account', message: string) {
    super(message);
  }
}

function orderServices<T extends { serviceCode: string }>(items: T[], order: string[]): T[] {
  const rank = (code: string) => {
    const i = order.indexOf(code);
    return i < 0 ? order.length : i;
  };
  // Array.prototype.sort is stable: services not in the order keep their ledger order.
  return [...items].sort((a, b) => rank(a.serviceCode) - rank(b.serviceCode));
}

/** What keeps a premise from having a bill at all (a print run lists it, and prints the rest). */
export function missingForBill(premise: { street: string | null; unifiedAccount: string | null }): BillInputError | null {
  if (!premise.street) return new BillInputError('no_address', 'The premise has no address for the addressee block');
  if (!premise.unifiedAccount) return new BillInputError('no_unified_account', 'The premise has no unified account number');
  return null;
}

export function composeBill(input: BillInput): BillModel {
  const { design } = input;
  const missing = missingForBill({ street: input.addressee.street, unifiedAccount: input.unifiedAccount });
  if (missing) throw missing;

  const due = amountDue(input.balances);
  const dueByAccount = new Map(due.lines.map((l) => [l.account.accountId, l]));
  const lineByAccount = new Map(input.lines.map((l) => [l.account_id, l]));

  const services = orderServices(
    input.balances.map((b): BillServiceLine => {
      const line = lineByAccount.get(b.accountId);
      const d = dueByAccount.get(b.accountId)!;
      return {
        accountId: b.accountId,
        accountNumber: b.number,
        service: b.serviceUk,
        serviceEn: b.serviceEn,
        serviceCode: b.serviceCode,
        provider: { name: b.provider, edrpou: b.providerEdrpou, iban: b.providerIban },
        opening: line?.opening ?? b.balance,
        chargedAs: input.charges
          .filter((c) => c.accountId === b.accountId && c.volume !== null && c.tariff !== null)
          .map((c) => `${trimDecimal(c.volume!)} × ${trimDecimal(c.tariff!)}`),
        charged: line?.charged ?? 0,
        recalculation: (line?.recalculations ?? 0) + (line?.adjustments ?? 0),
        benefitOrSubsidy: (line?.benefits ?? 0) + (line?.subsidies ?? 0),
        penalty: line?.penalties ?? 0,
        paid: line?.paid ?? 0,
        closing: b.balance,
        toPay: d.toPay,
        advance: d.advance,
      };
    }),
    design.serviceOrder,
  );

  const sum = (f: (s: BillServiceLine) => number) => services.reduce((acc, s) => acc + f(s), 0);
  const totals = {
    opening: sum((s) => s.opening),
    charged: sum((s) => s.charged),
    recalculation: sum((s) => s.recalculation),
    benefitOrSubsidy: sum((s) => s.benefitOrSubsidy),
    penalty: sum((s) => s.penalty),
    paid: sum((s) => s.paid),
    closing: sum((s) => s.closing),
    toPay: due.total,
    advance: due.advance,
  };

  const periodLabel = formatPeriodUk(input.period);
  const purpose = `Єдиний рахунок ${input.unifiedAccount}, ${periodLabel}`;
  const qr =
    due.total > 0
      ? paymentQr({
          format: design.qrFormat,
          encoding: design.qrEncoding,
          recipient: design.recipientName,
          iban: design.collectingIban,
          recipientCode: design.recipientCode,
          amount: due.total,
          purpose,
          display: `ЄР ${input.unifiedAccount}`,
          reference: `${input.unifiedAccount}-${formatPeriodCompact(input.period)}`,
        })
      : null;

  const a = input.addressee;
  const shows = (s: BillSection) => design.sections.includes(s);
  return {
    communityName: input.communityName,
    period: input.period,
    periodLabel,
    dueDate: input.dueDate,
    unifiedAccount: input.unifiedAccount,
    addressee: {
      name: a.name ?? 'Власнику / наймачу',
      lines: [a.street!, [a.postalCode, a.locality].filter(Boolean).join(' ')],
    },
    services,
    totals,
    toPay: due.total,
    advance: due.advance,
    purpose,
    qr: qr ? { format: design.qrFormat, url: qr.url, payload: qr.payload } : null,
    nothingToPay: due.total === 0,
    debtReminder: shows('debtReminder') && due.total > design.debtThreshold,
    meters: shows('meters') ? orderServices(input.meters, design.serviceOrder) : [],
    notices: shows('notices') ? input.notices : [],
    news: shows('news') ? [design.news, ...(input.communityNews ?? [])].filter(Boolean).join('\n') : '',
    design,
  };
}

/** '12.500' → '12.5', '3.000' → '3': volumes and tariffs as a person reads them. */
export function trimDecimal(n: string): string {
  return n.includes('.') ? n.replace(/0+$/, '').replace(/\.$/, '') : n;
}
