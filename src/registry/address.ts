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
import { fail, ok, type Result } from '../shared/identifiers';

// ---------------------------------------------------------------------------------------------
// Types and dictionaries
// ---------------------------------------------------------------------------------------------

export const STREET_TYPES = [
  'вулиця',
  'проспект',
  'провулок',
  'бульвар',
  'площа',
  'узвіз',
  'шосе',
  'майдан',
  'набережна',
  'проїзд',
  'тупик',
  'масив',
] as const;

export type StreetType = (typeof STREET_TYPES)[number];

/** How each type is abbreviated on a bill (ДСТУ-style; short words are not abbreviated). */
export const STREET_TYPE_ABBREVIATIONS: Record<StreetType, string> = {
  вулиця: 'вул.',
  проспект: 'просп.',
  провулок: 'пров.',
  бульвар: 'бульв.',
  площа: 'пл.',
  узвіз: 'узвіз',
  шосе: 'шосе',
  майдан: 'майдан',
  набережна: 'наб.',
  проїзд: 'проїзд',
  тупик: 'туп.',
  масив: 'масив',
};

/** Spellings people and old files use, without the trailing dot; Russian and Latin included. */
const STREET_TYPE_ALIASES: Record<StreetType, string[]> = {
  вулиця: ['вулиця', 'вул', 'ул', 'улица', 'vul', 'vulytsia', 'vulitsa', 'ulitsa', 'ul', 'street', 'str', 'st'],
  проспект: ['проспект', 'просп', 'пр-т', 'пр', 'prosp', 'prospekt', 'pr', 'avenue', 'ave'],
  провулок: ['провулок', 'пров', 'пер', 'переулок', 'prov', 'provulok', 'per', 'lane', 'ln'],
  бульвар: ['бульвар', 'бул', 'бульв', 'б-р', 'bulvar', 'bulv', 'boulevard', 'blvd'],
  площа: ['площа', 'пл', 'площадь', 'ploshcha', 'pl', 'square', 'sq'],
  узвіз: ['узвіз', 'узв', 'спуск', 'uzviz'],
  шосе: ['шосе', 'шоссе', 'shose', 'highway', 'hwy'],
  майдан: ['майдан', 'maidan'],
  набережна: ['набережна', 'наб', 'набережная', 'naberezhna', 'nab', 'embankment'],
  проїзд: ['проїзд', 'проезд', 'пр-д', 'proizd', 'proyizd'],
  тупик: ['тупик', 'туп', 'tupyk', 'tupik'],
  масив: ['масив', 'массив', 'мас', 'masyv'],
};

const TYPE_BY_ALIAS = new Map<string, StreetType>(
  STREET_TYPES.flatMap((t) => STREET_TYPE_ALIASES[t].map((a) => [a, t] as const)),
);

/** Aliases trusted only AFTER a name: a leading «Ш.» is more likely an initial (Ш. Руставелі). */
const TRAILING_TYPE_ALIASES = new Map<string, StreetType>([['ш', 'шосе']]);

const HOUSE_MARKERS = new Set(['буд', 'будинок', 'б', 'д', 'дом', 'house', 'bud', 'bld', 'bldg']);
const BLOCK_MARKERS = new Set(['корпус', 'корп', 'кор', 'к', 'korpus', 'korp', 'k', 'block']);
const APARTMENT_MARKERS = new Set([
  'квартира',
  'кв',
  'кв-ра',
  'кварт',
  'apt',
  'apartment',
  'flat',
  'kv',
]);
/**
 * Non-residential premises (нежитлові приміщення): «прим. 1», «приміщ. 1», «приміщення 1»,
 * «оф. 1», «офіс 1» (Russian «пом.», «помещение», «офис» too). Their apartment key is 'п' + the
 * number ('п1', 'п1а'), so that «прим. 1» never equals the flat «кв. 1» (key '1'). An office is a
 * non-residential premise like any other and gets the same 'п' key: registries and bank files
 * call one premise «прим. 1» in one place and «офіс 1» in another, and they must meet.
 */
const PREMISE_MARKERS = new Set([
  'прим',
  'приміщ',
  'приміщення',
  'пом',
  'помещ',
  'помещение',
  'оф',
  'офіс',
  'офис',
  'office',
]);
/** Words before a premise marker that only repeat its meaning: «нежитл. прим. 1», «нежитлове приміщення 1». */
const PREMISE_QUALIFIERS = new Set(['нежитл', 'нежитлове', 'нежитлового', 'нежит', 'неж', 'нежил', 'нежиле', 'нежилое', 'нежилого']);
/** Prefix of a non-residential premise's apartment key: 'п1' is «прим. 1». */
export const NON_RESIDENTIAL_KEY_PREFIX = 'п';
const CITY_MARKERS = new Set(['м', 'місто', 'г', 'город', 'с', 'село', 'смт', 'селище', 'пгт', 'city', 'm', 'misto', 'smt']);
const REGION_MARKERS = new Set([
  'обл',
  'область',
  'р-н',
  'район',
  'oblast',
  'region',
  'district',
  'україна',
  'украина',
  'ukraine',
]);

/** Types whose word, after an ordinal name, is part of a lane's name: «1-й Гніванське шосе». */
const ROAD_TYPES_IN_LANE_NAMES = new Set<StreetType>(['шосе', 'вулиця', 'проспект', 'площа', 'бульвар', 'майдан']);

