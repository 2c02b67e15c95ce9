import type { Kysely } from 'kysely';
import { execSql } from '../index';

// Settlement with providers (src/payments/settlement.ts): commission by contract, and the daily
// registry per provider, stored as exported (CSV and DBF bytes) and frozen: a second export
// returns the same bytes. Registries join the payments' hash chain.
export async function up(db: Kysely<any>): Promise<void> {
  await execSql(
    db,
    `
create table settlement_contract (
  community_id int not null,
  contract_id serial not null,
  provider_id bigint not null,
  -- null: every agent without a contract of its own.
  agent_id int,
  -- Commission per allocated part: a percent of it (half up to the kopeck), or a fixed sum.
  percent numeric(6, 3) check (percent >= 0 and percent < 100),
  fixed bigint check (fixed >= 0),
  check ((percent is null) <> (fixed is null)),
  primary key (community_id, contract_id),
  foreign key (community_id, provider_id) references provider
);
create unique index settlement_contract_one on settlement_contract (community_id, provider_id, coalesce(agent_id, 0));
create table settlement_registry (
  community_id int not null,
  registry_id bigserial not null,
  provider_id bigint not null,
  business_date date not null,
  lines int not null,
  gross bigint not null,
  commission bigint not null,
  net bigint not null,
  csv bytea not null,
  dbf bytea not null,
  transfer jsonb not null,
  exported_at timestamptz not null default now(),
  chain_seq bigint not null,
  prev_hash text not null,
  hash text not null,
  primary key (community_id, registry_id),
  unique (community_id, provider_id, business_date),
  unique (community_id, chain_seq),
  foreign key (community_id, provider_id) references provider
);
create function settlement_registry_frozen() returns trigger language plpgsql as $$
begin
  raise exception 'settlement registry % is exported and cannot change', old.registry_id;
end $$;
create trigger settlement_registry_immutable before update or delete on settlement_registry
  for each row execute function settlement_registry_frozen();
`,
  );
}
