import type { Kysely } from 'kysely';
import { execSql } from '../index';

// A serial number identifies a meter in provider files: one live meter per service and serial,
// so that a bulk upsert of meters can use it as its key (a retired meter keeps its serial).
export async function up(db: Kysely<any>): Promise<void> {
  await execSql(
    db,
    `
create unique index meter_live_serial on meter (community_id, service_id, serial) where status <> 'retired';
`,
  );
}
