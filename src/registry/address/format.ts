import { NON_RESIDENTIAL_KEY_PREFIX, STREET_TYPE_ABBREVIATIONS, type House, type StreetType } from './dictionaries';
import { normaliseApartment, parseHouse } from './parse';

// ---------------------------------------------------------------------------------------------
// Formatting
// ---------------------------------------------------------------------------------------------

/** Is this apartment key a non-residential premise's ('п1')? */
export const isNonResidentialKey = (key: string): boolean => key.startsWith(NON_RESIDENTIAL_KEY_PREFIX);

/** How an apartment is printed: «кв. 5», and «прим. 1» for a non-residential premise. */
export function formatApartment(apartment: string): string {
  const key = normaliseApartment(apartment);
  if (key !== undefined && isNonResidentialKey(key)) return `прим. ${key.slice(NON_RESIDENTIAL_KEY_PREFIX.length)}`;
  return `кв. ${apartment}`;
}

/** «12а», «12/2», «12а, корп. 2» — the house part of a printed address (after «буд.»). */
export function formatHouse(house: House): string {
  const main = `${house.number}${house.letter ?? ''}${house.fraction ? `/${house.fraction}` : ''}`;
  return house.block ? `${main}, корп. ${house.block}` : main;
}

/** «вул. Київська, буд. 12а, кв. 5» (or «…, прим. 1») — the form printed on bills. */
export function formatAddressUk(address: {
  streetType?: StreetType;
  streetName: string;
  house?: House | string;
  apartment?: string;
}): string {
  const parts: string[] = [];
  parts.push(address.streetType ? `${STREET_TYPE_ABBREVIATIONS[address.streetType]} ${address.streetName}` : address.streetName);
  if (address.house !== undefined) {
    let house: string = typeof address.house === 'string' ? address.house : formatHouse(address.house);
    if (typeof address.house === 'string') {
      const parsed = parseHouse(address.house);
      if (parsed.ok) house = formatHouse(parsed.value);
    }
    parts.push(`буд. ${house}`);
  }
  if (address.apartment) parts.push(formatApartment(address.apartment));
  return parts.join(', ');
}
