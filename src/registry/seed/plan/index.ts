/**
 * The synthetic city as pure functions of (scale, seed): streets, buildings, providers, and per
 * premise its flat, household and accounts. No I/O here except reading the bundled street list;
 * `../seed.ts` streams what these functions produce into the database.
 *
 * Everything is regenerated on demand from per-item random streams (see ../random.ts), so the
 * writer can make one pass per table without holding a million rows in memory.
 *
 * One module per part: scales.ts, source-data.ts (the bundled files), streets.ts, providers.ts,
 * buildings.ts (with planCity), premises.ts, households.ts, accounts.ts.
 */
export { SCALE_NAMES, SCALES, isScale, type ScaleName, type ScaleSpec } from './scales';
export { COMMUNITY_NAME, readCommunityKatottg, readStreets, type StreetSource } from './source-data';
export { KYIVSKA, type StreetPlan } from './streets';
export type { ProviderPlan } from './providers';
export { planCity, type BuildingKind, type BuildingPlan, type CityPlan } from './buildings';
export { premiseOf, unifiedNumberOf, type PremisePlan } from './premises';
export { Households, type PersonPlan } from './households';
export { Accounts, type AccountPlan } from './accounts';
export { SERVICE_CATALOGUE } from '../catalogue';
