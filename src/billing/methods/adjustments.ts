/**
 * Adjustments to a period's charge: benefits within the social norm, credited subsidies, and
 * recalculations by days. Amounts are kopecks, negative (they reduce what is owed), rounded once.
 */
import { roundHalfUpToKopecks, type Kopecks } from '../../shared/money';
import { dec, sumDec, type DecimalInput } from './decimal';

export interface BenefitInput {
  /** The account's charge for the period (kopecks), before adjustments. */
  charge: Kopecks;
  /** Volume or area the charge was for; null for charges without a quantity (fixed fees). */
  quantity: DecimalInput | null;
  /** Registered persons of the household. */
  persons: number;
  /** Social norm per person (m³ or m² a month); null: the whole charge is within the norm. */
  socialNormPerPerson: DecimalInput | null;
  /** Added once per household (area: 10.5 m²). */
  socialNormPerHousehold?: DecimalInput | null;
  /** Percent of each entitled member registered at the premise (e.g. [50, 25]). */
  entitledPercents: readonly DecimalInput[];
}

/**
 * Benefit = charge × (part within the social norm) × Σ percents of entitled members / persons.
 * The norm S = per person × persons + per household; the part within it is min(1, S / quantity).
 * Computed as one fraction, divided last, rounded once:
 *   −charge × min(S, Q) × Σp / (Q × persons × 100).
 */
export function benefitAmount(b: BenefitInput): Kopecks {
  if (b.charge <= 0 || b.persons <= 0 || b.entitledPercents.length === 0) return 0;
  const percents = sumDec(b.entitledPercents.slice(0, b.persons));
  const q = b.quantity === null ? null : dec(b.quantity);
  let fraction: { num: ReturnType<typeof dec>; den: ReturnType<typeof dec> } = { num: dec(1), den: dec(1) };
  if (q !== null && q.gt(0) && b.socialNormPerPerson !== null) {
    const norm = dec(b.socialNormPerPerson).times(b.persons).plus(b.socialNormPerHousehold ?? 0);
    if (norm.lessThan(q)) fraction = { num: norm, den: q };
  }
  const kopecks = dec(b.charge).times(fraction.num).times(percents).dividedBy(fraction.den.times(b.persons).times(100));
  return credit(roundKopecks(kopecks));
}

/** A subsidy credited to the account: the awarded monthly amount, as a credit. */
export function subsidyCredit(monthlyAmount: Kopecks): Kopecks {
  return monthlyAmount === 0 ? 0 : -monthlyAmount;
}

/** Days without service (or of poor quality, at a percent): −charge × days × percent / (days in month × 100). */
export function recalculationAmount(charge: Kopecks, days: number, daysInPeriod: number, percent: DecimalInput = 100): Kopecks {
  if (days <= 0 || charge === 0) return 0;
  const d = Math.min(days, daysInPeriod);
  return credit(roundKopecks(dec(charge).times(d).times(percent).dividedBy(dec(daysInPeriod).times(100))));
}

/** A reduction of what is owed: the negative of a rounded amount, never −0. */
function credit(kopecks: Kopecks): Kopecks {
  return kopecks === 0 ? 0 : -kopecks;
}

/** Rounds an exact number of kopecks half up (away from zero) through the one money rule. */
function roundKopecks(kopecks: ReturnType<typeof dec>): Kopecks {
  const r = roundHalfUpToKopecks(kopecks.dividedBy(100));
  return r === 0 ? 0 : r;
}
