/**
 * Balances and period statements, derived from the ledger alone (nothing is stored beside it, so
 * a statement can never disagree with the ledger): for each period, opening = Σ entries of earlier
 * periods + opening balances imported into this one; closing = opening + everything else of the
 * period = Σ of every entry up to and including the period.
 */
import { sql, type RawBuilder } from 'kysely';
import type { DbOrTx } from '../db/index';

export interface StatementRow {
  period: string;
  opening: number;
  charged: number;
  recalculations: number;
  benefits: number;
  subsidies: number;
  penalties: number;
  adjustments: number;
  paid: number;
  closing: number;
}

const PER_PERIOD = sql`
  coalesce(sum(amount) filter (where kind = 'opening_balance'), 0)::bigint as imported_opening,
  coalesce(sum(amount) filter (where kind = 'charge'), 0)::bigint as charged,
  coalesce(sum(amount) filter (where kind = 'recalculation'), 0)::bigint as recalculations,
  coalesce(sum(amount) filter (where kind = 'benefit'), 0)::bigint as benefits,
  coalesce(sum(amount) filter (where kind = 'subsidy'), 0)::bigint as subsidies,
  coalesce(sum(amount) filter (where kind = 'penalty'), 0)::bigint as penalties,
  coalesce(sum(amount) filter (where kind = 'adjustment'), 0)::bigint as adjustments,
  -- Payments net of their reversals (a reversal is a payment taken back), as the portal's history shows them.
  coalesce(sum(amount) filter (where kind in ('payment', 'reversal')), 0)::bigint as paid,
  sum(amount)::bigint as total`;

const STATEMENT_COLUMNS = sql`
  period,
  (coalesce(sum(total) over (order by period rows between unbounded preceding and 1 preceding), 0) + imported_opening)::bigint as opening,
  charged, recalculations, benefits, subsidies, penalties, adjustments, paid,
  (sum(total) over (order by period))::bigint as closing`;

/** Statement of one personal account, one row per period that has entries. */
export async function accountStatement(db: DbOrTx, communityId: number, accountId: number): Promise<StatementRow[]> {
  const r = await sql<StatementRow>`
with per as (
  select period, ${PER_PERIOD}
    from ledger_entry where community_id = ${communityId} and account_id = ${accountId}
   group by period
)
select ${STATEMENT_COLUMNS} from per order by period`.execute(db);
  return r.rows;
}

/** Statement of a unified account (a premise: all its personal accounts together). */
export async function premiseStatement(db: DbOrTx, communityId: number, premiseId: number): Promise<StatementRow[]> {
  const r = await sql<StatementRow>`
with per as (
  select le.period, ${PER_PERIOD}
    from ledger_entry le
    join account a on a.community_id = le.community_id and a.account_id = le.account_id
   where le.community_id = ${communityId} and a.premise_id = ${premiseId}
   group by le.period
)
select ${STATEMENT_COLUMNS} from per order by period`.execute(db);
  return r.rows;
}

export interface PremiseAccountLine extends StatementRow {
  account_id: number;
  number: string;
  provider: string;
  /** The service's name in Ukrainian and in English (the page shows the reader's). */
  service: string;
  service_en: string;
}

/** One period of a unified account, line by personal account (what a bill prints). */
export async function premisePeriodLines(db: DbOrTx, communityId: number, premiseId: number, period: string): Promise<PremiseAccountLine[]> {
  return (await premisesPeriodLines(db, communityId, [premiseId], period)).get(premiseId) ?? [];
}

/** `premisePeriodLines` of many premises in one statement (a print run's batch), by premise. */
export async function premisesPeriodLines(db: DbOrTx, communityId: number, premiseIds: number[], period: string): Promise<Map<number, PremiseAccountLine[]>> {
  const r = await sql<PremiseAccountLine & { premise_id: number }>`
with per as (
  select le.account_id, le.period, ${PER_PERIOD}
    from ledger_entry le
    join account a on a.community_id = le.community_id and a.account_id = le.account_id
   where le.community_id = ${communityId} and a.premise_id = any(${premiseIds}::bigint[]) and le.period <= ${period}::date
   group by le.account_id, le.period
),
st as (
  select account_id, period,
         (coalesce(sum(total) over (partition by account_id order by period rows between unbounded preceding and 1 preceding), 0) + imported_opening)::bigint as opening,
         charged, recalculations, benefits, subsidies, penalties, adjustments, paid,
         (sum(total) over (partition by account_id order by period))::bigint as closing,
         row_number() over (partition by account_id order by period desc) as latest
    from per
)
select a.premise_id, st.account_id, a.number, coalesce(p.short_name, p.name) as provider, s.name_uk as service, s.name_en as service_en, ${period}::date::text as period,
       case when st.period = ${period}::date then st.opening else st.closing end as opening,
       case when st.period = ${period}::date then st.charged else 0 end::bigint as charged,
       case when st.period = ${period}::date then st.recalculations else 0 end::bigint as recalculations,
       case when st.period = ${period}::date then st.benefits else 0 end::bigint as benefits,
       case when st.period = ${period}::date then st.subsidies else 0 end::bigint as subsidies,
       case when st.period = ${period}::date then st.penalties else 0 end::bigint as penalties,
       case when st.period = ${period}::date then st.adjustments else 0 end::bigint as adjustments,
       case when st.period = ${period}::date then st.paid else 0 end::bigint as paid,
       st.closing
  from st
  join account a on a.community_id = ${communityId} and a.account_id = st.account_id
  join provider p on p.community_id = a.community_id and p.provider_id = a.provider_id
  join service s on s.community_id = a.community_id and s.service_id = a.service_id
 where st.latest = 1
 order by a.premise_id, s.sort_order, s.service_id, a.number`.execute(db);
  return byPremise(r.rows);
}