export interface House {
  number: number;
  /** Cyrillic lower-case letter: «7-А» → 'а'. */
  letter?: string;
  /** The part after a slash: «12/2» → '2' (may carry a letter: '2а'). */
  fraction?: string;
  /** Корпус: «корп. 2» → '2'. */
  block?: string;
}

export interface ParsedAddress {
  streetType?: StreetType;
  /** The name as typed, cleaned for display (look-alikes fixed, spacing and apostrophes unified). */
  streetName: string;
  /** Script-independent match key (ASCII, КМУ-55 transliteration): «Київська» → 'kyivska'. */
  streetKey: string;
  /** All keys of the street: {@link streetSearchKeys}. */
  streetKeys: string[];
  house?: House;
  houseKey?: string;
  apartment?: string;
  city?: string;
  postalCode?: string;
}

export interface ParseAddressOptions {
  /** Read «12/5» (with no other apartment) as house 12, apartment 5. Default: a fraction. */
  slashMeansApartment?: boolean;
}

// ---------------------------------------------------------------------------------------------
// Character-level normalisation
// ---------------------------------------------------------------------------------------------

const CYRILLIC = /\p{Script=Cyrillic}/u;

/** Latin letters that look like Cyrillic ones (lower case; upper case handled by lowering). */
const LOOKALIKE_LOWER: Record<string, string> = {
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
const LATIN_LETTER_TRANSLIT: Record<string, string> = {
  a: 'а', b: 'б', c: 'ц', d: 'д', e: 'е', f: 'ф', g: 'ґ', h: 'г', i: 'і', j: 'й', k: 'к', l: 'л',
  m: 'м', n: 'н', o: 'о', p: 'п', r: 'р', s: 'с', t: 'т', u: 'у', v: 'в', w: 'в', x: 'х', y: 'и', z: 'з',
};

function foldLookalikes(s: string): string {
  return s.replace(/[a-zA-ZïÏ]/g, (c) => LOOKALIKE_LOWER[c] ?? LOOKALIKE_UPPER[c] ?? c);
}

/** Russian-only letters to their Ukrainian counterparts (ы→и, ё/э→е, ъ→apostrophe). */
function russianFold(s: string): string {
  return s.replace(/[ёыэъЁЫЭЪ]/g, (c) => ({ ё: 'е', ы: 'и', э: 'е', ъ: "'", Ё: 'Е', Ы: 'И', Э: 'Е', Ъ: "'" })[c] ?? c);
}

/**
 * NFC (so «й» typed as и + combining breve is one letter), one apostrophe form, one dash form,
 * quotes and unusual spaces to plain spaces.
 */
function prenormalise(s: string): string {
  return s
    .normalize('NFC')
    .replace(/[’ʼ`‘´ʹ′‛]/g, "'")
    .replace(/[‐‑‒–—−]/g, '-')
    .replace(/[«»"“”„()[\]{}]/g, ' ')
    .replace(/[\s\u00a0\u202f\u2007\u2009]+/g, ' ');
}

/**
 * A pure string function with its results remembered: an import parses a million addresses made
 * of a few thousand distinct words and street names. The memory is bounded: when full, it starts
 * over.
 */
function remembered(fn: (s: string) => string, limit = 100_000): (s: string) => string {
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
function lookup<T>(get: (k: string) => T | undefined, word: string): T | undefined {
  const lower = lowerWord(word);
  return get(lower) ?? get(foldedWord(lower));
}
const streetTypeOf = (w: string) => lookup((k) => TYPE_BY_ALIAS.get(k), w);
const isIn = (set: Set<string>, w: string) => lookup((k) => (set.has(k) ? true : undefined), w) === true;

// ---------------------------------------------------------------------------------------------
// Street keys
// ---------------------------------------------------------------------------------------------

const ORDINAL = /(\d+)[\s-]*(ий|ій|й|ого|го|му|а|я|е|ї|ша|ге|тя)(?=$|[\s-])/gu;
const ORDINAL_CANON: Record<string, string> = { ий: 'й', ій: 'й', ого: 'го' };

/**
 * The Cyrillic street key: 'київська', "лук'яненка", 'в винниченка', '1-й київський'.
 * Pass a street NAME (without the type); use {@link parseAddress} for free text.
 */
export const normaliseStreetName = remembered(function normaliseStreetName(name: string): string {
  let s = prenormalise(name).toLowerCase();
  if (CYRILLIC.test(s)) s = foldLookalikes(s);
  s = russianFold(s);
  s = s.replace(/[^\p{L}\p{M}\d'-]+/gu, ' ');
  s = s.replace(/ *- */g, '-').replace(/-{2,}/g, '-');
  // Apostrophes and hyphens only make sense between two letters or digits.
  for (let prev = ''; prev !== s; ) {
    prev = s;
    s = s.replace(/(^|[ '-])['-]+/g, '$1').replace(/['-]+(?=$|[ '-])/g, '');
  }
  s = s.replace(ORDINAL, (_, n: string, suffix: string) => `${n}-${ORDINAL_CANON[suffix] ?? suffix}`);
  return s.replace(/ +/g, ' ').trim();
});

/** КМУ No. 55 (2010): [at the start of a word, elsewhere]. Ь and the apostrophe are dropped. */
const KMU55: Record<string, readonly [string, string]> = {
  а: ['a', 'a'], б: ['b', 'b'], в: ['v', 'v'], г: ['h', 'h'], ґ: ['g', 'g'], д: ['d', 'd'],
  е: ['e', 'e'], є: ['ye', 'ie'], ж: ['zh', 'zh'], з: ['z', 'z'], и: ['y', 'y'], і: ['i', 'i'],
  ї: ['yi', 'i'], й: ['y', 'i'], к: ['k', 'k'], л: ['l', 'l'], м: ['m', 'm'], н: ['n', 'n'],
  о: ['o', 'o'], п: ['p', 'p'], р: ['r', 'r'], с: ['s', 's'], т: ['t', 't'], у: ['u', 'u'],
  ф: ['f', 'f'], х: ['kh', 'kh'], ц: ['ts', 'ts'], ч: ['ch', 'ch'], ш: ['sh', 'sh'],
  щ: ['shch', 'shch'], ь: ['', ''], ю: ['yu', 'iu'], я: ['ya', 'ia'], "'": ['', ''],
};

/**
 * Ukrainian → Latin by the national table (КМУ No. 55, 2010), keeping capitalisation:
 * «Згурський» → 'Zghurskyi', «Їжакевич» → 'Yizhakevych', «Знам'янка» → 'Znamianka'.
 * Other characters pass through unchanged.
 */
export function transliterateUk(text: string): string {
  const chars = [...text.normalize('NFC').replace(/[’ʼ`‘]/g, "'")];
  let out = '';
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    const lower = c.toLowerCase();
    const rule = KMU55[lower];
    if (!rule) {
      out += c;
      continue;
    }
    const prev = i > 0 ? chars[i - 1].toLowerCase() : '';
    const wordStart = prev === '' || !/[\p{L}']/u.test(prev);
    // «зг» is written 'zgh' so that it is not read as «ж» ('zh').
    let latin = lower === 'г' && prev === 'з' ? 'gh' : rule[wordStart ? 0 : 1];
    if (c !== lower && latin) {
      const next = chars[i + 1] ?? '';
      const allCaps = next !== '' && next !== next.toLowerCase();
      latin = allCaps ? latin.toUpperCase() : latin[0].toUpperCase() + latin.slice(1);
    }
    out += latin;
  }
  return out;
}

