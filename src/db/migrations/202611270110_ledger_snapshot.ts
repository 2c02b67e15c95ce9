import type { Kysely } from 'kysely';
import { execSql } from '../index';

// Balances per account as of a closed period, written by the close (src/billing/snapshot.ts), so
// that next month's penalties read one row per account and the entries since the close instead
// of every account's whole ledger, which grows by a million entries a month. Derived from the
// ledger and rewritten only by the close; only the latest period's rows are kept.
export async function up(db: Kysely<any>): Promise<void> {
  await execSql(
    db,
    `
create table ledger_snapshot (
  community_id int not null,
  period date not null,
  account_id bigint not null,
  -- Through the period: everything but penalties; penalties; the period's own bill (charges,
  -- recalculations, benefits, subsidies, adjustments: what the next due date is about).
  principal bigint not null,
  penalties bigint not null,
  last_bill bigint not null,
  primary key (community_id, period, account_id),
  foreign key (community_id, period) references billing_period
);
-- The last ledger entry the snapshot of this period counts (entries after it, whatever their
-- period, are added by whoever reads the snapshot).
alter table billing_period add column snapshot_entry_id bigint;
`,
  );
}
