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
import type { Period } from '../shared/period';

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
 * Writes the snapshot of `period` (being closed, ledger locked, before its status turns closed):
 * the previous snapshot plus the entries it did not count, or the whole ledger when there is none;
 * then drops older snapshots.
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
      insert into ledger_snapshot (community_id, period, account_id, principal, penalties, last_bill)
      select ${communityId}::int, ${period}::date, le.account_id, ${sums(period)}
        from ledger_entry le
       where le.community_id = ${communityId} and le.period <= ${period}::date
       group by le.account_id`.execute(trx);
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
         where community_id = ${communityId} and period = ${previous.period}::date)
      insert into ledger_snapshot (community_id, period, account_id, principal, penalties, last_bill)
      select ${communityId}::int, ${period}::date, coalesce(o.account_id, f.account_id),
             coalesce(o.principal, 0) + coalesce(f.principal, 0), coalesce(o.penalties, 0) + coalesce(f.penalties, 0),
             coalesce(f.last_bill, 0)
        from old o full join fresh f on f.account_id = o.account_id`.execute(trx);
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
