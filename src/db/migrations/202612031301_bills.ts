import type { Kysely } from 'kysely';
import { execSql } from '../index';

// The unified bill: the community's design (its collecting account for the QR too), how each
// premise receives its bill, the e-mail log, and print runs with their immutable files. Nothing
// here holds a figure of the bill: those are derived from the ledger each time (src/bills/).
export async function up(db: Kysely<any>): Promise<void> {
  await execSql(
    db,
    `
create table bill_design (
  community_id int primary key references community,
  recipient_name text not null,
  collecting_iban text not null,
  recipient_code text not null,
  locality text not null default '',
  qr_format text not null default '002' check (qr_format in ('002', '003')),
  qr_encoding int not null default 1 check (qr_encoding in (1, 2)),
  primary_color text not null default '#1c4e80',
  accent_color text not null default '#f2b705',
  service_order text[] not null default '{}',
  sections text[] not null default '{meters,notices,news,debtReminder,readingBoxes}',
  contacts text[] not null default '{}',
  footer text not null default '',
  news text not null default '',
  debt_threshold bigint not null default 500000,
  logo bytea,
  logo_type text,
  updated_at timestamptz not null default now()
);

create table bill_delivery (
  community_id int not null,
  premise_id bigint not null,
  method text not null check (method in ('courier', 'ukrposhta', 'ebill')),
  email text,
  primary key (community_id, premise_id),
  foreign key (community_id, premise_id) references premise
);

create table bill_email (
  community_id int not null,
  email_id bigint generated always as identity,
  premise_id bigint not null,
  period date not null,
  address text not null,
  status text not null check (status in ('sent', 'failed')),
  attempts int not null,
  error text,
  message_id text,
  sent_at timestamptz not null default now(),
  primary key (community_id, email_id),
  foreign key (community_id, premise_id) references premise
);
create index bill_email_period on bill_email (community_id, period, premise_id);

create table print_run (
  community_id int not null,
  print_run_id bigint generated always as identity,
  period date not null,
  job_id bigint,
  status text not null default 'running' check (status in ('running', 'done', 'failed')),
  created_by bigint,
  created_at timestamptz not null default now(),
  summary jsonb,
  primary key (community_id, print_run_id)
);

-- Issued files: written once, never changed (the trigger), each with its SHA-256.
create table print_file (
  community_id int not null,
  print_run_id bigint not null,
  name text not null,
  kind text not null check (kind in ('batch', 'manifest_csv', 'manifest_pdf', 'skipped_csv')),
  route text,
  bills int not null default 0,
  sha256 text not null,
  size int not null,
  content bytea not null,
  primary key (community_id, print_run_id, name),
  foreign key (community_id, print_run_id) references print_run
);
create function print_file_immutable() returns trigger language plpgsql as $$
begin
  raise exception 'print files are immutable (% of run %)', old.name, old.print_run_id;
end $$;
create trigger print_file_immutable before update or delete on print_file
  for each row execute function print_file_immutable();
`,
  );
}
