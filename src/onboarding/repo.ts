/**
 * SQL of onboarding: imports and their files, applying the matched rows, the per-row report, the
 * address register (matching the rows is in match-repo.ts). Set-based: a handful of statements
 * over the staged rows of one import (joins on the keys computed while the file streamed), never a
 * statement per row. Statements that use temporary tables run inside the caller's transaction,
 * which pins one connection.
 */
import { sql } from 'kysely';
import type { DbOrTx, Tx } from '../db/index';
import type { ImportKind } from './tables';
import { onlyRows, otherNameKeys, type Scope } from './staged';
import { accountBoundsReason, rowBoundsReason, type AmountBounds, type MoneyField } from '../shared/amount-bounds';

// ---------------------------------------------------------------- imports and profiles

export async function findImport(db: DbOrTx, communityId: number, importId: number) {
  return db.selectFrom('data_import').selectAll().where('community_id', '=', communityId).where('import_id', '=', importId).executeTakeFirst();
}

/** An earlier import of the very same file (same bytes, read with the same profile) that was applied. */
export async function findAppliedSameFile(db: DbOrTx, communityId: number, providerId: number | null, kind: ImportKind, fileHash: string, settings: unknown) {
  let q = db
    .selectFrom('data_import')
    .select(['import_id', 'created_at', 'counters'])
    .where('community_id', '=', communityId)
    .where('kind', '=', kind)
    .where('file_hash', '=', fileHash)
    .where(sql<boolean>`settings = ${JSON.stringify(settings)}::jsonb`)
    .where('status', 'in', ['applied', 'partial'])
    .where('dry_run', '=', false);
  q = providerId === null ? q.where('provider_id', 'is', null) : q.where('provider_id', '=', providerId);
  return q.orderBy('import_id', 'desc').executeTakeFirst();
}

export async function deleteRows(db: DbOrTx, s: Scope) {
  await db.deleteFrom('import_match').where('community_id', '=', s.communityId).where('import_id', '=', s.importId).execute();
  await db.deleteFrom('import_row').where('community_id', '=', s.communityId).where('import_id', '=', s.importId).execute();
}

// ---------------------------------------------------------------- applying

/** The staged rows that matched, joined to their result: `r` the row, `m` the match. */
const matched = (s: Scope, rows?: number[]) => sql`
  import_row r join import_match m on m.community_id = r.community_id and m.import_id = r.import_id and m.row_no = r.row_no
  where r.community_id = ${s.communityId} and r.import_id = ${s.importId} and m.status = 'matched' ${onlyRows(rows)}`;

/** The account a matched row names (after upsertAccounts for account files). */
const accountJoin = (providerId: number) => sql`
  join service sv on sv.community_id = r.community_id and sv.code = r.service_code
  join account a on a.community_id = r.community_id and a.provider_id = ${providerId} and a.service_id = sv.service_id and a.number = r.account_number`;

/** Accounts: insert new ones, move those whose premise changed; returns the counts. */
export async function upsertAccounts(trx: Tx, s: Scope, providerId: number, openedOn: string, rows?: number[]) {
  const r = await sql<{ created: number; moved: number }>`
    with up as (
      insert into account (community_id, provider_id, premise_id, service_id, number, opened_on)
      select r.community_id, ${providerId}::bigint, m.premise_id, sv.service_id, r.account_number,
             coalesce((r.data->>'opened_on')::date, ${openedOn}::date)
        from import_row r
        join import_match m on m.community_id = r.community_id and m.import_id = r.import_id and m.row_no = r.row_no
        join service sv on sv.community_id = r.community_id and sv.code = r.service_code
       where r.community_id = ${s.communityId} and r.import_id = ${s.importId} and m.status = 'matched' ${onlyRows(rows)}
      on conflict (community_id, provider_id, service_id, number)
      do update set premise_id = excluded.premise_id where account.premise_id <> excluded.premise_id
      returning (xmax = 0) as inserted)
    select (count(*) filter (where inserted))::int as created, (count(*) filter (where not inserted))::int as moved from up`.execute(trx);
  return r.rows[0];
}

/**
 * After upsertAccounts: the account of each matched row, in the temporary table row_account, so
 * that reports and balances join on the row number instead of looking the account up again.
 */