/**
 * ASCII key for search across scripts: 'kyivska' for «Київська», «Kиївська», «KYIVSKA»,
 * «Kyivs'ka»; hyphens become spaces and digits are split from letters ('1 y kyivskyi').
 */
export const translitKey = remembered(function translitKey(text: string): string {
  return transliterateUk(normaliseStreetName(text))
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/-/g, ' ')
    .replace(/(\d)(?=[a-z])/g, '$1 ')
    .replace(/([a-z])(?=\d)/g, '$1 ')
    .replace(/[^a-z0-9 ]/g, '')
    .replace(/ +/g, ' ')
    .trim();
});

/** The Cyrillic key without initials: 'в винниченка' → 'винниченка'; undefined if none. */
function withoutInitials(key: string): string | undefined {
  const words = key.split(' ');
  if (words.length < 2) return undefined;
  const kept = words.filter((w, i) => i === words.length - 1 || !/^\p{L}$/u.test(w));
  return kept.length < words.length && kept.length > 0 ? kept.join(' ') : undefined;
}

/**
 * Every key a street name should be found by, without duplicates, most specific first:
 * [Cyrillic key, ASCII key, Cyrillic key without initials, ASCII key without initials].
 */
export function streetSearchKeys(name: string): string[] {
  const key = normaliseStreetName(name);
  const bare = withoutInitials(key);
  const keys = [key, translitKey(key)];
  if (bare) keys.push(bare, translitKey(bare));
  return [...new Set(keys.filter((k) => k !== ''))];
}

// ---------------------------------------------------------------------------------------------
// Tokens
// ---------------------------------------------------------------------------------------------

type TokenKind = 'word' | 'num' | 'sep' | 'slash' | 'dash' | 'no';

interface Token {
  kind: TokenKind;
  text: string;
  /** Immediately followed by a dot: «вул.», «В.», «кв.». */
  dot: boolean;
  /** No space or punctuation before it: the «а» of «12а», the «5» of «кв5». */
  glued: boolean;
}

const WORD = String.raw`\p{L}[\p{L}\p{M}]*(?:'[\p{L}\p{M}]+)*`;
const TOKEN = new RegExp(
  String.raw`( +)|(${WORD}(?:-${WORD})*)|(\d+)|([,;])|([/\\])|(-)|([№#])|(\.)|([\s\S])`,
  'uy',
);

