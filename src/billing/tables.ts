/** Kysely types of the billing tables (see the matching migration in src/db/migrations). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface BillingTables {}