export async function linkAccounts(trx: Tx, s: Scope, providerId: number, rows?: number[]) {
  await sql`drop table if exists row_account`.execute(trx);
  await sql`
    create temporary table row_account on commit drop as
    select r.row_no, a.account_id, a.community_id
      from import_row r
      join import_match m on m.community_id = r.community_id and m.import_id = r.import_id and m.row_no = r.row_no
      ${accountJoin(providerId)}
     where r.community_id = ${s.communityId} and r.import_id = ${s.importId} and m.status = 'matched' ${onlyRows(rows)}`.execute(trx);
  await sql`analyze row_account`.execute(trx);
}

/** What the provider said about each account (payer, area, persons): only changed rows are written. */
/** Needs linkAccounts first. */
export async function upsertAccountReports(trx: Tx, s: Scope, rows?: number[]) {
  const r = await sql<{ n: number }>`
    with up as (
      insert into account_report (community_id, account_id, payer, area, persons, row_hash, import_id)
      select a.community_id, a.account_id, r.data->>'payer', (r.data->>'area')::numeric, (r.data->>'persons')::int,
             md5(concat_ws('|', r.data->>'payer', r.data->>'area', r.data->>'persons')), ${s.importId}::bigint
        from import_row r join row_account a on a.row_no = r.row_no
       where r.community_id = ${s.communityId} and r.import_id = ${s.importId}
         and (r.data ? 'payer' or r.data ? 'area' or r.data ? 'persons')
      on conflict (community_id, account_id) do update
        set payer = excluded.payer, area = excluded.area, persons = excluded.persons, row_hash = excluded.row_hash,
            import_id = excluded.import_id, updated_at = now()
        where account_report.row_hash <> excluded.row_hash
      returning 1)
    select count(*)::int as n from up`.execute(trx);
  // A premise without a known area takes the one the provider reports.
  await sql`
    update premise p set total_area = x.area
      from (select distinct on (m.premise_id) m.premise_id, (r.data->>'area')::numeric as area
              from ${matched(s, rows)} and r.data ? 'area' and (r.data->>'area')::numeric > 0
             order by m.premise_id, r.row_no) x
     where p.community_id = ${s.communityId} and p.premise_id = x.premise_id and p.total_area is null`.execute(trx);
  return r.rows[0].n;
}

/**
 * Posts to the ledger only what differs from what imports already put there for the same key:
 * the source query yields (account_id, period, kind, amount, volume, tariff) — the amounts the
 * file says — and the ledger's own import entries give what is there. A corrected file thus
 * posts the difference as a new entry (the ledger is append-only); the same file posts nothing.
 * Differences that would flip the sign rule of a kind (less benefit, less subsidy) are posted
 * as 'adjustment' naming the kind. Returns the number of entries posted.
 */
async function postDifferences(trx: Tx, s: Scope, source: ReturnType<typeof sql>, kinds: string[], reason: string, onePerAccount?: string) {
  const r = await sql<{ n: number }>`
    with wanted as (${source}),
    wanted_sum as (
      select account_id, period, kind, sum(amount)::bigint as amount, max(volume) as volume, max(tariff) as tariff
        from wanted group by account_id, period, kind),
    posted as (
      select l.account_id, ${onePerAccount ? sql`${onePerAccount}::date` : sql`l.period`} as period,
             case when l.kind = 'adjustment' then split_part(l.reason, ':', 2) else l.kind end as kind,
             sum(l.amount)::bigint as amount
        from ledger_entry l
       where l.community_id = ${s.communityId} and l.source = 'import'
         and (l.kind = any(${kinds}::text[]) or (l.kind = 'adjustment' and l.reason like 'import:%'))
         and l.account_id in (select account_id from wanted_sum)
       group by 1, 2, 3),
    diff as (
      select w.account_id, w.period, w.kind, w.amount - coalesce(p.amount, 0) as delta, w.volume, w.tariff
        from wanted_sum w left join posted p on p.account_id = w.account_id and p.period = w.period and p.kind = w.kind
       where w.amount is distinct from coalesce(p.amount, 0)),
    ins as (
      insert into ledger_entry (community_id, account_id, period, kind, amount, volume, tariff, source, import_id, reason)
      select ${s.communityId}::int, d.account_id, d.period,
             case when d.kind in ('payment', 'benefit', 'subsidy') and d.delta > 0 then 'adjustment' else d.kind end,
             d.delta, d.volume, d.tariff, 'import', ${s.importId}::bigint,
             case when d.kind in ('payment', 'benefit', 'subsidy') and d.delta > 0 then 'import:' || d.kind || ':' || ${reason}::text
                  else ${reason}::text end
        from diff d
       -- In account order the per-row foreign key checks and the account index walk the account
       -- table forwards instead of jumping about it (a million-row post: 22 s → 16 s).
       order by d.account_id, d.period
      returning 1)
    select count(*)::int as n from ins`.execute(trx);
  return r.rows[0].n;
}

