/**
 * A provider's own home: its figures (open accounts, what it charged in its latest month, readings
 * received this month, what waits in its review queues) and the list of its own accounts with
 * search. Everything is limited to the signed-in provider: it can never name another.
 */
import { sql } from 'kysely';
import type { Db } from '../db/index';
import { providerServesMeter } from '../metering/repo';
import { premiseAddressSql } from '../onboarding/repo';
import { requireRole } from '../server/access';
import type { SessionUser } from '../server/context';

export interface ProviderHome {
  provider: { providerId: number; name: string; edrpou: string };
  openAccounts: number;
  /** The latest period the provider has charges in, and their sum (kopecks). */
  chargedPeriod: string | null;
  charged: number;
  readingsThisMonth: number;
  readingsToReview: number;
  importRowsToReview: number;
}

function ownProvider(actor: SessionUser): number {
  requireRole(actor, 'provider');
  return actor.providerId!;
}

export async function providerHome(db: Db, actor: SessionUser, today: string): Promise<ProviderHome> {
  const providerId = ownProvider(actor);
  const c = actor.communityId;
  const monthStart = `${today.slice(0, 7)}-01`;
  const r = await sql<{ name: string; edrpou: string; open_accounts: number; charged_period: string | null; charged: string | null; readings: number; to_review: number; import_rows: number }>`
    with own as (select account_id from account where community_id = ${c} and provider_id = ${providerId}),
    latest as (select max(l.period) as period from ledger_entry l where l.community_id = ${c} and l.kind = 'charge' and l.account_id in (select account_id from own))
    select v.name, v.edrpou,
           (select count(*)::int from account a where a.community_id = ${c} and a.provider_id = ${providerId} and a.closed_on is null) as open_accounts,
           (select period::text from latest) as charged_period,
           (select sum(l.amount)::text from ledger_entry l where l.community_id = ${c} and l.kind = 'charge' and l.period = (select period from latest)
                                                          and l.account_id in (select account_id from own)) as charged,
           (select count(*)::int from meter_reading r join meter m on m.community_id = r.community_id and m.meter_id = r.meter_id
             where r.community_id = ${c} and r.read_on >= ${monthStart}::date and ${providerServesMeter(providerId)}) as readings,
           (select count(*)::int from meter_reading r join meter m on m.community_id = r.community_id and m.meter_id = r.meter_id
             where r.community_id = ${c} and r.status = 'needs_review' and ${providerServesMeter(providerId)}) as to_review,
           (select count(*)::int from import_match im join data_import d on d.community_id = im.community_id and d.import_id = im.import_id
             where im.community_id = ${c} and d.provider_id = ${providerId} and not d.dry_run and im.status in ('review', 'new') and im.resolution is null) as import_rows
      from provider v where v.community_id = ${c} and v.provider_id = ${providerId}`.execute(db);
  const row = r.rows[0]!;
  return {
    provider: { providerId, name: row.name, edrpou: row.edrpou },
    openAccounts: row.open_accounts,
    chargedPeriod: row.charged_period,
    charged: Number(row.charged ?? 0),
    readingsThisMonth: row.readings,
    readingsToReview: row.to_review,
    importRowsToReview: row.import_rows,
  };
}

export interface OwnAccount {
  accountId: number;
  number: string;
  serviceCode: string;
  serviceUk: string;
  serviceEn: string;
  address: string;
  unifiedAccount: string | null;
  open: boolean;
  balance: number;
}

/** The provider's own accounts by number, searched by account number or address; a page after a number. */
export async function providerAccounts(db: Db, actor: SessionUser, q: string, after: string | null, limit: number): Promise<{ items: OwnAccount[]; next: string | null }> {
  const providerId = ownProvider(actor);
  const c = actor.communityId;
  const text = q.trim();
  const like = `%${text.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
  const r = await sql<{ account_id: number; number: string; code: string; name_uk: string; name_en: string; address: string; unified: string | null; closed_on: string | null; balance: string }>`
    select a.account_id, a.number, s.code, s.name_uk, s.name_en, ${premiseAddressSql('p', 'b', 'st')} as address, ua.number as unified, a.closed_on::text as closed_on,
           coalesce((select sum(l.amount) from ledger_entry l where l.community_id = a.community_id and l.account_id = a.account_id), 0)::text as balance
      from account a
      join service s on s.community_id = a.community_id and s.service_id = a.service_id
      join premise p on p.community_id = a.community_id and p.premise_id = a.premise_id
      join building b on b.community_id = p.community_id and b.building_id = p.building_id
      join street st on st.community_id = b.community_id and st.street_id = b.street_id
      left join unified_account ua on ua.community_id = p.community_id and ua.premise_id = p.premise_id
     where a.community_id = ${c} and a.provider_id = ${providerId}
       and (${text} = '' or a.number ilike ${like} or ${premiseAddressSql('p', 'b', 'st')} ilike ${like} or ua.number = ${text})
       and (${after}::text is null or a.number > ${after}::text)
     order by a.number limit ${limit + 1}`.execute(db);
  const rows = r.rows.slice(0, limit);
  return {
    items: rows.map((a) => ({
      accountId: a.account_id,
      number: a.number,
      serviceCode: a.code,
      serviceUk: a.name_uk,
      serviceEn: a.name_en,
      address: a.address,
      unifiedAccount: a.unified,
      open: a.closed_on === null,
      balance: Number(a.balance),
    })),
    next: r.rows.length > limit ? rows.at(-1)!.number : null,
  };
}
