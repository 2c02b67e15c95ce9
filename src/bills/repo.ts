/**
 * SQL of the bills: what a premise's bill is made of, read from the registry, the ledger and the
 * readings (the figures through premisePeriodLines / premiseBalances of billing/statements.ts),
 * the design, deliveries, the e-mail log and print files.
 */
import { sql } from 'kysely';
import type { DbOrTx } from '../db/index';
import { byPremise } from '../billing/statements';
import { displayAddress } from '../registry/service';
import { trimDecimal, type ChargeDetail, type MeterLine } from './model';
import type { DeliveryMethod } from './tables';

export async function loadDesignRow(db: DbOrTx, communityId: number) {
  const row = await db.selectFrom('bill_design').selectAll().where('community_id', '=', communityId).executeTakeFirst();
  return row && { ...row, logo: row.logo ? Buffer.from(row.logo) : null };
}
export type DesignRow = NonNullable<Awaited<ReturnType<typeof loadDesignRow>>>;

export async function loadPeriod(db: DbOrTx, communityId: number, period: string) {
  return db.selectFrom('billing_period').select(['status', 'due_date']).where('community_id', '=', communityId).where('period', '=', period).executeTakeFirst();
}

export interface PremiseHeader {
  premiseId: number;
  communityName: string;
  street: string | null;
  postalCode: string | null;
  unifiedAccount: string | null;
  addresseeName: string | null;
  delivery: DeliveryMethod;
  email: string | null;
  /** Route order: postal code, street, building, apartment. */
  streetName: string;
  houseKey: string;
  buildingNumber: number;
  apartmentKey: string;
}

/** The premises' address blocks, unified accounts, addressees and deliveries, in delivery route order. */
export async function premiseHeaders(db: DbOrTx, communityId: number, period: string, premiseIds?: number[]): Promise<PremiseHeader[]> {
  const r = await sql<{
    premise_id: number; community_name: string; street_type: string | null; street_name: string | null; number: number | null; letter: string | null;
    fraction: string | null; block: string | null; apartment: string | null; postal_code: string | null; unified_account: string | null;
    addressee: string | null; method: DeliveryMethod | null; email: string | null; house_key: string | null; apartment_key: string;
  }>`
select p.premise_id, c.name as community_name, s.type as street_type, s.name as street_name, b.number, b.letter, b.fraction, b.block,
       p.number as apartment, coalesce(b.postal_code, s.postal_code) as postal_code, ua.number as unified_account,
       (select concat_ws(' ', pe.last_name, pe.first_name, pe.patronymic)
          from registration r join person pe on pe.community_id = r.community_id and pe.person_id = r.person_id
         where r.community_id = p.community_id and r.premise_id = p.premise_id
           and r.registered_from <= (${period}::date + interval '1 month' - interval '1 day')
           and (r.registered_to is null or r.registered_to >= ${period}::date)
         order by r.registered_from, r.person_id limit 1) as addressee,
       d.method, d.email, b.house_key, p.apartment_key
  from premise p
  join community c on c.community_id = p.community_id
  left join building b on b.community_id = p.community_id and b.building_id = p.building_id
  left join street s on s.community_id = b.community_id and s.street_id = b.street_id
  left join unified_account ua on ua.community_id = p.community_id and ua.premise_id = p.premise_id
  left join bill_delivery d on d.community_id = p.community_id and d.premise_id = p.premise_id
 where p.community_id = ${communityId} ${premiseIds ? sql`and p.premise_id = any(${premiseIds}::bigint[])` : sql``}
 order by coalesce(b.postal_code, s.postal_code) nulls last, s.name, b.number, b.house_key, length(p.apartment_key), p.apartment_key, p.premise_id`.execute(db);
  return r.rows.map((p) => ({
    premiseId: p.premise_id,
    communityName: p.community_name,
    street:
      p.street_name && p.street_type && p.number !== null
        ? displayAddress({ streetType: p.street_type, streetName: p.street_name, house: { number: p.number, letter: p.letter, fraction: p.fraction, block: p.block }, apartment: p.apartment })
        : null,
    postalCode: p.postal_code,
    unifiedAccount: p.unified_account,
    addresseeName: p.addressee,
    delivery: p.method ?? 'courier',
    email: p.email,
    streetName: p.street_name ?? '',
    houseKey: p.house_key ?? '',
    buildingNumber: p.number ?? 0,
    apartmentKey: p.apartment_key,
  }));
}

