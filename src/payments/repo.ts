/** SQL of the payments domain. */
import { sql, type RawBuilder } from 'kysely';
import { prepared, type DbOrTx, type Tx } from '../db/index';
import { GENESIS_HASH, type ChainRecord, type ChainedPayment, canonicalPayment, canonicalReversal, canonicalSettlement, receiptCode } from './chain';
import { premiseBalancesQuery, type PremiseAccountBalance } from '../billing/statements';

export async function agentByKey(db: DbOrTx, keyId: string) {
  return db
    .selectFrom('agent_key as k')
    .innerJoin('payment_agent as a', (j) => j.onRef('a.community_id', '=', 'k.community_id').onRef('a.agent_id', '=', 'k.agent_id'))
    .select(['k.community_id', 'k.agent_id', 'k.secret', 'k.valid_from', 'k.valid_until', 'a.code', 'a.name', 'a.max_amount', 'a.ip_allow', 'a.active'])
    .where('k.key_id', '=', keyId)
    .executeTakeFirst();
}

/** Remembers a nonce; false when the agent used it before (a replay). */
export async function rememberNonce(db: DbOrTx, communityId: number, agentId: number, nonce: string): Promise<boolean> {
  const r = await db
    .insertInto('agent_nonce')
    .values({ community_id: communityId, agent_id: agentId, nonce })
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0n) === 1;
}

/** Nonces older than twice the window can no longer come with a fresh timestamp: forget them. */
export async function forgetOldNonces(db: DbOrTx, communityId: number, windowSeconds: number): Promise<void> {
  await sql`delete from agent_nonce where community_id = ${communityId} and seen_at < now() - make_interval(secs => ${windowSeconds * 2})`.execute(db);
}

/**
 * The household's payer, `per` (last_name, first_name, patronymic): the first person registered at
 * premise `p` today. Joined by the pay statements and the receipt's household lookup alike.
 */
const PAYER_OF_PREMISE = sql`left join lateral (select pe.last_name, pe.first_name, pe.patronymic from registration r
                         join person pe on pe.community_id = r.community_id and pe.person_id = r.person_id
                        where r.community_id = p.community_id and r.premise_id = p.premise_id
                          and r.registered_from <= current_date and (r.registered_to is null or r.registered_to >= current_date)
                        order by r.registered_from, pe.person_id limit 1) per on true`;

/** What `pay` reads before it splits, in one statement (see `payLookup`). */
export interface PayLookup {
  /** The nonce was new and is now remembered; null when none was given. */
  nonce_new: boolean | null;
  /** The key is in force and its agent active at `at`; null when no key was given. */
  key_ok: boolean | null;
  /** The agent's limit as it is now. */
  max_amount: number;
  existing_id: number | null;
  existing_hash: string | null;
  premise_id: number | null;
  unified_account: string | null;
  last_name: string | null;
  first_name: string | null;
  balances: PremiseAccountBalance[] | null;
  last_closed: string | null;
  first_open: string | null;
  check_premise_id: number | null;
  check_amount: number | null;
  check_split: unknown;
  check_found: boolean;
}

/**
 * One round trip for everything `pay` needs to know: remembers the request's nonce (a data-
 * modifying CTE, committed with the statement, as `rememberNonce` would), re-checks the key and
 * the agent as they are now, finds an earlier payment with this txnId, the household and its
 * payer, the balances of its accounts (`premiseBalancesQuery`, the figures `amountDue` takes),
 * the two figures of `openPeriodForCorrections`, and the check a reference names.
 */
export async function payLookup(
  db: DbOrTx,
  q: { communityId: number; agentId: number; txnId: string; number: string; reference: string | null; nonce: string | null; keyId: string | null; at: Date },
): Promise<PayLookup> {
  const r = await payLookupQuery(q).execute(db);
  const row = r.rows[0];
  if (!row) throw new Error(`payment agent ${q.agentId} of community ${q.communityId} not found`);
  // Numbers inside JSON come as the driver gives them: make them plain.
  if (row.balances) row.balances = row.balances.map((b) => ({ ...b, accountId: Number(b.accountId), providerId: Number(b.providerId), serviceId: Number(b.serviceId), balance: Number(b.balance) }));
  return row;
}

