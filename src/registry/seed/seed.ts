/**
 * Seeds a synthetic city into the registry.
 *
 *   seedCity(handle: DatabaseHandle, options: { scale: 'tiny'|'demo'|'town'|'vinnytsia';
 *            seed?: number = 1; communityId?: number = 1; force?: boolean; users?: boolean = true },
 *            onProgress?: (done, total, message) => void | Promise<void>): Promise<SeedResult>
 *
 * Deterministic for (scale, seed). Refuses a community that already has registry data unless
 * `force` (which wipes that community's data first). `users` creates the demo sign-ins (login =
 * password without "-demo"; logins are global, so only one community can have them: pass
 * `users: false` for the others). Integration tests seed `scale: 'tiny'` (200 premises, 1,212
 * accounts, about a second). On PostgreSQL the load is one transaction.
 */
import type { DatabaseHandle } from '../../db/index';
import { writeAudit } from '../../auth/audit';
import { createUser } from '../../auth/service';
import { AppError, conflict } from '../../shared/errors';
import type { Role } from '../../server/context';
import { openBulkWriter, type BulkWriter, type Cell } from './bulk';
import {
  Accounts,
  COMMUNITY_NAME,
  Households,
  SERVICE_CATALOGUE,
  planCity,
  premiseOf,
  readCommunityKatottg,
  unifiedNumberOf,
  type CityPlan,
  type ScaleName,
} from './plan';

export interface SeedOptions {
  scale: ScaleName;
  seed?: number;
  communityId?: number;
  /** Wipe the community's existing data first. */
  force?: boolean;
  /** Create the demo sign-ins (logins are unique across communities, so only one community can have them). */
  users?: boolean;
}

export interface DemoUser {
  login: string;
  password: string;
  role: Role;
  displayName: string;
}

export interface SeedResult {
  communityId: number;
  scale: ScaleName;
  seed: number;
  counts: Record<'streets' | 'buildings' | 'premises' | 'persons' | 'registrations' | 'providers' | 'services' | 'accounts' | 'unifiedAccounts', number>;
  users: DemoUser[];
  seconds: number;
}

export type SeedProgress = (done: number, total: number, message: string) => void | Promise<void>;

/** Whether a community has registry data already (what seeding would collide with). */
export async function communityHasData(handle: DatabaseHandle, communityId: number): Promise<boolean> {
  const db = handle.db;
  for (const table of ['street', 'provider', 'service', 'person'] as const) {
    const row = await db.selectFrom(table).select('community_id').where('community_id', '=', communityId).limit(1).executeTakeFirst();
    if (row) return true;
  }
  return false;
}

/**
 * Makes sure the community row exists and holds no registry data: refuses (or, with `force`,
 * wipes) a community that has some. The seed job needs the row first (jobs belong to a community).
 */
export async function prepareCommunity(handle: DatabaseHandle, options: SeedOptions): Promise<number> {
  const communityId = options.communityId ?? 1;
  const db = handle.db;
  const existing = await db.selectFrom('community').select(['name']).where('community_id', '=', communityId).executeTakeFirst();
  if (existing && (await communityHasData(handle, communityId))) {
    if (!options.force) {
      throw conflict(
        'community_already_seeded',
        {
          uk: `Громада ${communityId} («${existing.name}») уже має дані реєстру (вулиці, постачальників, рахунки). Засівати її вдруге не можна: додайте --force, щоб стерти всі дані цієї громади й засіяти заново, або вкажіть іншу --community-id.`,
          en: `Community ${communityId} ("${existing.name}") already has registry data (streets, providers, accounts). It cannot be seeded twice: add --force to wipe all of this community's data and seed again, or choose another --community-id.`,
        },
        { communityId },
      );
    }
    await wipeCommunity(handle, communityId);
  }
  const settings = JSON.stringify({ synthetic: { scale: options.scale, seed: options.seed ?? 1 } });
  if (existing) {
    await db
      .updateTable('community')
      .set({ name: COMMUNITY_NAME, katottg: readCommunityKatottg(), settings })
      .where('community_id', '=', communityId)
      .execute();
  } else {
    await db.insertInto('community').values({ community_id: communityId, name: COMMUNITY_NAME, katottg: readCommunityKatottg(), settings }).execute();
  }
  return communityId;
}

