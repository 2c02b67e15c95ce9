import { TYPE_BY_ALIAS } from './dictionaries';

// ---------------------------------------------------------------------------------------------
// Character-level normalisation
// ---------------------------------------------------------------------------------------------

export const CYRILLIC = /\p{Script=Cyrillic}/u;

/** Latin letters that look like Cyrillic ones (lower case; upper case handled by lowering). */
export const LOOKALIKE_LOWER: Record<string, string> = {
  a: 'а',
  b: 'в', // a capital B looks like В; after lower-casing the two are one
  c: 'с',
  e: 'е',
  h: 'н',
  i: 'і', // the classic: a keyboard or a cp866 file without «і»
  k: 'к',
  m: 'м',
  o: 'о',
  p: 'р',
  t: 'т',
  x: 'х',
  y: 'у',
  ï: 'ї',
};
const LOOKALIKE_UPPER: Record<string, string> = {
  A: 'А',
  B: 'В',
  C: 'С',
  E: 'Е',
  H: 'Н',
  I: 'І',
  K: 'К',
  M: 'М',
  O: 'О',
  P: 'Р',
  T: 'Т',
  X: 'Х',
  Y: 'У',
  Ï: 'Ї',
};

/** Single Latin letters read as a transliteration when the whole address is Latin («12-B» → б). */
export const LATIN_LETTER_TRANSLIT: Record<string, string> = {
  a: 'а', b: 'б', c: 'ц', d: 'д', e: 'е', f: 'ф', g: 'ґ', h: 'г', i: 'і', j: 'й', k: 'к', l: 'л',
  m: 'м', n: 'н', o: 'о', p: 'п', r: 'р', s: 'с', t: 'т', u: 'у', v: 'в', w: 'в', x: 'х', y: 'и', z: 'з',
};

export function foldLookalikes(s: string): string {
  return s.replace(/[a-zA-ZïÏ]/g, (c) => LOOKALIKE_LOWER[c] ?? LOOKALIKE_UPPER[c] ?? c);
}

/** Russian-only letters to their Ukrainian counterparts (ы→и, ё/э→е, ъ→apostrophe). */
export function russianFold(s: string): string {
  return s.replace(/[ёыэъЁЫЭЪ]/g, (c) => ({ ё: 'е', ы: 'и', э: 'е', ъ: "'", Ё: 'Е', Ы: 'И', Э: 'Е', Ъ: "'" })[c] ?? c);
}

/**
 * NFC (so «й» typed as и + combining breve is one letter), one apostrophe form (a double quote
 * between two letters is one too: old keyboards typed «Лук"яненка»), one dash form, quotes and
 * unusual spaces to plain spaces.
 */
export function prenormalise(s: string): string {
  return s
    .normalize('NFC')
    .replace(/[’ʼ`‘´ʹ′‛]/g, "'")
    .replace(/(?<=\p{L})"(?=\p{L})/gu, "'")
    .replace(/[‐‑‒–—−]/g, '-')
    .replace(/[«»"“”„()[\]{}]/g, ' ')
    .replace(/[\s\u00a0\u202f\u2007\u2009]+/g, ' ');
}

/**
 * A pure string function with its results remembered: an import parses a million addresses made
 * of a few thousand distinct words and street names. The memory is bounded: when full, it starts
 * over.
 */
export function remembered(fn: (s: string) => string, limit = 100_000): (s: string) => string {
  const known = new Map<string, string>();
  return (s) => {
    let result = known.get(s);
    if (result === undefined) {
      if (known.size >= limit) known.clear();
      result = fn(s);
      known.set(s, result);
    }
    return result;
  };
}

const lowerWord = remembered((word) => russianFold(word.toLowerCase()));
const foldedWord = remembered((lower) => russianFold(foldLookalikes(lower)));

/** Looks a word up in a marker set both as typed and with look-alikes folded («kв» → «кв»). */
export function lookup<T>(get: (k: string) => T | undefined, word: string): T | undefined {
  const lower = lowerWord(word);
  return get(lower) ?? get(foldedWord(lower));
}
export const streetTypeOf = (w: string) => lookup((k) => TYPE_BY_ALIAS.get(k), w);
export const isIn = (set: Set<string>, w: string) => lookup((k) => (set.has(k) ? true : undefined), w) === true;
