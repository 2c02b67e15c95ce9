/** The persons living in each premise, with their registrations. */
import { rnokppCheckDigit } from '../../../shared/identifiers';
import { FEMALE_NAMES, MALE_NAMES, SURNAMES } from '../names';
import { streamFor, type Random } from '../random';
import type { BuildingPlan } from './buildings';
import type { PremisePlan } from './premises';

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

export const DAY_MS = 86_400_000;
const RNOKPP_EPOCH = Date.UTC(1899, 11, 31);
/** "Today" of the synthetic city: fixed, so that a seed gives the same city on any day. */
const CITY_TODAY = Date.UTC(2026, 0, 1);
export const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);
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
