/** SQL of the metering domain (Kysely). Bulk reads and writes take arrays: one statement per chunk. */
import Decimal from 'decimal.js';
import { sql } from 'kysely';
import type { DbOrTx } from '../db/index';
import type { RawBuilder } from 'kysely';
import type { MeterKind, MeterStatus, ReadingChannel, ReadingKind, ReadingStatus } from './tables';

/**
 * The one rule of a provider's reach over meters (install, replace, read, review): the meter's
 * service is one the provider supplies, through an open account, on the meter's premise — or, for
 * a building meter, on some premise of its building. `meter` is the SQL alias of the meter row.
 */
export function providerServesMeter(providerId: number | null, meter = 'm'): RawBuilder<boolean> {
  const m = (column: string) => sql.ref(`${meter}.${column}`);
  return sql<boolean>`exists (
    select 1 from account a join premise ap on ap.community_id = a.community_id and ap.premise_id = a.premise_id
     where a.community_id = ${m('community_id')} and a.service_id = ${m('service_id')}
       and a.provider_id = ${providerId}::bigint and a.closed_on is null
       and (a.premise_id = ${m('premise_id')} or (${m('premise_id')} is null and ap.building_id = ${m('building_id')})))`;
}

const zoneValues = (r: { value1: string | null; value2: string | null; value3: string | null }, zones: number): string[] =>
  [r.value1, r.value2, r.value3].slice(0, zones).map((v) => new Decimal(v ?? '0').toString());

export interface MeterRow {
  meterId: number;
  kind: MeterKind;
  premiseId: number | null;
  buildingId: number;
  serviceId: number;
  providerId: number | null;
  serial: string;
  zones: number;
  digits: number;
  multiplier: string;
  status: MeterStatus;
  verifiedUntil: string | null;
  installedOn: string;
}

/** A meter with what validation needs: its last accepted reading, history, norm, persons, rules. */
export interface MeterContext extends MeterRow {
  previous: { readOn: string; values: string[] } | null;
  /** The earliest accepted reading within the estimation months before `previous`. */
  historyStart: { readOn: string; values: string[] } | null;
  normMonthlyPerPerson: string | null;
  persons: number;
  opensDay: number;
  closesDay: number;
  plausibilityFactor: string;
  /** The provider asked about (if any) has an open account for this meter's premise and service. */
  providerHasAccount: boolean;
}

