import type { Kysely } from 'kysely';
import { execSql } from '../index';

// A community's first billing period (its go-live month), set once: runs before it are refused and
// periods before it never block later months. A run that is not closed can be discarded.
export async function up(db: Kysely<any>): Promise<void> {
  await execSql(
    db,
    `alter table billing_settings add column first_period date check (extract(day from first_period) = 1);
     alter table billing_run drop constraint billing_run_status_check;
     alter table billing_run add constraint billing_run_status_check
       check (status in ('running', 'calculated', 'superseded', 'posted', 'failed', 'discarded'));`,
  );
}