/**
 * Opening balances of the accounts in the file (needs linkAccounts first). An account has one
 * opening balance whatever month it was posted to: a corrected file imported after a close posts
 * the difference to the new month, not the whole balance again.
 */
export async function postOpeningBalances(trx: Tx, s: Scope, period: string) {
  return postDifferences(
    trx,
    s,
    sql`select a.account_id, ${period}::date as period, 'opening_balance'::text as kind, (r.data->>'opening_balance')::bigint as amount,
               null::numeric as volume, null::numeric as tariff
          from import_row r join row_account a on a.row_no = r.row_no
         where r.community_id = ${s.communityId} and r.import_id = ${s.importId} and r.data ? 'opening_balance'`,
    ['opening_balance'],
    'opening balance',
    period,
  );
}

/** Provider-computed charges, with recalculations, benefits and subsidies of the same lines. */
/**
 * Charges of the matched rows. With `rows` (rows an operator accepted from the queue), every
 * matched row of the accounts those rows name: the difference is per account and period, so the
 * account's other rows must be in the sum.
 */
export async function postCharges(trx: Tx, s: Scope, providerId: number, rows?: number[]) {
  const ofAccounts = rows
    ? sql`and r.account_number in (select account_number from import_row where community_id = ${s.communityId} and import_id = ${s.importId} and row_no = any(${rows}::int[]))`
    : sql``;
  const source = sql`
    select a.account_id, (r.data->>'period')::date as period, k.kind, k.amount, k.volume, k.tariff
      from import_row r
      join import_match m on m.community_id = r.community_id and m.import_id = r.import_id and m.row_no = r.row_no
      ${accountJoin(providerId)}
      cross join lateral (values
        ('charge', (r.data->>'amount')::bigint, (r.data->>'volume')::numeric, (r.data->>'tariff')::numeric),
        ('recalculation', (r.data->>'recalculation')::bigint, null::numeric, null::numeric),
        ('benefit', -abs((r.data->>'benefit')::bigint), null, null),
        ('subsidy', -abs((r.data->>'subsidy')::bigint), null, null)) as k(kind, amount, volume, tariff)
     where r.community_id = ${s.communityId} and r.import_id = ${s.importId} and m.status = 'matched' ${ofAccounts} and k.amount is not null`;
  return postDifferences(trx, s, source, ['charge', 'recalculation', 'benefit', 'subsidy'], 'provider charges');
}

