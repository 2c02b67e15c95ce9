import type { Kysely } from 'kysely';
import { execSql } from '../index';

// meter_consumption is derived data, deleted and refilled from meter + meter_reading on every
// billing run. Its premise, building and service columns are copied from the meter, which already
// references all three, so checking them again per row only slowed the refill (about half of it
// on the benchmark city: four foreign-key lookups per row). The key to meter stays.
export async function up(db: Kysely<any>): Promise<void> {
  await execSql(
    db,
    `
alter table meter_consumption
  drop constraint meter_consumption_community_id_premise_id_fkey,
  drop constraint meter_consumption_community_id_building_id_fkey,
  drop constraint meter_consumption_community_id_service_id_fkey;
`,
  );
}
