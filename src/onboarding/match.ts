/**
 * How sure we are that a spelling of a street names a registry street, and when that is sure
 * enough to match without a person. Pure: the database supplies the candidates (exact keys,
 * aliases and former names, pg_trgm neighbours); this ranks them. A house or apartment is never
 * guessed: once the street is decided, the building and premise must match their keys exactly.
 */
import { editDistance, keySimilarity } from './address-keys';

/** Below this confidence nothing is matched automatically; the row goes to the review queue. */
export const MATCH_THRESHOLD = 0.8;
/** The best candidate must lead the next one by this much, or the spelling is ambiguous. */
export const MATCH_MARGIN = 0.1;

export type StreetMethod = 'exact' | 'translit' | 'operator' | 'former' | 'variant' | 'fuzzy';

export interface StreetCandidate {
  streetId: number;
  type: string;
  nameKey: string;
  method: StreetMethod;
}

export interface RankedStreet {
  streetId: number;
  method: StreetMethod;
  confidence: number;
}

export interface StreetDecision {
  /** The street to match on, when the best candidate is sure and alone; otherwise null. */
  pick: RankedStreet | null;
  ranked: RankedStreet[];
  /**
   * Streets of one name that tie, none picked («Бучми 3» with вулиця and провулок Бучми and no
   * type in the file): the register decides, when exactly one of them has the house and flat.
   */
  tied: RankedStreet[];
  reason: { uk: string; en: string } | null;
}

const BASE: Record<StreetMethod, number> = { exact: 1, translit: 1, operator: 1, former: 0.98, variant: 0.98, fuzzy: 1 };

/** A single substitution or transposition scores at least this, however short the name («Мару» → «Миру»). */
export const ONE_SLIP_CONFIDENCE = 0.9;

/**
 * Confidence of one candidate:
 * - exact keys, Latin transliteration and operator-confirmed spellings: 1; former names: 0.98;
 * - fuzzy: 1 − edit distance ÷ length, at least {@link ONE_SLIP_CONFIDENCE} for one substituted
 *   or transposed letter, and at most 0.75 when the two differ only in their last letters — a
 *   grammatical ending, which names a different street (Київська / Київський); for one slip,
 *   only when it changes the last letter (Хмельницька / Хмельницьке);
 * - a street type that contradicts the file's (пров. vs вул.): × 0.8; no type in the file: × 0.97,
 *   so that two streets of one name and different types never decide alone.
 */
export function streetConfidence(spelling: { streetType: string | null; streetKey: string }, c: StreetCandidate): number {
  let confidence = BASE[c.method];
  if (c.method === 'fuzzy') {
    confidence = keySimilarity(spelling.streetKey, c.nameKey);
    const oneSlip = [...spelling.streetKey].length === [...c.nameKey].length && editDistance(spelling.streetKey, c.nameKey) === 1;
    if (oneSlip) confidence = Math.max(confidence, ONE_SLIP_CONFIDENCE);
    // One slip inside the word is a typo; a changed last letter may be another form (Хмельницька/Хмельницьке).
    const ending = oneSlip ? [...spelling.streetKey].at(-1) !== [...c.nameKey].at(-1) : differOnlyInEnding(spelling.streetKey, c.nameKey);
    if (confidence < 1 && ending) confidence = Math.min(confidence, 0.75);
  }
  if (spelling.streetType === null) confidence *= 0.97;
  else if (spelling.streetType !== c.type) confidence *= 0.8;
  return Math.round(confidence * 1000) / 1000;
}

/** The two keys share everything but their last (up to three) letters: «київська» / «київський». */
function differOnlyInEnding(a: string, b: string): boolean {
  const x = [...a];
  const y = [...b];
  let common = 0;
  while (common < x.length && common < y.length && x[common] === y[common]) common++;
  return common >= 3 && common >= Math.max(x.length, y.length) - 3;
}

/** A street of the register as the fuzzy search sees it. */
export interface RegisterStreet {
  streetId: number;
  type: string;
  nameKey: string;
}

/**
 * The streets within `maxDistance` edits of a spelling: the candidates pg_trgm misses when a name
 * is short (one typo in «миру» leaves almost no trigram in common).
 */
export function nearStreets(streetKey: string, streets: RegisterStreet[], maxDistance = 2): StreetCandidate[] {
  const length = [...streetKey].length;
  const out: StreetCandidate[] = [];
  for (const st of streets) {
    if (Math.abs([...st.nameKey].length - length) > maxDistance) continue;
    if (editDistance(streetKey, st.nameKey) <= maxDistance) out.push({ ...st, method: 'fuzzy' });
  }
  return out;
}

export function decideStreet(spelling: { streetType: string | null; streetKey: string }, candidates: StreetCandidate[]): StreetDecision {
  const best = new Map<number, RankedStreet>();
  for (const c of candidates) {
    const confidence = streetConfidence(spelling, c);
    const prev = best.get(c.streetId);
    if (!prev || confidence > prev.confidence) best.set(c.streetId, { streetId: c.streetId, method: c.method, confidence });
  }
  const ranked = [...best.values()].sort((a, b) => b.confidence - a.confidence || a.streetId - b.streetId);
  const [top, second] = ranked;
  if (!top) return { pick: null, ranked, tied: [], reason: { uk: 'вулицю не знайдено в реєстрі', en: 'the street is not in the registry' } };
  if (top.confidence < MATCH_THRESHOLD) {
    return {
      pick: null,
      ranked,
      tied: [],
      reason: {
        uk: `вулицю впізнано невпевнено (${Math.round(top.confidence * 100)}% < ${MATCH_THRESHOLD * 100}%)`,
        en: `the street is recognised with low confidence (${Math.round(top.confidence * 100)}% < ${MATCH_THRESHOLD * 100}%)`,
      },
    };
  }
  const several = { pick: null, ranked, tied: [], reason: { uk: 'кілька вулиць підходять однаково', en: 'several streets fit equally well' } };
  if (second && top.confidence - second.confidence < MATCH_MARGIN - 1e-9) {
    const tied = ranked.filter((r) => r.confidence === top.confidence);
    const nameOf = (r: RankedStreet) => candidates.find((c) => c.streetId === r.streetId)!.nameKey;
    const sameName = tied.every((r) => r.method !== 'fuzzy' && nameOf(r) === nameOf(top));
    return sameName && tied.length === ranked.filter((r) => top.confidence - r.confidence < MATCH_MARGIN - 1e-9).length ? { ...several, tied } : several;
  } // 0.9 − 0.8 is 0.0999… in floating point
  // A guessed street must be the closest by edits too: a capped ending can rank a farther street first.
  if (top.method === 'fuzzy') {
    const distance = (c: StreetCandidate) => editDistance(spelling.streetKey, c.nameKey);
    const topDistance = Math.min(...candidates.filter((c) => c.streetId === top.streetId).map(distance));
    if (candidates.some((c) => c.streetId !== top.streetId && distance(c) <= topDistance)) return several;
  }
  return { pick: top, ranked, tied: [], reason: null };
}