/** Rows of many premises grouped by premise, each group in the query's order, without the key. */
export function byPremise<T extends { premise_id: number }>(rows: T[]): Map<number, Array<Omit<T, 'premise_id'>>> {
  const groups = new Map<number, Array<Omit<T, 'premise_id'>>>();
  for (const { premise_id, ...row } of rows) {
    const group = groups.get(premise_id);
    if (group) group.push(row);
    else groups.set(premise_id, [row]);
  }
  return groups;
}

/** Balance of an account: what the resident owes (> 0) or has paid in advance (< 0). */
export async function accountBalance(db: DbOrTx, communityId: number, accountId: number): Promise<number> {
  const r = await sql<{ balance: number }>`
select coalesce(sum(amount), 0)::bigint as balance from ledger_entry where community_id = ${communityId} and account_id = ${accountId}`.execute(db);
  return r.rows[0].balance;
}

export interface PremiseAccountBalance {
  accountId: number;
  number: string;
  providerId: number;
  provider: string;
  providerEdrpou: string;
  providerIban: string;
  serviceId: number;
  serviceCode: string;
  serviceUk: string;
  serviceEn: string;
  balance: number;
}

/**
 * Balance of each personal account of a premise, through `throughPeriod` when given (a bill of
 * that period) or through every entry posted so far (the agents' API, the portal, a receipt).
 * Feed it to `amountDue` (amount-due.ts): that is the one way "to pay" is computed.
 */
export async function premiseBalances(
  db: DbOrTx,
  communityId: number,
  premiseId: number,
  throughPeriod?: string,
): Promise<PremiseAccountBalance[]> {
  const r = await premiseBalancesQuery(communityId, sql`${premiseId}`, throughPeriod).execute(db);
  return r.rows;
}

/** `premiseBalances` of many premises in one statement (a print run's batch), by premise. */
export async function premisesBalances(db: DbOrTx, communityId: number, premiseIds: number[], throughPeriod?: string): Promise<Map<number, PremiseAccountBalance[]>> {
  const r = await premiseBalancesQuery(communityId, sql`any(${premiseIds}::bigint[])`, throughPeriod, { withPremise: true }).execute(db);
  return byPremise(r.rows as Array<PremiseAccountBalance & { premise_id: number }>);
}

/**
 * The query of `premiseBalances` for the premise `premiseId` (an SQL expression after
 * `premise_id =`, or `any(…)` for many), so that a caller may fold it into a larger statement
 * (the agents' pay reads it beside the household); `ordinal` adds `ord`, the row's place in that
 * order (1, 2, …); `withPremise` adds `premise_id` (rows of many premises come ordered by it).
 */
export function premiseBalancesQuery(communityId: number, premiseId: RawBuilder<unknown>, throughPeriod?: string, options: { ordinal?: boolean; withPremise?: boolean } = {}) {
  return sql<PremiseAccountBalance>`
select ${options.ordinal ? sql`row_number() over (order by (a.closed_on is not null), s.sort_order, s.service_id, a.number) as ord,` : sql``}
       ${options.withPremise ? sql`a.premise_id,` : sql``}
       a.account_id as "accountId", a.number, p.provider_id as "providerId", coalesce(p.short_name, p.name) as provider,
       p.edrpou as "providerEdrpou", p.iban as "providerIban",
       s.service_id as "serviceId", s.code as "serviceCode", s.name_uk as "serviceUk", s.name_en as "serviceEn",
       coalesce((select sum(le.amount) from ledger_entry le
                  where le.community_id = a.community_id and le.account_id = a.account_id
                    ${throughPeriod ? sql`and le.period <= ${throughPeriod}::date` : sql``}), 0)::bigint as balance
  from account a
  join provider p on p.community_id = a.community_id and p.provider_id = a.provider_id
  join service s on s.community_id = a.community_id and s.service_id = a.service_id
 where a.community_id = ${communityId} and a.premise_id = ${premiseId}
   -- Open accounts first: when nothing is owed, a payment's advance goes to the first account (allocate.ts), never a closed one.
 order by ${options.withPremise ? sql`a.premise_id, ` : sql``}(a.closed_on is not null), s.sort_order, s.service_id, a.number`;
}
