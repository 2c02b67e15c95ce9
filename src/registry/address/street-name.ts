import { foldLookalikes, isIn, streetTypeOf } from './characters';
import {
  APARTMENT_MARKERS,
  BLOCK_MARKERS,
  CITY_MARKERS,
  HOUSE_MARKERS,
  PREMISE_MARKERS,
  PREMISE_QUALIFIERS,
  REGION_MARKERS,
} from './dictionaries';
import { Cursor } from './house';
import { isNum, isWord, type Token } from './tokens';

// ---------------------------------------------------------------------------------------------
// Street names
// ---------------------------------------------------------------------------------------------

export interface NamePart {
  text: string;
  dot: boolean;
  /** Starts with digits: «20», «1-й», «600-річчя». */
  numeric: boolean;
}

const ROMAN = /^[ivxіх]+$/iu;

/** Display form of a street name: look-alikes fixed; all-lower or ALL-UPPER input title-cased. */
export function displayName(parts: NamePart[], cyrillic: boolean): string {
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
export function startsHousePart(toks: Token[], i: number): boolean {
  if (toks[i]?.kind === 'no') return true;
  const c = new Cursor(toks, false);
  c.i = i;
  return c.atMarker(HOUSE_MARKERS) || c.apartmentStart() !== undefined || c.atBlock();
}

/** Is there a name word at or after token i, before the house part starts? */
export function nameWordAhead(toks: Token[], i: number): boolean {
  for (let k = i; k < toks.length; k++) {
    const t = toks[k];
    if (startsHousePart(toks, k)) return false;
    if (isWord(t) && isNameWord(t)) return true;
    if (!isWord(t) && !isNum(t) && t.kind !== 'dash') return false;
  }
  return false;
}

export interface Segment {
  tokens: Token[];
}

/** A type word in the segment; in «с. Майдан, …» the village name is not a type. */
const segmentHasType = (s: Segment) => {
  const from = segmentCityMarked(s) ? 2 : 0;
  return s.tokens.some((t, i) => i >= from && isWord(t) && streetTypeOf(t.text) !== undefined);
};
export const segmentIsRegion = (s: Segment) => s.tokens.some((t) => isWord(t) && isIn(REGION_MARKERS, t.text));
export const segmentIsStreetish = (s: Segment) => s.tokens.some(isNameWord);
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
export function findStreetSegment(segs: Segment[]): number {
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
