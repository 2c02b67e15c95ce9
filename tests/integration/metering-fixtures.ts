/** A small community for the metering tests: one building of three flats, water and electricity. */
import type { Db } from '../../src/db/index';
import { createUser } from '../../src/auth/service';
import type { SessionUser } from '../../src/server/context';

export const PASSWORD = 'correct horse battery';

export interface MeteringWorld {
  buildingId: number;
  flats: number[];
  water: number;
  power: number;
  vodokanalId: number;
  energoId: number;
  operator: SessionUser;
  resident: SessionUser;
  vodokanal: SessionUser;
  energo: SessionUser;
}

export async function seedMeteringWorld(db: Db): Promise<MeteringWorld> {
  await db.insertInto('community').values({ community_id: 1, name: 'Тестова громада', katottg: 'UA05020030000031457' }).execute();
  const [vodokanal, energo] = await db
    .insertInto('provider')
    .values([
      { community_id: 1, edrpou: '32855961', iban: 'UA213223130000026007233566001', name: 'Водоканал' },
      { community_id: 1, edrpou: '00130694', iban: 'UA213223130000026007233566002', name: 'Енергозбут' },
    ])
    .returning('provider_id')
    .execute();
  const [water, power] = await db
    .insertInto('service')
    .values([
      { community_id: 1, code: 'cold_water', name_uk: 'Холодна вода', name_en: 'Cold water', unit: 'м³', metered: true, sort_order: 1 },
      { community_id: 1, code: 'electricity', name_uk: 'Електроенергія', name_en: 'Electricity', unit: 'кВт·год', metered: true, sort_order: 2 },
    ])
    .returning('service_id')
    .execute();
  const street = await db
    .insertInto('street')
    .values({ community_id: 1, type: 'вулиця', name: 'Соборна', name_key: 'соборна', translit_key: 'soborna' })
    .returning('street_id')
    .executeTakeFirstOrThrow();
  const building = await db
    .insertInto('building')
    .values({ community_id: 1, street_id: street.street_id, number: 5, house_key: '5' })
    .returning('building_id')
    .executeTakeFirstOrThrow();
  const flats = await db
    .insertInto('premise')
    .values(['1', '2', '10'].map((n) => ({ community_id: 1, building_id: building.building_id, number: n, apartment_key: n })))
    .returning('premise_id')
    .execute();
  await db
    .insertInto('unified_account')
    .values(flats.map((f, i) => ({ community_id: 1, premise_id: f.premise_id, number: `100000000${i}` })))
    .execute();
  // Each provider supplies its service to every flat (the meter rule: a provider's meters are those of
  // the services it supplies through an open account there).
  await db
    .insertInto('account')
    .values(
      flats.flatMap((f, i) => [
        { community_id: 1, provider_id: vodokanal!.provider_id, premise_id: f.premise_id, service_id: water!.service_id, number: `В-${i + 1}`, opened_on: '2020-01-01' },
        { community_id: 1, provider_id: energo!.provider_id, premise_id: f.premise_id, service_id: power!.service_id, number: `Е-${i + 1}`, opened_on: '2020-01-01' },
      ]),
    )
    .execute();
  const person = await db
    .insertInto('person')
    .values([
      { community_id: 1, last_name: 'Коваленко', first_name: 'Олена' },
      { community_id: 1, last_name: 'Коваленко', first_name: 'Петро' },
    ])
    .returning('person_id')
    .execute();
  await db
    .insertInto('registration')
    .values(person.map((p) => ({ community_id: 1, person_id: p.person_id, premise_id: flats[0]!.premise_id, registered_from: '2020-01-01' })))
    .execute();

  const user = async (login: string, role: SessionUser['role'], extra: { providerId?: number; premiseIds?: number[] } = {}): Promise<SessionUser> => {
    const userId = await createUser(db, { communityId: 1, login, password: PASSWORD, role, displayName: login, ...extra });
    return { userId, communityId: 1, login, displayName: login, role, providerId: extra.providerId ?? null };
  };
  return {
    buildingId: building.building_id,
    flats: flats.map((f) => f.premise_id),
    water: water!.service_id,
    power: power!.service_id,
    vodokanalId: vodokanal!.provider_id,
    energoId: energo!.provider_id,
    operator: await user('operator', 'operator'),
    resident: await user('resident', 'resident', { premiseIds: [flats[0]!.premise_id] }),
    vodokanal: await user('vodokanal', 'provider', { providerId: vodokanal!.provider_id }),
    energo: await user('energo', 'provider', { providerId: energo!.provider_id }),
  };
}
