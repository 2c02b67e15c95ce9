import type { Kysely } from 'kysely';
import { execSql } from '../index';

// Payments (src/payments/): agents and their keys, checks, payments with their split over the
// personal accounts, reversals, and the hash chain per community over payments and reversals.
// A payment's ledger entries are ordinary `ledger_entry` rows (kind 'payment', source 'payment');
// `payment_allocation` points at them.
export async function up(db: Kysely<any>): Promise<void> {
  await execSql(
    db,
    `
create table payment_agent (
  community_id int not null references community,
  agent_id serial not null,
  code text not null,
  name text not null,
  -- Largest single payment the agent may make, kopecks (aggregators take up to 14,999 UAH).
  max_amount bigint not null default 1499900 check (max_amount > 0),
  -- When set, only these client addresses may call.
  ip_allow text[],
  active boolean not null default true,
  created_at timestamptz not null default now(),
  primary key (community_id, agent_id),
  unique (community_id, code)
);
create table agent_key (
  community_id int not null,
  agent_id int not null,
  -- Public key id sent in X-Agent-Key; unique across the deployment so a request finds its community.
  key_id text not null unique,
  -- HMAC-SHA256 shared secret (both sides must hold it to sign).
  secret text not null,
  valid_from timestamptz not null default now(),
  -- A rotated key keeps working until then (the overlap); null: no end.
  valid_until timestamptz,
  created_at timestamptz not null default now(),
  primary key (community_id, key_id),
  foreign key (community_id, agent_id) references payment_agent
);
create table agent_nonce (
  community_id int not null,
  agent_id int not null,
  nonce text not null,
  seen_at timestamptz not null default now(),
  primary key (community_id, agent_id, nonce)
);
create index agent_nonce_seen on agent_nonce (community_id, seen_at);
create table payment_check (
  community_id int not null,
  reference text not null,
  agent_id int not null,
  premise_id bigint not null,
  amount bigint not null check (amount > 0),
  split jsonb,
  -- Card orders: null while the acquirer has not answered, 'declined' when it refused (paid orders have a payment).
  outcome text check (outcome in ('declined')),
  created_at timestamptz not null default now(),
  primary key (community_id, reference),
  foreign key (community_id, agent_id) references payment_agent
);
create table payment_chain_head (
  community_id int primary key,
  seq bigint not null,
  hash text not null
);
create table payment (
  community_id int not null,
  payment_id bigserial not null,
  agent_id int not null,
  channel text not null check (channel in ('api', 'debt', 'card', 'registry')),
  -- The agent's own transaction id: a retry with the same id is the same payment.
  txn_id text not null,
  -- SHA-256 of the request's meaningful fields: the same id with another body is refused.
  request_hash text not null,
  premise_id bigint not null,
  amount bigint not null check (amount > 0),
  reference text,
  payer text,
  paid_at timestamptz not null default now(),
  business_date date not null,
  period date not null,
  status text not null default 'posted' check (status in ('posted', 'cancelled')),
  verify_code text not null unique,
  -- Set when the payment is sealed into the chain, just after its commit (null until then).
  chain_seq bigint,
  prev_hash text,
  hash text,
  primary key (community_id, payment_id),
  unique (community_id, agent_id, txn_id),
  unique (community_id, chain_seq),
  foreign key (community_id, agent_id) references payment_agent
);
create index payment_day on payment (community_id, business_date, agent_id);
create index payment_premise on payment (community_id, premise_id);
create index payment_unsealed on payment (community_id, payment_id) where chain_seq is null;
create table payment_allocation (
  community_id int not null,
  payment_id bigint not null,
  account_id bigint not null,
  amount bigint not null check (amount > 0),
  entry_id bigint not null,
  primary key (community_id, payment_id, account_id),
  foreign key (community_id, payment_id) references payment
);
create table payment_reversal (
  community_id int not null,
  payment_id bigint not null,
  reason text not null,
  reversed_by int,
  reversed_at timestamptz not null default now(),
  chain_seq bigint not null,
  prev_hash text not null,
  hash text not null,
  primary key (community_id, payment_id),
  unique (community_id, chain_seq),
  foreign key (community_id, payment_id) references payment
);
`,
  );
}
