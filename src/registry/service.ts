import type { Db } from '../db/index';
import { writeAudit } from '../auth/audit';
import { STAFF, requireRole } from '../server/access';
import type { SessionUser } from '../server/context';
import { conflict, forbidden, invalid, notFound, refuseFields, type FieldProblem } from '../shared/errors';
import { validateEdrpou, validateUaIban } from '../shared/identifiers';
import { decodeCursor, pageOf, type Page } from '../shared/pagination';
import { kyivToday, periodEnd, periodOf } from '../shared/period';
import { formatAddressUk, STREET_TYPES, type House, type StreetType } from './address';
import * as repo from './repo';

// ---------------------------------------------------------------------------------------------
// Who may do what
// ---------------------------------------------------------------------------------------------

/** Registry reads: staff, and provider users (scoped to their provider's data). */
function requireReader(actor: SessionUser): void {
  requireRole(actor, ...STAFF, 'provider');
}

/** Registry writes: the data centre's admins and operators. */
function requireWriter(actor: SessionUser): void {
  requireRole(actor, 'admin', 'operator');
}

/** A provider user sees only their own provider; undefined means "every provider". */
const providerScope = (actor: SessionUser): number | undefined => (actor.role === 'provider' ? actor.providerId! : undefined);

// ---------------------------------------------------------------------------------------------
// Display helpers
// ---------------------------------------------------------------------------------------------

const asStreetType = (type: string): StreetType | undefined => (STREET_TYPES as readonly string[]).includes(type) ? (type as StreetType) : undefined;

/** «вул. Київська, буд. 12а, кв. 5». */
export function displayAddress(a: {
  streetType: string;
  streetName: string;
  house?: { number: number; letter: string | null; fraction: string | null; block: string | null };
  apartment?: string | null;
}): string {
  const type = asStreetType(a.streetType);
  const house: House | undefined = a.house && {
    number: a.house.number,
    ...(a.house.letter ? { letter: a.house.letter } : {}),
    ...(a.house.fraction ? { fraction: a.house.fraction } : {}),
    ...(a.house.block ? { block: a.house.block } : {}),
  };
  return formatAddressUk({
    streetType: type,
    streetName: type ? a.streetName : `${a.streetType} ${a.streetName}`,
    house,
    apartment: a.apartment ?? undefined,
  });
}

// ---------------------------------------------------------------------------------------------
// Providers
// ---------------------------------------------------------------------------------------------

export interface ProviderView {
  providerId: number;
  edrpou: string;
  iban: string;
  name: string;
  shortName: string | null;
  phone: string | null;
  email: string | null;
  address: string | null;
}

export interface ProviderInput {
  edrpou: string;
  iban: string;
  name: string;
  shortName?: string | null;
  phone?: string | null;
  email?: string | null;
  address?: string | null;
}

const providerView = (r: repo.ProviderRow): ProviderView => ({
  providerId: r.provider_id,
  edrpou: r.edrpou,
  iban: r.iban,
  name: r.name,
  shortName: r.short_name,
  phone: r.phone,
  email: r.email,
  address: r.address,
});

/**
 * Checks each given field and returns the columns to write. Every bad field is reported at once,
 * by its label (never its internal name): one bad field is refused with its own code and `field`;
 * several with `invalid_fields` and one issue per field (`issues`, what a form shows beside each).
 */
function providerColumns(input: Partial<ProviderInput>): Partial<repo.ProviderFields> {
  const out: Partial<repo.ProviderFields> = {};
  const problems: FieldProblem[] = [];
  if (input.name !== undefined) {
    const name = input.name.trim();
    if (!name) problems.push({ code: 'invalid_name', field: 'name', uk: 'Поле «Повна назва» не заповнене', en: 'The field "Full name" is empty' });
    out.name = name;
  }
  if (input.edrpou !== undefined) {
    const r = validateEdrpou(input.edrpou);
    if (!r.ok) problems.push({ code: 'invalid_edrpou', field: 'edrpou', uk: `Поле «Код ЄДРПОУ»: ${r.reason.uk}`, en: `The field "EDRPOU code": ${r.reason.en}`, value: input.edrpou });
    else out.edrpou = r.value;
  }
  if (input.iban !== undefined) {
    const r = validateUaIban(input.iban);
    if (!r.ok) problems.push({ code: 'invalid_iban', field: 'iban', uk: `Поле «IBAN»: ${r.reason.uk}`, en: `The field "IBAN": ${r.reason.en}`, value: input.iban });
    else out.iban = r.value;
  }
  const optional = (v: string | null | undefined) => (v === undefined ? undefined : v === null || v.trim() === '' ? null : v.trim());
  if (input.shortName !== undefined) out.short_name = optional(input.shortName)!;
  if (input.phone !== undefined) out.phone = optional(input.phone)!;
  if (input.address !== undefined) out.address = optional(input.address)!;
  if (input.email !== undefined) {
    const email = optional(input.email);
    if (email !== null && email !== undefined && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
      problems.push({ code: 'invalid_email', field: 'email', uk: `Поле «Електронна пошта»: «${email}» не схоже на адресу`, en: `The field "E-mail": "${email}" is not an address` });
    }
    out.email = email!;
  }
  refuseFields(problems);
  return out;
}