/** Payments the provider received; the same payment in a later file is recognised by its key. */
export async function postPayments(trx: Tx, s: Scope, providerId: number, rows?: number[]) {
  // A payment's identity: account, date and the provider's reference, or its place among the
  // same account's payments of that date when there is no reference — counted over every row of
  // the file, so that a row held for review and accepted later keeps the place it has in the file.
  await sql`
    create temporary table payment_in on commit drop as
    select account_id, paid_on, amount, posting_key from (
      select a.account_id, (r.data->>'paid_on')::date as paid_on, -abs((r.data->>'amount')::bigint) as amount, m.status, m.row_no,
             'payment:' || a.account_id || ':' || (r.data->>'paid_on') || ':' ||
               coalesce('ref:' || (r.data->>'reference'),
                        'n:' || row_number() over (partition by a.account_id, r.data->>'paid_on', r.data->>'reference' order by r.row_no)) as posting_key
        from import_row r
        join import_match m on m.community_id = r.community_id and m.import_id = r.import_id and m.row_no = r.row_no
        ${accountJoin(providerId)}
       where r.community_id = ${s.communityId} and r.import_id = ${s.importId} and m.status in ('matched', 'review')) m
     where m.status = 'matched' ${onlyRows(rows)}`.execute(trx);
  const r = await sql<{ n: number }>`
    with diff as (
      select p.account_id, date_trunc('month', p.paid_on)::date as period, p.posting_key, p.amount,
             p.amount - coalesce(ip.amount, 0) as delta
        from payment_in p
        left join import_posting ip on ip.community_id = ${s.communityId} and ip.provider_id = ${providerId} and ip.posting_key = p.posting_key
       where ip.amount is distinct from p.amount),
    keep as (
      insert into import_posting (community_id, provider_id, posting_key, account_id, kind, amount, import_id)
      select ${s.communityId}::int, ${providerId}::bigint, posting_key, account_id, 'payment', amount, ${s.importId}::bigint from diff
      on conflict (community_id, provider_id, posting_key) do update set amount = excluded.amount, import_id = excluded.import_id),
    ins as (
      insert into ledger_entry (community_id, account_id, period, kind, amount, source, import_id, reason)
      select ${s.communityId}::int, account_id, period, case when delta > 0 then 'adjustment' else 'payment' end, delta, 'import', ${s.importId}::bigint,
             case when delta > 0 then 'import:payment:corrected ' || posting_key else posting_key end
        from diff
      returning 1)
    select count(*)::int as n from ins`.execute(trx);
  return r.rows[0].n;
}

// ---------------------------------------------------------------- the per-row report

export interface ReportRow {
  row_no: number;
  address_raw: string | null;
  account_number: string | null;
  premise_id: number | null;
  premise_address: string | null;
  unified_account: string | null;
  confidence: number | null;
  status: string;
  reason_uk: string | null;
  reason_en: string | null;
  errors: Array<{ column?: string; field?: string; value?: string; uk: string; en: string }> | null;
  candidates: Array<{ premiseId: number; confidence: number; method: string }> | null;
  resolution: string | null;
}

/** The address of a premise as the report and the queue print it. */
export const premiseAddressSql = (p: string, b: string, st: string) =>
  sql`premise_address(${sql.ref(`${st}.type`)}, ${sql.ref(`${st}.name`)}, ${sql.ref(`${b}.house_key`)}, ${sql.ref(`${p}.apartment_key`)})`;

/** One page of the report in row order (keyset on row_no), with the matched premise's address. */
export async function reportPage(db: DbOrTx, s: Scope, afterRow: number, limit: number, statuses?: string[]): Promise<ReportRow[]> {
  const filter = statuses?.length ? sql`and m.status in (${sql.join(statuses)})` : sql``;
  const r = await sql<ReportRow>`
    select m.row_no, r.address_raw, r.account_number, m.premise_id,
           case when p.premise_id is null then null else ${premiseAddressSql('p', 'b', 'st')} end as premise_address,
           ua.number as unified_account, m.confidence, m.status, m.reason_uk, m.reason_en, m.errors,
           m.candidates, m.resolution
      from import_match m
      join import_row r on r.community_id = m.community_id and r.import_id = m.import_id and r.row_no = m.row_no
      left join premise p on p.community_id = m.community_id and p.premise_id = m.premise_id
      left join building b on b.community_id = p.community_id and b.building_id = p.building_id
      left join street st on st.community_id = b.community_id and st.street_id = b.street_id
      left join unified_account ua on ua.community_id = p.community_id and ua.premise_id = p.premise_id
     where m.community_id = ${s.communityId} and m.import_id = ${s.importId} and m.row_no > ${afterRow} ${filter}
     order by m.row_no
     limit ${limit}`.execute(db);
  return r.rows;
}

// ---------------------------------------------------------------- the address register

/** The street of each new row: the one with its key (and type, when the row has one). */
const rowStreet = (s: Scope) => sql`
  select distinct on (r.row_no) r.row_no, st.street_id
    from import_row r
    join import_match m on m.community_id = r.community_id and m.import_id = r.import_id and m.row_no = r.row_no
    join street st on st.community_id = r.community_id and st.name_key = r.street_key and st.type = coalesce(r.street_type, st.type)
   where r.community_id = ${s.communityId} and r.import_id = ${s.importId} and m.status = 'new'
   order by r.row_no, st.street_id`;

