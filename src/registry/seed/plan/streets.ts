/** The city's streets: which of the bundled list are used, with their search keys and weights. */
import { normaliseStreetName, streetSearchKeys, translitKey } from '../../address';
import { streamFor } from '../random';
import type { ScaleSpec } from './scales';
import { readStreets, type StreetSource } from './source-data';

// ---------------------------------------------------------------------------------------------
// Streets
// ---------------------------------------------------------------------------------------------

export interface StreetPlan {
  ordinal: number;
  type: string;
  name: string;
  nameKey: string;
  translitKey: string;
  formerNames: string[];
  /** Search keys of the former names (Cyrillic and Latin), for street_alias with source 'former'. */
  formerKeys: string[];
  /** Other keys of the current name (without initials: «В. Винниченка» → 'винниченка'). */
  variantKeys: string[];
  postalCode: string;
  /** Weight of the street when placing blocks of flats, and when placing private houses. */
  blockWeight: number;
  houseWeight: number;
}

const BLOCK_WEIGHT: Record<string, number> = { проспект: 8, бульвар: 4, шосе: 2, вулиця: 1.5, площа: 1 };
const HOUSE_WEIGHT: Record<string, number> = { провулок: 2, тупик: 2, масив: 3, вулиця: 1, шосе: 0.5, площа: 0.2, проспект: 0.1, бульвар: 0.1 };

/** The street the acceptance test searches for («київська 12а»), always the first street. */
export const KYIVSKA = { type: 'вулиця', name: 'Київська', number: 12, letter: 'а' } as const;

export function planStreets(spec: ScaleSpec, seed: number): StreetPlan[] {
  const all = readStreets();
  const rng = streetRng(seed);
  const isKyivska = (s: StreetSource) => s.type === KYIVSKA.type && s.name === KYIVSKA.name;
  const kyivska = all.find(isKyivska);
  if (!kyivska) throw new Error('the street list has no вулиця Київська');
  // Renamed streets come early so that even small cities exercise search by former names.
  const renamed = rng.shuffle(all.filter((s) => s.formerNames.length > 0 && !isKyivska(s)));
  const others = rng.shuffle(all.filter((s) => s.formerNames.length === 0 && !isKyivska(s)));
  const renamedCount = Math.min(renamed.length, Math.max(2, Math.floor(spec.streets / 3)));
  const chosen = [kyivska, ...renamed.slice(0, renamedCount), ...others].slice(0, Math.min(spec.streets, all.length));
  return chosen.map((s, ordinal) => {
    const nameKey = normaliseStreetName(s.name);
    const key = translitKey(s.name);
    return {
      ordinal,
      type: s.type,
      name: s.name,
      nameKey,
      translitKey: key,
      formerNames: s.formerNames,
      formerKeys: [...new Set(s.formerNames.flatMap((f) => streetSearchKeys(f)))],
      variantKeys: streetSearchKeys(s.name).filter((k) => k !== nameKey && k !== key),
      // Vinnytsia's post offices are 21001–21050; which street has which code is not in the data.
      postalCode: `210${String(rng.int(1, 50)).padStart(2, '0')}`,
      blockWeight: (BLOCK_WEIGHT[s.type] ?? 0) * (isKyivska(s) ? 3 : 1),
      houseWeight: HOUSE_WEIGHT[s.type] ?? 0.5,
    };
  });
}

const streetRng = (seed: number) => streamFor(seed, 'streets');