export type PayLookupParams = Parameters<typeof payLookup>[1];

export function payLookupQuery(q: PayLookupParams) {
  const c = q.communityId;
  return prepared(sql<PayLookup>`
with nonce as (
  insert into agent_nonce (community_id, agent_id, nonce)
  select ${c}::int, ${q.agentId}::int, ${q.nonce}::text where ${q.nonce}::text is not null
  on conflict do nothing returning 1
), h as (
  select p.premise_id, ua.number as unified_account, per.last_name, per.first_name
    from unified_account ua
    join premise p on p.community_id = ua.community_id and p.premise_id = ua.premise_id
    ${PAYER_OF_PREMISE}
   where ua.community_id = ${c} and ua.number = ${q.number}
), closed as (
  select max(period) as period from billing_period where community_id = ${c} and status = 'closed'
)
select case when ${q.nonce}::text is null then null else exists (select 1 from nonce) end as nonce_new,
       case when ${q.keyId}::text is null then null
            else exists (select 1 from agent_key k
                          where k.community_id = ${c} and k.agent_id = ${q.agentId} and k.key_id = ${q.keyId}
                            and k.valid_from <= ${q.at} and (k.valid_until is null or k.valid_until > ${q.at})) and ag.active end as key_ok,
       ag.max_amount,
       ex.payment_id as existing_id, ex.request_hash as existing_hash,
       h.premise_id, h.unified_account, h.last_name, h.first_name,
       case when h.premise_id is null then null
            else coalesce((select json_agg(b) from (${premiseBalancesQuery(c, sql`h.premise_id`)}) b), '[]'::json) end as balances,
       closed.period as last_closed,
       (select min(period) from billing_period where community_id = ${c} and status <> 'closed'
           and (closed.period is null or period > closed.period)) as first_open,
       chk.premise_id as check_premise_id, chk.amount as check_amount, chk.split as check_split, chk.reference is not null as check_found
  from payment_agent ag
  cross join closed
  left join h on true
  left join payment ex on ex.community_id = ${c} and ex.agent_id = ${q.agentId} and ex.txn_id = ${q.txnId}
  left join payment_check chk on chk.community_id = ${c} and chk.reference = ${q.reference}::text and chk.agent_id = ${q.agentId}
 where ag.community_id = ${c} and ag.agent_id = ${q.agentId}`);
}

/**
 * `allocate`'s proportional split (allocate.ts, its specification and property tests) in SQL, for
 * the pays of one statement at once: `lines` is a relation of (grp, amount, ord, account_id,
 * to_pay), one group per pay with its amount on each of its lines; the answer (grp, ord,
 * account_id, amount) gives each line the floor of its exact share and the kopecks left one each
 * to the largest remainders, ties to the lower ord; nothing owed → all on the group's first line;
 * parts of 0 left out. Exact in numeric (no overflow, no rounding). The weight, greatest(to_pay, 0)
 * over the balance, is `owedOn` of amount-due.ts, the one rule of "to pay";
 * tests/integration/payments-sql-split.test.ts holds the SQL equal to `allocate` on random inputs.
 */
export function proportionalSplitSql(lines: RawBuilder<unknown>) {
  return sql`
select grp, ord, account_id, amount from (
  select w.grp, w.ord, w.account_id,
         case when w.total = 0 then (case when w.ord = w.first_ord then w.pay_amount else 0 end)
              else w.share + case when row_number() over (partition by w.grp order by w.rem desc, w.ord) <= w.total_left then 1 else 0 end end as amount
    from (
      select l.*, l.pay_amount - sum(l.share) over (partition by l.grp) as total_left
        from (
          select x.grp, x.ord, x.account_id, x.total, x.first_ord, x.pay_amount,
                 case when x.total = 0 then 0 else floor(x.pay_amount * x.weight / x.total) end as share,
                 case when x.total = 0 then 0 else mod(x.pay_amount * x.weight, x.total) end as rem
            from (select li.grp, li.ord, li.account_id, li.amount::numeric as pay_amount, greatest(li.to_pay, 0)::numeric as weight,
                         sum(greatest(li.to_pay, 0)::numeric) over (partition by li.grp) as total,
                         min(li.ord) over (partition by li.grp) as first_ord
                    from ${lines} li) x
        ) l
    ) w
) parts where amount > 0`;
}

