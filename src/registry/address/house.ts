import { fail, ok, type Result } from '../../shared/identifiers';
import { CYRILLIC, isIn, LATIN_LETTER_TRANSLIT, LOOKALIKE_LOWER, russianFold } from './characters';
import {
  APARTMENT_MARKERS,
  BLOCK_MARKERS,
  CITY_MARKERS,
  HOUSE_MARKERS,
  NON_RESIDENTIAL_KEY_PREFIX,
  PREMISE_MARKERS,
  PREMISE_QUALIFIERS,
  type House,
  type ParseAddressOptions,
} from './dictionaries';
import { isLetter, isNum, isSingleLetter, isWord, tokensText, type Token, type TokenKind } from './tokens';

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
export class Cursor {
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
export function parseTail(tokens: Token[], latinMode: boolean, opts: ParseAddressOptions): Result<TailResult> {
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
  if (leadingApartment && opts.apartmentWithoutHouse) {
    c.i += leadingApartment.skip;
    out.apartment = c.apartmentNumber(leadingApartment.nonResidential);
    c.skipSeps();
    return c.done && out.apartment !== undefined ? ok(out) : unrecognised();
  }
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

export function cityName(words: Token[]): string {
  const ws = isIn(CITY_MARKERS, words[0]?.text ?? '') && words.length > 1 ? words.slice(1) : words;
  return ws.map((w) => w.text).join(' ');
}
