/**
 * The ledger snapshot: per-account balances as of a closed period, written by the close, so that
 * penalties read one row per account plus the entries posted since the close, not each account's
 * whole history (a million accounts gain about a million entries a month).
 *
 * A snapshot of period P with mark W counts exactly the entries with period ≤ P and entry_id ≤ W.
 * That holds because the close locks ledger_entry against writers (SHARE) before it takes W:
 * every transaction that could still commit an entry numbered below W has finished, and no new
 * one can start until the close commits. Entries posted later to P or earlier periods (possible
 * for periods that were never billing periods, e.g. an import's opening balances) have ids above
 * W, and readers add them.
 */
import { sql } from 'kysely';
import type { Tx } from '../db/index';
import { prevPeriod, type Period } from '../shared/period';

/** Blocks ledger writers until the caller's transaction ends (see above). Taken first by the close. */
export async function lockLedgerForSnapshot(trx: Tx) {
  await sql`lock table ledger_entry in share mode`.execute(trx);
}

/** The sums a snapshot keeps, over entries `le` (a SQL fragment's rows), as of period `p`. */
const sums = (p: Period) => sql`
  coalesce(sum(le.amount) filter (where le.kind <> 'penalty'), 0)::bigint as principal,
  coalesce(sum(le.amount) filter (where le.kind = 'penalty'), 0)::bigint as penalties,
  coalesce(sum(le.amount) filter (where le.period = ${p}::date and le.kind not in ('payment', 'penalty', 'opening_balance')), 0)::bigint as last_bill`;

/**
 * Each account's charges (kind 'charge') of `p` and of the two periods before, up to the mark:
 * what the review's "usual charge" averages (null for a month with no charge entry). Read from the
 * ledger's period index, three months of charges, once per close instead of once per review.
 */
const charges = (communityId: number, p: Period, mark: number) => sql`
charges as (
  select account_id,
         sum(amount) filter (where period = ${p}::date)::bigint as charged_1,
         sum(amount) filter (where period = ${prevPeriod(p)}::date)::bigint as charged_2,
         sum(amount) filter (where period = ${prevPeriod(p, 2)}::date)::bigint as charged_3
    from ledger_entry
   where community_id = ${communityId} and kind = 'charge' and period between ${prevPeriod(p, 2)}::date and ${p}::date
     and entry_id <= ${mark}::bigint
   group by account_id
)`;

/**
 * Writes the snapshot of `period` (being closed, ledger locked, before its status turns closed):
 * the previous snapshot plus the entries it did not count, or the whole ledger when there is none,
 * with each account's last three months of charges; then drops older snapshots.
 */
export async function writeLedgerSnapshot(trx: Tx, communityId: number, period: Period): Promise<number> {
  const mark = await sql<{ id: number | null }>`
    select max(entry_id) as id from ledger_entry where community_id = ${communityId}`.execute(trx);
  const entryId = Number(mark.rows[0]?.id ?? 0);
  const previous = await trx
    .selectFrom('billing_period')
    .select(['period', 'snapshot_entry_id'])
    .where('community_id', '=', communityId)
    .where('period', '<', period)
    .where('snapshot_entry_id', 'is not', null)
    .orderBy('period', 'desc')
    .executeTakeFirst();
  let written: number;
  if (!previous) {
    const r = await sql`
      with whole as (
        select le.account_id, ${sums(period)}
          from ledger_entry le
         where le.community_id = ${communityId} and le.period <= ${period}::date
         group by le.account_id),
      ${charges(communityId, period, entryId)}
      insert into ledger_snapshot (community_id, period, account_id, principal, penalties, last_bill, charged_1, charged_2, charged_3)
      select ${communityId}::int, ${period}::date, w.account_id, w.principal, w.penalties, w.last_bill, c.charged_1, c.charged_2, c.charged_3
        from whole w left join charges c on c.account_id = w.account_id`.execute(trx);
    written = Number(r.numAffectedRows ?? 0);
  } else {
    // Not yet counted: entries after the previous mark (up to this period), and entries up to the
    // mark whose period lies after the previous snapshot's (a payment of a month still open then).
    const r = await sql`
      with fresh as (
        select le.account_id, ${sums(period)}
          from (select account_id, amount, kind, period from ledger_entry
                 where community_id = ${communityId} and entry_id > ${previous.snapshot_entry_id}::bigint and period <= ${period}::date
                union all
                select account_id, amount, kind, period from ledger_entry
                 where community_id = ${communityId} and entry_id <= ${previous.snapshot_entry_id}::bigint
                   and period > ${previous.period}::date and period <= ${period}::date) le
         group by le.account_id),
      old as (
        select account_id, principal, penalties from ledger_snapshot
         where community_id = ${communityId} and period = ${previous.period}::date),
      ${charges(communityId, period, entryId)}
      insert into ledger_snapshot (community_id, period, account_id, principal, penalties, last_bill, charged_1, charged_2, charged_3)
      select ${communityId}::int, ${period}::date, coalesce(o.account_id, f.account_id),
             coalesce(o.principal, 0) + coalesce(f.principal, 0), coalesce(o.penalties, 0) + coalesce(f.penalties, 0),
             coalesce(f.last_bill, 0), c.charged_1, c.charged_2, c.charged_3
        from old o full join fresh f on f.account_id = o.account_id
        left join charges c on c.account_id = coalesce(o.account_id, f.account_id)`.execute(trx);
    written = Number(r.numAffectedRows ?? 0);
  }
  await trx
    .updateTable('billing_period')
    .set({ snapshot_entry_id: entryId })
    .where('community_id', '=', communityId)
    .where('period', '=', period)
    .execute();
  // Only the latest snapshot is read (periods close in order). Older periods keep their mark (a
  // closed period's row never changes) but lose their rows.
  await sql`delete from ledger_snapshot where community_id = ${communityId} and period < ${period}::date`.execute(trx);
  // Next month's penalties read it first thing: the planner must know it holds a row per account.
  await sql`analyze ledger_snapshot`.execute(trx);
  return written;
}
