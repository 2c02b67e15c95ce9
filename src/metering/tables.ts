/** Kysely types of the metering tables (see the matching migration in src/db/migrations). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface MeteringTables {}