export async function loadMeterContexts(
  db: DbOrTx,
  communityId: number,
  meterIds: number[],
  onDate: string,
  providerId: number | null = null,
): Promise<Map<number, MeterContext>> {
  if (meterIds.length === 0) return new Map();
  const result = await sql<{
    meter_id: number;
    kind: MeterKind;
    premise_id: number | null;
    building_id: number;
    service_id: number;
    provider_id: number | null;
    serial: string;
    zones: number;
    digits: number;
    multiplier: string;
    status: MeterStatus;
    verified_until: string | null;
    installed_on: string;
    p_read_on: string | null;
    p1: string | null;
    p2: string | null;
    p3: string | null;
    f_read_on: string | null;
    f1: string | null;
    f2: string | null;
    f3: string | null;
    norm: string | null;
    persons: number;
    opens_day: number;
    closes_day: number;
    factor: string;
    has_account: boolean;
  }>`
select m.meter_id, m.kind, m.premise_id, m.building_id, m.service_id, m.provider_id, m.serial, m.zones, m.digits,
       m.multiplier, m.status, m.verified_until, m.installed_on,
       p.read_on as p_read_on, p.value1 as p1, p.value2 as p2, p.value3 as p3,
       f.read_on as f_read_on, f.value1 as f1, f.value2 as f2, f.value3 as f3,
       n.monthly_per_person as norm,
       -- Persons matter only where the service has a norm: no count otherwise.
       case when n.monthly_per_person is null then 0 else
       (select count(*) from registration g
         where g.community_id = m.community_id and g.premise_id = m.premise_id
           and g.registered_from <= ${onDate}::date and (g.registered_to is null or g.registered_to >= ${onDate}::date))::int end as persons,
       coalesce(ps.window_opens_day, cs.window_opens_day, -4) as opens_day,
       coalesce(ps.window_closes_day, cs.window_closes_day, 0) as closes_day,
       coalesce(ps.plausibility_factor, cs.plausibility_factor, 3) as factor,
       ${providerId}::bigint is not null and ${providerServesMeter(providerId)} as has_account
from meter m
left join metering_settings ps on ps.community_id = m.community_id and ps.provider_id = m.provider_id
left join metering_settings cs on cs.community_id = m.community_id and cs.provider_id is null
left join meter_norm n on n.community_id = m.community_id and n.service_id = m.service_id
left join lateral (
  select r.read_on, r.value1, r.value2, r.value3 from meter_reading r
  where r.community_id = m.community_id and r.meter_id = m.meter_id and r.status = 'accepted'
  order by r.read_on desc, r.reading_id desc limit 1
) p on true
left join lateral (
  select r.read_on, r.value1, r.value2, r.value3 from meter_reading r
  where r.community_id = m.community_id and r.meter_id = m.meter_id and r.status = 'accepted'
    and r.read_on >= p.read_on - make_interval(months => coalesce(ps.estimate_months, cs.estimate_months, 3)::int)
    and r.read_on < p.read_on
  order by r.read_on, r.reading_id limit 1
) f on true
where m.community_id = ${communityId} and m.meter_id in (select unnest(${meterIds}::bigint[]))`.execute(db);
  const out = new Map<number, MeterContext>();
  for (const r of result.rows) {
    out.set(r.meter_id, {
      meterId: r.meter_id,
      kind: r.kind,
      premiseId: r.premise_id,
      buildingId: r.building_id,
      serviceId: r.service_id,
      providerId: r.provider_id,
      serial: r.serial,
      zones: r.zones,
      digits: r.digits,
      multiplier: r.multiplier,
      status: r.status,
      verifiedUntil: r.verified_until,
      installedOn: r.installed_on,
      previous: r.p_read_on ? { readOn: r.p_read_on, values: zoneValues({ value1: r.p1, value2: r.p2, value3: r.p3 }, r.zones) } : null,
      historyStart: r.f_read_on ? { readOn: r.f_read_on, values: zoneValues({ value1: r.f1, value2: r.f2, value3: r.f3 }, r.zones) } : null,
      normMonthlyPerPerson: r.norm,
      persons: Number(r.persons),
      opensDay: Number(r.opens_day),
      closesDay: Number(r.closes_day),
      plausibilityFactor: String(r.factor),
      providerHasAccount: r.has_account === true,
    });
  }
  return out;
}

/** Live meters with these serials (with their service code, for files that name both). */
export async function findMetersBySerial(db: DbOrTx, communityId: number, serials: string[]) {
  if (serials.length === 0) return [];
  return (
    db
      .selectFrom('meter as m')
      .innerJoin('service as s', (j) => j.onRef('s.community_id', '=', 'm.community_id').onRef('s.service_id', '=', 'm.service_id'))
      .select(['m.meter_id', 'm.serial', 's.code as service_code'])
      .where('m.community_id', '=', communityId)
      .where('m.status', '<>', 'retired')
      // A semi-join on the unnested array: index lookups, where `in (…5,000 parameters)` would scan the table.
      .where(sql<boolean>`m.serial in (select unnest(${serials}::text[]))`)
      .execute()
  );
}

export interface StoredReadingRow {
  readingId: number;
  meterId: number;
  period: string;
  kind: ReadingKind;
  values: string[];
  status: ReadingStatus;
}

