/**
 * The arithmetic and the files of a settlement registry: commission by contract per allocated
 * part, the totals, the transfer order, and the CSV (Windows-1251, `;`, amounts with a dot, as
 * Ukrainian bank software reads them). Pure.
 */
import Decimal from 'decimal.js';
import iconv from 'iconv-lite';
import { formatUahPlain, roundHalfUpToKopecks } from '../shared/money';

export interface Contract {
  percent: string | null;
  fixed: number | null;
}

export interface SettlementLine {
  /** 'payment' (money in) or 'reversal' (money taken back, negative amount). */
  kind: 'payment' | 'reversal';
  paymentId: number;
  agent: string;
  txnId: string;
  paidAt: string;
  unifiedAccount: string;
  accountNumber: string;
  serviceCode: string;
  amount: number;
  commission: number;
}

export interface DatedContract extends Contract {
  agentId: number | null;
  validFrom: string;
}

/**
 * The contract for an agent's payment of a business day: the agent's own in force that day (the
 * one begun last by then), else the provider's general one in force that day, else none.
 */
export function contractInForce(contracts: readonly DatedContract[], agentId: number, businessDate: string): Contract | undefined {
  const latest = (forAgent: number | null) =>
    contracts.filter((c) => c.agentId === forAgent && c.validFrom <= businessDate).reduce<DatedContract | undefined>((best, c) => (!best || c.validFrom > best.validFrom ? c : best), undefined);
  const c = latest(agentId) ?? latest(null);
  return c && { percent: c.percent, fixed: c.fixed };
}

/** Commission on one part: the percent half up to the kopeck, or the fixed sum; a reversal takes it back. */
export function commissionOf(amount: number, contract: Contract | undefined): number {
  if (!contract) return 0;
  const sign = Math.sign(amount);
  const base = Math.abs(amount);
  const c = contract.percent !== null ? roundHalfUpToKopecks(new Decimal(base).mul(contract.percent).div(10000)) : Math.min(contract.fixed ?? 0, base);
  return sign * c;
}

/**
 * The commission of each part of a provider's registry: a percent is taken on every part; a fixed
 * sum once per payment (on its first part, never more than what the payment brought the provider),
 * however many of the provider's accounts the payment was split over. A reversal takes back the same.
 */
export function commissionsOf(parts: ReadonlyArray<{ kind: SettlementLine['kind']; paymentId: number; amount: number; contract: Contract | undefined }>): number[] {
  const perPayment = new Map<string, number>();
  for (const p of parts) {
    const k = `${p.kind}:${p.paymentId}`;
    perPayment.set(k, (perPayment.get(k) ?? 0) + p.amount);
  }
  const charged = new Set<string>();
  return parts.map((p) => {
    if (p.contract?.percent === null && p.contract.fixed !== null) {
      const k = `${p.kind}:${p.paymentId}`;
      if (charged.has(k)) return 0;
      charged.add(k);
      return commissionOf(perPayment.get(k)!, p.contract);
    }
    return commissionOf(p.amount, p.contract);
  });
}

export function totals(lines: readonly SettlementLine[]): { gross: number; commission: number; net: number } {
  const gross = lines.reduce((s, l) => s + l.amount, 0);
  const commission = lines.reduce((s, l) => s + l.commission, 0);
  return { gross, commission, net: gross - commission };
}

/**
 * What a day's net becomes once what earlier registries left owing is set against it: the
 * transfer (never negative) and what is still owed, carried to the provider's next registry
 * (never positive). A provider whose day took back more than came in (reversals) is paid nothing
 * and its debt is deducted from the next transfer; transfer + carriedOut = net + carriedIn.
 */
export function afterCarry(net: number, carriedIn: number): { transfer: number; carriedOut: number } {
  const due = net + carriedIn;
  return { transfer: Math.max(0, due), carriedOut: Math.min(0, due) };
}

const HEADER = ['KIND', 'PAYMENT', 'AGENT', 'TXN', 'PAID_AT', 'UNIFIED', 'ACCOUNT', 'SERVICE', 'AMOUNT', 'COMMISSION', 'NET'];

/**
 * The registry's CSV: a line per allocated part and a totals line; when earlier registries left
 * the provider owing, or this one does, three more lines in the NET column say what was carried
 * in, what is transferred and what is carried on.
 */
export function settlementCsv(lines: readonly SettlementLine[], carriedIn = 0): Buffer {
  const cell = (v: string) => (/[;"\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const rows = lines.map((l) =>
    [l.kind, String(l.paymentId), l.agent, l.txnId, l.paidAt, l.unifiedAccount, l.accountNumber, l.serviceCode, formatUahPlain(l.amount), formatUahPlain(l.commission), formatUahPlain(l.amount - l.commission)].map(cell).join(';'),
  );
  const t = totals(lines);
  const summary = (label: string, net: number) => [label, '', '', '', '', '', '', '', '', '', formatUahPlain(net)].join(';');
  rows.push(['TOTAL', '', '', '', '', '', '', '', formatUahPlain(t.gross), formatUahPlain(t.commission), formatUahPlain(t.net)].join(';'));
  const carry = afterCarry(t.net, carriedIn);
  if (carriedIn !== 0 || carry.carriedOut !== 0) rows.push(summary('CARRIED_IN', carriedIn), summary('TRANSFER', carry.transfer), summary('CARRIED_OUT', carry.carriedOut));
  return iconv.encode([HEADER.join(';'), ...rows].join('\r\n') + '\r\n', 'windows-1251');
}

/** «Перерахування коштів за 03.12.2026 згідно з реєстром №5, без ПДВ» */
export function transferPurpose(date: string, registryId: number): string {
  const [y, m, d] = date.split('-');
  return `Перерахування коштів населення за ${d}.${m}.${y} згідно з реєстром №${registryId}, без ПДВ`;
}
