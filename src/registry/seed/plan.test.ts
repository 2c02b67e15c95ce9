import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isValidIban, isValidUnifiedAccountNumber, rnokppSex, validateEdrpou, validateRnokpp } from '../../shared/identifiers';
import { Accounts, Households, KYIVSKA, SCALES, planCity, premiseOf, unifiedNumberOf, type CityPlan } from './plan';
import { Random, streamFor } from './random';

/** Every row the seeder would write for a plan, as text (ids excluded: they depend on the database). */
function* cityLines(plan: CityPlan): Generator<string> {
  for (const s of plan.streets) yield `street|${s.type}|${s.name}|${s.nameKey}|${s.translitKey}|${s.formerKeys.join(',')}|${s.postalCode}`;
  for (const p of plan.providers) yield `provider|${p.name}|${p.edrpou}|${p.iban}|${p.phone}`;
  const households = new Households(plan.seed);
  const accounts = new Accounts(plan);
  for (const b of plan.buildings) {
    yield `building|${b.street.ordinal}|${b.houseKey}|${b.kind}|${b.floors}|${b.totalArea}|${b.management}|${b.managementName}`;
    for (let i = 0; i < b.flats + b.nonResidential; i++) {
      const p = premiseOf(plan.seed, b, i);
      yield `premise|${p.apartmentKey}|${p.kind}|${p.totalArea}|${p.heatedArea}|${p.rooms}|${unifiedNumberOf(plan.communityId, b.firstPremise + i)}`;
      for (const h of households.of(b, p)) yield `person|${h.lastName}|${h.firstName}|${h.patronymic}|${h.rnokpp}|${h.registeredFrom}|${h.registeredTo}`;
      for (const a of accounts.of(b, p)) yield `account|${a.service}|${a.provider.ordinal}|${a.number}|${a.openedOn}`;
    }
  }
}

const hashOf = (plan: CityPlan) => {
  const h = createHash('sha256');
  for (const line of cityLines(plan)) h.update(line + '\n');
  return h.digest('hex');
};

function collect(plan: CityPlan) {
  const households = new Households(plan.seed);
  const accounts = new Accounts(plan);
  const premises = [];
  const persons = [];
  const accountRows = [];
  for (const b of plan.buildings) {
    for (let i = 0; i < b.flats + b.nonResidential; i++) {
      const p = premiseOf(plan.seed, b, i);
      premises.push({ building: b, premise: p, ordinal: b.firstPremise + i });
      for (const h of households.of(b, p)) persons.push({ building: b, premise: p, person: h });
      for (const a of accounts.of(b, p)) accountRows.push({ building: b, premise: p, account: a });
    }
  }
  return { premises, persons, accounts: accountRows };
}

describe('seeded random streams', () => {
  it('repeats a sequence for the same seed and differs for another', () => {
    const draw = (seed: number) => Array.from({ length: 5 }, ((r) => () => r.next())(new Random(seed)));
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
    expect(streamFor(1, 'premise', 7).next()).toBe(streamFor(1, 'premise', 7).next());
    expect(streamFor(1, 'premise', 7).next()).not.toBe(streamFor(1, 'premise', 8).next());
    expect(streamFor(1, 'premise', 7).next()).not.toBe(streamFor(1, 'household', 7).next());
  });

  it('keeps int() within its bounds and next() in [0, 1)', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: 0, max: 1000 }), (seed, min, span) => {
        const r = new Random(seed);
        for (let i = 0; i < 20; i++) {
          const x = r.int(min, min + span);
          const f = r.next();
          if (x < min || x > min + span || !Number.isInteger(x) || f < 0 || f >= 1) return false;
        }
        return true;
      }),
    );
  });
});