/** `maskName` (service.ts) in SQL: «Коваль», «Олена» → «К***ь О.»; null without both names. */
export function maskedNameSql(last: RawBuilder<unknown>, first: RawBuilder<unknown>) {
  return sql`case when coalesce(${last}, '') = '' or coalesce(${first}, '') = '' then null
              when char_length(${last}) <= 2 then left(${last}, 1) || '* ' || left(${first}, 1) || '.'
              else left(${last}, 1) || '***' || right(${last}, 1) || ' ' || left(${first}, 1) || '.' end`;
}

/** One plain pay of a `payManyQuery`: what the agent sent, and what its signed request proved. */
export type PlainPay = Omit<NewPayment, 'communityId' | 'premiseId' | 'payer' | 'period' | 'parts' | 'reference'> & { number: string; nonce: string | null; keyId: string | null };

/** What `payManyQuery` answers for one pay: the lookup's checks, and what it posted. */
export interface PlainPayAnswer extends Pick<PayLookup, 'existing_id' | 'existing_hash' | 'premise_id' | 'unified_account'> {
  /** The pay's place in the batch. */
  ord: number;
  nonce_new: boolean | null;
  key_ok: boolean | null;
  /** Null when the agent does not exist. */
  max_amount: number | null;
  has_accounts: boolean;
  payment_id: number | null;
  parts: Array<{ accountId: number; amount: number; serviceCode: string; serviceUk: string; provider: string; number: string }> | null;
}

/**
 * Plain pays (no split of the payer's, no check reference) of one community in one statement, so
 * that concurrent pays share one commit (group commit, see `payBatched` in service.ts): for each,
 * the lookup of `payLookup`, the proportional split (`proportionalSplitSql`), the open period
 * (`choosePeriodForCorrections`), the masked payer (`maskName`) and the inserts of
 * `insertPayment` — made only for the pays whose every check passes (nonce new, key in force,
 * amount within the agent's limit, a household with accounts; a payment with this txnId already
 * makes the insert do nothing). The caller reads the flags to say why a pay posted nothing. No two
 * pays of a batch may share a household, a txnId or a nonce (each would have to see the other's
 * writes).
 */
