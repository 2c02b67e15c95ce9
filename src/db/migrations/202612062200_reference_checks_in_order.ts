import type { Kysely } from 'kysely';
import { execSql } from '../index';

// The reference checks of 202612061801_set_based_references look the inserted rows up in the order
// they were inserted, not their distinct keys: the planner cannot count a transition table's
// distinct keys, so it chose a lookup per key anyway, and the hash aggregate (spilling past
// work_mem) handed them over in random order. In the order of insertion (a registry import writes
// its ledger entries in account order) each lookup lands beside the one before: in
// bench:registry the account check of 515,000 ledger entries took 0.7 s instead of 2.4 s. A key
// repeated in one statement is looked up again, which costs a pay (a few rows) nothing.
interface Reference {
  name: string;
  child: string;
  column: string;
  parent: string;
  parentColumn: string;
}

function checkInOrder(r: Reference): string {
  return `
create or replace function ${r.name}_check() returns trigger language plpgsql as $$
declare
  missing bigint;
begin
  select i.${r.column} into missing from inserted i
   where i.${r.column} is not null
     and not exists (select 1 from ${r.parent} p where p.community_id = i.community_id and p.${r.parentColumn} = i.${r.column})
   limit 1;
  if missing is not null then
    raise exception 'insert into ${r.child} violates ${r.name}: ${r.column} % is not in ${r.parent}', missing
      using errcode = '23503', constraint = '${r.name}', table = '${r.child}', column = '${r.column}';
  end if;
  return null;
end $$;
`;
}

export async function up(db: Kysely<any>): Promise<void> {
  await execSql(
    db,
    [
      { name: 'ledger_entry_account_fkey', child: 'ledger_entry', column: 'account_id', parent: 'account', parentColumn: 'account_id' },
      { name: 'ledger_entry_billing_run_fkey', child: 'ledger_entry', column: 'billing_run_id', parent: 'billing_run', parentColumn: 'billing_run_id' },
      { name: 'ledger_entry_reverses_fkey', child: 'ledger_entry', column: 'reverses_entry_id', parent: 'ledger_entry', parentColumn: 'entry_id' },
      { name: 'payment_allocation_payment_fkey', child: 'payment_allocation', column: 'payment_id', parent: 'payment', parentColumn: 'payment_id' },
      { name: 'payment_agent_fkey', child: 'payment', column: 'agent_id', parent: 'payment_agent', parentColumn: 'agent_id' },
    ]
      .map(checkInOrder)
      .join(''),
  );
}