/** Deletes every row of one community from every table that has community_id (the community row and its job history stay). */
export async function wipeCommunity(handle: DatabaseHandle, communityId: number): Promise<void> {
  const writer = await openBulkWriter(handle);
  try {
    const tables = await writer.query<{ table_name: string }>(
      `select c.table_name from information_schema.columns c
         join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
        where c.column_name = 'community_id' and c.table_schema = current_schema() and t.table_type = 'BASE TABLE'
          and c.table_name not in ('community', 'job')`,
    );
    // Foreign keys and append-only triggers (audit log, ledger) are off for this one session, so
    // every table can be emptied of this community in any order.
    try {
      await writer.withoutTriggers(async (query) => {
        for (const { table_name } of tables) await query(`delete from "${table_name}" where community_id = $1`, [communityId]);
      });
    } catch (err) {
      if ((err as { code?: string }).code !== '42501') throw err;
      throw new AppError('wipe_needs_superuser', 403, {
        uk: `Стерти дані громади ${communityId} (--force) може лише суперкористувач PostgreSQL: журнал аудиту й проводки захищені від видалення. Засійте іншу --community-id або запустіть від суперкористувача.`,
        en: `Wiping community ${communityId} (--force) needs a PostgreSQL superuser: the audit log and ledger are protected from deletion. Seed another --community-id or run as a superuser.`,
      });
    }
  } finally {
    await writer.release();
  }
}

/** Ids are given by the seeder (so that accounts can name their premise without a lookup) from the identity sequence. */
async function reserveIds(writer: BulkWriter, table: string, column: string): Promise<number> {
  const [row] = await writer.query<{ base: number | string }>(
    `select greatest(nextval(pg_get_serial_sequence('${table}', '${column}')), coalesce((select max(${column}) from ${table}), 0) + 1) as base`,
  );
  return Number(row.base);
}

async function advanceIds(writer: BulkWriter, table: string, column: string, last: number): Promise<void> {
  await writer.query(`select setval(pg_get_serial_sequence('${table}', '${column}'), $1)`, [last]);
}

export const DEMO_PASSWORD_SUFFIX = '-demo';

