import { sql } from 'kysely';
import type { DbOrTx } from '../db/index';
import type { RegistryTables } from './tables';

// ---------------------------------------------------------------------------------------------
// Providers
// ---------------------------------------------------------------------------------------------

const PROVIDER_COLUMNS = ['provider_id', 'edrpou', 'iban', 'name', 'short_name', 'phone', 'email', 'address'] as const;

export interface ProviderRow {
  provider_id: number;
  edrpou: string;
  iban: string;
  name: string;
  short_name: string | null;
  phone: string | null;
  email: string | null;
  address: string | null;
}

export type ProviderFields = Omit<ProviderRow, 'provider_id'>;

export async function listProviders(
  db: DbOrTx,
  communityId: number,
  filter: { onlyId?: number; afterName?: string; afterId?: number; q?: string },
  limit: number,
): Promise<ProviderRow[]> {
  let q = db.selectFrom('provider').select(PROVIDER_COLUMNS).where('community_id', '=', communityId);
  if (filter.onlyId !== undefined) q = q.where('provider_id', '=', filter.onlyId);
  if (filter.q) {
    const like = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where((eb) => eb.or([eb('name', 'ilike', like), eb('short_name', 'ilike', like), eb('edrpou', 'like', like)]));
  }
  if (filter.afterName !== undefined && filter.afterId !== undefined) {
    q = q.where(sql<boolean>`(name, provider_id) > (${filter.afterName}, ${filter.afterId})`);
  }
  return q.orderBy('name').orderBy('provider_id').limit(limit + 1).execute();
}

export async function findProvider(db: DbOrTx, communityId: number, providerId: number): Promise<ProviderRow | undefined> {
  return db
    .selectFrom('provider')
    .select(PROVIDER_COLUMNS)
    .where('community_id', '=', communityId)
    .where('provider_id', '=', providerId)
    .executeTakeFirst();
}

export async function providerIdByEdrpou(db: DbOrTx, communityId: number, edrpou: string): Promise<number | undefined> {
  const row = await db
    .selectFrom('provider')
    .select('provider_id')
    .where('community_id', '=', communityId)
    .where('edrpou', '=', edrpou)
    .executeTakeFirst();
  return row?.provider_id;
}

export async function insertProvider(db: DbOrTx, communityId: number, fields: ProviderFields): Promise<ProviderRow> {
  return db
    .insertInto('provider')
    .values({ community_id: communityId, ...fields })
    .returning(PROVIDER_COLUMNS)
    .executeTakeFirstOrThrow();
}

export async function updateProvider(db: DbOrTx, communityId: number, providerId: number, fields: Partial<ProviderFields>): Promise<ProviderRow> {
  return db
    .updateTable('provider')
    .set(fields)
    .where('community_id', '=', communityId)
    .where('provider_id', '=', providerId)
    .returning(PROVIDER_COLUMNS)
    .executeTakeFirstOrThrow();
}

export async function deleteProvider(db: DbOrTx, communityId: number, providerId: number): Promise<void> {
  await db.deleteFrom('provider').where('community_id', '=', communityId).where('provider_id', '=', providerId).execute();
}

/** Whether anything still refers to the provider (accounts, users), so it may not be deleted. */
export async function providerReferences(db: DbOrTx, communityId: number, providerId: number) {
  const row = await db
    .selectNoFrom((eb) => [
      eb
        .exists(eb.selectFrom('account').select('account_id').where('community_id', '=', communityId).where('provider_id', '=', providerId))
        .as('has_accounts'),
      eb
        .exists(eb.selectFrom('app_user').select('user_id').where('community_id', '=', communityId).where('provider_id', '=', providerId))
        .as('has_users'),
    ])
    .executeTakeFirstOrThrow();
  return { hasAccounts: Boolean(row.has_accounts), hasUsers: Boolean(row.has_users) };
}

export async function providerAccountCount(db: DbOrTx, communityId: number, providerId: number): Promise<number> {
  const row = await db
    .selectFrom('account')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('community_id', '=', communityId)
    .where('provider_id', '=', providerId)
    .executeTakeFirstOrThrow();
  return row.n;
}