const newRows = (s: Scope) => sql`
  import_row r join import_match m on m.community_id = r.community_id and m.import_id = r.import_id and m.row_no = r.row_no
  where r.community_id = ${s.communityId} and r.import_id = ${s.importId} and m.status = 'new'`;

/**
 * Creates what the register has and the registry lacks (streets, buildings, premises), and
 * updates the areas and rooms of premises that exist when the register says otherwise.
 */
export async function applyRegister(trx: Tx, s: Scope) {
  const streets = await sql<{ n: number }>`
    with ins as (
      insert into street (community_id, type, name, name_key, translit_key)
      select distinct on (r.street_key, r.street_type) r.community_id, r.street_type, r.data->>'street_name', r.street_key, r.street_translit_key
        from ${newRows(s)} and r.street_type is not null
         and not exists (select 1 from street st where st.community_id = r.community_id and st.name_key = r.street_key and st.type = r.street_type)
      on conflict do nothing
      returning 1)
    select count(*)::int as n from ins`.execute(trx);
  const buildings = await sql<{ n: number }>`
    with rs as (${rowStreet(s)}),
    ins as (
      insert into building (community_id, street_id, number, letter, fraction, block, house_key, postal_code, floors)
      select distinct on (rs.street_id, r.house_key) r.community_id, rs.street_id, r.house_number, r.house_letter, r.house_fraction, r.house_block,
             r.house_key, nullif(r.data->>'postal_code', ''), (r.data->>'floors')::int
        from import_row r join rs on rs.row_no = r.row_no
       where r.community_id = ${s.communityId} and r.import_id = ${s.importId}
       order by rs.street_id, r.house_key, r.row_no
      on conflict (community_id, street_id, house_key) do nothing
      returning 1)
    select count(*)::int as n from ins`.execute(trx);
  const premises = await sql<{ n: number }>`
    with rs as (${rowStreet(s)}),
    ins as (
      insert into premise (community_id, building_id, number, apartment_key, kind, total_area, heated_area, rooms)
      select distinct on (b.building_id, r.apartment_key) r.community_id, b.building_id, r.apartment, r.apartment_key,
             -- apartment key 'п1' is «прим. 1» (src/registry/address/format.ts): a non-residential premise
             case when r.data->>'premise_kind' in ('non_residential', 'нежитлове') or r.apartment_key like 'п%' then 'non_residential' else 'residential' end,
             (r.data->>'total_area')::numeric, (r.data->>'heated_area')::numeric, (r.data->>'rooms')::int
        from import_row r
        join rs on rs.row_no = r.row_no
        join building b on b.community_id = r.community_id and b.street_id = rs.street_id and b.house_key = r.house_key
       where r.community_id = ${s.communityId} and r.import_id = ${s.importId}
       order by b.building_id, r.apartment_key, r.row_no
      on conflict (community_id, building_id, apartment_key) do nothing
      returning 1)
    select count(*)::int as n from ins`.execute(trx);
  await sql`
    with rs as (${rowStreet(s)})
    update import_match m set premise_id = p.premise_id, status = 'matched', method = 'created', confidence = 1, reason_uk = null, reason_en = null
      from rs
      join import_row r on r.community_id = ${s.communityId} and r.import_id = ${s.importId} and r.row_no = rs.row_no
      join building b on b.community_id = r.community_id and b.street_id = rs.street_id and b.house_key = r.house_key
      join premise p on p.community_id = b.community_id and p.building_id = b.building_id and p.apartment_key = r.apartment_key
     where m.community_id = ${s.communityId} and m.import_id = ${s.importId} and m.row_no = rs.row_no`.execute(trx);
  const updated = await sql<{ n: number }>`
    with up as (
      update premise p
         set total_area = coalesce((x.data->>'total_area')::numeric, p.total_area),
             heated_area = coalesce((x.data->>'heated_area')::numeric, p.heated_area),
             rooms = coalesce((x.data->>'rooms')::int, p.rooms)
        from (select m.premise_id, r.data from ${matched(s)} and m.method <> 'created') x
       where p.community_id = ${s.communityId} and p.premise_id = x.premise_id
         and ((x.data ? 'total_area' and p.total_area is distinct from (x.data->>'total_area')::numeric)
           or (x.data ? 'heated_area' and p.heated_area is distinct from (x.data->>'heated_area')::numeric)
           or (x.data ? 'rooms' and p.rooms is distinct from (x.data->>'rooms')::int))
      returning 1)
    select count(*)::int as n from up`.execute(trx);
  const aliases = await sql<{ n: number }>`
    with o as (
      select distinct on (o.key, st.street_id) o.key, o.source, st.street_id
        from (${otherNameKeys(s)}) o
        join import_match m on m.community_id = ${s.communityId} and m.import_id = ${s.importId} and m.row_no = o.row_no and m.status = 'matched'
        join street st on st.community_id = ${s.communityId} and st.name_key = o.street_key and st.type = coalesce(o.street_type, st.type)
       order by o.key, st.street_id, o.source),
    ins as (
      insert into street_alias (community_id, alias_key, street_id, source)
      select ${s.communityId}::int, key, street_id, source from o
      on conflict do nothing
      returning 1)
    select count(*)::int as n from ins`.execute(trx);
  // The names themselves, for display: each street's list gains the new ones, once.
  await sql`
    update street st set former_names = x.names
      from (
        select st2.street_id, array(select distinct n from unnest(st2.former_names || array_agg(f.name)) n order by n) as names
          from import_row r
          join import_match m on m.community_id = r.community_id and m.import_id = r.import_id and m.row_no = r.row_no and m.status = 'matched'
          cross join lateral jsonb_array_elements_text((r.data->>'former_names')::jsonb) f(name)
          join street st2 on st2.community_id = r.community_id and st2.name_key = r.street_key and st2.type = coalesce(r.street_type, st2.type)
         where r.community_id = ${s.communityId} and r.import_id = ${s.importId} and r.data ? 'former_keys'
         group by st2.street_id, st2.former_names) x
     where st.community_id = ${s.communityId} and st.street_id = x.street_id and st.former_names is distinct from x.names`.execute(trx);
  return {
    aliasesCreated: aliases.rows[0].n,
    streetsCreated: streets.rows[0].n,
    buildingsCreated: buildings.rows[0].n,
    premisesCreated: premises.rows[0].n,
    premisesUpdated: updated.rows[0].n,
  };
}

