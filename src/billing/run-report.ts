/**
 * What a billing run computed, for the people who check it before the period closes: totals per
 * provider and service beside the previous month's, and the accounts whose charge is far from
 * their usual.
 */
import { sql, type RawBuilder } from 'kysely';
import type { DbOrTx } from '../db/index';
import { prevPeriod, type Period } from '../shared/period';

export interface ServiceSummary {
  provider_id: number;
  provider: string;
  service_id: number;
  service: string;
  service_en: string;
  accounts: number;
  charged: number;
  /** Of `charged`, what metered lines charged on estimated volumes (no reading this month). */
  estimated: number;
  benefits: number;
  subsidies: number;
  recalculations: number;
  penalties: number;
  previous_charged: number;
}

/** Totals per provider and service for the run, beside the previous month's charges in the ledger. */
export async function runSummary(db: DbOrTx, communityId: number, billingRunId: number, period: Period): Promise<ServiceSummary[]> {
  const r = await sql<ServiceSummary>`
with cur as (
  select a.provider_id, a.service_id, count(distinct cl.account_id)::int as accounts,
         coalesce(sum(cl.amount) filter (where cl.kind = 'charge'), 0)::bigint as charged,
         coalesce(sum(cl.amount) filter (where cl.kind = 'charge' and cl.estimated), 0)::bigint as estimated,
         coalesce(sum(cl.amount) filter (where cl.kind = 'benefit'), 0)::bigint as benefits,
         coalesce(sum(cl.amount) filter (where cl.kind = 'subsidy'), 0)::bigint as subsidies,
         coalesce(sum(cl.amount) filter (where cl.kind = 'recalculation'), 0)::bigint as recalculations,
         coalesce(sum(cl.amount) filter (where cl.kind = 'penalty'), 0)::bigint as penalties
    from charge_line cl join account a on a.community_id = cl.community_id and a.account_id = cl.account_id
   where cl.community_id = ${communityId} and cl.billing_run_id = ${billingRunId}
   group by a.provider_id, a.service_id
),
prev as (
  select a.provider_id, a.service_id, sum(le.amount)::bigint as charged
    from ledger_entry le join account a on a.community_id = le.community_id and a.account_id = le.account_id
   where le.community_id = ${communityId} and le.period = ${prevPeriod(period)}::date and le.kind = 'charge'
   group by a.provider_id, a.service_id
)
select coalesce(cur.provider_id, prev.provider_id) as provider_id, coalesce(p.short_name, p.name) as provider,
       coalesce(cur.service_id, prev.service_id) as service_id, s.name_uk as service, s.name_en as service_en,
       coalesce(cur.accounts, 0) as accounts, coalesce(cur.charged, 0) as charged, coalesce(cur.estimated, 0) as estimated,
       coalesce(cur.benefits, 0) as benefits,
       coalesce(cur.subsidies, 0) as subsidies, coalesce(cur.recalculations, 0) as recalculations,
       coalesce(cur.penalties, 0) as penalties, coalesce(prev.charged, 0) as previous_charged
  from cur full join prev on prev.provider_id = cur.provider_id and prev.service_id = cur.service_id
  join provider p on p.community_id = ${communityId} and p.provider_id = coalesce(cur.provider_id, prev.provider_id)
  join service s on s.community_id = ${communityId} and s.service_id = coalesce(cur.service_id, prev.service_id)
 order by s.sort_order, s.service_id, provider`.execute(db);
  return r.rows;
}

export interface Outlier {
  account_id: number;
  number: string;
  provider: string;
  service: string;
  service_en: string;
  address: string;
  charged: number;
  usual: number;
}

/** Each account's usual charge from every charge entry of the three months before `period`. */
const usualFromLedger = (communityId: number, period: Period, accounts: RawBuilder<unknown>) => sql`
  select le.account_id, (sum(le.amount) / count(distinct le.period))::bigint as usual
    from ledger_entry le
   where le.community_id = ${communityId} and le.kind = 'charge'
     and le.period between ${prevPeriod(period, 3)}::date and ${prevPeriod(period)}::date
     and le.account_id in (${accounts})
   group by le.account_id`;

