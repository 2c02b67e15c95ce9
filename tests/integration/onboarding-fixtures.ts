/**
 * A small registry for the onboarding tests, built with the registry's own key functions, and
 * helpers to run imports. Streets include the traps of real data: a renamed street, a street and
 * a lane of the same name, a street and a lane whose names differ only in their ending.
 */
import type { DatabaseHandle, Db } from '../../src/db/index';
import { JobQueue } from '../../src/jobs/queue';
import { houseKey, normaliseStreetName, parseHouse, translitKey } from '../../src/registry/address';
import { generateValidIban } from '../../src/shared/identifiers';
import { IMPORT_JOB, importJob, runImportNow, type ImportRequest } from '../../src/onboarding/service';

export const COMMUNITY = 1;

export const STREETS = [
  { type: 'вулиця', name: 'Соборна', former: ['Леніна'], houses: ['12', '12а', '14'] },
  { type: 'проспект', name: 'Коцюбинського', former: [], houses: ['3', '5'] },
  { type: 'вулиця', name: 'Пирогова', former: [], houses: ['5/2', '7'] },
  { type: 'вулиця', name: 'Київська', former: [], houses: ['7'] },
  { type: 'провулок', name: 'Київський', former: [], houses: ['7', '9'] },
  { type: 'вулиця', name: 'Шевченка', former: [], houses: ['4'] },
  { type: 'провулок', name: 'Шевченка', former: [], houses: ['4'] },
  { type: 'вулиця', name: 'Миру', former: [], houses: ['1'] },
  // «1-5»: both house 1/5 (a private house, one premise without a number) and flat 5 of house 1.
  { type: 'вулиця', name: 'Замостянська', former: [], houses: ['1', '2'], privateHouses: ['1/5', '3/4'] },
] as const;
export const APARTMENTS = 20;

export interface Registry {
  providerId: number;
  /** premise id by 'type|name|house|apartment' */
  premise: (type: string, name: string, house: string, apartment: number | '') => number;
}

export async function seedRegistry(db: Db): Promise<Registry> {
  await db.insertInto('community').values({ community_id: COMMUNITY, name: 'Тестова громада', katottg: 'UA05020030010063857' }).execute();
  const provider = await db
    .insertInto('provider')
    .values({ community_id: COMMUNITY, edrpou: '32855961', iban: generateValidIban('302076', 1), name: 'Водоканал' })
    .returning('provider_id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('service')
    .values([
      { community_id: COMMUNITY, code: 'water', name_uk: 'Водопостачання', name_en: 'Water', unit: 'м³' },
      { community_id: COMMUNITY, code: 'sewerage', name_uk: 'Водовідведення', name_en: 'Sewerage', unit: 'м³' },
    ])
    .execute();
  const premises = new Map<string, number>();
  for (const s of STREETS) {
    const street = await db
      .insertInto('street')
      .values({ community_id: COMMUNITY, type: s.type, name: s.name, name_key: normaliseStreetName(s.name), translit_key: translitKey(s.name), former_names: [...s.former] })
      .returning('street_id')
      .executeTakeFirstOrThrow();
    for (const f of s.former) {
      await db.insertInto('street_alias').values({ community_id: COMMUNITY, alias_key: normaliseStreetName(f), street_id: street.street_id, source: 'former' }).execute();
    }
    for (const h of s.houses) {
      const house = parseHouse(h);
      if (!house.ok) throw new Error(h);
      const b = await db
        .insertInto('building')
        .values({
          community_id: COMMUNITY,
          street_id: street.street_id,
          number: house.value.number,
          letter: house.value.letter ?? null,
          fraction: house.value.fraction ?? null,
          house_key: houseKey(house.value),
        })
        .returning('building_id')
        .executeTakeFirstOrThrow();
      const rows = await db
        .insertInto('premise')
        .values(Array.from({ length: APARTMENTS }, (_, i) => ({ community_id: COMMUNITY, building_id: b.building_id, number: String(i + 1), apartment_key: String(i + 1) })))
        .returning(['premise_id', 'apartment_key'])
        .execute();
      for (const r of rows) premises.set(`${s.type}|${s.name}|${h}|${r.apartment_key}`, r.premise_id);
    }
    for (const h of 'privateHouses' in s ? s.privateHouses : []) {
      const house = parseHouse(h);
      if (!house.ok) throw new Error(h);
      const b = await db
        .insertInto('building')
        .values({ community_id: COMMUNITY, street_id: street.street_id, number: house.value.number, fraction: house.value.fraction ?? null, house_key: houseKey(house.value) })
        .returning('building_id')
        .executeTakeFirstOrThrow();
      const p = await db
        .insertInto('premise')
        .values({ community_id: COMMUNITY, building_id: b.building_id, number: null, apartment_key: '' })
        .returning('premise_id')
        .executeTakeFirstOrThrow();
      premises.set(`${s.type}|${s.name}|${h}|`, p.premise_id);
    }
  }
  return {
    providerId: provider.provider_id,
    premise: (type, name, house, apartment) => {
      const id = premises.get(`${type}|${name}|${house}|${apartment}`);
      if (id === undefined) throw new Error(`no premise ${type} ${name} ${house} ${apartment}`);
      return id;
    },
  };
}

export function importQueue(h: DatabaseHandle): JobQueue {
  const queue = new JobQueue(h);
  queue.register(IMPORT_JOB, importJob(h));
  return queue;
}

export function runImport(h: DatabaseHandle, queue: JobQueue, req: Omit<ImportRequest, 'communityId'>) {
  return runImportNow({ handle: h, jobs: queue }, { communityId: COMMUNITY, ...req });
}