/** Readings not rejected, of these meters, counted in `fromPeriod` or later: the duplicates' pool. */
export async function recentReadings(db: DbOrTx, communityId: number, meterIds: number[], fromPeriod: string): Promise<StoredReadingRow[]> {
  if (meterIds.length === 0) return [];
  const rows = await db
    .selectFrom('meter_reading')
    .select(['reading_id', 'meter_id', 'period', 'kind', 'value1', 'value2', 'value3', 'status'])
    .where('community_id', '=', communityId)
    // A semi-join on the unnested ids (not `= any(array)`, which the planner would test row by row).
    .where(sql<boolean>`meter_id in (select unnest(${meterIds}::bigint[]))`)
    .where('period', '>=', fromPeriod)
    .where('status', '<>', 'rejected')
    .execute();
  return rows.map((r) => ({
    readingId: r.reading_id,
    meterId: r.meter_id,
    period: r.period,
    kind: r.kind,
    values: [r.value1, r.value2, r.value3].filter((v): v is string => v !== null),
    status: r.status,
  }));
}

export interface NewReading {
  meterId: number;
  readOn: string;
  period: string;
  kind: ReadingKind;
  values: string[];
  channel: ReadingChannel;
  submittedBy: number | null;
  status: ReadingStatus;
  reasonCode: string | null;
  reasonUk: string | null;
  reasonEn: string | null;
  flags: string[];
  externalRef: string | null;
}

/**
 * Inserts many readings in one statement (arrays unnested: a handful of parameters whatever the
 * count). Ids are drawn from the identity sequence first, so that each inserted row is known by
 * its id; a reading already stored (the unique index of duplicates) is skipped, not an error.
 * Returns the ids in the order given, null where one was skipped.
 */
export async function insertReadings(db: DbOrTx, communityId: number, rows: NewReading[]): Promise<(number | null)[]> {
  if (rows.length === 0) return [];
  const drawn = await sql<{ id: number }>`
select nextval(pg_get_serial_sequence('meter_reading', 'reading_id')) as id from generate_series(1, ${rows.length}::int)`.execute(db);
  const ids = drawn.rows.map((r) => Number(r.id));
  const col = <T>(f: (r: NewReading) => T) => rows.map(f);
  const result = await sql<{ reading_id: number }>`
insert into meter_reading (community_id, reading_id, meter_id, read_on, period, kind, value1, value2, value3, channel, submitted_by,
                           status, reason_code, reason_uk, reason_en, flags, external_ref)
select ${communityId}, reading_id, meter_id, read_on, period, kind, value1, value2, value3, channel, submitted_by, status,
       reason_code, reason_uk, reason_en, coalesce(string_to_array(nullif(flags, ''), ','), '{}'), external_ref
from unnest(
  ${ids}::bigint[], ${col((r) => r.meterId)}::bigint[], ${col((r) => r.readOn)}::date[], ${col((r) => r.period)}::date[],
  ${col((r) => r.kind)}::text[], ${col((r) => r.values[0] ?? '0')}::numeric[], ${col((r) => r.values[1] ?? null)}::numeric[],
  ${col((r) => r.values[2] ?? null)}::numeric[], ${col((r) => r.channel)}::text[], ${col((r) => r.submittedBy)}::bigint[],
  ${col((r) => r.status)}::text[], ${col((r) => r.reasonCode)}::text[], ${col((r) => r.reasonUk)}::text[],
  ${col((r) => r.reasonEn)}::text[], ${col((r) => r.flags.join(','))}::text[], ${col((r) => r.externalRef)}::text[]
) as t(reading_id, meter_id, read_on, period, kind, value1, value2, value3, channel, submitted_by, status,
       reason_code, reason_uk, reason_en, flags, external_ref)
on conflict do nothing
returning reading_id`.execute(db);
  const inserted = new Set(result.rows.map((r) => Number(r.reading_id)));
  return ids.map((id) => (inserted.has(id) ? id : null));
}