export function payManyQuery(communityId: number, fallbackPeriod: string, pays: readonly PlainPay[]) {
  const c = communityId;
  // One JSON parameter, not an array per column: the planner cannot see how many pays a statement
  // holds, so the statement keeps one generic plan instead of being planned again at every call.
  const input = JSON.stringify(
    pays.map((p, ord) => ({
      ord,
      agent_id: p.agentId,
      channel: p.channel,
      txn_id: p.txnId,
      request_hash: p.requestHash,
      amount: p.amount,
      paid_at: p.paidAt.toISOString(),
      business_date: p.businessDate,
      receipt_secret: p.receiptSecret,
      reason: p.reason,
      number: p.number,
      nonce: p.nonce,
      key_id: p.keyId,
    })),
  );
  return prepared(sql<PlainPayAnswer>`
with input as (
  select * from json_to_recordset(${input}::json)
    as i(ord int, agent_id int, channel text, txn_id text, request_hash text, amount bigint, paid_at timestamptz, business_date date,
         receipt_secret text, reason text, number text, nonce text, key_id text)
), nonce as (
  insert into agent_nonce (community_id, agent_id, nonce)
  select ${c}::int, agent_id, nonce from input where nonce is not null
  on conflict do nothing returning agent_id, nonce
), ag as (
  select i.ord, ag.max_amount,
         case when i.key_id is null then null
              else exists (select 1 from agent_key k
                            where k.community_id = ${c} and k.agent_id = i.agent_id and k.key_id = i.key_id
                              and k.valid_from <= i.paid_at and (k.valid_until is null or k.valid_until > i.paid_at)) and ag.active end as key_ok,
         case when i.nonce is null then null else exists (select 1 from nonce n where n.agent_id = i.agent_id and n.nonce = i.nonce) end as nonce_new
    from input i join payment_agent ag on ag.community_id = ${c} and ag.agent_id = i.agent_id
), h as (
  select i.ord, p.premise_id, ua.number as unified_account,
         ${maskedNameSql(sql`per.last_name`, sql`per.first_name`)} as payer
    from input i
    join unified_account ua on ua.community_id = ${c} and ua.number = i.number
    join premise p on p.community_id = ua.community_id and p.premise_id = ua.premise_id
    ${PAYER_OF_PREMISE}
), bal as (
  select h.ord as pay_ord, b.* from h cross join lateral (${premiseBalancesQuery(c, sql`h.premise_id`, undefined, { ordinal: true })}) b
), closed as (
  select max(period) as period from billing_period where community_id = ${c} and status = 'closed'
), per as (
  select coalesce(
           (select min(period) from billing_period where community_id = ${c} and status <> 'closed' and (closed.period is null or period > closed.period)),
           case when closed.period is null then ${fallbackPeriod}::date
                else greatest((closed.period + interval '1 month')::date, ${fallbackPeriod}::date) end) as period
    from closed
), go as (
  select i.*, h.premise_id, h.payer, per.period from input i join ag on ag.ord = i.ord join h on h.ord = i.ord cross join per
   where (ag.nonce_new is null or ag.nonce_new) and (ag.key_ok is null or ag.key_ok) and i.amount <= ag.max_amount
     and exists (select 1 from bal where bal.pay_ord = i.ord)
), parts as (
  ${proportionalSplitSql(sql`(select bal.pay_ord as grp, go.amount, bal.ord, bal."accountId" as account_id, bal.balance as to_pay from bal join go on go.ord = bal.pay_ord)`)}
), pay as (
  insert into payment (community_id, agent_id, channel, txn_id, request_hash, premise_id, amount, reference, payer, paid_at, business_date, period, receipt_secret)
  select ${c}::int, go.agent_id, go.channel, go.txn_id, go.request_hash, go.premise_id, go.amount, null, go.payer, go.paid_at, go.business_date, go.period, go.receipt_secret
    from go order by go.ord
  on conflict (community_id, agent_id, txn_id) do nothing
  returning payment_id, agent_id, txn_id, period
), paid as (
  select i.ord, i.reason, pay.payment_id, pay.period from pay join input i on i.agent_id = pay.agent_id and i.txn_id = pay.txn_id
), entries as (
  insert into ledger_entry (community_id, account_id, period, kind, amount, source, reason)
  select ${c}::int, parts.account_id, paid.period, 'payment', -parts.amount, 'payment', paid.reason
    from parts join paid on paid.ord = parts.grp order by parts.grp, parts.ord
  returning entry_id, account_id
), allocations as (
  -- An account belongs to one household, and a batch has each household once: the account names the entry.
  insert into payment_allocation (community_id, payment_id, account_id, amount, entry_id)
  select ${c}::int, paid.payment_id, parts.account_id, parts.amount, entries.entry_id
    from parts join paid on paid.ord = parts.grp join entries on entries.account_id = parts.account_id
)
select i.ord, ag.nonce_new, ag.key_ok, ag.max_amount, ex.ex[1]::bigint as existing_id, ex.ex[2] as existing_hash,
       h.premise_id, h.unified_account, exists (select 1 from bal where bal.pay_ord = i.ord) as has_accounts,
       paid.payment_id,
       case when paid.payment_id is null then null else
         (select json_agg(json_build_object('accountId', bal."accountId", 'amount', parts.amount, 'serviceCode', bal."serviceCode",
                                            'serviceUk', bal."serviceUk", 'provider', bal.provider, 'number', bal.number) order by parts.ord)
            from parts join bal on bal.pay_ord = parts.grp and bal.ord = parts.ord where parts.grp = i.ord) end as parts
  from input i
  left join ag on ag.ord = i.ord
  left join h on h.ord = i.ord
  left join paid on paid.ord = i.ord
  -- A payment with this txnId already (the insert did nothing): looked up only then.
  cross join lateral (select case when paid.payment_id is null then
                        (select array[p.payment_id::text, p.request_hash] from payment p
                          where p.community_id = ${c} and p.agent_id = i.agent_id and p.txn_id = i.txn_id) end as ex) ex
 order by i.ord`);
}