const duplicateEdrpou = (edrpou: string) =>
  conflict('duplicate_edrpou', { uk: `Постачальник з ЄДРПОУ ${edrpou} уже є`, en: `A provider with EDRPOU ${edrpou} already exists` }, { field: 'edrpou' });

const providerNotFound = (id: number) => notFound({ uk: `Постачальник ${id}`, en: `Provider ${id}` });

export async function listProviders(db: Db, actor: SessionUser, query: { q?: string; cursor?: string; limit: number }): Promise<Page<ProviderView>> {
  requireReader(actor);
  const key = decodeCursor(query.cursor, ['string', 'number']);
  const rows = await repo.listProviders(
    db,
    actor.communityId,
    { onlyId: providerScope(actor), q: query.q?.trim() || undefined, afterName: key?.[0] as string, afterId: key?.[1] as number },
    query.limit,
  );
  return pageOf(rows, query.limit, (r) => [r.name, r.provider_id], providerView);
}

export async function getProvider(db: Db, actor: SessionUser, providerId: number): Promise<ProviderView & { accountCount: number }> {
  requireReader(actor);
  const scope = providerScope(actor);
  if (scope !== undefined && scope !== providerId) throw forbidden();
  const row = await repo.findProvider(db, actor.communityId, providerId);
  if (!row) throw providerNotFound(providerId);
  return { ...providerView(row), accountCount: await repo.providerAccountCount(db, actor.communityId, providerId) };
}

export async function createProvider(db: Db, actor: SessionUser, input: ProviderInput): Promise<ProviderView> {
  requireWriter(actor);
  const fields = { short_name: null, phone: null, email: null, address: null, ...providerColumns(input) } as repo.ProviderFields;
  return db.transaction().execute(async (trx) => {
    if ((await repo.providerIdByEdrpou(trx, actor.communityId, fields.edrpou)) !== undefined) throw duplicateEdrpou(fields.edrpou);
    const row = await repo.insertProvider(trx, actor.communityId, fields);
    await writeAudit(trx, actor, 'create', 'provider', row.provider_id, null, row);
    return providerView(row);
  });
}

export async function updateProvider(db: Db, actor: SessionUser, providerId: number, input: Partial<ProviderInput>): Promise<ProviderView> {
  requireWriter(actor);
  const fields = providerColumns(input);
  return db.transaction().execute(async (trx) => {
    const before = await repo.findProvider(trx, actor.communityId, providerId);
    if (!before) throw providerNotFound(providerId);
    if (fields.edrpou !== undefined && fields.edrpou !== before.edrpou) {
      if ((await repo.providerIdByEdrpou(trx, actor.communityId, fields.edrpou)) !== undefined) throw duplicateEdrpou(fields.edrpou);
    }
    if (Object.keys(fields).length === 0) return providerView(before);
    const after = await repo.updateProvider(trx, actor.communityId, providerId, fields);
    await writeAudit(trx, actor, 'update', 'provider', providerId, before, after);
    return providerView(after);
  });
}

export async function deleteProvider(db: Db, actor: SessionUser, providerId: number): Promise<void> {
  requireWriter(actor);
  await db.transaction().execute(async (trx) => {
    const before = await repo.findProvider(trx, actor.communityId, providerId);
    if (!before) throw providerNotFound(providerId);
    const refs = await repo.providerReferences(trx, actor.communityId, providerId);
    if (refs.hasAccounts) {
      throw conflict('provider_has_accounts', {
        uk: `Постачальника «${before.name}» не можна видалити: у нього є особові рахунки`,
        en: `Provider "${before.name}" cannot be deleted: it has accounts`,
      });
    }
    if (refs.hasUsers) {
      throw conflict('provider_has_users', {
        uk: `Постачальника «${before.name}» не можна видалити: у нього є користувачі`,
        en: `Provider "${before.name}" cannot be deleted: it has users`,
      });
    }
    await repo.deleteProvider(trx, actor.communityId, providerId);
    await writeAudit(trx, actor, 'delete', 'provider', providerId, before, null);
  });
}

