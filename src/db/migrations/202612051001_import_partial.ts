import type { Kysely } from 'kysely';
import { execSql } from '../index';

// An import whose rows all failed is `failed`; one with some failed rows is `partial` (applied, with
// errors to fix). A partial import is not the "same file already applied": sending it again after
// the fix re-reads every row.
export async function up(db: Kysely<any>): Promise<void> {
  await execSql(
    db,
    `alter table data_import drop constraint data_import_status_check;
     alter table data_import add constraint data_import_status_check
       check (status in ('staging', 'staged', 'applied', 'partial', 'unchanged', 'failed'));`,
  );
}
