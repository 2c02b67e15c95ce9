/** The buildings of the city, and planCity, which plans streets, providers and buildings at once. */
import { houseKey } from '../../address';
import { PROVIDER_TEMPLATES, SCALE_NAMES, osbbAccountNumber, type ProviderGroup, type ScaleName } from '../providers';
import { streamFor, type Random } from '../random';
import { premiseOf, round2 } from './premises';
import { identityFor, type ProviderPlan } from './providers';
import { SCALES, type ScaleSpec } from './scales';
import { KYIVSKA, planStreets, type StreetPlan } from './streets';

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
    let key = houseKey({ number, letter: letter ?? undefined, fraction: fraction ?? undefined, block: block ?? undefined });
    if (num.used.has(key)) {
      // Taken already (e.g. 12а on Київська): take the next plain number instead.
      number = num.next;
      letter = fraction = block = null;
      key = houseKey({ number });
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