// ---------------------------------------------------------------------------------------------
// Services catalogue
// ---------------------------------------------------------------------------------------------

export interface ServiceView {
  serviceId: number;
  code: string;
  nameUk: string;
  nameEn: string;
  unit: string;
  metered: boolean;
  sortOrder: number;
}

export interface ServiceInput {
  code: string;
  nameUk: string;
  nameEn: string;
  unit: string;
  metered?: boolean;
  sortOrder?: number;
}

const serviceView = (r: repo.ServiceRow): ServiceView => ({
  serviceId: r.service_id,
  code: r.code,
  nameUk: r.name_uk,
  nameEn: r.name_en,
  unit: r.unit,
  metered: r.metered,
  sortOrder: r.sort_order,
});

function serviceColumns(input: Partial<ServiceInput>): Partial<repo.ServiceFields> {
  const out: Partial<repo.ServiceFields> = {};
  const problems: FieldProblem[] = [];
  if (input.code !== undefined) {
    if (!/^[a-z][a-z0-9_]{0,39}$/.test(input.code)) {
      problems.push({
        code: 'invalid_service_code',
        field: 'code',
        uk: input.code.trim() === '' ? 'Поле «Код» не заповнене' : `Поле «Код»: «${input.code}» — лише малі латинські літери, цифри та _, починаючи з літери`,
        en: input.code.trim() === '' ? 'The field "Code" is empty' : `The field "Code": "${input.code}" — lower-case Latin letters, digits and _ only, starting with a letter`,
      });
    }
    out.code = input.code;
  }
  const text = (field: 'nameUk' | 'nameEn' | 'unit', column: 'name_uk' | 'name_en' | 'unit', uk: string, en: string) => {
    const v = input[field];
    if (v === undefined) return;
    if (v.trim() === '') problems.push({ code: `invalid_${column}`, field, uk: `Поле «${uk}» не заповнене`, en: `The field "${en}" is empty` });
    out[column] = v.trim();
  };
  text('nameUk', 'name_uk', 'Назва українською', 'Name in Ukrainian');
  text('nameEn', 'name_en', 'Назва англійською', 'Name in English');
  text('unit', 'unit', 'Одиниця виміру', 'Unit');
  refuseFields(problems);
  if (input.metered !== undefined) out.metered = input.metered;
  if (input.sortOrder !== undefined) out.sort_order = input.sortOrder;
  return out;
}

const duplicateServiceCode = (code: string) =>
  conflict('duplicate_service_code', { uk: `Послуга з кодом «${code}» уже є`, en: `A service with code "${code}" already exists` }, { field: 'code' });
const serviceNotFound = (id: number) => notFound({ uk: `Послуга ${id}`, en: `Service ${id}` });

/** The whole catalogue (a few dozen rows), in bill order. */
export async function listServices(db: Db, actor: SessionUser): Promise<ServiceView[]> {
  requireReader(actor);
  return (await repo.listServices(db, actor.communityId)).map(serviceView);
}

export async function getService(db: Db, actor: SessionUser, serviceId: number): Promise<ServiceView> {
  requireReader(actor);
  const row = await repo.findService(db, actor.communityId, serviceId);
  if (!row) throw serviceNotFound(serviceId);
  return serviceView(row);
}

export async function createService(db: Db, actor: SessionUser, input: ServiceInput): Promise<ServiceView> {
  requireWriter(actor);
  const fields = { metered: false, sort_order: 100, ...serviceColumns(input) } as repo.ServiceFields;
  return db.transaction().execute(async (trx) => {
    if ((await repo.serviceIdByCode(trx, actor.communityId, fields.code)) !== undefined) throw duplicateServiceCode(fields.code);
    const row = await repo.insertService(trx, actor.communityId, fields);
    await writeAudit(trx, actor, 'create', 'service', row.service_id, null, row);
    return serviceView(row);
  });
}

