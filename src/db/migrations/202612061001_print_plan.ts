import type { Kysely } from 'kysely';
import { execSql } from '../index';

// A print run's plan (its premises in print order), so a resumed run prints the same batches.
// Batch PDFs are compressed already: stored without TOAST compression, which would only cost time.
// A bill reads its premise's meter consumption: indexed by premise (a print run reads 500 at once).
export async function up(db: Kysely<any>): Promise<void> {
  await execSql(db, `
alter table print_run add column plan bigint[];
alter table print_file alter column content set storage external;
create index meter_consumption_premise on meter_consumption (community_id, premise_id, period);
`);
}