describe('synthetic city plan', () => {
  it('is deterministic: the same seed gives the same rows, another seed other rows', () => {
    expect(hashOf(planCity('tiny', 7, 1))).toBe(hashOf(planCity('tiny', 7, 1)));
    expect(hashOf(planCity('tiny', 7, 1))).not.toBe(hashOf(planCity('tiny', 8, 1)));
  });

  it.each(['tiny', 'demo', 'town'] as const)('hits the %s scale exactly: premises, accounts, providers', (scale) => {
    const plan = planCity(scale, 3, 1);
    const { premises, accounts } = collect(plan);
    expect(plan.premiseCount).toBe(SCALES[scale].premises);
    expect(premises).toHaveLength(SCALES[scale].premises);
    expect(accounts).toHaveLength(SCALES[scale].accounts);
    expect(plan.providers).toHaveLength(SCALES[scale].providers);
  });

  it('gives vinnytsia 170,000 premises, 1,030,000 accounts (by the ratio) and at least 40 providers', () => {
    expect(SCALES.vinnytsia).toMatchObject({ premises: 170_000, accounts: 1_030_000 });
    expect(SCALES.vinnytsia.providers).toBeGreaterThanOrEqual(40);
    expect(SCALES.demo.premises).toBe(2_000);
  });

  it('opens Київська 12а first: a block of flats with accounts', () => {
    for (const scale of ['tiny', 'demo'] as const) {
      const plan = planCity(scale, 5, 1);
      const first = plan.buildings[0];
      expect([first.street.type, first.street.name, first.houseKey]).toEqual([KYIVSKA.type, KYIVSKA.name, '12а']);
      expect(first.flats).toBeGreaterThanOrEqual(60);
      const { accounts } = collect(plan);
      expect(accounts.filter((a) => a.building === first).length).toBeGreaterThan(first.flats * 3);
      // No other building on Київська takes the same key.
      expect(plan.buildings.filter((b) => b.street === first.street && b.houseKey === '12а')).toHaveLength(1);
    }
  });

  it('makes every ЄДРПОУ, IBAN, РНОКПП and unified account number valid, and none repeats', () => {
    const plan = planCity('demo', 11, 3);
    const { premises, persons } = collect(plan);
    for (const p of plan.providers) {
      expect(validateEdrpou(p.edrpou)).toEqual({ ok: true, value: p.edrpou });
      expect(isValidIban(p.iban)).toBe(true);
    }
    expect(new Set(plan.providers.map((p) => p.edrpou)).size).toBe(plan.providers.length);
    const codes = persons.map((p) => p.person.rnokpp).filter((c): c is string => c !== null);
    expect(codes.length).toBeGreaterThan(persons.length / 2);
    for (const c of codes) expect(validateRnokpp(c).ok).toBe(true);
    expect(new Set(codes).size).toBe(codes.length);
    const numbers = premises.map((p) => unifiedNumberOf(plan.communityId, p.ordinal));
    for (const n of numbers) expect(isValidUnifiedAccountNumber(n)).toBe(true);
    expect(new Set(numbers).size).toBe(numbers.length);
  });

  it('writes the sex into the РНОКПП as the person is named (male patronymic ↔ odd 9th digit)', () => {
    const { persons } = collect(planCity('tiny', 2, 1));
    for (const { person } of persons) {
      if (!person.rnokpp) continue;
      expect(rnokppSex(person.rnokpp)).toBe(person.patronymic.endsWith('ич') ? 'male' : 'female');
    }
  });

  it('has realistic buildings, areas and households', () => {
    const plan = planCity('town', 1, 1);
    const { premises, persons } = collect(plan);
    const flatsOf = (kind: string) => plan.buildings.filter((b) => b.kind === kind).map((b) => b.flats);
    expect(Math.min(...flatsOf('five'))).toBeGreaterThanOrEqual(60);
    expect(Math.max(...flatsOf('five'))).toBeLessThanOrEqual(180);
    expect(Math.min(...flatsOf('nine'))).toBeGreaterThanOrEqual(72);
    expect(Math.max(...flatsOf('nine'))).toBeLessThanOrEqual(180);
    expect(flatsOf('sixteen').length).toBeGreaterThan(0);
    expect(flatsOf('house').every((n) => n === 1)).toBe(true);
    const ranges: Record<number, [number, number]> = { 1: [28, 38], 2: [42, 56], 3: [58, 75] };
    const unrealistic = premises.filter(({ building, premise }) => {
      if (premise.heatedArea > premise.totalArea || premise.heatedArea <= 0) return true;
      if (building.kind === 'house') return premise.totalArea < 60 || premise.totalArea > 180;
      const range = ranges[premise.rooms];
      return premise.kind === 'residential' && range && (premise.totalArea < range[0] || premise.totalArea > range[1]);
    });
    expect(unrealistic).toEqual([]);
    expect(premises.some((p) => p.premise.kind === 'non_residential')).toBe(true);
    // Letters, fractions and blocks all occur among house numbers.
    expect(plan.buildings.some((b) => b.letter)).toBe(true);
    expect(plan.buildings.some((b) => b.fraction)).toBe(true);
    expect(plan.buildings.some((b) => b.block)).toBe(true);
    // 1–5 current residents per occupied flat; nobody lives in a non-residential premise.
    const current = new Map<object, number>();
    for (const { premise, person } of persons) {
      if (person.registeredTo === null) current.set(premise, (current.get(premise) ?? 0) + 1);
    }
    expect(persons.filter(({ premise }) => premise.kind !== 'residential')).toEqual([]);
    expect(persons.filter(({ person }) => person.registeredTo !== null && person.registeredTo < person.registeredFrom)).toEqual([]);
    expect(Math.min(...current.values())).toBe(1);
    expect(Math.max(...current.values())).toBe(5);
  });

  it('uses at least nine services, numbers accounts per provider without clashes', () => {
    const { accounts } = collect(planCity('demo', 4, 1));
    expect(new Set(accounts.map((a) => a.account.service)).size).toBeGreaterThanOrEqual(9);
    const keys = accounts.map((a) => `${a.account.provider.ordinal}|${a.account.service}|${a.account.number}`);
    expect(new Set(keys).size).toBe(keys.length);
    // Different providers number differently (their formats differ).
    const formatOf = (n: string) => n.replace(/\d/g, '9');
    const formats = new Set(accounts.filter((a) => a.account.provider.group !== 'osbb').map((a) => `${a.account.provider.ordinal}:${formatOf(a.account.number)}`));
    expect(new Set([...formats].map((f) => f.split(':')[1])).size).toBeGreaterThan(8);
  });
});