// ---------------------------------------------------------------- plausible amounts

/** The money columns of each kind of file, by the field whose bounds they take. */
export const MONEY_COLUMNS: Partial<Record<ImportKind, Array<[dataKey: string, field: MoneyField]>>> = {
  accounts: [['opening_balance', 'opening_balance']],
  charges: [['amount', 'charge'], ['recalculation', 'recalculation'], ['benefit', 'benefit'], ['subsidy', 'subsidy']],
  payments: [['amount', 'payment']],
};

/**
 * Holds matched rows whose amounts are implausible for review, with the reason: a row beyond its
 * field's bounds, or every row of an account whose total in this file is past the per-account
 * bound. They go to the review queue with their premise as the one candidate; nothing of them is
 * posted until an operator accepts them. Returns how many rows were held.
 */
export async function holdImplausibleAmounts(trx: Tx, s: Scope, kind: ImportKind, bounds: AmountBounds): Promise<number> {
  const columns = MONEY_COLUMNS[kind] ?? [];
  if (columns.length === 0) return 0;
  const value = (key: string) => sql`(r.data->>${key})::numeric`;
  const rowReason = sql.join(
    columns.map(([key, field]) => {
      const b = bounds[field];
      const reason = rowBoundsReason(field, bounds);
      return sql`when ${value(key)} not between ${b.min} and ${b.max} then jsonb_build_object('uk', ${reason.uk}::text, 'en', ${reason.en}::text)`;
    }),
    sql` `,
  );
  const accountReason = sql.join(
    columns.map(([key, field]) => {
      const reason = accountBoundsReason(field, bounds);
      return sql`when abs(sum(coalesce(${value(key)}, 0))) > ${bounds[field].perAccount} then jsonb_build_object('uk', ${reason.uk}::text, 'en', ${reason.en}::text)`;
    }),
    sql` `,
  );
  const held = await sql`
    with rows as (
      select r.row_no, r.account_number, r.service_code, r.data from import_row r
        join import_match m on m.community_id = r.community_id and m.import_id = r.import_id and m.row_no = r.row_no
       where r.community_id = ${s.communityId} and r.import_id = ${s.importId} and m.status = 'matched'),
    by_row as (
      select row_no, case ${rowReason} end as reason from rows r),
    -- An account's total counts the rows within their own bounds (a held typo does not hold the rest).
    by_account as (
      select r.account_number, r.service_code, case ${accountReason} end as reason
        from rows r join by_row br on br.row_no = r.row_no
       where r.account_number is not null and br.reason is null group by r.account_number, r.service_code),
    reasons as (
      select r.row_no, coalesce(br.reason, ba.reason) as reason
        from rows r join by_row br on br.row_no = r.row_no
        left join by_account ba on ba.account_number = r.account_number and ba.service_code is not distinct from r.service_code
       where coalesce(br.reason, ba.reason) is not null)
    update import_match m
       set status = 'review', reason_uk = x.reason->>'uk', reason_en = x.reason->>'en',
           candidates = jsonb_build_array(jsonb_build_object('premiseId', m.premise_id, 'confidence', 1, 'method', 'amount'))
      from reasons x
     where m.community_id = ${s.communityId} and m.import_id = ${s.importId} and m.row_no = x.row_no`.execute(trx);
  return Number(held.numAffectedRows ?? 0);
}

