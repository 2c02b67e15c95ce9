/**
 * A premise's history month by month for the portal's charts: what was charged, what was paid and
 * how much was used per service, over the last `months` periods (every month present, zero when
 * nothing happened). Pure: the ledger sums and consumption come from repo.ts.
 */
import Decimal from 'decimal.js';
import { periodsBetween, prevPeriod, type Period } from '../shared/period';

export interface LedgerMonthRow {
  period: Period;
  kind: string;
  amount: number;
}

export interface ConsumptionRow {
  period: Period;
  serviceCode: string;
  volume: string;
}

export interface HistoryMonth {
  period: Period;
  /** Charges with their corrections (recalculations, benefits, subsidies, penalties), kopecks. */
  charged: number;
  /** Payments net of reversals, as a positive figure, kopecks. */
  paid: number;
  /** Volume per service code, as decimal strings. */
  consumption: Record<string, string>;
}

const PAID = new Set(['payment', 'reversal']);
const NOT_CHARGES = new Set(['payment', 'reversal', 'opening_balance']);

export function monthlyHistory(through: Period, months: number, ledger: readonly LedgerMonthRow[], consumption: readonly ConsumptionRow[]): HistoryMonth[] {
  const periods = periodsBetween(prevPeriod(through, months - 1), through);
  const byPeriod = new Map<Period, { charged: number; paid: number; consumption: Map<string, Decimal> }>(
    periods.map((p) => [p, { charged: 0, paid: 0, consumption: new Map() }]),
  );
  for (const r of ledger) {
    const m = byPeriod.get(r.period);
    if (!m) continue;
    if (PAID.has(r.kind)) m.paid = m.paid - r.amount;
    else if (!NOT_CHARGES.has(r.kind)) m.charged += r.amount;
  }
  for (const r of consumption) {
    const m = byPeriod.get(r.period);
    if (!m) continue;
    m.consumption.set(r.serviceCode, (m.consumption.get(r.serviceCode) ?? new Decimal(0)).plus(r.volume));
  }
  return periods.map((period) => {
    const m = byPeriod.get(period)!;
    return { period, charged: m.charged, paid: m.paid, consumption: Object.fromEntries([...m.consumption].map(([k, v]) => [k, v.toString()])) };
  });
}
