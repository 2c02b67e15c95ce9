import type { Kysely } from 'kysely';
import { execSql } from '../index';

// A settlement contract is in force from a day on, and a new one for the same provider and agent
// replaces it from its own day: each payment's commission, and its reversal's, is by the contract
// in force on the payment's business day, whenever the registry is formed. Contracts made before
// this had no day and applied always.
export async function up(db: Kysely<any>): Promise<void> {
  await execSql(
    db,
    `
alter table settlement_contract add column valid_from date not null default '2000-01-01';
alter table settlement_contract alter column valid_from drop default;
drop index settlement_contract_one;
create unique index settlement_contract_one on settlement_contract (community_id, provider_id, coalesce(agent_id, 0), valid_from);
`,
  );
}