export async function seedCity(handle: DatabaseHandle, options: SeedOptions, onProgress?: SeedProgress): Promise<SeedResult> {
  const started = Date.now();
  const seed = options.seed ?? 1;
  const communityId = await prepareCommunity(handle, options);
  if (options.users !== false) await refuseTakenDemoLogins(handle);
  const plan = planCity(options.scale, seed, communityId);
  const { spec } = plan;
  let done = 0;
  // Persons are counted only when written; until then about 2.4 per premise.
  let total = plan.buildings.length + spec.premises * 2 + spec.accounts + Math.round(spec.premises * 2.4) * 2;
  const progress = (message: string) => async (rows: number) => {
    done += rows;
    await onProgress?.(Math.min(done, total), total, message);
  };

  const writer = await openBulkWriter(handle);
  const fast = await writer.fastLoad(true);
  // On a server the whole load is one transaction: a failure leaves nothing behind. Secondary
  // indexes of the big tables, when those are still empty, are built once at the end (a sort)
  // instead of row by row; dropped inside the transaction, they come back on any rollback.
  let rebuild: string[] = [];
  if (fast) {
    await writer.query('begin');
    rebuild = await dropSecondaryIndexesOfEmptyTables(writer, ['premise', 'unified_account', 'person', 'registration', 'account']);
  }
  const counts = {} as SeedResult['counts'];
  const ids = {} as Record<'service' | 'provider' | 'street' | 'building' | 'premise' | 'person' | 'registration' | 'account', number>;
  const load = async (
    key: keyof typeof ids,
    table: string,
    columns: string[],
    rows: (base: number) => Iterable<Cell[]>,
    message: string,
  ): Promise<number> => {
    const column = `${table}_id`;
    const base = await reserveIds(writer, table, column);
    ids[key] = base;
    const n = await writer.copy(table, [column, ...columns], rows(base), progress(message));
    if (n > 0) await advanceIds(writer, table, column, base + n - 1);
    return n;
  };
  try {
    counts.services = await load(
      'service',
      'service',
      ['community_id', 'code', 'name_uk', 'name_en', 'unit', 'metered', 'sort_order'],
      (base) => SERVICE_CATALOGUE.map((s, i) => [base + i, communityId, s.code, s.nameUk, s.nameEn, s.unit, s.metered, s.sortOrder]),
      'services',
    );
    counts.providers = await load(
      'provider',
      'provider',
      ['community_id', 'edrpou', 'iban', 'name', 'short_name', 'phone', 'email', 'address'],
      (base) => plan.providers.map((p) => [base + p.ordinal, communityId, p.edrpou, p.iban, p.name, p.shortName, p.phone, p.email, p.address]),
      'providers',
    );
    counts.streets = await load(
      'street',
      'street',
      ['community_id', 'type', 'name', 'name_key', 'translit_key', 'former_names', 'postal_code'],
      (base) => plan.streets.map((s) => [base + s.ordinal, communityId, s.type, s.name, s.nameKey, s.translitKey, s.formerNames, s.postalCode]),
      'streets',
    );
    await writer.copy(
      'street_alias',
      ['community_id', 'alias_key', 'street_id', 'source'],
      plan.streets.flatMap((s) => [
        ...s.formerKeys.map((k): Cell[] => [communityId, k, ids.street + s.ordinal, 'former']),
        ...s.variantKeys.map((k): Cell[] => [communityId, k, ids.street + s.ordinal, 'variant']),
      ]),
    );
    counts.buildings = await load(
      'building',
      'building',
      ['community_id', 'street_id', 'number', 'letter', 'fraction', 'block', 'house_key', 'postal_code', 'total_area', 'floors', 'management', 'management_name'],
      (base) =>
        plan.buildings.map((b) => [
          base + b.ordinal,
          communityId,
          ids.street + b.street.ordinal,
          b.number,
          b.letter,
          b.fraction,
          b.block,
          b.houseKey,
          b.street.postalCode,
          b.totalArea.toFixed(2),
          b.floors,
          b.management,
          b.managementName,
        ]),
      'buildings',
    );
    counts.premises = await load(
      'premise',
      'premise',
      ['community_id', 'building_id', 'number', 'apartment_key', 'kind', 'total_area', 'heated_area', 'rooms'],
      (base) => premiseRows(plan, base, ids.building),
      'premises',
    );
    counts.unifiedAccounts = await writer.copy(
      'unified_account',
      ['community_id', 'premise_id', 'number'],
      (function* () {
        for (let i = 0; i < spec.premises; i++) yield [communityId, ids.premise + i, unifiedNumberOf(communityId, i)];
      })(),
      progress('unified accounts'),
    );
    const pending: PendingRegistrations = { premiseOrdinal: [], from: [], to: [] };
    counts.persons = await load(
      'person',
      'person',
      ['community_id', 'last_name', 'first_name', 'patronymic', 'rnokpp', 'phone', 'email'],
      (base) => personRows(plan, base, pending),
      'persons',
    );
    total += counts.persons * 2 - Math.round(spec.premises * 2.4) * 2;
    counts.registrations = await load(
      'registration',
      'registration',
      ['community_id', 'person_id', 'premise_id', 'registered_from', 'registered_to'],
      (base) => registrationRows(plan, base, ids.person, ids.premise, pending),
      'registrations',
    );
    const serviceIds = new Map(SERVICE_CATALOGUE.map((s, i) => [s.code, ids.service + i]));
    counts.accounts = await load(
      'account',
      'account',
      ['community_id', 'provider_id', 'premise_id', 'service_id', 'number', 'opened_on'],
      (base) => accountRows(plan, base, ids.provider, ids.premise, serviceIds),
      'accounts',
    );
    if (fast) {
      await writer.fastLoad(false);
      for (const definition of rebuild) await writer.query(definition);
      await checkKeys(writer, communityId);
    }
    // Fresh statistics, so that the first searches over a million rows are planned well.
    await writer.query('analyze street, street_alias, building, premise, person, registration, provider, account, unified_account');
    if (fast) await writer.query('commit');
  } catch (err) {
    if (fast) await writer.query('rollback').catch(() => undefined);
    throw err;
  } finally {
    if (fast) await writer.fastLoad(false);
    await writer.release();
  }
  // One audit row for the whole load: the rows themselves are synthetic and reproducible from (scale, seed).
  await writeAudit(handle.db, { communityId }, 'seed', 'community', communityId, null, { scale: options.scale, seed, counts });

  const users = options.users === false ? [] : await createDemoUsers(handle, plan, ids.provider, ids.premise);
  return { communityId, scale: options.scale, seed, counts, users, seconds: (Date.now() - started) / 1000 };
}

