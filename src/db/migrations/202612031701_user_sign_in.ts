import type { Kysely } from 'kysely';
import { execSql } from '../index';

// The users page shows when each person last signed in; the sign-in writes it.
export async function up(db: Kysely<any>): Promise<void> {
  await execSql(db, `alter table app_user add column last_sign_in_at timestamptz;`);
}
