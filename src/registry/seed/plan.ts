/**
 * The synthetic city as pure functions of (scale, seed): streets, buildings, providers, and per
 * premise its flat, household and accounts. No I/O here except reading the bundled street list;
 * `seed.ts` streams what these functions produce into the database.
 *
 * Everything is regenerated on demand from per-item random streams (see random.ts), so the
 * writer can make one pass per table without holding a million rows in memory.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { edrpouCheckDigit, generateValidIban, makeUnifiedAccountNumber, rnokppCheckDigit } from '../../shared/identifiers';
import { SERVICE_CATALOGUE, type ServiceCode } from './catalogue';
import { houseKey as addressHouseKey, normaliseStreetName, streetSearchKeys, translitKey } from '../address';
import { FEMALE_NAMES, MALE_NAMES, SURNAMES } from './names';
import {
  BANK_CODES,
  PROVIDER_TEMPLATES,
  SCALE_NAMES,
  osbbAccountNumber,
  type ProviderGroup,
  type ScaleName,
} from './providers';
import { Random, streamFor } from './random';

export { SCALE_NAMES, type ScaleName };

export interface ScaleSpec {
  premises: number;
  accounts: number;
  providers: number;
  /** How many streets of the bundled list are used. */
  streets: number;
}

// Vinnytsia's ratio (1,030,000 accounts over 170,000 premises) holds at every scale.
const accountsFor = (premises: number) => Math.round((premises * 1_030_000) / 170_000);

export const SCALES: Record<ScaleName, ScaleSpec> = {
  tiny: { premises: 200, accounts: accountsFor(200), providers: 10, streets: 12 },
  demo: { premises: 2_000, accounts: accountsFor(2_000), providers: 16, streets: 60 },
  town: { premises: 20_000, accounts: accountsFor(20_000), providers: 28, streets: 300 },
  vinnytsia: { premises: 170_000, accounts: 1_030_000, providers: 45, streets: 10_000 },
};

export function isScale(s: string): s is ScaleName {
  return (SCALE_NAMES as readonly string[]).includes(s);
}

// ---------------------------------------------------------------------------------------------
// Bundled data (copied from shared/data, see source-data/README.md; not named data/, which .gitignore ignores)
// ---------------------------------------------------------------------------------------------

const dataDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'source-data');

export interface StreetSource {
  type: string;
  name: string;
  formerNames: string[];
}

let streetCache: StreetSource[] | undefined;

export function readStreets(): StreetSource[] {
  streetCache ??= (
    parse(fs.readFileSync(path.join(dataDir, 'vinnytsia-streets.csv'), 'utf8'), { columns: true, skip_empty_lines: true, trim: true }) as Array<
      Record<string, string>
    >
  ).map((r) => ({
    type: r.type,
    name: r.name,
    formerNames: r.former_names ? r.former_names.split(';').map((s) => s.trim()).filter(Boolean) : [],
  }));
  return streetCache;
}

export const COMMUNITY_NAME = 'Вінницька міська територіальна громада';

/** The community's own КАТОТТГ code: the category H (територіальна громада) row of the codifier. */
export function readCommunityKatottg(): string {
  const rows = parse(fs.readFileSync(path.join(dataDir, 'vinnytsia-katottg.csv'), 'utf8'), { columns: true, trim: true }) as Array<
    Record<string, string>
  >;
  const row = rows.find((r) => r.category === 'H');
  if (!row) throw new Error('vinnytsia-katottg.csv has no community (category H) row');
  return row.level3;
}

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

