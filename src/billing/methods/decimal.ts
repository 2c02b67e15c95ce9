/**
 * The decimal type of the calculation methods: volumes, prices and shares are exact decimals;
 * only a finished charge line becomes kopecks (roundHalfUpToKopecks, once).
 * 40 significant digits: exact for every product of realistic figures, and for a share (a
 * division) far beyond where it could change a rounded kopeck.
 */
import Decimal from 'decimal.js';

export const Dec = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });
export type Dec = Decimal;
export type DecimalInput = string | number | Decimal;

export const dec = (x: DecimalInput): Decimal => new Dec(x);

export function sumDec(values: Iterable<DecimalInput>): Decimal {
  let s = new Dec(0);
  for (const v of values) s = s.plus(v);
  return s;
}