export interface NewPayment {
  communityId: number;
  agentId: number;
  channel: string;
  txnId: string;
  requestHash: string;
  premiseId: number;
  amount: number;
  reference: string | null;
  payer: string | null;
  paidAt: Date;
  businessDate: string;
  period: string;
  /** The random part of the receipt code (`receiptSecret`, chain.ts). */
  receiptSecret: string;
  /** The ledger entries' reason. */
  reason: string;
  parts: ReadonlyArray<{ accountId: number; amount: number }>;
}

/**
 * The payment, a ledger entry (kind 'payment', negative) per part and the allocations pointing at
 * them, in one statement (one transaction). When a payment with this (agent, txnId) exists or is
 * being committed, nothing is written and the answer is null (the insert waits for the other).
 */
export async function insertPayment(db: DbOrTx, p: NewPayment): Promise<number | null> {
  const c = p.communityId;
  const parts = JSON.stringify(p.parts.map((x, i) => ({ ord: i, account_id: x.accountId, amount: x.amount })));
  const r = await prepared(sql<{ payment_id: number }>`
with pay as (
  insert into payment (community_id, agent_id, channel, txn_id, request_hash, premise_id, amount, reference, payer, paid_at, business_date, period, receipt_secret)
  values (${c}, ${p.agentId}, ${p.channel}, ${p.txnId}, ${p.requestHash}, ${p.premiseId}, ${p.amount}, ${p.reference}, ${p.payer}, ${p.paidAt}, ${p.businessDate}::date, ${p.period}::date, ${p.receiptSecret})
  on conflict (community_id, agent_id, txn_id) do nothing
  returning payment_id
), parts as (
  select * from json_to_recordset(${parts}::json) as x(ord int, account_id bigint, amount bigint)
), entries as (
  insert into ledger_entry (community_id, account_id, period, kind, amount, source, reason)
  select ${c}, parts.account_id, ${p.period}::date, 'payment', -parts.amount, 'payment', ${p.reason}
    from parts cross join pay order by parts.ord
  returning entry_id, account_id
), allocations as (
  insert into payment_allocation (community_id, payment_id, account_id, amount, entry_id)
  select ${c}, pay.payment_id, parts.account_id, parts.amount, entries.entry_id
    from parts join entries on entries.account_id = parts.account_id cross join pay
)
select payment_id from pay`).execute(db);
  return r.rows[0]?.payment_id ?? null;
}

/** The household behind a unified account number, with its current payer (the first registered person). */
export async function householdByUnifiedAccount(db: DbOrTx, communityId: number, number: string) {
  const r = await sql<{ premise_id: number; unified_account: string; street_type: string; street_name: string; number: number; letter: string | null; fraction: string | null; block: string | null; apartment: string | null; last_name: string | null; first_name: string | null; patronymic: string | null }>`
select p.premise_id, ua.number as unified_account, s.type as street_type, s.name as street_name, b.number, b.letter, b.fraction, b.block, p.number as apartment,
       per.last_name, per.first_name, per.patronymic
  from unified_account ua
  join premise p on p.community_id = ua.community_id and p.premise_id = ua.premise_id
  join building b on b.community_id = p.community_id and b.building_id = p.building_id
  join street s on s.community_id = b.community_id and s.street_id = b.street_id
  ${PAYER_OF_PREMISE}
 where ua.community_id = ${communityId} and ua.number = ${number}`.execute(db);
  return r.rows[0];
}

