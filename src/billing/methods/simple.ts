/**
 * Charges that do not depend on a meter: norm × registered persons, a price per person, per m² of
 * total or heated area, a fixed monthly fee, and gas distribution by contracted annual capacity.
 * Each is one exact product rounded once to kopecks, half up.
 */
import { roundHalfUpToKopecks, type Kopecks } from '../../shared/money';
import { dec, type DecimalInput, type Dec } from './decimal';

/** No meter, or a meter past verification: monthly norm per person × persons. */
export function normVolume(persons: number, normPerPerson: DecimalInput): Dec {
  return dec(normPerPerson).times(persons);
}

/** norm × persons × price (e.g. water 4.6 m³ × 3 persons × 29.988 UAH). */
export function normCharge(persons: number, normPerPerson: DecimalInput, price: DecimalInput): Kopecks {
  return roundHalfUpToKopecks(normVolume(persons, normPerPerson).times(price));
}

/** A price per registered person (waste: 47.80 UAH a person), plus an optional fee per account. */
export function perPersonCharge(persons: number, price: DecimalInput, subscriberFee: DecimalInput = 0): Kopecks {
  return roundHalfUpToKopecks(dec(price).times(persons).plus(subscriberFee));
}

/** UAH per m² of total (management, ОСББ dues) or heated area (heating without meters). */
export function areaCharge(area: DecimalInput, pricePerM2: DecimalInput): Kopecks {
  return roundHalfUpToKopecks(dec(area).times(pricePerM2));
}

/** A fixed monthly fee (intercom, lift, parking). */
export function fixedCharge(price: DecimalInput): Kopecks {
  return roundHalfUpToKopecks(dec(price));
}

/** Gas distribution: annual contracted capacity (m³, previous gas year) × tariff ÷ 12. */
export function capacityCharge(annualCapacity: DecimalInput, price: DecimalInput): Kopecks {
  return roundHalfUpToKopecks(dec(annualCapacity).times(price).dividedBy(12));
}
