/** The accounts of each premise, balanced so that the city has exactly its scale's number. */
import type { ServiceCode } from '../catalogue';
import type { ProviderGroup } from '../providers';
import { streamFor, type Random } from '../random';
import type { BuildingPlan, CityPlan } from './buildings';
import { DAY_MS, isoDate } from './households';
import { premiseOf, type PremisePlan } from './premises';
import type { ProviderPlan } from './providers';

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