export async function updateService(db: Db, actor: SessionUser, serviceId: number, input: Partial<ServiceInput>): Promise<ServiceView> {
  requireWriter(actor);
  const fields = serviceColumns(input);
  return db.transaction().execute(async (trx) => {
    const before = await repo.findService(trx, actor.communityId, serviceId);
    if (!before) throw serviceNotFound(serviceId);
    if (fields.code !== undefined && fields.code !== before.code) {
      if ((await repo.serviceIdByCode(trx, actor.communityId, fields.code)) !== undefined) throw duplicateServiceCode(fields.code);
    }
    if (Object.keys(fields).length === 0) return serviceView(before);
    const after = await repo.updateService(trx, actor.communityId, serviceId, fields);
    await writeAudit(trx, actor, 'update', 'service', serviceId, before, after);
    return serviceView(after);
  });
}

export async function deleteService(db: Db, actor: SessionUser, serviceId: number): Promise<void> {
  requireWriter(actor);
  await db.transaction().execute(async (trx) => {
    const before = await repo.findService(trx, actor.communityId, serviceId);
    if (!before) throw serviceNotFound(serviceId);
    if (await repo.serviceHasAccounts(trx, actor.communityId, serviceId)) {
      throw conflict('service_has_accounts', {
        uk: `Послугу «${before.name_uk}» не можна видалити: на неї відкрито особові рахунки`,
        en: `Service "${before.name_en}" cannot be deleted: accounts use it`,
      });
    }
    await repo.deleteService(trx, actor.communityId, serviceId);
    await writeAudit(trx, actor, 'delete', 'service', serviceId, before, null);
  });
}

// ---------------------------------------------------------------------------------------------
// Streets, buildings, premises
// ---------------------------------------------------------------------------------------------

export interface StreetView {
  streetId: number;
  type: string;
  name: string;
  formerNames: string[];
  postalCode: string | null;
  buildingCount: number;
}

export async function listStreets(db: Db, actor: SessionUser, query: { cursor?: string; limit: number }): Promise<Page<StreetView>> {
  requireReader(actor);
  const key = decodeCursor(query.cursor, ['string', 'number']);
  const rows = await repo.listStreets(db, actor.communityId, key && { nameKey: key[0] as string, id: key[1] as number }, query.limit);
  return pageOf(
    rows,
    query.limit,
    (r) => [r.name_key, r.street_id],
    (r) => ({
      streetId: r.street_id,
      type: r.type,
      name: r.name,
      formerNames: r.former_names,
      postalCode: r.postal_code,
      buildingCount: r.building_count ?? 0,
    }),
  );
}

export interface BuildingCard {
  buildingId: number;
  streetId: number;
  streetType: string;
  streetName: string;
  number: number;
  letter: string | null;
  fraction: string | null;
  block: string | null;
  address: string;
  postalCode: string | null;
  totalArea: string | null;
  floors: number | null;
  management: 'osbb' | 'company' | 'none';
  managementName: string | null;
  premises: Array<{
    premiseId: number;
    number: string | null;
    kind: 'residential' | 'non_residential';
    totalArea: string | null;
    rooms: number | null;
    unifiedAccount: string | null;
    accountCount: number;
  }>;
}

export async function getBuilding(db: Db, actor: SessionUser, buildingId: number): Promise<BuildingCard> {
  requireReader(actor);
  const b = await repo.findBuilding(db, actor.communityId, buildingId);
  if (!b) throw notFound({ uk: `Будинок ${buildingId}`, en: `Building ${buildingId}` });
  const premises = await repo.buildingPremises(db, actor.communityId, buildingId, providerScope(actor));
  return {
    buildingId: b.building_id,
    streetId: b.street_id,
    streetType: b.street_type,
    streetName: b.street_name,
    number: b.number,
    letter: b.letter,
    fraction: b.fraction,
    block: b.block,
    address: displayAddress({ streetType: b.street_type, streetName: b.street_name, house: b }),
    postalCode: b.postal_code,
    totalArea: b.total_area,
    floors: b.floors,
    management: b.management,
    managementName: b.management_name,
    premises: premises.map((p) => ({
      premiseId: p.premise_id,
      number: p.number,
      kind: p.kind,
      totalArea: p.total_area,
      rooms: p.rooms,
      unifiedAccount: p.unified_account,
      accountCount: p.account_count ?? 0,
    })),
  };
}

