/**
 * The order of the desk's hits. When the query names a flat («Київська 12а кв 2») that flat of
 * that house comes first, so Enter opens it: then the same flat in other houses of the number
 * («12/4, кв. 2»), then other premises, and the whole-building walks last. Without a flat the
 * building walk comes first (typing a house means the building).
 */
export interface RankedHit {
  kind: 'premise' | 'building';
  houseKey: string | null;
  premiseNumber: string | null;
}

/** How the address part of the query was understood (the registry search's `parsed`). */
export interface AskedFor {
  houseKey: string | null;
  apartment: string | null;
}

const same = (a: string | null, b: string | null) => a !== null && b !== null && a.replace(/[\s.-]/g, '').toLowerCase() === b.replace(/[\s.-]/g, '').toLowerCase();

function tier(hit: RankedHit, asked: AskedFor | null): number {
  if (!asked?.apartment) return hit.kind === 'building' ? 0 : 1;
  if (hit.kind === 'building') return 4;
  if (same(hit.premiseNumber, asked.apartment)) return same(hit.houseKey, asked.houseKey) ? 0 : 1;
  return 2;
}

/** The hits in the order shown; equal hits keep the order they came in (Array.sort is stable). */
export function rankDeskHits<T extends RankedHit>(hits: T[], asked: AskedFor | null): T[] {
  return hits
    .map((hit, index) => ({ hit, index, tier: tier(hit, asked) }))
    .sort((a, b) => a.tier - b.tier || a.index - b.index)
    .map((x) => x.hit);
}
