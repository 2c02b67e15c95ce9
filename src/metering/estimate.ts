/**
 * Estimation and reconciliation, pure. The SQL of computeConsumption (consumption.ts) does the same
 * arithmetic set-based; the tests of both hold them to the same hand-worked figures.
 *
 * - With no reading in a period, consumption is the meter's average daily use over the last
 *   `months` months of actual readings × the days of the period; with no such history, the norm
 *   per person × registered persons; with neither, zero.
 * - When an actual reading comes, its period gets the whole register difference since the last
 *   actual reading minus what was already estimated in between (which may be negative).
 */
import Decimal from 'decimal.js';
import { daysBetween, type IsoDate } from '../shared/period';
import { registerStep } from './validate';

export interface DatedValue {
  readOn: IsoDate;
  value: string;
}

/**
 * Average daily use between the earliest and the latest actual reading of the history (both
 * accepted, of one zone), × multiplier; null when they are less than a day apart.
 */
export function averageDaily(first: DatedValue, last: DatedValue, digits: number, multiplier: string): Decimal | null {
  return useOverDays(first, last, digits, multiplier, 1);
}

/**
 * The average daily use over `days` days: difference × multiplier × days, divided once at the
 * end, so that a volume exactly half-way (2.5 × 30 / 48 = 1.5625) rounds the same here and in SQL.
 */
function useOverDays(first: DatedValue, last: DatedValue, digits: number, multiplier: string, days: number): Decimal | null {
  const between = daysBetween(first.readOn, last.readOn);
  if (between <= 0) return null;
  const step = registerStep(first.value, last.value, digits);
  if (step.kind === 'below_previous') return null;
  return new Decimal(step.difference).times(multiplier).times(days).div(between);
}

export interface EstimateInput {
  /** Actual readings of the zone within the estimation months, oldest first. */
  history: DatedValue[];
  digits: number;
  multiplier: string;
  daysInPeriod: number;
  normMonthlyPerPerson: string | null;
  persons: number;
}

export interface Estimate {
  volume: string;
  basis: 'history' | 'norm' | 'none';
}

/** Estimated consumption of one zone for a period without a reading. */
export function estimateVolume(input: EstimateInput): Estimate {
  const { history } = input;
  if (history.length >= 2) {
    const volume = useOverDays(history[0]!, history[history.length - 1]!, input.digits, input.multiplier, input.daysInPeriod);
    if (volume) return { volume: volume.toDecimalPlaces(3).toString(), basis: 'history' };
  }
  if (input.normMonthlyPerPerson !== null && input.persons > 0) {
    return { volume: new Decimal(input.normMonthlyPerPerson).times(input.persons).toDecimalPlaces(3).toString(), basis: 'norm' };
  }
  return { volume: '0', basis: 'none' };
}

/**
 * The actual volume of a period that ends an estimated stretch: the register difference since the
 * last actual reading (× multiplier) minus the estimates already billed in between.
 */
export function reconcile(previous: string, current: string, digits: number, multiplier: string, estimatedSince: readonly string[]): string {
  const step = registerStep(previous, current, digits);
  if (step.kind === 'below_previous') throw new RangeError(`reading ${current} is below ${previous}: it cannot be reconciled`);
  const billed = estimatedSince.reduce((sum, v) => sum.plus(v), new Decimal(0));
  return new Decimal(step.difference).times(multiplier).minus(billed).toString();
}
