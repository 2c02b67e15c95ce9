/**
 * Addresses in the interface are printed the one way the server prints them, by
 * src/registry/address/ (pure: no Node imports, so Vite bundles it as it is).
 */
import { formatApartment, isNonResidentialKey, NON_RESIDENTIAL_KEY_PREFIX, normaliseApartment } from '../../src/registry/address';
import type { Bilingual } from './i18n';

export { formatAddressUk, formatApartment } from '../../src/registry/address';

/** A premise number as a label: «кв. 5» / «прим. 1» (apt 5 / premise 1), never «кв. прим. 1». */
export function apartmentLabel(number: string): Bilingual {
  const key = normaliseApartment(number);
  if (key !== undefined && isNonResidentialKey(key)) {
    return { uk: formatApartment(number), en: `premise ${key.slice(NON_RESIDENTIAL_KEY_PREFIX.length)}` };
  }
  return { uk: formatApartment(number), en: `apt ${number}` };
}

/** A building's address with a premise: «вул. Соборна, буд. 5, кв. 1»; the building's alone without one. */
export const withApartment = (buildingAddress: string, number: string | null): string =>
  number ? `${buildingAddress}, ${formatApartment(number)}` : buildingAddress;

/** The building's part of an address printed with {@link withApartment}. */
export const withoutApartment = (address: string): string => address.replace(/, (кв|прим)\. [^,]*$/u, '');
