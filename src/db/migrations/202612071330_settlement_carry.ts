import type { Kysely } from 'kysely';
import { execSql } from '../index';

// A provider's day that took back more than came in (reversals) leaves the provider owing: the
// debt is set against its next registry's transfer (settlement-format.ts, afterCarry). Each
// registry keeps what it carried in; what it carries on follows from that and its net.
export async function up(db: Kysely<any>): Promise<void> {
  await execSql(db, `alter table settlement_registry add column carried_in bigint not null default 0 check (carried_in <= 0);`);
}
