/**
 * No reading this period: the volume is estimated from the average daily consumption of recent
 * periods; when an actual reading arrives, the difference between the actual volume since the
 * last actual reading and what was billed as estimates is billed in that period.
 */
import { dec, sumDec, type DecimalInput, type Dec } from './decimal';

export interface PastVolume {
  volume: DecimalInput;
  days: number;
}

/** Average daily volume of the given periods × days of this period; null with no history. */
export function estimateVolume(history: readonly PastVolume[], daysInPeriod: number): Dec | null {
  const days = history.reduce((s, h) => s + h.days, 0);
  if (history.length === 0 || days === 0) return null;
  return sumDec(history.map((h) => h.volume)).dividedBy(days).times(daysInPeriod);
}

/** Volume to bill when an actual reading arrives: actual since the last actual reading − estimates billed. */
export function reconcileVolume(actualSinceLastReading: DecimalInput, estimatedBilled: readonly DecimalInput[]): Dec {
  return dec(actualSinceLastReading).minus(sumDec(estimatedBilled));
}
