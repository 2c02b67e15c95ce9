import type { Kysely } from 'kysely';
import { execSql } from '../index';

// Penalties run in two halves, `account_id % 2 = 0` and `= 1`. Without statistics on that
// expression the planner guesses a half holds 0.5 % of the rows instead of 50 %, and plans
// nested loops that run for minutes on a million accounts.
export async function up(db: Kysely<any>): Promise<void> {
  await execSql(
    db,
    `
create statistics ledger_snapshot_half on ((account_id % 2)) from ledger_snapshot;
create statistics ledger_entry_half on ((account_id % 2)) from ledger_entry;
`,
  );
}
