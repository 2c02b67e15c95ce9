/** Metered charges: volume per zone from readings, priced per zone or by volume tiers. */
import { roundHalfUpToKopecks, type Kopecks } from '../../shared/money';
import { Dec, dec, type DecimalInput } from './decimal';

/**
 * Volume between two readings of one register: (current − previous) × multiplier. A reading
 * below the previous one means the register rolled over past 10^digits − 1 (a legitimate event).
 */
export function meterVolume(previous: DecimalInput, current: DecimalInput, digits: number, multiplier: DecimalInput = 1): Dec {
  let diff = dec(current).minus(previous);
  if (diff.isNegative()) diff = diff.plus(dec(10).pow(digits));
  return diff.times(multiplier);
}

export interface Tier {
  /** Volume from (inclusive). */
  from: DecimalInput;
  /** Volume to (exclusive); null: no upper bound. */
  to: DecimalInput | null;
  price: DecimalInput;
}

/**
 * Exact cost of a volume over tiers ordered by `from`: Σ (volume within [from, to)) × price.
 * A negative volume (a reconciliation of an over-estimate) is priced at the first tier.
 */
export function tieredCost(volume: DecimalInput, tiers: readonly Tier[]): Dec {
  const v = dec(volume);
  if (tiers.length === 0) throw new RangeError('a tiered tariff needs at least one tier');
  if (v.isNegative()) return v.times(tiers[0].price);
  let cost = dec(0);
  for (const t of tiers) {
    const upper = t.to === null ? v : Dec.min(v, t.to);
    const within = upper.minus(t.from);
    if (within.gt(0)) cost = cost.plus(within.times(t.price));
  }
  return cost;
}

export interface ZoneVolume {
  zone: number;
  volume: DecimalInput;
}

export interface MeteredTariff {
  /** UAH per unit, VAT included. */
  price: DecimalInput;
  /** zone n (1-based) costs price × coefficients[n−1]; absent: every zone at price. */
  zoneCoefficients?: readonly DecimalInput[] | null;
  /** Volume tiers: priced on the total volume of all zones. */
  tiers?: readonly Tier[] | null;
}

export interface ChargeLine {
  zone: number | null;
  volume: string;
  /** The unit price applied (for tiers: null, the line is a sum over tiers). */
  unitPrice: string | null;
  amount: Kopecks;
}

/**
 * One line per zone: volume × zone price, rounded once. With tiers (single-zone tariffs), the
 * zones are added up into one line whose tiered cost is rounded once.
 */
export function meteredCharge(zones: readonly ZoneVolume[], tariff: MeteredTariff): ChargeLine[] {
  if (tariff.tiers?.length) {
    const volume = zones.reduce((s, z) => s.plus(z.volume), dec(0));
    return [{ zone: 1, volume: volume.toString(), unitPrice: null, amount: roundHalfUpToKopecks(tieredCost(volume, tariff.tiers)) }];
  }
  return zones.map(({ zone, volume }) => {
    const coefficient = tariff.zoneCoefficients?.[zone - 1] ?? 1;
    const unitPrice = dec(tariff.price).times(coefficient);
    return {
      zone,
      volume: dec(volume).toString(),
      unitPrice: unitPrice.toString(),
      amount: roundHalfUpToKopecks(dec(volume).times(unitPrice)),
    };
  });
}
