import type { Kysely } from 'kysely';
import { execSql } from '../index';

// A community's own bounds of plausible amounts (shared/amount-bounds.ts), field by field; what it
// leaves out keeps the defaults.
export async function up(db: Kysely<any>): Promise<void> {
  await execSql(db, `alter table billing_settings add column amount_bounds jsonb not null default '{}'::jsonb;`);
}