// ---------------------------------------------------------------------------------------------
// Services catalogue
// ---------------------------------------------------------------------------------------------

const SERVICE_COLUMNS = ['service_id', 'code', 'name_uk', 'name_en', 'unit', 'metered', 'sort_order'] as const;

export interface ServiceRow {
  service_id: number;
  code: string;
  name_uk: string;
  name_en: string;
  unit: string;
  metered: boolean;
  sort_order: number;
}

export type ServiceFields = Omit<ServiceRow, 'service_id'>;

export async function listServices(db: DbOrTx, communityId: number): Promise<ServiceRow[]> {
  return db.selectFrom('service').select(SERVICE_COLUMNS).where('community_id', '=', communityId).orderBy('sort_order').orderBy('code').execute();
}

export async function findService(db: DbOrTx, communityId: number, serviceId: number): Promise<ServiceRow | undefined> {
  return db
    .selectFrom('service')
    .select(SERVICE_COLUMNS)
    .where('community_id', '=', communityId)
    .where('service_id', '=', serviceId)
    .executeTakeFirst();
}

export async function serviceIdByCode(db: DbOrTx, communityId: number, code: string): Promise<number | undefined> {
  const row = await db.selectFrom('service').select('service_id').where('community_id', '=', communityId).where('code', '=', code).executeTakeFirst();
  return row?.service_id;
}

export async function insertService(db: DbOrTx, communityId: number, fields: ServiceFields): Promise<ServiceRow> {
  return db
    .insertInto('service')
    .values({ community_id: communityId, ...fields })
    .returning(SERVICE_COLUMNS)
    .executeTakeFirstOrThrow();
}

export async function updateService(db: DbOrTx, communityId: number, serviceId: number, fields: Partial<ServiceFields>): Promise<ServiceRow> {
  return db
    .updateTable('service')
    .set(fields)
    .where('community_id', '=', communityId)
    .where('service_id', '=', serviceId)
    .returning(SERVICE_COLUMNS)
    .executeTakeFirstOrThrow();
}

export async function deleteService(db: DbOrTx, communityId: number, serviceId: number): Promise<void> {
  await db.deleteFrom('service').where('community_id', '=', communityId).where('service_id', '=', serviceId).execute();
}

