import type { Kysely } from 'kysely';
import { execSql } from '../index';

// «Соборна 12/7» and «Замостянська 1-5» have two readings: house 12/7 (a corner building), or
// house 12, flat 7. The second reading is staged beside the first, and matching tries both
// against the register (src/onboarding/address-keys.ts).
export async function up(db: Kysely<any>): Promise<void> {
  await execSql(db, `
    alter table import_row add column flat_house_key text, add column flat_apartment_key text;
  `);
}