/** Foreign keys of the loaded tables, checked set-based after a load that skipped the per-row checks. */
const FOREIGN_KEYS: ReadonlyArray<readonly [string, string, string]> = [
  ['street_alias', 'street_id', 'street'],
  ['building', 'street_id', 'street'],
  ['premise', 'building_id', 'building'],
  ['unified_account', 'premise_id', 'premise'],
  ['registration', 'person_id', 'person'],
  ['registration', 'premise_id', 'premise'],
  ['account', 'provider_id', 'provider'],
  ['account', 'premise_id', 'premise'],
  ['account', 'service_id', 'service'],
];

/** Drops the indexes that back no constraint on those of `tables` that hold no rows; returns their definitions. */
async function dropSecondaryIndexesOfEmptyTables(writer: BulkWriter, tables: string[]): Promise<string[]> {
  const definitions: string[] = [];
  for (const table of tables) {
    const [{ empty }] = await writer.query<{ empty: boolean }>(`select not exists (select 1 from ${table}) as empty`);
    if (!empty) continue;
    const indexes = await writer.query<{ indexname: string; indexdef: string }>(
      `select i.indexname, i.indexdef from pg_indexes i
        where i.schemaname = current_schema() and i.tablename = $1
          and not exists (select 1 from pg_constraint c where c.conindid = format('%I.%I', i.schemaname, i.indexname)::regclass)`,
      [table],
    );
    for (const index of indexes) {
      await writer.query(`drop index "${index.indexname}"`);
      definitions.push(index.indexdef);
    }
  }
  return definitions;
}

async function checkKeys(writer: BulkWriter, communityId: number): Promise<void> {
  for (const [child, column, parent] of FOREIGN_KEYS) {
    const [row] = await writer.query<{ orphans: number | string }>(
      `select count(*) as orphans from ${child} c where c.community_id = $1
         and not exists (select 1 from ${parent} p where p.community_id = c.community_id and p.${column} = c.${column})`,
      [communityId],
    );
    if (Number(row.orphans) > 0) throw new Error(`seed: ${row.orphans} rows of ${child}.${column} point to no ${parent}`);
  }
}

function* premiseRows(plan: CityPlan, base: number, buildingBase: number): Generator<Cell[]> {
  for (const b of plan.buildings) {
    for (let i = 0; i < b.flats + b.nonResidential; i++) {
      const p = premiseOf(plan.seed, b, i);
      yield [base + b.firstPremise + i, plan.communityId, buildingBase + b.ordinal, p.number, p.apartmentKey, p.kind, p.totalArea.toFixed(2), p.heatedArea.toFixed(2), p.rooms];
    }
  }
}

/** A person's registration, noted while the persons are written so that they are not generated twice. */
interface PendingRegistrations {
  premiseOrdinal: number[];
  from: string[];
  to: Array<string | null>;
}

function* personRows(plan: CityPlan, base: number, registrations: PendingRegistrations): Generator<Cell[]> {
  const households = new Households(plan.seed);
  for (const b of plan.buildings) {
    for (let i = 0; i < b.flats + b.nonResidential; i++) {
      for (const p of households.of(b, premiseOf(plan.seed, b, i))) {
        registrations.premiseOrdinal.push(b.firstPremise + i);
        registrations.from.push(p.registeredFrom);
        registrations.to.push(p.registeredTo);
        yield [base + p.ordinal, plan.communityId, p.lastName, p.firstName, p.patronymic, p.rnokpp, p.phone, p.email];
      }
    }
  }
}