export async function serviceHasAccounts(db: DbOrTx, communityId: number, serviceId: number): Promise<boolean> {
  const row = await db
    .selectFrom('account')
    .select('account_id')
    .where('community_id', '=', communityId)
    .where('service_id', '=', serviceId)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

// ---------------------------------------------------------------------------------------------
// Streets, buildings, premises
// ---------------------------------------------------------------------------------------------

export async function listStreets(db: DbOrTx, communityId: number, after: { nameKey: string; id: number } | undefined, limit: number) {
  let q = db
    .selectFrom('street as s')
    .select((eb) => [
      's.street_id',
      's.type',
      's.name',
      's.name_key',
      's.former_names',
      's.postal_code',
      eb
        .selectFrom('building as b')
        .select(sql<number>`count(*)::int`.as('n'))
        .whereRef('b.community_id', '=', 's.community_id')
        .whereRef('b.street_id', '=', 's.street_id')
        .as('building_count'),
    ])
    .where('s.community_id', '=', communityId);
  if (after) q = q.where(sql<boolean>`(s.name_key, s.street_id) > (${after.nameKey}, ${after.id})`);
  return q.orderBy('s.name_key').orderBy('s.street_id').limit(limit + 1).execute();
}

type BuildingTable = RegistryTables['building'];
export type BuildingRow = {
  building_id: number;
  street_id: number;
  street_type: string;
  street_name: string;
  number: number;
  letter: string | null;
  fraction: string | null;
  block: string | null;
  postal_code: string | null;
  total_area: string | null;
  floors: number | null;
  management: BuildingTable['management']['__select__'];
  management_name: string | null;
};

export async function findBuilding(db: DbOrTx, communityId: number, buildingId: number): Promise<BuildingRow | undefined> {
  return db
    .selectFrom('building as b')
    .innerJoin('street as s', (j) => j.onRef('s.community_id', '=', 'b.community_id').onRef('s.street_id', '=', 'b.street_id'))
    .select([
      'b.building_id',
      'b.street_id',
      's.type as street_type',
      's.name as street_name',
      'b.number',
      'b.letter',
      'b.fraction',
      'b.block',
      sql<string | null>`coalesce(b.postal_code, s.postal_code)`.as('postal_code'),
      'b.total_area',
      'b.floors',
      'b.management',
      'b.management_name',
    ])
    .where('b.community_id', '=', communityId)
    .where('b.building_id', '=', buildingId)
    .executeTakeFirst();
}

/**
 * The premises of a building with their unified account and how many accounts each has (only
 * one provider's when `providerId` is given), in natural apartment order (2 before 10), flats first.
 */
export async function buildingPremises(db: DbOrTx, communityId: number, buildingId: number, providerId?: number) {
  return db
    .selectFrom('premise as p')
    .leftJoin('unified_account as ua', (j) => j.onRef('ua.community_id', '=', 'p.community_id').onRef('ua.premise_id', '=', 'p.premise_id'))
    .select((eb) => [
      'p.premise_id',
      'p.number',
      'p.kind',
      'p.total_area',
      'p.rooms',
      'ua.number as unified_account',
      eb
        .selectFrom('account as a')
        .select(sql<number>`count(*)::int`.as('n'))
        .whereRef('a.community_id', '=', 'p.community_id')
        .whereRef('a.premise_id', '=', 'p.premise_id')
        .$if(providerId !== undefined, (q) => q.where('a.provider_id', '=', providerId!))
        .as('account_count'),
    ])
    .where('p.community_id', '=', communityId)
    .where('p.building_id', '=', buildingId)
    // Flats first, then non-residential premises («прим. 2» before «прим. 10»).
    .orderBy(sql`p.kind = 'non_residential'`)
    .orderBy(sql`nullif(substring(p.number from '[0-9]+'), '')::int nulls first`)
    .orderBy('p.number')
    .orderBy('p.premise_id')
    .execute();
}

export async function findPremise(db: DbOrTx, communityId: number, premiseId: number) {
  return db
    .selectFrom('premise as p')
    .innerJoin('building as b', (j) => j.onRef('b.community_id', '=', 'p.community_id').onRef('b.building_id', '=', 'p.building_id'))
    .innerJoin('street as s', (j) => j.onRef('s.community_id', '=', 'b.community_id').onRef('s.street_id', '=', 'b.street_id'))
    .leftJoin('unified_account as ua', (j) => j.onRef('ua.community_id', '=', 'p.community_id').onRef('ua.premise_id', '=', 'p.premise_id'))
    .select([
      'p.premise_id',
      'p.building_id',
      'p.number',
      'p.kind',
      'p.total_area',
      'p.heated_area',
      'p.rooms',
      'ua.number as unified_account',
      's.type as street_type',
      's.name as street_name',
      'b.number as house_number',
      'b.letter',
      'b.fraction',
      'b.block',
      sql<string | null>`coalesce(b.postal_code, s.postal_code)`.as('postal_code'),
    ])
    .where('p.community_id', '=', communityId)
    .where('p.premise_id', '=', premiseId)
    .executeTakeFirst();
}

/** Persons registered at the premise on any day of the period [from, to]. */
export async function registeredPersons(db: DbOrTx, communityId: number, premiseId: number, from: string, to: string): Promise<number> {
  const row = await db
    .selectFrom('registration')
    .select(sql<number>`count(distinct person_id)::int`.as('n'))
    .where('community_id', '=', communityId)
    .where('premise_id', '=', premiseId)
    .where('registered_from', '<=', to)
    .where((eb) => eb.or([eb('registered_to', 'is', null), eb('registered_to', '>=', from)]))
    .executeTakeFirstOrThrow();
  return row.n;
}

export async function premiseAccounts(db: DbOrTx, communityId: number, premiseId: number, providerId?: number) {
  return db
    .selectFrom('account as a')
    .innerJoin('provider as pr', (j) => j.onRef('pr.community_id', '=', 'a.community_id').onRef('pr.provider_id', '=', 'a.provider_id'))
    .innerJoin('service as sv', (j) => j.onRef('sv.community_id', '=', 'a.community_id').onRef('sv.service_id', '=', 'a.service_id'))
    .select([
      'a.account_id',
      'a.number',
      'a.opened_on',
      'a.closed_on',
      'pr.provider_id',
      'pr.name as provider_name',
      'pr.short_name as provider_short_name',
      'pr.edrpou',
      'sv.service_id',
      'sv.code as service_code',
      'sv.name_uk as service_name_uk',
      'sv.name_en as service_name_en',
    ])
    .where('a.community_id', '=', communityId)
    .where('a.premise_id', '=', premiseId)
    .$if(providerId !== undefined, (q) => q.where('a.provider_id', '=', providerId!))
    .orderBy('sv.sort_order')
    .orderBy('sv.code')
    .orderBy('a.opened_on')
    .execute();
}

export async function isUserPremise(db: DbOrTx, communityId: number, userId: number, premiseId: number): Promise<boolean> {
  const row = await db
    .selectFrom('user_premise')
    .select('premise_id')
    .where('community_id', '=', communityId)
    .where('user_id', '=', userId)
    .where('premise_id', '=', premiseId)
    .executeTakeFirst();
  return row !== undefined;
}

// ---------------------------------------------------------------------------------------------
// Address search
// ---------------------------------------------------------------------------------------------

/** A LIKE pattern matching text that starts with `prefix` (its wildcards escaped). */
const likePrefix = (prefix: string) => `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export interface StreetMatch {
  street_id: number;
  type: string;
  name: string;
  postal_code: string | null;
  former_names: string[];
  score: number;
  /** Found by a former name (or another alias) rather than the current one. */
  by_alias: boolean;
}

/**
 * Streets matching any of a query's keys, best first. Exact keys (current name, then an alias such
 * as a former name) score highest; then pg_trgm word similarity, which also finds a name from its
 * first letters while a person is still typing («київсь»); then plain similarity for typos. The
 * trigram operators use the GIN indexes on name_key / translit_key.
 */
export async function matchStreets(
  db: DbOrTx,
  communityId: number,
  q: { keys: string[]; cyrillic: string; latin: string; type?: string },
  limit: number,
): Promise<StreetMatch[]> {
  const { keys, cyrillic, latin } = q;
  const result = await sql<StreetMatch>`
    with m as (
      select street_id, 1.0::float8 as score, false as by_alias
        from street where community_id = ${communityId} and (name_key = any(${keys}::text[]) or translit_key = any(${keys}::text[]))
      union all
      select street_id, 0.97::float8, true
        from street_alias where community_id = ${communityId} and alias_key = any(${keys}::text[])
      union all
      select street_id, 0.9 * greatest(word_similarity(${cyrillic}, name_key), word_similarity(${latin}, translit_key)), false
        from street where community_id = ${communityId} and (${cyrillic} <% name_key or ${latin} <% translit_key)
      union all
      select street_id, 0.85 * greatest(similarity(${cyrillic}, name_key), similarity(${latin}, translit_key)), false
        from street where community_id = ${communityId} and (name_key % ${cyrillic} or translit_key % ${latin})
      union all
      select street_id, 0.85 * greatest(word_similarity(${cyrillic}, alias_key), word_similarity(${latin}, alias_key)), true
        from street_alias where community_id = ${communityId} and (${cyrillic} <% alias_key or ${latin} <% alias_key)
    ), best as (
      select distinct on (street_id) street_id, score, by_alias from m order by street_id, score desc, by_alias
    )
    select s.street_id, s.type, s.name, s.postal_code, s.former_names,
           best.score
             -- the street type typed («пров. Київський» rather than «вул. Київська»)
             + case when s.type = ${q.type ?? null}::text then 0.02 else 0 end
             -- the name begins with what is typed so far («київсь» → Київська before 1-й Київський)
             + case when s.name_key like ${likePrefix(cyrillic)} or s.translit_key like ${likePrefix(latin)} then 0.03 else 0 end
             as score,
           best.by_alias
      from best
      join street s on s.community_id = ${communityId} and s.street_id = best.street_id
     order by score desc, greatest(similarity(${cyrillic}, s.name_key), similarity(${latin}, s.translit_key)) desc, s.name_key, s.street_id
     limit ${limit}`.execute(db);
  return result.rows;
}

export interface BuildingMatch {
  building_id: number;
  street_id: number;
  number: number;
  letter: string | null;
  fraction: string | null;
  block: string | null;
  house_key: string;
  postal_code: string | null;
  exact: boolean;
  /** A private house: its one premise (apartment key '') and that premise's unified account. */
  house_premise_id: number | null;
  house_unified_account: string | null;
}

/** Buildings on these streets whose house key is, or starts with, the one typed («12» → 12, 12а, 120…). */
export async function matchBuildings(db: DbOrTx, communityId: number, streetIds: number[], houseKey: string, limit: number): Promise<BuildingMatch[]> {
  if (streetIds.length === 0) return [];
  const prefix = likePrefix(houseKey);
  const result = await sql<BuildingMatch>`
    select b.building_id, b.street_id, b.number, b.letter, b.fraction, b.block, b.house_key,
           coalesce(b.postal_code, s.postal_code) as postal_code,
           b.house_key = ${houseKey} as exact,
           p.premise_id as house_premise_id, ua.number as house_unified_account
      from building b
      join street s on s.community_id = b.community_id and s.street_id = b.street_id
      left join premise p on p.community_id = b.community_id and p.building_id = b.building_id and p.apartment_key = ''
      left join unified_account ua on ua.community_id = p.community_id and ua.premise_id = p.premise_id
     where b.community_id = ${communityId}
       and b.street_id = any(${streetIds}::bigint[])
       and (b.house_key = ${houseKey} or b.house_key like ${prefix})
     order by (b.house_key = ${houseKey}) desc, b.number, b.house_key
     limit ${limit}`.execute(db);
  return result.rows;
}

export interface PremiseMatch {
  premise_id: number;
  building_id: number;
  number: string | null;
  apartment_key: string;
  unified_account: string | null;
  exact: boolean;
}

/** Premises of these buildings whose apartment key is, or starts with, the one typed. */
export async function matchPremises(db: DbOrTx, communityId: number, buildingIds: number[], apartmentKey: string, limit: number): Promise<PremiseMatch[]> {
  if (buildingIds.length === 0) return [];
  const prefix = likePrefix(apartmentKey);
  const result = await sql<PremiseMatch>`
    select p.premise_id, p.building_id, p.number, p.apartment_key, ua.number as unified_account,
           p.apartment_key = ${apartmentKey} as exact
      from premise p
      left join unified_account ua on ua.community_id = p.community_id and ua.premise_id = p.premise_id
     where p.community_id = ${communityId}
       and p.building_id = any(${buildingIds}::bigint[])
       and (p.apartment_key = ${apartmentKey} or p.apartment_key like ${prefix})
     order by (p.apartment_key = ${apartmentKey}) desc, length(p.apartment_key), p.apartment_key
     limit ${limit}`.execute(db);
  return result.rows;
}

/** A premise by its unified account number (what payers type), with its full address. */
export async function premiseByUnifiedAccount(db: DbOrTx, communityId: number, number: string) {
  return db
    .selectFrom('unified_account as ua')
    .innerJoin('premise as p', (j) => j.onRef('p.community_id', '=', 'ua.community_id').onRef('p.premise_id', '=', 'ua.premise_id'))
    .innerJoin('building as b', (j) => j.onRef('b.community_id', '=', 'p.community_id').onRef('b.building_id', '=', 'p.building_id'))
    .innerJoin('street as s', (j) => j.onRef('s.community_id', '=', 'b.community_id').onRef('s.street_id', '=', 'b.street_id'))
    .select([
      'ua.number as unified_account',
      'p.premise_id',
      'p.number as apartment',
      'b.building_id',
      'b.number',
      'b.letter',
      'b.fraction',
      'b.block',
      'b.house_key',
      sql<string | null>`coalesce(b.postal_code, s.postal_code)`.as('postal_code'),
      's.street_id',
      's.type',
      's.name',
    ])
    .where('ua.community_id', '=', communityId)
    .where('ua.number', '=', number)
    .executeTakeFirst();
}