/** Premises a resident user is linked to. */
export async function linkedPremises(db: DbOrTx, communityId: number, userId: number): Promise<Set<number>> {
  const rows = await db.selectFrom('user_premise').select('premise_id').where('community_id', '=', communityId).where('user_id', '=', userId).execute();
  return new Set(rows.map((r) => r.premise_id));
}

/** Premise of a unified account number (the number printed on the bill). */
export async function premiseByUnifiedNumber(db: DbOrTx, communityId: number, number: string): Promise<number | undefined> {
  const row = await db
    .selectFrom('unified_account')
    .select('premise_id')
    .where('community_id', '=', communityId)
    .where('number', '=', number)
    .executeTakeFirst();
  return row?.premise_id;
}

export async function metersOfPremise(db: DbOrTx, communityId: number, premiseId: number) {
  return db
    .selectFrom('meter')
    .innerJoin('service', (j) => j.onRef('service.community_id', '=', 'meter.community_id').onRef('service.service_id', '=', 'meter.service_id'))
    .select([
      'meter.meter_id',
      'meter.serial',
      'meter.kind',
      'meter.zones',
      'meter.digits',
      'meter.multiplier',
      'meter.status',
      'meter.verified_until',
      'meter.installed_on',
      'meter.provider_id',
      'meter.premise_id',
      'service.service_id',
      'service.code as service_code',
      'service.name_uk as service_name_uk',
      'service.name_en as service_name_en',
      'service.unit',
    ])
    .where('meter.community_id', '=', communityId)
    .where('meter.premise_id', '=', premiseId)
    .where('meter.status', '<>', 'retired')
    .orderBy('service.sort_order')
    .orderBy('meter.meter_id')
    .execute();
}

/** The last `count` readings of each meter (any status), newest first. */
export async function lastReadings(db: DbOrTx, communityId: number, meterIds: number[], count: number) {
  if (meterIds.length === 0) return [];
  const result = await sql<{
    reading_id: number;
    meter_id: number;
    read_on: string;
    period: string;
    kind: ReadingKind;
    value1: string;
    value2: string | null;
    value3: string | null;
    channel: ReadingChannel;
    status: ReadingStatus;
    reason_uk: string | null;
    reason_en: string | null;
    flags: string[];
  }>`
select * from (
  select r.reading_id, r.meter_id, r.read_on, r.period, r.kind, r.value1, r.value2, r.value3, r.channel, r.status,
         r.reason_uk, r.reason_en, r.flags,
         row_number() over (partition by r.meter_id order by r.read_on desc, r.reading_id desc) as n
  from meter_reading r
  where r.community_id = ${communityId} and r.meter_id = any(${meterIds}::bigint[])
) x where n <= ${count} order by meter_id, n`.execute(db);
  return result.rows;
}

export interface PremiseHit {
  premise_id: number;
  building_id: number;
  premise_number: string | null;
  /** The building's house key («12а», «12/4»): the desk ranks the house that was typed first. */
  house_key: string;
  /** «вул. Соборна, буд. 5, кв. 1», printed by premise_address (the way every address is printed). */
  address: string;
  unified_number: string | null;
  persons: string | null;
}

/**
 * Premises for the desk's search box: by unified account number, personal account number, a
 * meter's serial, a resident's surname (with first name), or a street with house and flat (`flat` is an apartment
 * key: '5', 'п1' for «прим. 1»).
 */