/** The period's charges of the premises' accounts with volume and tariff, as billed, by premise (a print run's batch at once). */
export async function premisesChargeDetails(db: DbOrTx, communityId: number, premiseIds: number[], period: string): Promise<Map<number, ChargeDetail[]>> {
  const r = await sql<ChargeDetail & { premise_id: number }>`
select a.premise_id, le.account_id as "accountId", le.volume, le.tariff, le.amount
  from ledger_entry le join account a on a.community_id = le.community_id and a.account_id = le.account_id
 where le.community_id = ${communityId} and a.premise_id = any(${premiseIds}::bigint[]) and le.period = ${period}::date and le.kind = 'charge'
 order by a.premise_id, le.account_id, le.entry_id`.execute(db);
  return byPremise(r.rows);
}

/** Each meter of the premises in the period: the readings consumption was taken from, or «estimated»; by premise. */
export async function premisesMeterLines(db: DbOrTx, communityId: number, premiseIds: number[], period: string): Promise<Map<number, MeterLine[]>> {
  const r = await sql<MeterLine & { premise_id: number }>`
select mc.premise_id, s.code as "serviceCode", s.name_uk as "serviceUk", m.serial, mc.zone,
       (case mc.zone when 1 then sr.value1 when 2 then sr.value2 else sr.value3 end)::text as previous,
       (case mc.zone when 1 then er.value1 when 2 then er.value2 else er.value3 end)::text as current,
       mc.estimated, mc.volume::text as consumption, s.unit
  from meter_consumption mc
  join meter m on m.community_id = mc.community_id and m.meter_id = mc.meter_id
  join service s on s.community_id = mc.community_id and s.service_id = mc.service_id
  left join meter_reading sr on sr.community_id = mc.community_id and sr.reading_id = mc.start_reading_id
  left join meter_reading er on er.community_id = mc.community_id and er.reading_id = mc.end_reading_id
 where mc.community_id = ${communityId} and mc.premise_id = any(${premiseIds}::bigint[]) and mc.period = ${period}::date
 order by mc.premise_id, s.sort_order, m.serial, mc.zone`.execute(db);
  const trim = (v: string | null) => (v === null ? null : trimDecimal(v));
  const lines = byPremise(r.rows);
  for (const group of lines.values()) {
    for (const m of group) Object.assign(m, { previous: trim(m.previous), current: trim(m.current), consumption: trimDecimal(m.consumption) });
  }
  return lines;
}

export interface NoticeRow {
  noticeId: number;
  providerId: number | null;
  provider: string | null;
  periodFrom: string;
  periodTo: string;
  textUk: string;
  textEn: string;
}

/** The notices in force in a period (provider_id null = the community's news), oldest first. */
export async function noticesInPeriod(db: DbOrTx, communityId: number, period: string, providerId?: number): Promise<NoticeRow[]> {
  const r = await sql<NoticeRow>`
select n.notice_id as "noticeId", n.provider_id as "providerId", coalesce(p.short_name, p.name) as provider,
       n.period_from::text as "periodFrom", n.period_to::text as "periodTo", n.text_uk as "textUk", n.text_en as "textEn"
  from bill_notice n left join provider p on p.community_id = n.community_id and p.provider_id = n.provider_id
 where n.community_id = ${communityId} and ${period}::date between n.period_from and n.period_to
   ${providerId === undefined ? sql`` : sql`and n.provider_id = ${providerId}`}
 order by n.notice_id`.execute(db);
  return r.rows;
}