/**
 * The same from the snapshot of the month before (its three months of charges, one row per
 * account), except for accounts with a charge entry in those months posted after the snapshot's
 * mark (possible only in months that never were billing periods): those are read from the ledger.
 */
const usualFromSnapshot = (communityId: number, period: Period, mark: number) => sql`
late as (
  select distinct account_id from ledger_entry
   where community_id = ${communityId} and entry_id > ${mark}::bigint and kind = 'charge'
     and period between ${prevPeriod(period, 3)}::date and ${prevPeriod(period)}::date
),
usual as (
  select s.account_id,
         ((coalesce(s.charged_1, 0) + coalesce(s.charged_2, 0) + coalesce(s.charged_3, 0))::numeric
           / ((s.charged_1 is not null)::int + (s.charged_2 is not null)::int + (s.charged_3 is not null)::int))::bigint as usual
    from ledger_snapshot s
   where s.community_id = ${communityId} and s.period = ${prevPeriod(period)}::date
     and (s.charged_1 is not null or s.charged_2 is not null or s.charged_3 is not null)
     and not exists (select 1 from late where late.account_id = s.account_id)
  union all
  ${usualFromLedger(communityId, period, sql`select account_id from late`)}
)`;

/**
 * Accounts whose charge this run is more than `factor` times their usual one (the average monthly
 * charge of the three previous periods in the ledger): to be reviewed before the period closes.
 * Read from the previous month's ledger snapshot when there is one (a close writes it), else from
 * the ledger's charge entries.
 */
export async function runOutliers(
  db: DbOrTx,
  communityId: number,
  billingRunId: number,
  period: Period,
  factor: string,
  limit = 200,
  { fromLedger = false } = {},
): Promise<Outlier[]> {
  const previous = fromLedger
    ? undefined
    : await db
        .selectFrom('billing_period')
        .select('snapshot_entry_id')
        .where('community_id', '=', communityId)
        .where('period', '=', prevPeriod(period))
        .executeTakeFirst();
  const mark = previous?.snapshot_entry_id;
  const r = await sql<Outlier>`
with cur as (
  select account_id, sum(amount)::bigint as charged
    from charge_line
   where community_id = ${communityId} and billing_run_id = ${billingRunId} and kind = 'charge'
   group by account_id
),
${mark ? usualFromSnapshot(communityId, period, mark) : sql`usual as (${usualFromLedger(communityId, period, sql`select account_id from cur`)})`},
-- The few flagged accounts first, then their addresses: joined before the filter, the planner
-- looked up the address of every account in the city (seconds on a million).
flagged as materialized (
  select cur.account_id, cur.charged, u.usual
    from cur join usual u on u.account_id = cur.account_id
   where u.usual > 0 and cur.charged > u.usual * ${factor}::numeric
   order by cur.charged::numeric / u.usual desc, cur.account_id
   limit ${limit}
)
select f.account_id, a.number, coalesce(p.short_name, p.name) as provider, s.name_uk as service, s.name_en as service_en,
       premise_address(st.type, st.name, b.house_key, pr.apartment_key) as address,
       f.charged, f.usual
  from flagged f
  join account a on a.community_id = ${communityId} and a.account_id = f.account_id
  join provider p on p.community_id = a.community_id and p.provider_id = a.provider_id
  join service s on s.community_id = a.community_id and s.service_id = a.service_id
  join premise pr on pr.community_id = a.community_id and pr.premise_id = a.premise_id
  join building b on b.community_id = pr.community_id and b.building_id = pr.building_id
  join street st on st.community_id = b.community_id and st.street_id = b.street_id
 order by f.charged::numeric / f.usual desc, f.account_id`.execute(db);
  return r.rows;
}

/**
 * Marks the run calculated (and the period with it); the review (summary, outliers) is read on
 * demand. Providers' imported charges of the period are checked against the approved tariffs.
 */
