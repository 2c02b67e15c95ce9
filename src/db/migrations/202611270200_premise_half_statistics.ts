import type { Kysely } from 'kysely';
import { execSql } from '../index';

// Metered and norm charges run in two halves, `premise_id % 2 = 0` and `= 1`, over accounts,
// consumption and registrations. Without statistics on that expression the planner takes a half
// for 0.5 % of the rows and joins them by nested loops (a half once ran 16 s instead of 2 s).
export async function up(db: Kysely<any>): Promise<void> {
  await execSql(
    db,
    `
create statistics account_premise_half on ((premise_id % 2)) from account;
create statistics meter_consumption_premise_half on ((premise_id % 2)) from meter_consumption;
create statistics registration_premise_half on ((premise_id % 2)) from registration;
-- Filled by ANALYZE only: at once, rather than whenever autovacuum comes by.
analyze account, meter_consumption, registration;
`,
  );
}
