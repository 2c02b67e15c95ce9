import type { Kysely } from 'kysely';
import { execSql } from '../index';

// Notices printed on the unified bill for a range of periods: a provider's (provider_id set; the
// provider's own users add them) or the community's news (provider_id null; staff add them).
// Each in Ukrainian and English: the bill prints Ukrainian, the API returns both.
export async function up(db: Kysely<any>): Promise<void> {
  await execSql(
    db,
    `
create table bill_notice (
  community_id int not null references community,
  notice_id bigint generated always as identity,
  provider_id bigint,
  period_from date not null check (extract(day from period_from) = 1),
  period_to date not null check (extract(day from period_to) = 1),
  text_uk text not null check (length(text_uk) between 1 and 500),
  text_en text not null check (length(text_en) between 1 and 500),
  created_by bigint,
  created_at timestamptz not null default now(),
  primary key (community_id, notice_id),
  foreign key (community_id, provider_id) references provider,
  check (period_to >= period_from)
);
create index bill_notice_period on bill_notice (community_id, period_from, period_to);
`,
  );
}