export async function unifiedAccountOfPremise(db: DbOrTx, communityId: number, premiseId: number): Promise<string | undefined> {
  const r = await db.selectFrom('unified_account').select('number').where('community_id', '=', communityId).where('premise_id', '=', premiseId).executeTakeFirst();
  return r?.number;
}

/** Takes the community's chain head for this transaction: payments and reversals are appended one at a time. */
export async function lockChainHead(trx: Tx, communityId: number): Promise<{ seq: number; hash: string }> {
  const head = () => trx.selectFrom('payment_chain_head').select(['seq', 'hash']).where('community_id', '=', communityId).forUpdate().executeTakeFirst();
  const found = await head();
  if (found) return found;
  // The community's first record: the head starts at the genesis hash.
  await trx.insertInto('payment_chain_head').values({ community_id: communityId, seq: 0, hash: GENESIS_HASH }).onConflict((oc) => oc.doNothing()).execute();
  return (await head())!;
}

export async function moveChainHead(trx: Tx, communityId: number, seq: number, hash: string): Promise<void> {
  await trx.updateTable('payment_chain_head').set({ seq, hash }).where('community_id', '=', communityId).execute();
}

/** Committed payments not yet in the chain, oldest first, with their parts (for `canonicalPayment`). */
export async function unsealedPayments(trx: Tx, communityId: number) {
  const r = await sql<ChainedPaymentRow>`
select ${chainedPaymentColumns}
  from payment p where p.community_id = ${communityId} and p.chain_seq is null
 order by p.payment_id
 for update skip locked`.execute(trx);
  return r.rows.map(chainedPayment);
}

/** A payment row as the chain reads it (`canonicalPayment`). */
interface ChainedPaymentRow {
  payment_id: number;
  agent_id: number;
  txn_id: string;
  channel: string;
  premise_id: number;
  amount: number;
  payer: string | null;
  paid_at: Date;
  business_date: string;
  period: string;
  parts: Array<{ accountId: number; amount: number }> | null;
}
const chainedPaymentColumns = sql`p.payment_id, p.agent_id, p.txn_id, p.channel, p.premise_id, p.amount, p.payer, p.paid_at,
       to_char(p.business_date, 'YYYY-MM-DD') as business_date, to_char(p.period, 'YYYY-MM-DD') as period,
       (select json_agg(json_build_object('accountId', pa.account_id, 'amount', pa.amount)) from payment_allocation pa
         where pa.community_id = p.community_id and pa.payment_id = p.payment_id) as parts`;
function chainedPayment(p: ChainedPaymentRow): ChainedPayment {
  return {
    paymentId: p.payment_id,
    agentId: p.agent_id,
    txnId: p.txn_id,
    channel: p.channel,
    premiseId: p.premise_id,
    amount: p.amount,
    payer: p.payer,
    paidAt: new Date(p.paid_at),
    businessDate: p.business_date,
    period: p.period,
    allocations: (p.parts ?? []).map((x) => ({ accountId: Number(x.accountId), amount: Number(x.amount) })),
  };
}

export async function sealPayments(trx: Tx, communityId: number, sealed: ReadonlyArray<{ paymentId: number; seq: number; prevHash: string; hash: string }>): Promise<void> {
  const values = sql.join(sealed.map((s) => sql`(${s.paymentId}::bigint, ${s.seq}::bigint, ${s.prevHash}, ${s.hash})`));
  await sql`update payment p set chain_seq = v.seq, prev_hash = v.prev_hash, hash = v.hash
              from (values ${values}) as v(payment_id, seq, prev_hash, hash)
             where p.community_id = ${communityId} and p.payment_id = v.payment_id
               -- Only unsealed rows: a sealed payment is never sealed again, and the planner reaches the
               -- rows through the small payment_unsealed index even when the table's statistics are stale.
               and p.chain_seq is null`.execute(trx);
}