function tokenise(text: string): Token[] {
  const s = prenormalise(text);
  const tokens: Token[] = [];
  let glued = false;
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(s); m; m = TOKEN.exec(s)) {
    const [, , word, num, sep, slash, dash, no, dot] = m;
    const push = (kind: TokenKind, t: string) => {
      tokens.push({ kind, text: t, dot: false, glued: glued && tokens.length > 0 });
      glued = true;
    };
    // Letters and digits are always separate tokens: «кв5», «д12», «Київська12», «12а».
    if (word) push('word', word);
    else if (num) push('num', num);
    else if (sep) push('sep', sep);
    else if (slash) push('slash', '/');
    else if (dash) push('dash', '-');
    else if (no) push('no', '№');
    else if (dot) {
      const last = tokens[tokens.length - 1];
      if (last?.kind === 'word' && glued) last.dot = true;
      glued = false;
    } else {
      glued = false; // spaces and stray characters separate tokens
    }
  }
  return tokens;
}

type WordToken = Token & { kind: 'word' };
type NumToken = Token & { kind: 'num' };
const isWord = (t: Token | undefined): t is WordToken => t?.kind === 'word';
const isNum = (t: Token | undefined): t is NumToken => t?.kind === 'num';
const isSingleLetter = (t: Token | undefined): t is WordToken => isWord(t) && [...t.text].length === 1;
/** The single Cyrillic letter `letter`, in either case or typed as its Latin look-alike. */
const isLetter = (t: Token | undefined, letter: string): boolean =>
  isSingleLetter(t) && lookup((k) => (k === letter ? true : undefined), t.text) === true;
const tokensText = (ts: Token[]) =>
  ts.map((t, i) => (i > 0 && !t.glued ? ' ' : '') + t.text + (t.dot ? '.' : '')).join('');

// ---------------------------------------------------------------------------------------------
// House numbers and apartments
// ---------------------------------------------------------------------------------------------

/** A house or apartment letter as a Cyrillic lower-case letter («A» → «а»). */
function letterOf(raw: string, latinMode: boolean): string {
  const lower = raw.toLowerCase();
  if (CYRILLIC.test(lower)) return russianFold(lower);
  if (latinMode) return LATIN_LETTER_TRANSLIT[lower] ?? lower;
  return LOOKALIKE_LOWER[lower] ?? LATIN_LETTER_TRANSLIT[lower] ?? lower;
}

/** The canonical key of a house: '12', '12а', '12/2', '12а/2к1'. */
export function houseKey(house: House): string {
  return `${house.number}${house.letter ?? ''}${house.fraction ? `/${house.fraction}` : ''}${
    house.block ? `к${house.block}` : ''
  }`;
}

interface TailResult {
  house?: House;
  apartment?: string;
  city?: string;
}

/** A cursor over tokens with the small amount of look-ahead the grammar needs. */
class Cursor {
  i = 0;
  constructor(
    readonly tokens: Token[],
    readonly latinMode: boolean,
  ) {}
  get tok(): Token | undefined {
    return this.tokens[this.i];
  }
  peek(n = 1): Token | undefined {
    return this.tokens[this.i + n];
  }
  /** Kind test through a method call, so TypeScript does not keep a stale narrowing of `tok`. */
  is(kind: TokenKind): boolean {
    return this.tokens[this.i]?.kind === kind;
  }
  get done(): boolean {
    return this.i >= this.tokens.length;
  }
  skipSeps(): boolean {
    const start = this.i;
    while (this.is('sep')) this.i++;
    return this.i > start;
  }
  /** A marker word from `set` followed (after optional «№») by a number. */
  atMarker(set: Set<string>): boolean {
    const t = this.tok;
    if (!isWord(t) || !isIn(set, t.text)) return false;
    const next = this.peek()?.kind === 'no' ? this.peek(2) : this.peek();
    return isNum(next);
  }
  /** «к2», «к.2», «корп. 2»: the single letter к counts only when a number follows. */
  atBlock(): boolean {
    return this.atMarker(BLOCK_MARKERS);
  }
  /** Is a number (after an optional «№») at token k? */
  private numberAt(k: number): boolean {
    return isNum(this.tokens[this.tokens[k]?.kind === 'no' ? k + 1 : k]);
  }
  /**
   * How many tokens of a non-residential premise marker start at token k, before its number
   * (0 when none): «прим.», «офіс», «нежитл. прим.», «нежитлове приміщення», «н/п», and the key
   * form «п1» that older exports print («кв. п1») — there the п must touch its number.
   */
  premiseMarkerAt(k: number): number {
    const t = this.tokens[k];
    if (!isWord(t)) return 0;
    const next = this.tokens[k + 1];
    const qualified = isIn(PREMISE_QUALIFIERS, t.text) && isWord(next) && isIn(PREMISE_MARKERS, next.text);
    if (qualified) return this.numberAt(k + 2) ? 2 : 0;
    if (isIn(PREMISE_MARKERS, t.text)) return this.numberAt(k + 1) ? 1 : 0;
    if (isLetter(t, 'н') && next?.kind === 'slash' && isLetter(this.tokens[k + 2], 'п')) return this.numberAt(k + 3) ? 3 : 0;
    if (isLetter(t, 'п') && !t.dot && isNum(next) && next.glued) return 1;
    return 0;
  }
  /**
   * Where an apartment or premise number starts: «кв. 5», «кв. № 5», «прим. 1», «кв. п1»,
   * «кв. прим. 1». `skip` counts the marker tokens (and «№») before the number.
   */
  apartmentStart(): { skip: number; nonResidential: boolean } | undefined {
    let k = this.i;
    const first = this.tokens[k];
    const marked = isWord(first) && isIn(APARTMENT_MARKERS, first.text);
    if (marked) k++;
    const premise = this.premiseMarkerAt(k);
    if (!marked && premise === 0) return undefined;
    k += premise;
    if (this.tokens[k]?.kind === 'no') k++;
    return isNum(this.tokens[k]) ? { skip: k - this.i, nonResidential: premise > 0 } : undefined;
  }
  /** The apartment key from the number at the cursor: '5', '5а', '5/1'; 'п1', 'п1а' for a premise. */
  apartmentNumber(nonResidential: boolean): string | undefined {
    const a = this.numberWithLetter();
    if (!a) return undefined;
    let key = stripZeros(a.n) + (a.letter ?? '');
    if ((this.is('slash') || this.is('dash')) && isNum(this.peek())) {
      this.i++; // a room in a shared flat: «кв. 5/1»
      const r = this.numberWithLetter()!;
      key += `/${stripZeros(r.n)}${r.letter ?? ''}`;
    }
    return (nonResidential ? NON_RESIDENTIAL_KEY_PREFIX : '') + key;
  }
  /** A digit run with an optional letter: «5», «5а», «5-А», «5 а». */
  numberWithLetter(): { n: string; letter?: string } | undefined {
    const t = this.tok;
    if (!isNum(t)) return undefined;
    this.i++;
    let letter: string | undefined;
    const dashed = this.is('dash') && isSingleLetter(this.peek());
    const candidate = dashed ? this.peek() : this.tok;
    if (isSingleLetter(candidate)) {
      const afterLetter = this.tokens[this.i + (dashed ? 2 : 1)];
      const isBlockMarker = isIn(BLOCK_MARKERS, candidate.text) && isNum(afterLetter);
      // «12 п1», «12 н/п 1»: a premise, not house 12п (a letter touching the house still is one).
      const startsPremise = !dashed && !candidate.glued && this.premiseMarkerAt(this.i) > 0;
      if (!isBlockMarker && !startsPremise && !(candidate.dot && isNum(afterLetter))) {
        letter = letterOf(candidate.text, this.latinMode);
        this.i += dashed ? 2 : 1;
      }
    } else if (isWord(candidate) && candidate.glued && !dashed) {
      // «12ак2», «12кк1»: a glued letter run = a house letter + a block/apartment marker.
      const [first, ...rest] = [...candidate.text];
      const restText = rest.join('');
      const restIsMarker = isIn(BLOCK_MARKERS, restText) || isIn(APARTMENT_MARKERS, restText);
      if (restIsMarker && isNum(this.peek())) {
        letter = letterOf(first, this.latinMode);
        this.tokens[this.i] = { ...candidate, text: restText };
      }
    }
    return { n: t.text, letter };
  }
}

