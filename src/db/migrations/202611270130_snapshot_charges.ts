import type { Kysely } from 'kysely';
import { execSql } from '../index';

// The review before a close lists accounts charged far above their usual (the average monthly
// charge of the three months before). Read from the ledger, that is three months of charge entries
// per view; the snapshot written at close now keeps each account's charges of its period and the
// two before (null: no charge entry that month), so the review reads one row per account.
// Existing snapshots are filled from the ledger up to their mark.
export async function up(db: Kysely<any>): Promise<void> {
  await execSql(
    db,
    `
alter table ledger_snapshot
  add column charged_1 bigint,
  add column charged_2 bigint,
  add column charged_3 bigint;

update ledger_snapshot s
   set charged_1 = x.charged_1, charged_2 = x.charged_2, charged_3 = x.charged_3
  from (select bp.community_id, bp.period, le.account_id,
               sum(le.amount) filter (where le.period = bp.period)::bigint as charged_1,
               sum(le.amount) filter (where le.period = (bp.period - interval '1 month')::date)::bigint as charged_2,
               sum(le.amount) filter (where le.period = (bp.period - interval '2 months')::date)::bigint as charged_3
          from billing_period bp
          join ledger_entry le on le.community_id = bp.community_id and le.entry_id <= bp.snapshot_entry_id
                              and le.kind = 'charge' and le.period between (bp.period - interval '2 months')::date and bp.period
         where bp.snapshot_entry_id is not null
         group by bp.community_id, bp.period, le.account_id) x
 where s.community_id = x.community_id and s.period = x.period and s.account_id = x.account_id;
`,
  );
}
