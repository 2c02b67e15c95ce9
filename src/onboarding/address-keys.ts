/**
 * THE TWO READINGS OF «12/7» AND «1-5». Providers write the flat after the house with a slash or
 * a dash and no «кв.»; registers write corner buildings the same way. The parser reads a house
 * fraction (src/registry/address/index.ts); when nothing else names a flat or a block and the
 * part after the slash is a plain number, the flat reading is kept beside it, and matching tries
 * both against the register:
 *
 * | the register has          | «Соборна 12/7» becomes                   |
 * | ------------------------- | ---------------------------------------- |
 * | house 12/7 only           | a match on house 12/7                    |
 * | house 12, flat 7 only     | a match on flat 7 of house 12            |
 * | both                      | review, both premises offered            |
 * | neither                   | new (street sure) or review, as before   |
 *
 * The keys an imported address is matched on, computed in TypeScript while the file streams (the
 * database then joins on them). They are the registry's own keys (src/registry/address/):
 * street.name_key / translit_key, building.house_key, premise.apartment_key — so an exact match
 * is a plain equality join, and «12» can never equal «12а», nor apartment 5 apartment 15.
 */
import {
  houseKey,
  normaliseApartment,
  normaliseStreetName,
  parseAddress,
  streetSearchKeys,
  translitKey,
  type ParseAddressOptions,
  type StreetType,
} from '../registry/address';
import type { Bilingual } from '../shared/errors';

export interface AddressKeys {
  streetType: StreetType | null;
  streetName: string;
  /** Cyrillic key, compared with street.name_key and street_alias.alias_key. */
  streetKey: string;
  /** ASCII key, compared with street.translit_key (Latin spellings of the same name). */
  streetTranslitKey: string;
  /** null when the address names a flat but no house: incomplete, for a person to review. */
  houseKey: string | null;
  houseNumber: number | null;
  houseLetter: string | null;
  houseFraction: string | null;
  houseBlock: string | null;
  apartment: string | null;
  /** '' for a house without apartments, as in premise.apartment_key. */
  apartmentKey: string;
  /** The flat reading of «12/7» (house '12', flat '7'), null when there is no second reading. */
  flatReading: { houseKey: string; apartmentKey: string } | null;
  /** The whole address as one key: what an operator's decision is remembered under. */
  addressKey: string;
}

export type AddressKeysResult = { ok: true; value: AddressKeys } | { ok: false; reason: Bilingual };

export function addressKeysOf(text: string, options: ParseAddressOptions = {}): AddressKeysResult {
  const parsed = parseAddress(text, { ...options, apartmentWithoutHouse: true });
  if (!parsed.ok) return { ok: false, reason: parsed.reason };
  const a = parsed.value;
  if ((!a.house || !a.houseKey) && a.apartment === undefined) {
    return { ok: false, reason: { uk: 'не вказано номер будинку', en: 'the house number is missing' } };
  }
  let apartmentKey = '';
  if (a.apartment !== undefined && a.apartment !== '') {
    const key = normaliseApartment(a.apartment);
    if (key === undefined) {
      return { ok: false, reason: { uk: `«${a.apartment}» — не номер квартири`, en: `"${a.apartment}" is not an apartment number` } };
    }
    apartmentKey = key;
  }
  const h = a.house;
  const flatReading =
    h && h.fraction && /^\d+$/.test(h.fraction) && h.block === undefined && apartmentKey === ''
      ? { houseKey: houseKey({ number: h.number, letter: h.letter }), apartmentKey: h.fraction }
      : null;
  // parseAddress already computed both keys: streetKeys[0] is the Cyrillic one, streetKey the ASCII one.
  const streetKey = a.streetKeys[0] ?? normaliseStreetName(a.streetName);
  return {
    ok: true,
    value: {
      streetType: a.streetType ?? null,
      streetName: a.streetName,
      streetKey,
      streetTranslitKey: a.streetKey || translitKey(a.streetName),
      houseKey: a.houseKey ?? null,
      houseNumber: h?.number ?? null,
      houseLetter: h?.letter ?? null,
      houseFraction: h?.fraction ?? null,
      houseBlock: h?.block ?? null,
      apartment: a.apartment ?? null,
      apartmentKey,
      flatReading,
      addressKey: `${a.streetType ?? ''}|${streetKey}|${a.houseKey ?? ''}|${apartmentKey}`,
    },
  };
}

/** Letters of the scripts a street name may be written in; digits, spaces and punctuation pass. */
const NAME_SCRIPTS = /^[\p{Script=Cyrillic}\p{Script=Latin}\P{L}]*$/u;

/**
 * A register cell of other names of a street (former names, aliases), separated by «;» or «|»:
 * the names, and every key each is found by (as for the seeded city's former names).
 */
export function otherStreetNames(cell: string): { ok: true; names: string[]; keys: string[] } | { ok: false; reason: Bilingual } {
  const names = [...new Set(cell.split(/[;|]/).map((n) => n.trim().replace(/\s+/g, ' ')).filter(Boolean))];
  const foreign = names.find((n) => !NAME_SCRIPTS.test(n) || !/\p{L}/u.test(n));
  if (foreign !== undefined) {
    return { ok: false, reason: { uk: `«${foreign}» — не назва кирилицею чи латиницею`, en: `"${foreign}" is not a name in Cyrillic or Latin letters` } };
  }
  return { ok: true, names, keys: [...new Set(names.flatMap((n) => streetSearchKeys(n)))] };
}

/**
 * Closeness of two street keys for the confidence of a fuzzy match: 1 − (Damerau–Levenshtein
 * distance ÷ the longer length). pg_trgm finds the candidates; this decides, because trigram
 * similarity of short names with one typo is low («соборна»/«саборна» ≈ 0.45, here 0.86).
 */
export function keySimilarity(a: string, b: string): number {
  if (a === b) return 1;
  const longer = Math.max([...a].length, [...b].length);
  return longer === 0 ? 0 : 1 - editDistance(a, b) / longer;
}

/**
 * Damerau–Levenshtein distance (insertions, deletions, substitutions, adjacent transpositions;
 * optimal string alignment), by code point.
 */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  const s = [...a];
  const t = [...b];
  const n = s.length;
  const m = t.length;
  if (n === 0 || m === 0) return Math.max(n, m);
  // Three rows of the table are enough: the one before last (transpositions), the last, this one.
  let before = new Array<number>(m + 1).fill(0);
  let last = Array.from({ length: m + 1 }, (_, j) => j);
  let row = new Array<number>(m + 1).fill(0);
  for (let i = 1; i <= n; i++) {
    row[0] = i;
    for (let j = 1; j <= m; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let d = Math.min(last[j] + 1, row[j - 1] + 1, last[j - 1] + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) d = Math.min(d, before[j - 2] + 1);
      row[j] = d;
    }
    [before, last, row] = [last, row, before];
  }
  return last[m];
}
