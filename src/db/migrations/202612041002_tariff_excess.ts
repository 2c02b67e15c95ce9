import type { Kysely } from 'kysely';
import { execSql } from '../index';

// #17: what happens to a provider's imported charge priced above the city's approved tariff, as
// the community chooses: 'flag' — posted, and flagged on the tariff-control page (as before);
// 'hold' — kept out of the ledger in the import's review queue until someone decides.
export async function up(db: Kysely<any>): Promise<void> {
  await execSql(db, `alter table billing_settings add column tariff_excess text not null default 'flag' check (tariff_excess in ('flag', 'hold'));`);
}