/**
 * Holds matched charge rows priced above the city's approved tariff (the community chose 'hold',
 * billing_settings.tariff_excess): more than a rounding kopeck above volume × the approved price in
 * force for the row's month (the provider's own approved price wins over the service-wide one, as
 * in billing/flags.ts). They wait in the review queue, with the prices and the decision in the
 * reason, and nothing of them is posted until someone accepts them. Returns how many were held.
 */
export async function holdAboveApprovedTariff(trx: Tx, s: Scope, providerId: number): Promise<number> {
  const held = await sql`
    with rows as (
      select r.row_no, sv.service_id, (r.data->>'period')::date as period, (r.data->>'amount')::bigint as amount,
             (r.data->>'volume')::numeric as volume,
             round(coalesce((r.data->>'tariff')::numeric, (r.data->>'amount')::numeric / 100 / (r.data->>'volume')::numeric), 4) as price
        from import_row r
        join import_match m on m.community_id = r.community_id and m.import_id = r.import_id and m.row_no = r.row_no
        join service sv on sv.community_id = r.community_id and sv.code = r.service_code
       where r.community_id = ${s.communityId} and r.import_id = ${s.importId} and m.status = 'matched'
         and r.data ? 'amount' and r.data ? 'period' and (r.data->>'volume')::numeric > 0),
    above as (
      select x.row_no, x.price, ap.price as approved, ap.decision
        from rows x
        cross join lateral (
          select a.price, a.decision from approved_tariff a
           where a.community_id = ${s.communityId} and a.service_id = x.service_id
             and (a.provider_id is null or a.provider_id = ${providerId}::bigint)
             and a.valid_from <= x.period and (a.valid_to is null or a.valid_to >= x.period)
           order by a.provider_id nulls last, a.valid_from desc limit 1) ap
       where x.amount > round(x.volume * ap.price * 100) + 1)
    update import_match m
       set status = 'review',
           reason_uk = 'Ціна ' || replace(trim_scale(x.price)::text, '.', ',') || ' ₴ вища за затверджений тариф '
                       || replace(trim_scale(x.approved)::text, '.', ',') || ' ₴ (' || x.decision || '): чекає рішення',
           reason_en = 'Price ' || trim_scale(x.price)::text || ' UAH is above the approved tariff '
                       || trim_scale(x.approved)::text || ' UAH (' || x.decision || '): awaiting a decision',
           candidates = jsonb_build_array(jsonb_build_object('premiseId', m.premise_id, 'confidence', 1, 'method', 'tariff'))
      from above x
     where m.community_id = ${s.communityId} and m.import_id = ${s.importId} and m.row_no = x.row_no`.execute(trx);
  return Number(held.numAffectedRows ?? 0);
}
