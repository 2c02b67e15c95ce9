import type { Kysely } from 'kysely';
import { execSql } from '../index';

// Matching results live beside the staged rows rather than in them: a million-row import then
// writes each result once (INSERT … SELECT) instead of rewriting every staged row with UPDATEs.
// The staged rows lose their per-row foreign key check (rows are removed with their import by
// the code that removes imports) and the queue index moves to the results.
export async function up(db: Kysely<any>): Promise<void> {
  await execSql(
    db,
    `
alter table import_row drop constraint import_row_community_id_import_id_fkey;
drop index import_row_queue;
alter table import_row drop column applied, drop column premise_id, drop column confidence, drop column method,
  drop column reason_uk, drop column reason_en, drop column candidates, drop column resolution;

create table import_match (
  community_id int not null,
  import_id bigint not null,
  row_no int not null,
  status text not null check (status in ('matched', 'review', 'new', 'error')),
  premise_id bigint,
  confidence real,
  method text,
  reason_uk text,
  reason_en text,
  candidates jsonb,
  errors jsonb,
  resolution text check (resolution in ('accepted', 'created', 'rejected')),
  resolved_by bigint,
  resolved_at timestamptz,
  primary key (community_id, import_id, row_no)
);
create index import_match_queue on import_match (community_id, import_id, row_no) where status in ('review', 'new') and resolution is null;
`,
  );
}
