import type { Kysely } from 'kysely';
import { execSql } from '../index';

// The estimate's history lookup takes a meter's earliest reading in a window, ordered by date and
// then id: with the id in the index the lookup reads its first entry instead of sorting the
// meter's readings each time (one lookup per estimated meter, a couple of hundred thousand a run).
export async function up(db: Kysely<any>): Promise<void> {
  await execSql(
    db,
    `
create index meter_reading_meter_ordered on meter_reading (community_id, meter_id, read_on, reading_id);
drop index meter_reading_meter;
alter index meter_reading_meter_ordered rename to meter_reading_meter;
`,
  );
}
