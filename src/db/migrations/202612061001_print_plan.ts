import type { Kysely } from 'kysely';
import { execSql } from '../index';

// A print run's plan (its premises in print order), so a resumed run prints the same batches.
// Batch PDFs are compressed already: stored without TOAST compression, which would only cost time.
export async function up(db: Kysely<any>): Promise<void> {
  await execSql(db, `
alter table print_run add column plan bigint[];
alter table print_file alter column content set storage external;
`);
}