const stripZeros = (n: string) => n.replace(/^0+(?=\d)/, '');

/** Parses what follows the street name: house, fraction, block, apartment, maybe a city. */
function parseTail(tokens: Token[], latinMode: boolean, opts: ParseAddressOptions): Result<TailResult> {
  const c = new Cursor(tokens, latinMode);
  const out: TailResult = {};
  const rest = () => tokensText(tokens.slice(c.i)).trim();
  const unrecognised = () =>
    fail<TailResult>(
      `Незрозуміла частина адреси: «${rest()}»`,
      `Unrecognised part of the address: "${rest()}"`,
    );

  c.skipSeps();
  if (c.done) return ok(out);

  const leadingApartment = c.apartmentStart();
  if (leadingApartment?.nonResidential) {
    return fail('Вказано приміщення, але не вказано номер будинку', 'A premise is given but no house number');
  }
  if (leadingApartment) {
    return fail('Вказано квартиру, але не вказано номер будинку', 'An apartment is given but no house number');
  }
  if (isWord(c.tok) && isIn(HOUSE_MARKERS, c.tok.text)) {
    if (!c.atMarker(HOUSE_MARKERS)) {
      return fail(
        `Після «${c.tok.text}» немає номера будинку`,
        `No house number after "${c.tok.text}"`,
      );
    }
    c.i++;
  }
  if (c.is('no')) c.i++;
  const house = c.numberWithLetter();
  if (!house) return unrecognised();
  const number = Number(stripZeros(house.n));
  if (number === 0) return fail('Номер будинку не може бути нулем', 'House number cannot be zero');
  if (!Number.isSafeInteger(number)) return unrecognised();
  const h: House = { number };
  if (house.letter) h.letter = house.letter;

  // «12/2», «12-2» (but «12-А» was already taken as a letter).
  let slashed = false;
  if ((c.is('slash') || c.is('dash')) && isNum(c.peek())) {
    c.i++;
    const f = c.numberWithLetter()!;
    h.fraction = stripZeros(f.n) + (f.letter ?? '');
    slashed = true;
  }

  // Корпус.
  const beforeBlock = c.i;
  c.skipSeps();
  if (c.atBlock()) {
    c.i++;
    const b = c.numberWithLetter()!;
    h.block = stripZeros(b.n) + (b.letter ?? '');
  } else {
    c.i = beforeBlock;
  }

  // Apartment or non-residential premise: a marker, or a bare number after a comma or a space.
  const beforeApartment = c.i;
  c.skipSeps();
  const start = c.apartmentStart();
  if (start) c.i += start.skip;
  else if (c.is('no')) c.i++;
  if (isNum(c.tok) && !(c.tok.glued && c.i === beforeApartment)) {
    out.apartment = c.apartmentNumber(start?.nonResidential ?? false)!;
  } else {
    c.i = beforeApartment;
  }

  if (slashed && opts.slashMeansApartment && out.apartment === undefined && h.block === undefined) {
    out.apartment = h.fraction;
    delete h.fraction;
  }
  out.house = h;

  // «кв» or «корп» with no number: say so rather than "unrecognised".
  const afterApartment = c.i;
  c.skipSeps();
  const dangling = [APARTMENT_MARKERS, PREMISE_MARKERS, PREMISE_QUALIFIERS, BLOCK_MARKERS];
  if (isWord(c.tok) && dangling.some((set) => isIn(set, c.tok!.text)) && !isNum(c.peek())) {
    return fail(`Після «${c.tok.text}» немає номера`, `No number after "${c.tok.text}"`);
  }
  c.i = afterApartment;
  // A trailing city after a comma: «Київська 12, Вінниця».
  const beforeCity = c.i;
  if (c.skipSeps() && c.tokens.slice(c.i).every((t) => isWord(t) || t.kind === 'sep') && !c.done) {
    const words = c.tokens.slice(c.i).filter(isWord);
    out.city = cityName(words);
    c.i = c.tokens.length;
  } else {
    c.i = beforeCity;
  }

  c.skipSeps();
  if (!c.done) return unrecognised();
  return ok(out);
}