export async function paymentByTxn(db: DbOrTx, communityId: number, agentId: number, txnId: string) {
  return db.selectFrom('payment').selectAll().where('community_id', '=', communityId).where('agent_id', '=', agentId).where('txn_id', '=', txnId).executeTakeFirst();
}

/** The agent's payments of these transaction ids (a registry's rows), in one query. */
export async function paymentsByTxn(db: DbOrTx, communityId: number, agentId: number, txnIds: string[]) {
  if (txnIds.length === 0) return [];
  return db.selectFrom('payment').select(['txn_id', 'channel', 'amount', 'status', 'premise_id', 'request_hash']).where('community_id', '=', communityId).where('agent_id', '=', agentId).where('txn_id', 'in', txnIds).execute();
}

/** The households of these unified account numbers (those that exist). */
export async function premisesOfUnifiedAccounts(db: DbOrTx, communityId: number, numbers: string[]) {
  if (numbers.length === 0) return [];
  return db.selectFrom('unified_account').select(['number', 'premise_id']).where('community_id', '=', communityId).where('number', 'in', [...new Set(numbers)]).execute();
}

export async function paymentById(db: DbOrTx, communityId: number, paymentId: number) {
  return db.selectFrom('payment').selectAll().where('community_id', '=', communityId).where('payment_id', '=', paymentId).executeTakeFirst();
}

/** A payment's parts with what the payer should see of each account. */
export async function allocationsOf(db: DbOrTx, communityId: number, paymentId: number) {
  const r = await sql<{ account_id: number; entry_id: number; amount: number; account_number: string; service_code: string; service_uk: string; service_en: string; provider: string; provider_edrpou: string }>`
select pa.account_id, pa.entry_id, pa.amount, a.number as account_number, s.code as service_code, s.name_uk as service_uk, s.name_en as service_en,
       coalesce(p.short_name, p.name) as provider, p.edrpou as provider_edrpou
  from payment_allocation pa
  join account a on a.community_id = pa.community_id and a.account_id = pa.account_id
  join provider p on p.community_id = a.community_id and p.provider_id = a.provider_id
  join service s on s.community_id = a.community_id and s.service_id = a.service_id
 where pa.community_id = ${communityId} and pa.payment_id = ${paymentId}
 order by s.sort_order, s.service_id, a.number`.execute(db);
  return r.rows;
}

/** Every chain record of the community, each rebuilt from the rows as they are now. */
export async function chainRecords(db: DbOrTx, communityId: number): Promise<{ records: ChainRecord[]; headSeq: number }> {
  const head = await db.selectFrom('payment_chain_head').select('seq').where('community_id', '=', communityId).executeTakeFirst();
  const payments = await sql<ChainedPaymentRow & { status: string; chain_seq: number; prev_hash: string; hash: string }>`
select ${chainedPaymentColumns}, p.status, p.chain_seq, p.prev_hash, p.hash
  from payment p where p.community_id = ${communityId} and p.chain_seq is not null`.execute(db);
  const reversals = await db.selectFrom('payment_reversal').selectAll().where('community_id', '=', communityId).execute();
  const registries = await db.selectFrom('settlement_registry').selectAll().where('community_id', '=', communityId).execute();
  const records: ChainRecord[] = [
    ...payments.rows.map((p) => ({
      seq: Number(p.chain_seq),
      kind: 'payment' as const,
      id: p.payment_id,
      text: canonicalPayment(chainedPayment(p)),
      cancelled: p.status === 'cancelled',
      prevHash: p.prev_hash,
      hash: p.hash,
    })),
    ...reversals.map((r) => ({
      seq: Number(r.chain_seq),
      kind: 'reversal' as const,
      id: r.payment_id,
      text: canonicalReversal({ paymentId: r.payment_id, reason: r.reason, reversedAt: new Date(r.reversed_at) }),
      prevHash: r.prev_hash,
      hash: r.hash,
    })),
    ...registries.map((r) => ({
      seq: Number(r.chain_seq),
      kind: 'settlement' as const,
      id: r.registry_id,
      text: canonicalSettlement({ registryId: r.registry_id, providerId: r.provider_id, businessDate: r.business_date, lines: r.lines, gross: r.gross, commission: r.commission, net: r.net, carriedIn: r.carried_in, csv: Buffer.from(r.csv), dbf: Buffer.from(r.dbf) }),
      prevHash: r.prev_hash,
      hash: r.hash,
    })),
  ];
  return { records, headSeq: Number(head?.seq ?? 0) };
}

