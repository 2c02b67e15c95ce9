/** The premises of a building (flats, then non-residential premises) and their unified numbers. */
import { makeUnifiedAccountNumber } from '../../../shared/identifiers';
import { streamFor } from '../random';
import type { BuildingPlan } from './buildings';

// ---------------------------------------------------------------------------------------------
// Premises
// ---------------------------------------------------------------------------------------------

export interface PremisePlan {
  /** Index inside the building (0-based). */
  index: number;
  number: string | null;
  /** Unique inside the building: '' for a private house, '5' for кв. 5, 'п1' for прим. 1. */
  apartmentKey: string;
  kind: 'residential' | 'non_residential';
  totalArea: number;
  heatedArea: number;
  rooms: number;
}

export const round2 = (x: number) => Math.round(x * 100) / 100;

const FLAT_AREAS: Record<number, readonly [number, number]> = { 1: [28, 38], 2: [42, 56], 3: [58, 75], 4: [76, 98] };

/** The i-th premise of a building: flats first (кв. 1…n), then non-residential premises (прим. 1…). */
export function premiseOf(seed: number, building: BuildingPlan, index: number): PremisePlan {
  const rng = streamFor(seed, 'premise', building.firstPremise + index);
  if (building.kind === 'house') {
    const totalArea = round2(rng.float(60, 180));
    return { index, number: null, apartmentKey: '', kind: 'residential', totalArea, heatedArea: round2(totalArea * rng.float(0.85, 1)), rooms: rng.int(2, 6) };
  }
  if (index < building.flats) {
    const rooms = rng.weighted([[1, 0.3], [2, 0.4], [3, 0.25], [4, 0.05]] as const);
    const [lo, hi] = FLAT_AREAS[rooms];
    const totalArea = round2(rng.float(lo, hi));
    // Loggias and balconies count in the total area but are not heated.
    return { index, number: String(index + 1), apartmentKey: String(index + 1), kind: 'residential', totalArea, heatedArea: round2(totalArea - rng.float(1.5, 4.5)), rooms };
  }
  const totalArea = round2(rng.float(18, 250));
  const k = index - building.flats + 1;
  return { index, number: `прим. ${k}`, apartmentKey: `п${k}`, kind: 'non_residential', totalArea, heatedArea: totalArea, rooms: rng.int(1, 4) };
}

/** The platform's number printed on the bill: community prefix, premise ordinal, Luhn digit. */
export function unifiedNumberOf(communityId: number, premiseOrdinal: number): string {
  return makeUnifiedAccountNumber((communityId % 100) * 10_000_000 + premiseOrdinal + 1);
}