function cityName(words: Token[]): string {
  const ws = isIn(CITY_MARKERS, words[0]?.text ?? '') && words.length > 1 ? words.slice(1) : words;
  return ws.map((w) => w.text).join(' ');
}

// ---------------------------------------------------------------------------------------------
// Street names
// ---------------------------------------------------------------------------------------------

interface NamePart {
  text: string;
  dot: boolean;
  /** Starts with digits: «20», «1-й», «600-річчя». */
  numeric: boolean;
}

const ROMAN = /^[ivxіх]+$/iu;

/** Display form of a street name: look-alikes fixed; all-lower or ALL-UPPER input title-cased. */
function displayName(parts: NamePart[], cyrillic: boolean): string {
  const letters = parts.filter((p) => !p.numeric).map((p) => p.text).join('');
  const shouldTitle = letters === letters.toLowerCase() || (letters === letters.toUpperCase() && letters.length > 3);
  return parts
    .map((p, i) => {
      let t = cyrillic ? foldLookalikes(p.text) : p.text;
      if (!p.numeric && shouldTitle) {
        const chars = [...t];
        if (ROMAN.test(t) && chars.length > 1) t = t.toUpperCase();
        else if (chars.length > 1 || p.dot) {
          t = t
            .toLowerCase()
            .split('-')
            .map((s) => (s ? s[0].toUpperCase() + s.slice(1) : s))
            .join('-');
        }
      }
      if (p.numeric) t = t.toLowerCase();
      return t + (p.dot && i < parts.length - 1 ? '.' : '');
    })
    .join(' ');
}

/** A house, block, apartment or premise marker word, or a premise qualifier («нежитлове»). */
function isMarkerWord(t: Token): boolean {
  return [HOUSE_MARKERS, APARTMENT_MARKERS, PREMISE_MARKERS, PREMISE_QUALIFIERS, BLOCK_MARKERS].some((set) => isIn(set, t.text));
}

/** A street-ish word: 2+ letters, not a house/block/apartment/premise marker. */
function isNameWord(t: Token): boolean {
  if (!isWord(t) || isMarkerWord(t)) return false;
  return [...t.text].length > 1 || t.dot;
}

/** Does a house, block or apartment part start at token i («буд. 12», «кв5», «№ 3», «к.2»)? */
function startsHousePart(toks: Token[], i: number): boolean {
  if (toks[i]?.kind === 'no') return true;
  const c = new Cursor(toks, false);
  c.i = i;
  return c.atMarker(HOUSE_MARKERS) || c.apartmentStart() !== undefined || c.atBlock();
}

/** Is there a name word at or after token i, before the house part starts? */
function nameWordAhead(toks: Token[], i: number): boolean {
  for (let k = i; k < toks.length; k++) {
    const t = toks[k];
    if (startsHousePart(toks, k)) return false;
    if (isWord(t) && isNameWord(t)) return true;
    if (!isWord(t) && !isNum(t) && t.kind !== 'dash') return false;
  }
  return false;
}

interface Segment {
  tokens: Token[];
}

/** A type word in the segment; in «с. Майдан, …» the village name is not a type. */
const segmentHasType = (s: Segment) => {
  const from = segmentCityMarked(s) ? 2 : 0;
  return s.tokens.some((t, i) => i >= from && isWord(t) && streetTypeOf(t.text) !== undefined);
};
const segmentIsRegion = (s: Segment) => s.tokens.some((t) => isWord(t) && isIn(REGION_MARKERS, t.text));
const segmentIsStreetish = (s: Segment) => s.tokens.some(isNameWord);
function segmentCityMarked(s: Segment): boolean {
  return isWord(s.tokens[0]) && isIn(CITY_MARKERS, s.tokens[0].text) && isWord(s.tokens[1]);
}
const segmentHasHouseInside = (s: Segment) => {
  const firstName = s.tokens.findIndex(isNameWord);
  return firstName >= 0 && s.tokens.slice(firstName + 1).some(isNum);
};
const segmentStartsLikeHouse = (s: Segment | undefined) =>
  !!s &&
  (isNum(s.tokens[0]) ||
    s.tokens[0]?.kind === 'no' ||
    (isWord(s.tokens[0]) && (isMarkerWord(s.tokens[0]) || startsHousePart(s.tokens, 0))));