export async function receiptMeta(db: DbOrTx, communityId: number, paymentId: number) {
  const r = await sql<{ community: string; agent: string; payer: string | null }>`
select c.name as community, a.name as agent, p.payer from payment p
  join community c on c.community_id = p.community_id
  join payment_agent a on a.community_id = p.community_id and a.agent_id = p.agent_id
 where p.community_id = ${communityId} and p.payment_id = ${paymentId}`.execute(db);
  return r.rows[0]!;
}

export async function agentByCode(db: DbOrTx, communityId: number, code: string) {
  return db.selectFrom('payment_agent').selectAll().where('community_id', '=', communityId).where('code', '=', code).executeTakeFirst();
}

export interface PaymentRow {
  paymentId: number;
  agent: string;
  channel: string;
  txnId: string;
  unifiedAccount: string | null;
  amount: number;
  paidAt: string;
  status: 'posted' | 'cancelled';
  /** Why it was reversed, when it was. */
  reversalReason: string | null;
  receiptCode: string;
}

/** Payments for the staff search, newest first. */
export async function searchPayments(db: DbOrTx, communityId: number, q: { unifiedAccount?: string; txnId?: string; date?: string; limit: number }): Promise<PaymentRow[]> {
  const r = await sql<Omit<PaymentRow, 'receiptCode'> & { receiptSecret: string }>`
select p.payment_id as "paymentId", a.code as agent, p.channel, p.txn_id as "txnId", ua.number as "unifiedAccount", p.amount,
       to_char(p.paid_at at time zone 'Europe/Kyiv', 'YYYY-MM-DD HH24:MI') as "paidAt", p.status, r.reason as "reversalReason", p.receipt_secret as "receiptSecret"
  from payment p
  join payment_agent a on a.community_id = p.community_id and a.agent_id = p.agent_id
  left join unified_account ua on ua.community_id = p.community_id and ua.premise_id = p.premise_id
  left join payment_reversal r on r.community_id = p.community_id and r.payment_id = p.payment_id
 where p.community_id = ${communityId}
   ${q.unifiedAccount ? sql`and ua.number = ${q.unifiedAccount}` : sql``}
   ${q.txnId ? sql`and p.txn_id = ${q.txnId}` : sql``}
   ${q.date ? sql`and p.business_date = ${q.date}::date` : sql``}
 order by p.payment_id desc limit ${q.limit}`.execute(db);
  return r.rows.map(({ receiptSecret, ...row }) => ({ ...row, receiptCode: receiptCode(row.paymentId, receiptSecret) }));
}

/** Money in per day and channel over the last `days` days (cancelled payments left out). */
export async function dailyByChannel(db: DbOrTx, communityId: number, days: number): Promise<Array<{ day: string; channel: string; amount: number; count: number }>> {
  const r = await sql<{ day: string; channel: string; amount: number; count: number }>`
select business_date::text as day, channel, sum(amount)::bigint as amount, count(*)::int as count
  from payment
 where community_id = ${communityId} and status = 'posted' and business_date > current_date - ${days}::int
 group by 1, 2 order by 1, 2`.execute(db);
  return r.rows;
}
