import type { Kysely } from 'kysely';
import { execSql } from '../index';

// An import whose rows all failed is `failed`; one with some failed rows is `partial` (applied, with
// errors to fix). The same file again is recognised after either (a corrected file differs).
export async function up(db: Kysely<any>): Promise<void> {
  await execSql(
    db,
    `alter table data_import drop constraint data_import_status_check;
     alter table data_import add constraint data_import_status_check
       check (status in ('staging', 'staged', 'applied', 'partial', 'unchanged', 'failed'));
     drop index data_import_hash;
     create index data_import_hash on data_import (community_id, kind, file_hash) where status in ('applied', 'partial');`,
  );
}
