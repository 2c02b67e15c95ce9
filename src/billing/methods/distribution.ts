/**
 * Building (common) meter distribution, order No. 315 of 2018 (restated by No. 358 of 2021).
 * Shares are exact decimals; each premise's charge is its share × price, rounded once.
 */
import { roundHalfUpToKopecks, type Kopecks } from '../../shared/money';
import { Dec, dec, sumDec, type DecimalInput } from './decimal';

export type DistributionBasis = 'area' | 'persons' | 'consumption';

export interface PremiseShareInput {
  premiseId: number;
  totalArea: DecimalInput;
  persons: number;
  /** The premise's own metered volume this period. */
  consumption: DecimalInput;
}

export interface PremiseCharge {
  premiseId: number;
  /** Exact share of the volume (for the explanation on the bill). */
  volume: Dec;
  amount: Kopecks;
}

/**
 * Imbalance = building volume − Σ apartment volumes, shared by total area, registered persons or
 * apartment consumption. A negative imbalance (apartments recorded more than the building meter:
 * a metering fault to investigate, not a credit) is not distributed.
 */
export function distributeImbalance(
  buildingVolume: DecimalInput,
  premises: readonly PremiseShareInput[],
  basis: DistributionBasis,
  price: DecimalInput,
): PremiseCharge[] {
  const imbalance = dec(buildingVolume).minus(sumDec(premises.map((p) => p.consumption)));
  const weightOf = (p: PremiseShareInput) =>
    basis === 'area' ? dec(p.totalArea) : basis === 'persons' ? dec(p.persons) : dec(p.consumption);
  const totalWeight = sumDec(premises.map(weightOf));
  if (!imbalance.gt(0) || !totalWeight.gt(0)) return [];
  return premises
    .filter((p) => weightOf(p).gt(0))
    .map((p) => {
      // One division per line, after the multiplications: the same order the SQL engine uses.
      const w = weightOf(p);
      return {
        premiseId: p.premiseId,
        volume: imbalance.times(w).dividedBy(totalWeight),
        amount: roundHalfUpToKopecks(imbalance.times(w).times(price).dividedBy(totalWeight)),
      };
    });
}

export interface HeatedPremise {
  premiseId: number;
  /** 0 for a premise disconnected from central heating: it still pays for common areas. */
  heatedArea: DecimalInput;
  totalArea: DecimalInput;
}

/**
 * Heating of a building without apartment heat meters. The building's heat Q is split into the
 * heat of the premises and the heat of common areas, the latter weighted by the co-owners'
 * coefficient k: Q_common = Q × k·A_c / (ΣH + k·A_c). Premises heat is shared by heated area;
 * common-area heat by total area (each co-owner's share of the common property), so a premise
 * cut off from the network still pays for the stairwells. For premise i:
 *   share_i = Q × (H_i·ΣT + k·A_c·T_i) / (ΣT · (ΣH + k·A_c)).
 */
export function distributeHeat(
  buildingHeat: DecimalInput,
  premises: readonly HeatedPremise[],
  commonArea: DecimalInput,
  coefficient: DecimalInput,
  price: DecimalInput,
): PremiseCharge[] {
  const q = dec(buildingHeat);
  const sumHeated = sumDec(premises.map((p) => p.heatedArea));
  const sumTotal = sumDec(premises.map((p) => p.totalArea));
  const weightedCommon = dec(commonArea).times(coefficient);
  const denominator = sumTotal.times(sumHeated.plus(weightedCommon));
  if (!denominator.gt(0)) return [];
  return premises.map((p) => {
    const numerator = dec(p.heatedArea).times(sumTotal).plus(weightedCommon.times(p.totalArea));
    return {
      premiseId: p.premiseId,
      volume: q.times(numerator).dividedBy(denominator),
      amount: roundHalfUpToKopecks(q.times(numerator).times(price).dividedBy(denominator)),
    };
  });
}