export async function searchPremises(
  db: DbOrTx,
  communityId: number,
  q: { text: string; street: string | null; house: number | null; flat: string | null; lastName: string | null; firstName: string | null },
  providerId: number | null,
  limit: number,
): Promise<PremiseHit[]> {
  const result = await sql<PremiseHit>`
select p.premise_id, p.building_id, p.number as premise_number, b.house_key,
       premise_address(s.type, s.name, b.house_key, p.apartment_key) as address, ua.number as unified_number,
       (select string_agg(pe.last_name || ' ' || pe.first_name, ', ' order by pe.last_name, pe.first_name)
          from registration g join person pe on pe.community_id = g.community_id and pe.person_id = g.person_id
         where g.community_id = p.community_id and g.premise_id = p.premise_id and g.registered_to is null) as persons
from premise p
join building b on b.community_id = p.community_id and b.building_id = p.building_id
join street s on s.community_id = b.community_id and s.street_id = b.street_id
left join unified_account ua on ua.community_id = p.community_id and ua.premise_id = p.premise_id
where p.community_id = ${communityId}
  and (${providerId}::bigint is null or exists (
        select 1 from account a where a.community_id = p.community_id and a.premise_id = p.premise_id and a.provider_id = ${providerId}::bigint))
  and (
    ua.number = ${q.text}
    or p.premise_id in (select a.premise_id from account a where a.community_id = ${communityId} and a.number = ${q.text})
    -- A meter's serial as typed or in capitals (serials are printed in capitals): the meter's premise.
    or p.premise_id in (select m.premise_id from meter m where m.community_id = ${communityId} and m.status <> 'retired'
                          and m.serial in (${q.text}, upper(${q.text})))
    or (${q.lastName}::text is not null and p.premise_id in (
          select g.premise_id from registration g join person pe on pe.community_id = g.community_id and pe.person_id = g.person_id
           where g.community_id = ${communityId} and g.registered_to is null
             and lower(pe.last_name) = lower(${q.lastName}::text)
             and (${q.firstName}::text is null or lower(pe.first_name) like lower(${q.firstName}::text) || '%')))
    or (${q.street}::text is not null and ${q.house}::int is not null
        and s.name_key like '%' || lower(${q.street}::text) || '%' and b.number = ${q.house}::int
        and (${q.flat}::text is null or p.apartment_key = ${q.flat}::text))
  )
order by s.name, b.number, b.house_key, nullif(regexp_replace(coalesce(p.number, ''), '\\D', '', 'g'), '')::int nulls first, p.number
limit ${limit}`.execute(db);
  return result.rows;
}

/** One flat of the community with meters, its unified account and a resident's surname: the desk's hint names real ones. */
export async function deskExamples(db: DbOrTx, communityId: number) {
  const result = await sql<{ address: string; unified_number: string | null; last_name: string | null }>`
select premise_address(s.type, s.name, b.house_key, p.apartment_key) as address, ua.number as unified_number,
       (select pe.last_name from registration g join person pe on pe.community_id = g.community_id and pe.person_id = g.person_id
         where g.community_id = p.community_id and g.premise_id = p.premise_id and g.registered_to is null
         order by pe.person_id limit 1) as last_name
from premise p
join building b on b.community_id = p.community_id and b.building_id = p.building_id
join street s on s.community_id = b.community_id and s.street_id = b.street_id
left join unified_account ua on ua.community_id = p.community_id and ua.premise_id = p.premise_id
where p.community_id = ${communityId} and p.number is not null
  and exists (select 1 from meter m where m.community_id = p.community_id and m.premise_id = p.premise_id)
order by p.premise_id
limit 1`.execute(db);
  return result.rows[0];
}

/** The flats of a building in walking order (1, 2, … 10, not 1, 10, 2). */
export async function premisesOfBuilding(db: DbOrTx, communityId: number, buildingId: number) {
  const result = await sql<{ premise_id: number; premise_number: string | null; unified_number: string | null; meters: number }>`
select p.premise_id, p.number as premise_number, ua.number as unified_number,
       (select count(*) from meter m where m.community_id = p.community_id and m.premise_id = p.premise_id and m.status <> 'retired')::int as meters
from premise p
left join unified_account ua on ua.community_id = p.community_id and ua.premise_id = p.premise_id
where p.community_id = ${communityId} and p.building_id = ${buildingId}
order by nullif(regexp_replace(coalesce(p.number, ''), '\\D', '', 'g'), '')::int nulls first, p.number, p.premise_id`.execute(db);
  return result.rows;
}
