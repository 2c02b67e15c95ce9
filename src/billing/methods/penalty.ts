/**
 * Penalty (пеня), Law 2189-VIII art. 26: at most 0.01 % of the debt a day from the first working
 * day after the due date; all penalties together at most 100 % of the debt; none under a
 * moratorium. Pure: the billing run feeds it ledger sums (the SQL engine mirrors it).
 *
 * Payments pay the oldest debt first. Debt billed before the last bill is overdue for the whole
 * period; the unpaid part of the last bill from the first working day after its due date.
 * Payments made during the period count as made before the due date (the ledger records the
 * period of a payment, not its day), which never charges a resident too much.
 */
import { addDays, isWeekend, type IsoDate } from '../../shared/period';
import { roundHalfUpToKopecks, type Kopecks } from '../../shared/money';
import { dec, type DecimalInput } from './decimal';

/** The first day after `dueDate` that is neither a weekend nor a listed holiday. */
export function firstWorkingDayAfter(dueDate: IsoDate, holidays: readonly IsoDate[] = []): IsoDate {
  let d = addDays(dueDate, 1);
  while (isWeekend(d) || holidays.includes(d)) d = addDays(d, 1);
  return d;
}

/** Days of [periodStart, periodEnd] on which the last bill is overdue (from the first working day after due). */
export function overdueDaysInPeriod(periodStart: IsoDate, periodEnd: IsoDate, dueDate: IsoDate, holidays: readonly IsoDate[] = []): number {
  const from = firstWorkingDayAfter(dueDate, holidays);
  const start = from > periodStart ? from : periodStart;
  if (start > periodEnd) return 0;
  return Math.round((Date.parse(periodEnd) - Date.parse(start)) / 86_400_000) + 1;
}

export interface PenaltyInput {
  /** Σ of the account's ledger entries before this period, penalties excluded (kopecks). */
  principalBefore: Kopecks;
  /** Net amount billed in the previous period (charges less benefits, subsidies…; no payments). */
  lastBill: Kopecks;
  /** Payments credited in this period, as a positive number. */
  paidThisPeriod: Kopecks;
  /** Penalties charged so far (the 100 % cap). */
  penaltiesSoFar: Kopecks;
  daysInPeriod: number;
  /** Days of this period on which the last bill is overdue. */
  overdueDaysOfLastBill: number;
  /** Share of the debt per day: "0.0001" = 0.01 %. */
  ratePerDay: DecimalInput;
  moratorium: boolean;
}

export function penaltyAmount(p: PenaltyInput): Kopecks {
  if (p.moratorium || p.principalBefore <= 0) return 0;
  const recentBilled = Math.min(p.principalBefore, Math.max(0, p.lastBill));
  const older = p.principalBefore - recentBilled;
  const paid = Math.max(0, p.paidThisPeriod);
  const olderUnpaid = Math.max(0, older - paid);
  const recentUnpaid = Math.max(0, recentBilled - Math.max(0, paid - older));
  const accrued = dec(olderUnpaid)
    .times(p.daysInPeriod)
    .plus(dec(recentUnpaid).times(p.overdueDaysOfLastBill))
    .times(p.ratePerDay);
  const cap = Math.max(0, olderUnpaid + recentUnpaid - p.penaltiesSoFar);
  return Math.min(roundHalfUpToKopecks(accrued.dividedBy(100)), cap);
}
