/**
 * Ukrainian addresses: parsing free text («м. Вінниця, вул. Київська, буд. 12-А, кв. 5»,
 * «Kyivska 12a», «Київська 12/5») and normalising street names and house numbers into keys for
 * search and matching. Pure functions, no I/O.
 *
 * Keys
 * - {@link normaliseStreetName} — the Cyrillic key: lower case, one apostrophe form ('), Latin
 *   look-alike letters inside Cyrillic text mapped to Cyrillic (a Latin «K» in «Kиївська»),
 *   Russian letters ё/ы/э/ъ folded, punctuation and spaces collapsed, ordinals as «1-й».
 * - {@link translitKey} — an ASCII key: the Cyrillic key transliterated by the national table
 *   (КМУ resolution No. 55 of 2010-01-27). Latin input goes through the same cleaning, so
 *   «Kyivska» and «Київська» both give 'kyivska'. This is `streetKey` in a parsed address:
 *   the one key that does not depend on the script the person typed in.
 * - {@link streetSearchKeys} — every key a street should be findable by: Cyrillic key, ASCII key,
 *   and both again without initials («В. Винниченка» → 'винниченка'). Index all of them for the
 *   registry's streets (and their former names); look up any of a query's keys.
 *
 * House numbers: «7а», «7-А», «7 А», «7A» → houseKey '7а'; «12/2» → '12/2'; «корп. 2» → '…к2'.
 * A house «12» never has the same key as «12а».
 *
 * THE «12/5» RULE (a slash after the house number):
 * - «Київська 12/5» — a house number with a fraction ('12/5') by default. Registries write
 *   corner buildings this way and guessing an apartment would silently merge two buildings.
 *   Pass `{ slashMeansApartment: true }` for sources known to write house/apartment (some bank
 *   and welfare files do): then it is house 12, apartment 5.
 * - The option only applies when nothing else names the apartment: «Київська 12/5 кв 3» and
 *   «Київська 12/5, 3» are always house '12/5', apartment 3; «12/5 корп. 2» is always a fraction.
 * - A number after a comma or a space following the house is the apartment: «Київська 12, 5».
 * - «12-5» (a hyphen between two numbers) is read exactly like «12/5».
 */
export {
  NON_RESIDENTIAL_KEY_PREFIX,
  STREET_TYPE_ABBREVIATIONS,
  STREET_TYPES,
  type House,
  type ParseAddressOptions,
  type ParsedAddress,
  type StreetType,
} from './dictionaries';
export { normaliseStreetName, streetSearchKeys, translitKey, transliterateUk } from './street-keys';
export { houseKey } from './house';
export { normaliseApartment, normaliseHouse, parseAddress, parseHouse } from './parse';
export { formatAddressUk, formatApartment, formatHouse, isNonResidentialKey } from './format';
