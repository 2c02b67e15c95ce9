import type { Kysely } from 'kysely';
import { execSql } from '../index';

// An agent's daily registry of payments, reconciled against what arrived by API: the report per
// agent and day, rewritten by each import of that day's file (the import itself posts through the
// idempotent pay, so a rerun after a crash posts nothing twice).
export async function up(db: Kysely<any>): Promise<void> {
  await execSql(
    db,
    `
create table agent_registry (
  community_id int not null,
  agent_id int not null,
  business_date date not null,
  file_name text not null,
  file_sha256 text not null,
  rows int not null,
  total bigint not null,
  matched int not null,
  posted int not null,
  amount_differs int not null,
  missing_in_file int not null,
  -- The flagged lines: amounts that differ, payments the file does not have.
  flags jsonb not null,
  imported_at timestamptz not null default now(),
  primary key (community_id, agent_id, business_date),
  foreign key (community_id, agent_id) references payment_agent
);
`,
  );
}