/** Which comma-separated segment holds the street (see the rules in the function body). */
function findStreetSegment(segs: Segment[]): number {
  const candidates = segs.map((s, i) => ({ s, i })).filter(({ s }) => !segmentIsRegion(s) && s.tokens.length > 0);
  const pick = (pred: (s: Segment, i: number) => boolean) => candidates.find(({ s, i }) => pred(s, i))?.i;
  const pickLast = (pred: (s: Segment) => boolean) => [...candidates].reverse().find(({ s }) => pred(s))?.i;
  return (
    // 1. a segment with a street type: «вул. Київська»;
    pick((s) => segmentHasType(s) && segmentIsStreetish(s)) ??
    // 2. a name followed by a number inside the segment: «Київська 12»;
    pick((s) => segmentIsStreetish(s) && segmentHasHouseInside(s)) ??
    // 3. a name whose next segment starts like a house: «Київська, 12»;
    pick((s, i) => segmentIsStreetish(s) && segmentStartsLikeHouse(segs[i + 1])) ??
    // 4. the last name that is not marked as a city; 5. the last name at all.
    pickLast((s) => segmentIsStreetish(s) && !segmentCityMarked(s)) ??
    pickLast(segmentIsStreetish) ??
    -1
  );
}

const missingStreet = () => fail<ParsedAddress>('Не вказано назву вулиці', 'The street name is missing');

/**
 * Parses a free-text Ukrainian address. The street type may come before or after the name or be
 * missing; a city («м. Вінниця», or a leading segment before the street) and a postal code are
 * picked up when present. See the module comment for the «12/5» rule.
 */
