import { sql } from 'kysely';
import type { DbOrTx } from '../db/index';

export interface RegistryCounts {
  buildings: number;
  premises: number;
  registeredPersons: number;
  openAccounts: number;
  providers: number;
  services: number;
}

export interface ServiceAccountCount {
  serviceId: number;
  code: string;
  nameUk: string;
  nameEn: string;
  openAccounts: number;
}

/** How big the community's registry is: one row of counts, each a plain count(*). */
export async function registryCounts(db: DbOrTx, communityId: number, today: string): Promise<RegistryCounts> {
  const count = (table: 'building' | 'premise' | 'provider' | 'service') =>
    db.selectFrom(table).where('community_id', '=', communityId).select(sql<number>`count(*)`.as('n'));
  const row = await db
    .selectNoFrom((eb) => [
      eb.selectFrom(count('building').as('c')).select('c.n').as('buildings'),
      eb.selectFrom(count('premise').as('c')).select('c.n').as('premises'),
      eb.selectFrom(count('provider').as('c')).select('c.n').as('providers'),
      eb.selectFrom(count('service').as('c')).select('c.n').as('services'),
      eb
        .selectFrom('registration')
        .where('community_id', '=', communityId)
        .where('registered_from', '<=', today)
        .where((w) => w.or([w('registered_to', 'is', null), w('registered_to', '>=', today)]))
        .select(sql<number>`count(distinct person_id)`.as('n'))
        .as('registeredPersons'),
      eb
        .selectFrom('account')
        .where('community_id', '=', communityId)
        .where((w) => w.or([w('closed_on', 'is', null), w('closed_on', '>=', today)]))
        .select(sql<number>`count(*)`.as('n'))
        .as('openAccounts'),
    ])
    .executeTakeFirstOrThrow();
  return {
    buildings: Number(row.buildings ?? 0),
    premises: Number(row.premises ?? 0),
    registeredPersons: Number(row.registeredPersons ?? 0),
    openAccounts: Number(row.openAccounts ?? 0),
    providers: Number(row.providers ?? 0),
    services: Number(row.services ?? 0),
  };
}

/** Open accounts per service of the catalogue (services without accounts show 0), in bill order. */
export async function openAccountsByService(db: DbOrTx, communityId: number, today: string): Promise<ServiceAccountCount[]> {
  const rows = await db
    .selectFrom('service as s')
    .leftJoin('account as a', (join) =>
      join
        .onRef('a.community_id', '=', 's.community_id')
        .onRef('a.service_id', '=', 's.service_id')
        .on((w) => w.or([w('a.closed_on', 'is', null), w('a.closed_on', '>=', today)])),
    )
    .where('s.community_id', '=', communityId)
    .groupBy(['s.service_id', 's.code', 's.name_uk', 's.name_en', 's.sort_order'])
    .orderBy('s.sort_order')
    .orderBy('s.service_id')
    .select(['s.service_id', 's.code', 's.name_uk', 's.name_en', sql<number>`count(a.account_id)`.as('open_accounts')])
    .execute();
  return rows.map((row) => ({
    serviceId: row.service_id,
    code: row.code,
    nameUk: row.name_uk,
    nameEn: row.name_en,
    openAccounts: Number(row.open_accounts),
  }));
}
