import type { Db } from '../db/index';
import { requireRole, STAFF } from '../server/access';
import type { SessionUser } from '../server/context';
import { isValidUnifiedAccountNumber } from '../shared/identifiers';
import { normaliseStreetName, parseAddress, translitKey, streetSearchKeys, type ParsedAddress } from './address';
import * as repo from './repo';
import { displayAddress } from './service';

export interface AddressHit {
  kind: 'street' | 'building' | 'premise';
  /** 0…1: how well the street matched (1 = exact name); results come sorted already. */
  score: number;
  streetId: number;
  streetType: string;
  streetName: string;
  /** The street was found by a former name (it has been renamed since). */
  byFormerName: boolean;
  /** The street's former names, to show beside a hit found by one of them. */
  formerNames: string[];
  buildingId: number | null;
  houseKey: string | null;
  /** Set for premises, and for a private house with a single premise. */
  premiseId: number | null;
  apartment: string | null;
  unifiedAccount: string | null;
  postalCode: string | null;
  /** «вул. Київська, буд. 12а, кв. 5» */
  address: string;
}

export interface AddressSearch {
  /** How the text was understood; null when no street could be made out. */
  parsed: { streetName: string; streetType: string | null; houseKey: string | null; apartment: string | null } | null;
  items: AddressHit[];
}

const STREETS_CONSIDERED = 5;

/**
 * Address search as a person types: «київська 12а», «Kyivska 12-A», «вул. Київська, буд. 12-А,
 * кв. 5», a former street name, Latin look-alike letters, half-typed words, or a unified account
 * number. Returns premises (when an apartment was typed), then buildings, then streets.
 */
export async function searchAddresses(db: Db, actor: SessionUser, text: string, limit: number): Promise<AddressSearch> {
  requireRole(actor, ...STAFF, 'provider');
  const q = text.trim();
  if (q.length < 2) return { parsed: null, items: [] };

  const digits = q.replace(/\s+/g, '');
  if (/^\d{10}$/.test(digits) && isValidUnifiedAccountNumber(digits)) {
    const p = await repo.premiseByUnifiedAccount(db, actor.communityId, digits);
    if (p) {
      const house = { number: p.number, letter: p.letter, fraction: p.fraction, block: p.block };
      return {
        parsed: null,
        items: [
          {
            kind: 'premise',
            score: 1,
            streetId: p.street_id,
            streetType: p.type,
            streetName: p.name,
            byFormerName: false,
            formerNames: [],
            buildingId: p.building_id,
            houseKey: p.house_key,
            premiseId: p.premise_id,
            apartment: p.apartment,
            unifiedAccount: p.unified_account,
            postalCode: p.postal_code,
            address: displayAddress({ streetType: p.type, streetName: p.name, house, apartment: p.apartment }),
          },
        ],
      };
    }
  }

  const parsed = parseWhileTyping(q);
  if (!parsed) return { parsed: null, items: [] };
  const cyrillic = normaliseStreetName(parsed.streetName);
  const streets = await repo.matchStreets(
    db,
    actor.communityId,
    { keys: parsed.streetKeys, cyrillic, latin: translitKey(parsed.streetName), type: parsed.streetType },
    Math.max(limit, STREETS_CONSIDERED),
  );
  const streetRank = new Map(streets.map((s, i) => [s.street_id, i]));
  const streetOf = new Map(streets.map((s) => [s.street_id, s]));

  const items: AddressHit[] = [];
  const base = (s: repo.StreetMatch) => ({
    score: Math.min(1, Number(s.score)),
    streetId: s.street_id,
    streetType: s.type,
    streetName: s.name,
    byFormerName: s.by_alias,
    formerNames: s.former_names,
  });

  if (parsed.houseKey) {
    // Only streets that matched well enough to be what the person meant.
    const top = streets.filter((s, i) => i < STREETS_CONSIDERED && Number(s.score) >= Number(streets[0].score) - 0.25);
    const buildings = await repo.matchBuildings(db, actor.communityId, top.map((s) => s.street_id), parsed.houseKey, limit * 2);
    buildings.sort((a, b) => streetRank.get(a.street_id)! - streetRank.get(b.street_id)! || Number(b.exact) - Number(a.exact));
    const buildingHits = buildings.map((b): AddressHit => {
      const s = streetOf.get(b.street_id)!;
      return {
        kind: 'building',
        ...base(s),
        buildingId: b.building_id,
        houseKey: b.house_key,
        premiseId: b.house_premise_id,
        apartment: null,
        unifiedAccount: b.house_unified_account,
        postalCode: b.postal_code ?? s.postal_code,
        address: displayAddress({ streetType: s.type, streetName: s.name, house: b }),
      };
    });

    if (parsed.apartment) {
      const exactBuildings = buildings.filter((b) => b.exact);
      const within = (exactBuildings.length > 0 ? exactBuildings : buildings).slice(0, STREETS_CONSIDERED);
      const premises = await repo.matchPremises(db, actor.communityId, within.map((b) => b.building_id), parsed.apartment, limit);
      const buildingOf = new Map(buildings.map((b) => [b.building_id, b]));
      const order = new Map(within.map((b, i) => [b.building_id, i]));
      premises.sort((a, b) => Number(b.exact) - Number(a.exact) || order.get(a.building_id)! - order.get(b.building_id)!);
      for (const p of premises) {
        const b = buildingOf.get(p.building_id)!;
        const s = streetOf.get(b.street_id)!;
        items.push({
          kind: 'premise',
          ...base(s),
          buildingId: b.building_id,
          houseKey: b.house_key,
          premiseId: p.premise_id,
          apartment: p.number,
          unifiedAccount: p.unified_account,
          postalCode: b.postal_code ?? s.postal_code,
          address: displayAddress({ streetType: s.type, streetName: s.name, house: b, apartment: p.number }),
        });
      }
    }
    items.push(...buildingHits);
  }

  for (const s of streets) {
    items.push({
      kind: 'street',
      ...base(s),
      buildingId: null,
      houseKey: null,
      premiseId: null,
      apartment: null,
      unifiedAccount: null,
      postalCode: s.postal_code,
      address: displayAddress({ streetType: s.type, streetName: s.name }),
    });
  }

  return {
    parsed: {
      streetName: parsed.streetName,
      streetType: parsed.streetType ?? null,
      houseKey: parsed.houseKey ?? null,
      apartment: parsed.apartment ?? null,
    },
    items: items.slice(0, limit),
  };
}

/**
 * What the person means so far. Text typed half-way («київська 12-», «вул. Київська, буд.») may not
 * parse yet: drop trailing characters and then trailing words until it does.
 */
export function parseWhileTyping(text: string): ParsedAddress | undefined {
  let candidate = text.trim();
  for (let attempt = 0; attempt < 6 && candidate.length >= 2; attempt++) {
    const r = parseAddress(candidate);
    if (r.ok) return r.value;
    const trimmed = candidate.replace(/[\s,.;/\\№#-]+$/u, '');
    candidate = trimmed !== candidate ? trimmed : candidate.replace(/\s*\S+$/u, '');
  }
  const key = normaliseStreetName(text);
  if (key.length < 2) return undefined;
  return { streetName: key, streetKey: translitKey(key), streetKeys: streetSearchKeys(key) };
}