export interface PremiseCard {
  premiseId: number;
  buildingId: number;
  number: string | null;
  address: string;
  postalCode: string | null;
  kind: 'residential' | 'non_residential';
  totalArea: string | null;
  heatedArea: string | null;
  rooms: number | null;
  /** Persons registered on any day of the current month (Kyiv time). */
  registeredPersons: number;
  period: string;
  unifiedAccount: string | null;
  accounts: Array<{
    accountId: number;
    number: string;
    provider: { providerId: number; name: string; shortName: string | null; edrpou: string };
    service: { serviceId: number; code: string; nameUk: string; nameEn: string };
    openedOn: string;
    closedOn: string | null;
    open: boolean;
  }>;
}

/** Staff see every premise; provider users only their own accounts there; residents only their homes. */
export async function getPremise(db: Db, actor: SessionUser, premiseId: number): Promise<PremiseCard> {
  if (actor.role === 'resident') {
    if (!(await repo.isUserPremise(db, actor.communityId, actor.userId, premiseId))) throw forbidden();
  } else {
    requireReader(actor);
  }
  const p = await repo.findPremise(db, actor.communityId, premiseId);
  if (!p) throw notFound({ uk: `Приміщення ${premiseId}`, en: `Premise ${premiseId}` });
  const today = kyivToday();
  const period = periodOf(today);
  const [registeredPersons, accounts] = await Promise.all([
    repo.registeredPersons(db, actor.communityId, premiseId, period, periodEnd(period)),
    repo.premiseAccounts(db, actor.communityId, premiseId, providerScope(actor)),
  ]);
  return {
    premiseId: p.premise_id,
    buildingId: p.building_id,
    number: p.number,
    address: displayAddress({
      streetType: p.street_type,
      streetName: p.street_name,
      house: { number: p.house_number, letter: p.letter, fraction: p.fraction, block: p.block },
      apartment: p.number,
    }),
    postalCode: p.postal_code,
    kind: p.kind,
    totalArea: p.total_area,
    heatedArea: p.heated_area,
    rooms: p.rooms,
    registeredPersons,
    period,
    unifiedAccount: p.unified_account,
    accounts: accounts.map((a) => ({
      accountId: a.account_id,
      number: a.number,
      provider: { providerId: a.provider_id, name: a.provider_name, shortName: a.provider_short_name, edrpou: a.edrpou },
      service: { serviceId: a.service_id, code: a.service_code, nameUk: a.service_name_uk, nameEn: a.service_name_en },
      openedOn: a.opened_on,
      closedOn: a.closed_on,
      open: a.closed_on === null || a.closed_on >= today,
    })),
  };
}


// ---------------------------------------------------------------------------------------------
// Communities (set up from the CLI: `hromada community add`)
// ---------------------------------------------------------------------------------------------

export interface CommunityInput {
  communityId: number;
  name: string;
  /** The community's code in the КАТОТТГ classifier: «UA» and 17 digits. */
  katottg: string;
}

/** A new community; the deployment's admin does this once per community, before anything else. */
export async function createCommunity(db: Db, input: CommunityInput): Promise<{ communityId: number; name: string; katottg: string }> {
  if (!Number.isSafeInteger(input.communityId) || input.communityId <= 0) {
    throw invalid('invalid_community_id', { uk: `Поле «Номер громади»: «${input.communityId}» — не ціле додатне число`, en: `The field "Community id": "${input.communityId}" is not a positive whole number` }, { field: 'id' });
  }
  const name = input.name.trim();
  if (!name) throw invalid('invalid_name', { uk: 'Поле «Назва» не заповнене', en: 'The field "Name" is empty' }, { field: 'name' });
  const katottg = input.katottg.trim().toUpperCase();
  if (!/^UA\d{17}$/.test(katottg)) {
    throw invalid('invalid_katottg', { uk: `Поле «КАТОТТГ»: «${input.katottg}» — очікується UA і 17 цифр`, en: `The field "KATOTTG": "${input.katottg}" — UA and 17 digits expected` }, { field: 'katottg' });
  }
  return db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('community').select('community_id').where('community_id', '=', input.communityId).executeTakeFirst();
    if (existing) throw conflict('duplicate_community', { uk: `Громада ${input.communityId} уже є`, en: `Community ${input.communityId} already exists` }, { field: 'id' });
    const row = await trx.insertInto('community').values({ community_id: input.communityId, name, katottg }).returningAll().executeTakeFirstOrThrow();
    await writeAudit(trx, null, 'create', 'community', row.community_id, null, row);
    return { communityId: row.community_id, name: row.name, katottg: row.katottg };
  });
}