export function parseAddress(text: string, opts: ParseAddressOptions = {}): Result<ParsedAddress> {
  const all = tokenise(text);
  if (all.length === 0) return fail('Адресу не вказано', 'The address is empty');

  // Split into comma-separated segments.
  const segs: Segment[] = [{ tokens: [] }];
  for (const t of all) {
    if (t.kind === 'sep') segs.push({ tokens: [] });
    else segs[segs.length - 1].tokens.push(t);
  }

  // A postal code leads the address: «21000, м. Вінниця, …» or «21000 Вінниця, …».
  let postalCode: string | undefined;
  const firstSeg = segs.findIndex((s) => s.tokens.length > 0);
  const lead = segs[firstSeg]?.tokens[0];
  if (isNum(lead) && lead.text.length === 5 && (segs[firstSeg].tokens.length === 1 || isWord(segs[firstSeg].tokens[1]))) {
    postalCode = lead.text;
    segs[firstSeg].tokens.shift();
  }

  const s = findStreetSegment(segs);
  if (s < 0) return missingStreet();

  // A city: the nearest name-like segment before the street.
  let city: string | undefined;
  for (let i = s - 1; i >= 0 && city === undefined; i--) {
    if (!segmentIsRegion(segs[i]) && segmentIsStreetish(segs[i])) city = cityName(segs[i].tokens.filter(isWord));
  }

  let toks = segs[s].tokens;

  // «м. Вінниця вул. Київська 12» or «Вінниця вул. Київська 12»: a city before the type.
  const typeAt = toks.findIndex((t, i) => i > 0 && isWord(t) && streetTypeOf(t.text) !== undefined);
  if (typeAt > 0 && isWord(toks[typeAt + 1]) && !startsHousePart(toks, typeAt + 1)) {
    const before = toks.slice(0, typeAt);
    const marked = isWord(before[0]) && isIn(CITY_MARKERS, before[0].text) && before.length > 1;
    if (before.every(isWord) && (marked || before.length <= 2)) {
      city = cityName(before);
      toks = toks.slice(typeAt);
    }
  }

  // Street type before the name.
  let streetType: StreetType | undefined;
  let leadTypeWord: Token | undefined;
  let i = 0;
  const leadType = isWord(toks[0]) ? streetTypeOf(toks[0].text) : undefined;
  // «Набережна 5», «Шосе 5»: a type word with no other name word is the name itself.
  if (leadType && nameWordAhead(toks, 1)) {
    streetType = leadType;
    leadTypeWord = toks[0];
    i = 1;
  }

  // The name: words, plus leading numbers and ordinals («20 Березня», «1-й Київський»).
  const parts: NamePart[] = [];
  let nameWords = 0;
  for (; i < toks.length; i++) {
    const t = toks[i];
    if (isNum(t)) {
      if (nameWords > 0) break; // the house number
      let text = t.text;
      const next = toks[i + 1];
      const afterDash = toks[i + 2];
      if (next?.kind === 'dash' && next.glued && isWord(afterDash) && afterDash.glued) {
        text += `-${afterDash.text}`;
        i += 2;
      } else if (isWord(next) && next.glued) {
        text += `-${next.text}`;
        i += 1;
      }
      parts.push({ text, dot: false, numeric: true });
      if (/\p{L}/u.test(text)) nameWords++; // «600-річчя» is a name by itself; «20» is not
      continue;
    }
    if (isWord(t)) {
      if (startsHousePart(toks, i)) break; // «буд. 12», «кв. 5» («Д. Михайловського» is a name)
      parts.push({ text: t.text, dot: t.dot, numeric: false });
      nameWords++;
      continue;
    }
    if (t.kind === 'dash' && nameWords > 0 && isWord(toks[i + 1]) && parts.length > 0) {
      parts[parts.length - 1].text += `-${toks[i + 1].text}`; // «Гулака - Артемовського»
      i++;
      continue;
    }
    break; // «№», «/», a stray dash: the house part starts (or is garbage)
  }

  // Street type after the name: «Хмельницьке шосе», «Київська вул.».
  const last = parts[parts.length - 1];
  const trailingType =
    last && !last.numeric ? (streetTypeOf(last.text) ?? lookup((k) => TRAILING_TYPE_ALIASES.get(k), last.text)) : undefined;
  if (trailingType && leadTypeWord && streetType && parts.length === 1) {
    // «вулиця Набережна», «Набережна вулиця»: both are type words. The more generic type
    // (earlier in STREET_TYPES) is the type, the other word the name.
    if (STREET_TYPES.indexOf(trailingType) < STREET_TYPES.indexOf(streetType)) {
      parts[0] = { text: leadTypeWord.text, dot: leadTypeWord.dot, numeric: false };
      streetType = trailingType;
    }
  } else if (trailingType && parts.length > 1) {
    // «1-й Гніванське шосе» is a lane (провулок) named after the road, not a road.
    const laneNamedAfterRoad =
      /^\d+-(й|ий|y|yi|i)$/iu.test(parts[0].text) && parts.length > 2 && ROAD_TYPES_IN_LANE_NAMES.has(trailingType);
    if (streetType === undefined && !laneNamedAfterRoad) {
      streetType = trailingType;
      parts.pop();
    } else if (streetType === trailingType) {
      parts.pop();
    }
  }
  if (!parts.some((p) => /\p{L}/u.test(p.text))) return missingStreet();

  const cyrillic = parts.some((p) => CYRILLIC.test(p.text));
  const streetName = displayName(parts, cyrillic);

  // Everything after the name, across the following segments.
  const tail: Token[] = toks.slice(i);
  for (let k = s + 1; k < segs.length; k++) {
    tail.push({ kind: 'sep', text: ',', dot: false, glued: false }, ...segs[k].tokens);
  }
  const parsedTail = parseTail(tail, !cyrillic, opts);
  if (!parsedTail.ok) return parsedTail;

  const result: ParsedAddress = {
    streetName,
    streetKey: translitKey(streetName),
    streetKeys: streetSearchKeys(streetName),
  };
  if (streetType) result.streetType = streetType;
  if (parsedTail.value.house) {
    result.house = parsedTail.value.house;
    result.houseKey = houseKey(parsedTail.value.house);
  }
  if (parsedTail.value.apartment !== undefined) result.apartment = parsedTail.value.apartment;
  const finalCity = city ?? parsedTail.value.city;
  if (finalCity) result.city = finalCity;
  if (postalCode) result.postalCode = postalCode;
  return ok(result);
}

/** Parses a house number alone: «буд. 12-А», «12/2 корп. 1», «7 а». */
export function parseHouse(text: string): Result<House> {
  const tokens = tokenise(text);
  if (tokens.length === 0) return fail('Номер будинку не вказано', 'The house number is empty');
  // No street to tell the script: a Latin letter is read as its Cyrillic look-alike (B → в).
  const r = parseTail(tokens, false, {});
  if (!r.ok) return r;
  if (!r.value.house || r.value.apartment !== undefined || r.value.city !== undefined) {
    return fail(`«${text}» — не номер будинку`, `"${text}" is not a house number`);
  }
  return ok(r.value.house);
}

/** houseKey of a typed house number, or undefined when it is not one: «7-А» → '7а'. */
export function normaliseHouse(text: string): string | undefined {
  const r = parseHouse(text);
  return r.ok ? houseKey(r.value) : undefined;
}

/**
 * The apartment key of a typed apartment or premise number, undefined when it is not one:
 * «кв. 05» → '5', «5-А» → '5а', «квартира 12» → '12'; non-residential premises get the 'п'
 * prefix: «прим. 1», «нежитлове приміщення 1», «н/п 1», «офіс 1», «кв. п1» → 'п1'. A key
 * gives itself back ('5' → '5', 'п1а' → 'п1а').
 */
export function normaliseApartment(text: string): string | undefined {
  const tokens = tokenise(text);
  if (tokens.length === 0) return undefined;
  const latin = !tokens.some((t) => CYRILLIC.test(t.text));
  const c = new Cursor(tokens, latin);
  const start = c.apartmentStart();
  if (start) c.i += start.skip;
  else if (c.is('no')) c.i++;
  const key = c.apartmentNumber(start?.nonResidential ?? false);
  if (key === undefined || !c.done) return undefined;
  return /^п?0$/u.test(key) ? undefined : key;
}

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
