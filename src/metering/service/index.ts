/**
 * Metering use cases: access checks, transactions, and the glue between the pure rules
 * (validate.ts, estimate.ts) and the SQL (repo.ts, consumption.ts).
 *
 * One module per kind of use case: access.ts, submit.ts (submitting readings), review.ts (the
 * review queue), meters.ts, desk.ts (a premise's meters, finding premises), settings.ts and
 * history.ts (a meter's history); this index re-exports what callers use.
 *
 * For the onboarding importer (provider files of meters and readings):
 *
 *   submitReadingsBulk(db: Db, actor: SessionUser, rows: ReadingInput[], options: { channel: 'provider_file', today?, source? })
 *     : Promise<ReadingResult[]>
 *     One result per row, in the order given: status 'accepted' | 'needs_review' | 'rejected', the
 *     volumes the reading implies, and every reason or warning in Ukrainian and English.
 *     A row names its meter by `meterId` or by `serial` (+ `serviceCode` when serials repeat).
 *
 *   upsertMetersBulk(db: Db, actor: SessionUser, rows: MeterInput[]): Promise<MeterUpsertResult[]>
 *     Creates or updates meters keyed by (service, serial); a new meter's `initialValues` become its
 *     initial reading. One result per row (created / updated / rejected with reasons).
 *
 * For payment agents (cash desks, terminals) taking readings with a payment:
 *
 *   submitReadingsForUnifiedAccount(db: Db, actor: SessionUser, unifiedNumber: string, rows: ReadingInput[],
 *     options: { channel: 'cash_desk', paymentRef?, today? }): Promise<ReadingResult[]>
 *     Only meters of the premise of that unified account number are taken; paymentRef is kept as
 *     each reading's external_ref.
 *
 * And for billing: computeConsumption(db, communityId, period) (re)fills meter_consumption from the
 * accepted readings. A billing run calls it itself as its first step (src/billing/jobs.ts), so
 * callers need not; `hromada readings consumption --period YYYY-MM` runs it alone, e.g. to look at
 * the volumes before billing. It lives in ../consumption.ts: import it from there.
 */

export { channelAllowed, mayReadMeter } from './access';
export {
  submitReading,
  submitReadingsBulk,
  submitReadingsForUnifiedAccount,
  type ReadingInput,
  type ReadingMessage,
  type ReadingResult,
  type SubmitOptions,
} from './submit';
export { listReviewQueue, reviewReading } from './review';
export { replaceMeter, setMeterStatus, upsertMetersBulk, type MeterInput, type MeterUpsertResult } from './meters';
export { buildingPremises, findPremises, lookupExamples, parseLookup, premiseMeters } from './desk';
export { listMeteringSettings, saveMeterNorm, saveMeteringSettings, type MeteringSettingsInput } from './settings';
export { meterHistory } from './history';
