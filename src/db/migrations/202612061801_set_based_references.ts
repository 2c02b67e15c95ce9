import type { Kysely } from 'kysely';
import { execSql } from '../index';

// The references of the tables that take millions of rows at once (ledger entries, payments and
// their allocations) are checked once per statement, by one anti-join over the rows it inserted,
// instead of by a foreign key's lookup and row lock per row: in bench:registry those per-row
// checks cost about as much as writing the rows. What a foreign key also guards, the parent's
// removal, is refused by a delete trigger on the parent (the application never deletes an
// account, a billing run, a payment or an agent: accounts close, payments are reversed).
// The error is a foreign key's own (SQLSTATE 23503, the constraint's name), so callers see no
// difference; `wipeCommunity` turns these triggers off with the rest. Each check is a function
// of its own with static SQL, so PL/pgSQL keeps its plan (a pay inserts one row at a time).
export interface Reference {
  name: string;
  child: string;
  column: string;
  parent: string;
  parentColumn: string;
}

/** The references checked once per statement (each a foreign key before). */
export const REFERENCES: Reference[] = [
  { name: 'ledger_entry_account_fkey', child: 'ledger_entry', column: 'account_id', parent: 'account', parentColumn: 'account_id' },
  { name: 'ledger_entry_billing_run_fkey', child: 'ledger_entry', column: 'billing_run_id', parent: 'billing_run', parentColumn: 'billing_run_id' },
  { name: 'ledger_entry_reverses_fkey', child: 'ledger_entry', column: 'reverses_entry_id', parent: 'ledger_entry', parentColumn: 'entry_id' },
  { name: 'payment_allocation_payment_fkey', child: 'payment_allocation', column: 'payment_id', parent: 'payment', parentColumn: 'payment_id' },
  { name: 'payment_agent_fkey', child: 'payment', column: 'agent_id', parent: 'payment_agent', parentColumn: 'agent_id' },
];

/** The check function's name and body: `find` selects one missing key into `missing`, or none. */
export function checkFunction(r: Reference, find: string): string {
  return `${r.name}_check() returns trigger language plpgsql as $$
declare
  missing bigint;
begin
  ${find}
  if missing is not null then
    raise exception 'insert into ${r.child} violates ${r.name}: ${r.column} % is not in ${r.parent}', missing
      using errcode = '23503', constraint = '${r.name}', table = '${r.child}', column = '${r.column}';
  end if;
  return null;
end $$;`;
}

function setBasedReference(r: Reference): string {
  return `
alter table ${r.child} drop constraint ${r.child}_community_id_${r.column}_fkey;
create function ${checkFunction(
    r,
    `select i.${r.column} into missing
    from (select distinct community_id, ${r.column} from inserted where ${r.column} is not null) i
   where not exists (select 1 from ${r.parent} p where p.community_id = i.community_id and p.${r.parentColumn} = i.${r.column})
   limit 1;`,
  )}
create trigger ${r.name} after insert on ${r.child} referencing new table as inserted
  for each statement execute function ${r.name}_check();
create function ${r.name}_guard() returns trigger language plpgsql as $$
declare
  used bigint;
begin
  select d.${r.parentColumn} into used from removed d
   where exists (select 1 from ${r.child} c where c.community_id = d.community_id and c.${r.column} = d.${r.parentColumn})
   limit 1;
  if used is not null then
    raise exception 'delete from ${r.parent} violates ${r.name}: ${r.parentColumn} % is referenced from ${r.child}', used
      using errcode = '23503', constraint = '${r.name}', table = '${r.parent}';
  end if;
  return null;
end $$;
create trigger ${r.name}_guard after delete on ${r.parent} referencing old table as removed
  for each statement execute function ${r.name}_guard();
`;
}

export async function up(db: Kysely<any>): Promise<void> {
  await execSql(db, REFERENCES.map(setBasedReference).join(''));
}