/** One registration per person (person ordinal = its index), at the premise where it was generated. */
function* registrationRows(plan: CityPlan, base: number, personBase: number, premiseBase: number, r: PendingRegistrations): Generator<Cell[]> {
  for (let n = 0; n < r.premiseOrdinal.length; n++) {
    yield [base + n, plan.communityId, personBase + n, premiseBase + r.premiseOrdinal[n], r.from[n], r.to[n]];
  }
}

function* accountRows(plan: CityPlan, base: number, providerBase: number, premiseBase: number, serviceIds: Map<string, number>): Generator<Cell[]> {
  const accounts = new Accounts(plan);
  let n = 0;
  for (const b of plan.buildings) {
    for (let i = 0; i < b.flats + b.nonResidential; i++) {
      for (const a of accounts.of(b, premiseOf(plan.seed, b, i))) {
        yield [base + n++, plan.communityId, providerBase + a.provider.ordinal, premiseBase + b.firstPremise + i, serviceIds.get(a.service)!, a.number, a.openedOn];
      }
    }
  }
}

/** The demo sign-ins: password = login + "-demo" (documented in the README). */
export const DEMO_LOGINS: ReadonlyArray<{ login: string; role: Role; displayName: string; providerKey?: string }> = [
  { login: 'admin', role: 'admin', displayName: 'Адміністратор (демо)' },
  { login: 'operator', role: 'operator', displayName: 'Оператор ЦОД (демо)' },
  { login: 'city', role: 'city', displayName: 'Посадовець міської ради (демо)' },
  { login: 'provider-water', role: 'provider', displayName: 'Водоканал (демо)', providerKey: 'water' },
  { login: 'provider-heat', role: 'provider', displayName: 'Теплопостачання (демо)', providerKey: 'heat' },
  { login: 'provider-gas', role: 'provider', displayName: 'Газопостачання (демо)', providerKey: 'gas-supply' },
  { login: 'resident', role: 'resident', displayName: 'Мешканець вул. Київська, 12а, кв. 1 (демо)' },
];

/** Logins are unique across communities: say so before loading rather than fail after. */
async function refuseTakenDemoLogins(handle: DatabaseHandle): Promise<void> {
  const taken = await handle.db
    .selectFrom('app_user')
    .select(['login', 'community_id'])
    .where('login', 'in', DEMO_LOGINS.map((u) => u.login))
    .execute();
  if (taken.length === 0) return;
  const list = taken.map((u) => `${u.login} (${u.community_id})`).join(', ');
  throw conflict(
    'demo_logins_taken',
    {
      uk: `Демо-логіни вже зайняті: ${list}. Логіни єдині для всіх громад, тож додайте --no-users, щоб засіяти місто без демо-користувачів.`,
      en: `The demo logins are taken already: ${list}. Logins are unique across communities: add --no-users to seed the city without demo users.`,
    },
    { logins: taken.map((u) => u.login) },
  );
}

async function createDemoUsers(handle: DatabaseHandle, plan: CityPlan, providerBase: number, premiseBase: number): Promise<DemoUser[]> {
  const users: DemoUser[] = [];
  for (const u of DEMO_LOGINS) {
    const password = u.login + DEMO_PASSWORD_SUFFIX;
    const provider = u.providerKey ? plan.providers.find((p) => p.key === u.providerKey) : undefined;
    await createUser(handle.db, {
      communityId: plan.communityId,
      login: u.login,
      password,
      role: u.role,
      displayName: u.displayName,
      providerId: provider ? providerBase + provider.ordinal : null,
      // The first premise of the city is кв. 1 of вул. Київська, 12а.
      premiseIds: u.role === 'resident' ? [premiseBase] : undefined,
    });
    users.push({ login: u.login, password, role: u.role, displayName: u.displayName });
  }
  return users;
}