function planStreets(spec: ScaleSpec, seed: number): StreetPlan[] {
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

// ---------------------------------------------------------------------------------------------
// Providers
// ---------------------------------------------------------------------------------------------

export interface ProviderPlan {
  ordinal: number;
  key: string;
  name: string;
  shortName: string;
  group: ProviderGroup;
  weight: number;
  edrpou: string;
  iban: string;
  phone: string;
  email: string;
  address: string;
  accountNumber(n: number): string;
}

function identityFor(rng: Random, used: Set<string>): { edrpou: string; iban: string } {
  let edrpou: string;
  do {
    // Legal entities registered since the 1990s mostly have codes starting 0–4.
    const body = String(rng.int(200_000, 4_499_999)).padStart(7, '0');
    edrpou = body + String(edrpouCheckDigit(body));
  } while (used.has(edrpou));
  used.add(edrpou);
  // 2600 is the balance account of a legal entity's current account.
  const iban = generateValidIban(rng.pick(BANK_CODES), `2600${rng.digits(10)}`);
  return { edrpou, iban };
}

// ---------------------------------------------------------------------------------------------
// Buildings
// ---------------------------------------------------------------------------------------------

export type BuildingKind = 'house' | 'small' | 'five' | 'nine' | 'sixteen';

export interface BuildingPlan {
  ordinal: number;
  street: StreetPlan;
  number: number;
  letter: string | null;
  fraction: string | null;
  block: string | null;
  houseKey: string;
  /** «12а», «12/2», «12 корп. 2»: for names of ОСББ and for people reading logs. */
  label: string;
  kind: BuildingKind;
  floors: number;
  flats: number;
  nonResidential: number;
  /** Ordinal of the building's first premise in the city. */
  firstPremise: number;
  totalArea: number;
  management: 'osbb' | 'company' | 'none';
  managementName: string | null;
  gas: boolean;
  centralHeating: boolean;
  hotWater: boolean;
  coldWater: boolean;
  sewerage: boolean;
  /** Households sign their own waste contract (otherwise waste is in the management fee). */
  wastePerPremise: boolean;
  intercom: boolean;
  parking: boolean;
  /** Providers chosen for the whole building, by group. */
  providers: Partial<Record<ProviderGroup, ProviderPlan>>;
}

export interface CityPlan {
  scale: ScaleName;
  spec: ScaleSpec;
  seed: number;
  communityId: number;
  streets: StreetPlan[];
  providers: ProviderPlan[];
  buildings: BuildingPlan[];
  premiseCount: number;
}

const KIND_WEIGHTS: ReadonlyArray<readonly [BuildingKind, number]> = [
  ['house', 0.945],
  ['small', 0.004],
  ['five', 0.026],
  ['nine', 0.022],
  ['sixteen', 0.003],
];

const round2 = (x: number) => Math.round(x * 100) / 100;

const houseKey = (h: { number: number; letter: string | null; fraction: string | null; block: string | null }) =>
  addressHouseKey({ number: h.number, letter: h.letter ?? undefined, fraction: h.fraction ?? undefined, block: h.block ?? undefined });

interface StreetNumbering {
  next: number;
  last: number | null;
  used: Set<string>;
}

function shape(kind: BuildingKind, rng: Random): { floors: number; flats: number } {
  switch (kind) {
    case 'house':
      return { floors: rng.int(1, 2), flats: 1 };
    case 'small': {
      const floors = rng.int(2, 3);
      return { floors, flats: floors * rng.int(1, 2) * 4 };
    }
    case 'five':
      return { floors: 5, flats: 5 * rng.int(4, 9) * rng.int(3, 4) };
    case 'nine':
      return { floors: 9, flats: 9 * rng.int(2, 5) * 4 };
    case 'sixteen':
      return { floors: 16, flats: 16 * rng.int(1, 3) * rng.int(4, 6) };
  }
}

/** Plans the whole city: cheap (no rows), deterministic for (scale, seed). */
export function planCity(scale: ScaleName, seed: number, communityId: number): CityPlan {
  const spec = SCALES[scale];
  const streets = planStreets(spec, seed);
  const rng = streamFor(seed, 'buildings');
  const providerRng = streamFor(seed, 'providers');
  const usedEdrpou = new Set<string>();
  const providers: ProviderPlan[] = [];
  const scaleRank = SCALE_NAMES.indexOf(scale);
  const streetAddress = () => {
    const s = providerRng.pick(streets);
    return `м. Вінниця, ${s.type} ${s.name}, ${providerRng.int(1, 120)}`;
  };
  const addProvider = (p: Omit<ProviderPlan, 'ordinal' | 'edrpou' | 'iban' | 'phone' | 'email' | 'address'>) => {
    const plan: ProviderPlan = {
      ...p,
      ordinal: providers.length,
      ...identityFor(providerRng, usedEdrpou),
      phone: `+380432${providerRng.digits(6)}`,
      email: `${p.key}@example.com`,
      address: streetAddress(),
    };
    providers.push(plan);
    return plan;
  };
  for (const tpl of PROVIDER_TEMPLATES) {
    if (SCALE_NAMES.indexOf(tpl.from) > scaleRank) continue;
    addProvider({ key: tpl.key, name: tpl.name, shortName: tpl.shortName, group: tpl.group, weight: tpl.weight, accountNumber: tpl.accountNumber });
  }
  let osbbQuota = Math.max(0, spec.providers - providers.length);
  const byGroup = (group: ProviderGroup) => providers.filter((p) => p.group === group);
  const choose = (group: ProviderGroup, r: Random) => r.weighted(byGroup(group).map((p) => [p, p.weight] as const));

  const numbering = new Map<number, StreetNumbering>();
  const numberingOf = (street: StreetPlan) => {
    let n = numbering.get(street.ordinal);
    if (!n) numbering.set(street.ordinal, (n = { next: 1, last: null, used: new Set() }));
    return n;
  };
  const blockStreets = streets.filter((s) => s.blockWeight > 0).map((s) => [s, s.blockWeight] as const);
  const houseStreets = streets.map((s) => [s, s.houseWeight] as const);

  const buildings: BuildingPlan[] = [];
  let premiseCount = 0;
  while (premiseCount < spec.premises) {
    const first = buildings.length === 0;
    const remaining = spec.premises - premiseCount;
    let kind: BuildingKind = first ? 'nine' : rng.weighted(KIND_WEIGHTS);
    // The last few premises are private houses, so that the total comes out exact.
    if (!first && remaining < 60) kind = 'house';
    const street = first ? streets[0] : rng.weighted(kind === 'house' ? houseStreets : blockStreets);
    const num = numberingOf(street);
    let number: number;
    let letter: string | null = null;
    let fraction: string | null = null;
    let block: string | null = null;
    if (first) {
      number = KYIVSKA.number;
      letter = KYIVSKA.letter;
    } else {
      const variant = num.last === null ? 'plain' : rng.weighted([['plain', 0.88], ['letter', 0.06], ['fraction', 0.03], ['block', 0.03]] as const);
      number = variant === 'plain' ? num.next : num.last!;
      if (variant === 'letter') letter = rng.pick(['а', 'б', 'в']);
      if (variant === 'fraction') fraction = String(rng.int(1, 4));
      if (variant === 'block') block = String(rng.int(1, 3));
    }
    let key = houseKey({ number, letter, fraction, block });
    if (num.used.has(key)) {
      // Taken already (e.g. 12а on Київська): take the next plain number instead.
      number = num.next;
      letter = fraction = block = null;
      key = houseKey({ number, letter, fraction, block });
    }
    num.used.add(key);
    if (number >= num.next) {
      num.last = number;
      num.next = number + rng.int(1, 2);
    }

    const { floors, flats: plannedFlats } = shape(kind, rng);
    const isBlock = kind !== 'house';
    const nonResidential = isBlock && street.blockWeight >= 1 && rng.chance(0.4) ? rng.int(1, 4) : 0;
    const flats = Math.min(plannedFlats, remaining - nonResidential);
    const label = `${number}${letter ?? ''}${fraction ? `/${fraction}` : ''}${block ? ` корп. ${block}` : ''}`;

    let management: BuildingPlan['management'] = 'none';
    let managementName: string | null = null;
    const providersOfBuilding: BuildingPlan['providers'] = {};
    if (isBlock) {
      management = first ? 'osbb' : rng.weighted([['osbb', 0.4], ['company', 0.5], ['none', 0.1]] as const);
      if (management === 'osbb') {
        managementName = `ОСББ «${street.name} ${label}»`;
        // Only some ОСББ bill through the platform: each of them is a provider with its own ЄДРПОУ.
        if (osbbQuota > 0) {
          osbbQuota--;
          providersOfBuilding.osbb = addProvider({
            key: `osbb-${providers.length}`,
            name: `${managementName} (синтетичні дані)`,
            shortName: managementName,
            group: 'osbb',
            weight: 1,
            accountNumber: osbbAccountNumber,
          });
        }
      } else if (management === 'company') {
        providersOfBuilding.management = choose('management', rng);
        managementName = providersOfBuilding.management.shortName;
      }
    }
    const gasChance = { house: 0.85, small: 0.95, five: 0.75, nine: 0.55, sixteen: 0.05 }[kind];
    // Київська 12а always has the usual services of a Soviet nine-storey block, so that the
    // acceptance test's building (and a tiny city, which is mostly that building) looks the same
    // whatever the seed.
    const gas = first || rng.chance(gasChance);
    const centralHeating = first || (isBlock && rng.chance(0.93));
    const hotWater = !first && centralHeating && rng.chance(0.2);
    const coldWater = isBlock || rng.chance(0.75);
    const sewerage = isBlock || (coldWater && rng.chance(0.6));
    const wastePerPremise = !first && (isBlock ? rng.chance(0.3) : rng.chance(0.9));
    const intercom = first || (isBlock && rng.chance(0.35));
    const parking = first || ((kind === 'nine' || kind === 'sixteen') && rng.chance(0.4));
    providersOfBuilding.gas_distribution = choose('gas_distribution', rng);
    providersOfBuilding.water = choose('water', rng);
    providersOfBuilding.heat = choose('heat', rng);
    providersOfBuilding.waste = choose('waste', rng);
    if (intercom) providersOfBuilding.intercom = choose('intercom', rng);
    if (parking) providersOfBuilding.parking = choose('parking', rng);

    const building: BuildingPlan = {
      ordinal: buildings.length,
      street,
      number,
      letter,
      fraction,
      block,
      houseKey: key,
      label,
      kind,
      floors,
      flats,
      nonResidential,
      firstPremise: premiseCount,
      totalArea: 0,
      management,
      managementName,
      gas,
      centralHeating,
      hotWater,
      coldWater,
      sewerage,
      wastePerPremise,
      intercom,
      parking,
      providers: providersOfBuilding,
    };
    let area = 0;
    for (let i = 0; i < flats + nonResidential; i++) area += premiseOf(seed, building, i).totalArea;
    // Stairwells, corridors and basements: about a fifth on top of the premises.
    building.totalArea = round2(isBlock ? area * 1.2 : area);
    buildings.push(building);
    premiseCount += flats + nonResidential;
  }
  return { scale, spec, seed, communityId, streets, providers, buildings, premiseCount };
}

// ---------------------------------------------------------------------------------------------
// Premises
// ---------------------------------------------------------------------------------------------

export interface PremisePlan {
  /** Index inside the building (0-based). */
  index: number;
  number: string | null;
  /** Unique inside the building: '' for a private house, '5' for кв. 5, 'п1' for прим. 1. */
  apartmentKey: string;
  kind: 'residential' | 'non_residential';
  totalArea: number;
  heatedArea: number;
  rooms: number;
}


const FLAT_AREAS: Record<number, readonly [number, number]> = { 1: [28, 38], 2: [42, 56], 3: [58, 75], 4: [76, 98] };

/** The i-th premise of a building: flats first (кв. 1…n), then non-residential premises (прим. 1…). */
export function premiseOf(seed: number, building: BuildingPlan, index: number): PremisePlan {
  const rng = streamFor(seed, 'premise', building.firstPremise + index);
  if (building.kind === 'house') {
    const totalArea = round2(rng.float(60, 180));
    return { index, number: null, apartmentKey: '', kind: 'residential', totalArea, heatedArea: round2(totalArea * rng.float(0.85, 1)), rooms: rng.int(2, 6) };
  }
  if (index < building.flats) {
    const rooms = rng.weighted([[1, 0.3], [2, 0.4], [3, 0.25], [4, 0.05]] as const);
    const [lo, hi] = FLAT_AREAS[rooms];
    const totalArea = round2(rng.float(lo, hi));
    // Loggias and balconies count in the total area but are not heated.
    return { index, number: String(index + 1), apartmentKey: String(index + 1), kind: 'residential', totalArea, heatedArea: round2(totalArea - rng.float(1.5, 4.5)), rooms };
  }
  const totalArea = round2(rng.float(18, 250));
  const k = index - building.flats + 1;
  return { index, number: `прим. ${k}`, apartmentKey: `п${k}`, kind: 'non_residential', totalArea, heatedArea: totalArea, rooms: rng.int(1, 4) };
}

/** The platform's number printed on the bill: community prefix, premise ordinal, Luhn digit. */
export function unifiedNumberOf(communityId: number, premiseOrdinal: number): string {
  return makeUnifiedAccountNumber((communityId % 100) * 10_000_000 + premiseOrdinal + 1);
}

// ---------------------------------------------------------------------------------------------
// Households: persons and registrations
// ---------------------------------------------------------------------------------------------

export interface PersonPlan {
  /** Ordinal of the person in the city. */
  ordinal: number;
  lastName: string;
  firstName: string;
  patronymic: string;
  rnokpp: string | null;
  phone: string | null;
  email: string | null;
  registeredFrom: string;
  registeredTo: string | null;
}

const DAY_MS = 86_400_000;
const RNOKPP_EPOCH = Date.UTC(1899, 11, 31);
/** "Today" of the synthetic city: fixed, so that a seed gives the same city on any day. */
const CITY_TODAY = Date.UTC(2026, 0, 1);
const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const yearsMs = (years: number) => years * 365.25 * DAY_MS;

const MOBILE_CODES = ['50', '63', '66', '67', '68', '73', '93', '95', '96', '97', '98', '99'];

/**
 * Persons of one city, premise by premise. One instance per pass: it remembers the РНОКПП it
 * issued so that none repeats, and counts persons so that ordinals run on across premises.
 */
export class Households {
  private readonly issued = new Set<string>();
  private nextOrdinal = 0;

  constructor(private readonly seed: number) {}

  of(building: BuildingPlan, premise: PremisePlan): PersonPlan[] {
    if (premise.kind !== 'residential') return [];
    const premiseOrdinal = building.firstPremise + premise.index;
    const rng = streamFor(this.seed, 'household', premiseOrdinal);
    const size = rng.weighted([[0, 0.06], [1, 0.2], [2, 0.3], [3, 0.25], [4, 0.13], [5, 0.06]] as const);
    const people: PersonPlan[] = [];
    const family = rng.pick(SURNAMES);
    const headMale = rng.chance(0.5);
    const headAge = rng.int(24, 85);
    const headBirth = CITY_TODAY - yearsMs(headAge) - rng.int(0, 364) * DAY_MS;
    const headName = headMale ? rng.pick(MALE_NAMES) : null;
    for (let k = 0; k < size; k++) {
      let male: boolean;
      let birth: number;
      let surname = family;
      let patronymicFrom = rng.pick(MALE_NAMES);
      if (k === 0) {
        male = headMale;
        birth = headBirth;
      } else if (k === 1) {
        male = rng.chance(0.85) ? !headMale : headMale;
        birth = headBirth + rng.int(-6, 6) * 365 * DAY_MS + rng.int(0, 364) * DAY_MS;
        if (rng.chance(0.2)) surname = rng.pick(SURNAMES);
      } else {
        male = rng.chance(0.5);
        // Children while the head is young enough; otherwise grown children or a parent.
        const childAge = headAge < 55 ? rng.int(0, Math.max(0, headAge - 20)) : rng.int(18, 40);
        birth = CITY_TODAY - yearsMs(childAge) - rng.int(0, 364) * DAY_MS;
        if (headName) patronymicFrom = headName;
      }
      birth = Math.min(birth, CITY_TODAY - 30 * DAY_MS);
      const age = (CITY_TODAY - birth) / yearsMs(1);
      const firstName = male ? (k === 0 && headName ? headName[0] : rng.pick(MALE_NAMES)[0]) : rng.pick(FEMALE_NAMES);
      const rnokpp = rng.chance(age >= 14 ? 0.8 : 0.3) ? this.rnokpp(rng, birth, male) : null;
      // Adults registered here at some point after coming of age; children mostly since birth.
      const earliest = Math.max(birth + (age >= 18 ? yearsMs(18) : 0), Date.UTC(1992, 0, 1));
      const from = earliest + Math.floor(rng.next() * Math.max(0, Date.UTC(2025, 11, 1) - earliest));
      people.push({
        ordinal: this.nextOrdinal++,
        lastName: male ? surname[0] : surname[1],
        firstName,
        patronymic: male ? patronymicFrom[1] : patronymicFrom[2],
        rnokpp,
        phone: age >= 14 && rng.chance(0.55) ? `+380${rng.pick(MOBILE_CODES)}${rng.digits(7)}` : null,
        email: age >= 16 && rng.chance(0.12) ? `resident${premiseOrdinal + 1}.${k + 1}@example.com` : null,
        registeredFrom: isoDate(from - (from % DAY_MS)),
        registeredTo: null,
      });
    }
    // Some premises had a resident who has since moved out: registrations are dated.
    if (rng.chance(0.06)) {
      const male = rng.chance(0.5);
      const surname = rng.pick(SURNAMES);
      const from = Date.UTC(1995, 0, 1) + rng.int(0, 20 * 365) * DAY_MS;
      const to = Math.min(from + rng.int(200, 3650) * DAY_MS, Date.UTC(2025, 10, 30));
      const father = rng.pick(MALE_NAMES);
      people.push({
        ordinal: this.nextOrdinal++,
        lastName: male ? surname[0] : surname[1],
        firstName: male ? rng.pick(MALE_NAMES)[0] : rng.pick(FEMALE_NAMES),
        patronymic: male ? father[1] : father[2],
        rnokpp: null,
        phone: null,
        email: null,
        registeredFrom: isoDate(from),
        registeredTo: isoDate(to),
      });
    }
    return people;
  }

  /** Digits 1–5: days since 1899-12-31; 6–8: a serial; 9: odd for men; 10: check digit. */
  private rnokpp(rng: Random, birth: number, male: boolean): string | null {
    const days = String(Math.round((birth - RNOKPP_EPOCH) / DAY_MS)).padStart(5, '0');
    for (let attempt = 0; attempt < 20; attempt++) {
      const sexDigit = 2 * rng.int(0, 4) + (male ? 1 : 0);
      const body = days + rng.digits(3) + String(sexDigit);
      const code = body + String(rnokppCheckDigit(body));
      if (!this.issued.has(code)) {
        this.issued.add(code);
        return code;
      }
    }
    return null;
  }
}

// ---------------------------------------------------------------------------------------------
// Accounts
// ---------------------------------------------------------------------------------------------

export interface AccountPlan {
  service: ServiceCode;
  provider: ProviderPlan;
  number: string;
  openedOn: string;
}

/**
 * The accounts of each premise, premise by premise. Which services a premise has follows its
 * building (gas, central heating…). To end with exactly `spec.accounts`, a first pass counts the
 * natural total and the premises that can take one more optional service (or lose their least
 * essential one); the difference is then spread evenly over those premises.
 * One instance per pass (it numbers each provider's customers in order).
 */
export class Accounts {
  private produced = 0;
  private readonly customers = new Map<number, number>();
  private readonly choose: (group: ProviderGroup, rng: Random) => ProviderPlan;
  /** Per premise ordinal: how many services to add (+) or drop (−) against its natural set. */
  private readonly nudge: Int8Array;

  constructor(private readonly plan: CityPlan) {
    const groups = new Map<ProviderGroup, Array<readonly [ProviderPlan, number]>>();
    for (const p of plan.providers) {
      if (!groups.has(p.group)) groups.set(p.group, []);
      groups.get(p.group)!.push([p, p.weight]);
    }
    this.choose = (group, rng) => rng.weighted(groups.get(group)!);
    this.nudge = this.balance();
  }

  /** The services a premise has by nature, most essential first, and those it could add. */
  private servicesOf(b: BuildingPlan, premise: PremisePlan, rng: Random) {
    const flat = premise.kind === 'residential';
    const services: Array<readonly [ServiceCode, ProviderGroup]> = [['electricity', 'electricity']];
    const optional: Array<readonly [ServiceCode, ProviderGroup]> = [];
    const add = (yes: boolean, service: ServiceCode, group: ProviderGroup) => {
      if (yes) services.push([service, group]);
      // Only services a premise may or may not have signed for are optional: water for private
      // houses (a well), waste, parking.
      else if (b.kind === 'house' || service === 'waste' || service === 'parking') optional.push([service, group]);
    };
    add(b.coldWater, 'cold_water', 'water');
    add(b.sewerage, 'sewerage', 'water');
    if (flat && b.gas) services.push(['gas_supply', 'gas_supply'], ['gas_distribution', 'gas_distribution']);
    if (b.centralHeating) services.push(['heating', 'heat']);
    if (flat && b.hotWater) services.push(['hot_water', 'heat']);
    if (b.providers.osbb) services.push(['osbb_dues', 'osbb']);
    if (b.providers.management) services.push(['building_management', 'management']);
    add(b.wastePerPremise || !flat, 'waste', 'waste');
    if (flat && b.intercom) services.push(['intercom', 'intercom']);
    if (flat && b.parking) add(rng.chance(0.08), 'parking', 'parking');
    return { services, optional };
  }

  private balance(): Int8Array {
    const { seed, spec, buildings } = this.plan;
    const natural = new Uint8Array(spec.premises);
    const room = new Uint8Array(spec.premises);
    let total = 0;
    for (const b of buildings) {
      for (let i = 0; i < b.flats + b.nonResidential; i++) {
        const ordinal = b.firstPremise + i;
        const { services, optional } = this.servicesOf(b, premiseOf(seed, b, i), streamFor(seed, 'accounts', ordinal));
        natural[ordinal] = services.length;
        room[ordinal] = optional.length;
        total += services.length;
      }
    }
    const nudge = new Int8Array(spec.premises);
    const missing = spec.accounts - total;
    const eligible: number[] = [];
    for (let i = 0; i < spec.premises; i++) if (missing > 0 ? room[i] > 0 : natural[i] > 1) eligible.push(i);
    const need = Math.abs(missing);
    if (need > 0 && eligible.length === 0) throw new Error(`cannot reach ${spec.accounts} accounts (natural total ${total})`);
    // Spread |missing| steps evenly: eligible premise j gets ⌊(j+1)·need/E⌋ − ⌊j·need/E⌋ of them,
    // within its room; a second sweep places what did not fit.
    const cap = (i: number) => (missing > 0 ? room[i] : natural[i] - 1);
    let left = need;
    eligible.forEach((i, j) => {
      const want = Math.floor(((j + 1) * need) / eligible.length) - Math.floor((j * need) / eligible.length);
      nudge[i] = Math.min(cap(i), want);
      left -= nudge[i];
    });
    for (let j = 0; j < eligible.length && left > 0; j++) {
      const i = eligible[j];
      const more = Math.min(cap(i) - nudge[i], left);
      nudge[i] += more;
      left -= more;
    }
    if (left > 0) throw new Error(`cannot reach ${spec.accounts} accounts (natural total ${total})`);
    if (missing < 0) for (const i of eligible) nudge[i] = -nudge[i];
    return nudge;
  }

  of(building: BuildingPlan, premise: PremisePlan): AccountPlan[] {
    const premiseOrdinal = building.firstPremise + premise.index;
    const rng = streamFor(this.plan.seed, 'accounts', premiseOrdinal);
    const { services, optional } = this.servicesOf(building, premise, rng);
    const nudge = this.nudge[premiseOrdinal];
    for (let k = 0; k < nudge; k++) services.push(optional[k]);
    for (let k = 0; k < -nudge; k++) services.pop();
    this.produced += services.length;

    const opened = Date.UTC(2008, 0, 1) + rng.int(0, 17 * 365) * DAY_MS;
    const numberAt = new Map<number, string>();
    const out: AccountPlan[] = [];
    for (const [service, group] of services) {
      const provider = building.providers[group] ?? this.choose(group, rng);
      let number = numberAt.get(provider.ordinal);
      if (number === undefined) {
        if (group === 'osbb') {
          number = provider.accountNumber(premise.index + 1);
        } else {
          const n = (this.customers.get(provider.ordinal) ?? 0) + 1;
          this.customers.set(provider.ordinal, n);
          number = provider.accountNumber(n);
        }
        // One provider, one customer number per premise (water and sewerage share it).
        numberAt.set(provider.ordinal, number);
      }
      out.push({ service, provider, number, openedOn: isoDate(opened + rng.int(0, 90) * DAY_MS) });
    }
    return out;
  }

  get total(): number {
    return this.produced;
  }
}

export { SERVICE_CATALOGUE };
