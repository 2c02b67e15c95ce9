/**
 * What the onboarding SQL says of the staged rows of one import (`import_row`), wherever it is
 * used: the scope, the rows an operator picked, the other names a register row gives its street.
 */
import { sql } from 'kysely';

export type Scope = { communityId: number; importId: number };

/** Rows of a scope, optionally only some of them (an operator's decisions are applied by row). */
export const onlyRows = (rows: number[] | undefined, alias = 'm') =>
  rows ? sql`and ${sql.ref(`${alias}.row_no`)} = any(${rows}::int[])` : sql``;

/** The other names a register row gives its street: former names and aliases, by search key. */
export const otherNameKeys = (s: Scope) => sql`
  select r.row_no, r.street_key, r.street_type, k.key, k.source, k.field
    from import_row r
    cross join lateral (
      select jsonb_array_elements_text((r.data->>'former_keys')::jsonb) as key, 'former' as source, 'former_names' as field
      union all
      select jsonb_array_elements_text((r.data->>'alias_keys')::jsonb), 'variant', 'aliases') k
   where r.community_id = ${s.communityId} and r.import_id = ${s.importId} and r.status <> 'error'`;
