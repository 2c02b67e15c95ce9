/**
 * Metering use cases: access checks, transactions, and the glue between the pure rules
 * (validate.ts, estimate.ts) and the SQL (repo.ts, consumption.ts).
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
 * the volumes before billing.
 */
import Decimal from 'decimal.js';
import { sql } from 'kysely';
import type { Db, DbOrTx } from '../db/index';
import type { SessionUser } from '../server/context';
import { AppError, forbidden, invalid, notFound, type Bilingual } from '../shared/errors';
import { isIsoDate, kyivToday, periodOf, prevPeriod } from '../shared/period';
import { writeAudit } from '../auth/audit';
import { decodeCursor, pageOf } from '../shared/pagination';
import { normaliseApartment } from '../registry/address';
import { averageDaily } from './estimate';
import {
  explain,
  findDuplicate,
  validateReading,
  type Finding,
  type SubmissionWindow,
} from './validate';
import {
  findMetersBySerial,
  insertReadings,
  lastReadings,
  linkedPremises,
  loadMeterContexts,
  metersOfPremise,
  premiseByUnifiedNumber,
  premisesOfBuilding,
  searchPremises,
  recentReadings,
  type MeterContext,
  type NewReading,
  type StoredReadingRow,
} from './repo';
import type { ReadingChannel, ReadingKind, ReadingStatus } from './tables';

export { computeConsumption } from './consumption';

// ---------------------------------------------------------------------------------------------
// Access
// ---------------------------------------------------------------------------------------------

/** Which channels each role may submit through. */
const CHANNELS_BY_ROLE: Record<SessionUser['role'], readonly ReadingChannel[]> = {
  resident: ['portal', 'app', 'chat_bot'],
  operator: ['call_centre', 'cash_desk', 'portal', 'app', 'chat_bot', 'controller', 'provider_file'],
  admin: ['call_centre', 'cash_desk', 'portal', 'app', 'chat_bot', 'controller', 'provider_file'],
  provider: ['provider_file', 'controller'],
  city: [],
};

export function channelAllowed(role: SessionUser['role'], channel: ReadingChannel): boolean {
  return CHANNELS_BY_ROLE[role].includes(channel);
}

/**
 * A resident: meters of premises linked to them; a provider: its own meters (or, where a meter
 * names no provider, those of premises where it has an open account for that service); staff: any.
 */
export function mayReadMeter(
  actor: SessionUser,
  meter: { premiseId: number | null; providerId: number | null; providerHasAccount?: boolean },
  premises: Set<number>,
): boolean {
  switch (actor.role) {
    case 'admin':
    case 'operator':
    case 'city':
      return true;
    case 'provider':
      return meter.providerId !== null ? meter.providerId === actor.providerId : meter.providerHasAccount === true;
    case 'resident':
      return meter.premiseId !== null && premises.has(meter.premiseId);
  }
}

// ---------------------------------------------------------------------------------------------
// Submitting readings
// ---------------------------------------------------------------------------------------------

export interface ReadingInput {
  meterId?: number;
  serial?: string;
  /** With `serial`: the service code, for when two services' meters share a serial. */
  serviceCode?: string;
  /** Kyiv date of the reading; today when absent. */
  readOn?: string;
  values: string[];
  kind?: ReadingKind;
  externalRef?: string;
}

export interface SubmitOptions {
  channel: ReadingChannel;
  /** Kyiv date of submission (tests pin it; defaults to today). */
  today?: string;
  /** What to name in the audit log (a file name, a payment reference). */
  source?: string;
  /** Validate only: answer as if submitted, store nothing (the desk checks as the operator types). */
  dryRun?: boolean;
  /** Called after each chunk (jobs report it as progress). */
  onProgress?: (done: number, total: number) => void | Promise<void>;
}

export interface ReadingMessage {
  level: Finding['level'];
  code: string;
  uk: string;
  en: string;
  zone?: number;
}

export interface ReadingResult {
  /** Position of the row in the request (0-based). */
  row: number;
  meterId: number | null;
  readingId: number | null;
  status: ReadingStatus;
  /** The same reading was already received: nothing new was stored. */
  duplicate: boolean;
  period: string | null;
  /** Consumption per zone since the previous accepted reading (× multiplier). */
  volumes: (string | null)[];
  messages: ReadingMessage[];
  message_uk: string;
  message_en: string;
}

const toMessage = (f: Finding): ReadingMessage => ({ level: f.level, code: f.code, uk: f.message.uk, en: f.message.en, ...(f.zone ? { zone: f.zone } : {}) });

function rejectedRow(row: number, meterId: number | null, finding: Finding): ReadingResult {
  return {
    row,
    meterId,
    readingId: null,
    status: 'rejected',
    duplicate: false,
    period: null,
    volumes: [],
    messages: [toMessage(finding)],
    message_uk: finding.message.uk,
    message_en: finding.message.en,
  };
}

const rejection = (code: string, uk: string, en: string): Finding => ({ level: 'reject', code, message: { uk, en } });

/** Expected daily use from the meter's own history (all zones together), or null. */
function historyDaily(meter: MeterContext): string | null {
  if (!meter.previous || !meter.historyStart) return null;
  let total = new Decimal(0);
  for (let z = 0; z < meter.zones; z++) {
    const daily = averageDaily(
      { readOn: meter.historyStart.readOn, value: meter.historyStart.values[z] ?? '0' },
      { readOn: meter.previous.readOn, value: meter.previous.values[z] ?? '0' },
      meter.digits,
      meter.multiplier,
    );
    if (daily === null) return null;
    total = total.plus(daily);
  }
  return total.toString();
}

const CHUNK = 5000;

/** Fits meter_reading's numeric(14, 3) columns. */
const storable = (values: string[]) => values.length >= 1 && values.length <= 3 && values.every((v) => /^\d{1,11}(\.\d{1,3})?$/.test(v));

/**
 * Validates and stores readings in bulk: per chunk, one query for what validation needs, the pure
 * rules in memory, one insert. Every row gets a result; a row that cannot be stored (unknown meter,
 * not the sender's meter, a malformed date) is still answered with its reason.
 */
export async function submitReadingsBulk(db: Db, actor: SessionUser, rows: ReadingInput[], options: SubmitOptions): Promise<ReadingResult[]> {
  if (!channelAllowed(actor.role, options.channel)) {
    throw forbidden({ uk: `Роль «${actor.role}» не може подавати показники каналом «${options.channel}»`, en: `Role "${actor.role}" may not submit readings through "${options.channel}"` });
  }
  const today = options.today ?? kyivToday();
  // Rows of one meter go into the same chunk (each is checked against the one before it), so
  // chunks hold disjoint meters and two can run at once on a PostgreSQL server (PGlite queues them).
  const meterKey = (r: ReadingInput) => (r.meterId !== undefined ? `i${r.meterId}` : `s${(r.serial ?? '').trim()}`);
  const order = rows.map((_, i) => i).sort((a, b) => {
    const ka = meterKey(rows[a]!);
    const kb = meterKey(rows[b]!);
    return ka < kb ? -1 : ka > kb ? 1 : a - b;
  });
  const chunks: number[][] = [];
  let start = 0;
  while (start < order.length) {
    let end = Math.min(start + CHUNK, order.length);
    while (end < order.length && meterKey(rows[order[end]!]!) === meterKey(rows[order[end - 1]!]!)) end++;
    chunks.push(order.slice(start, end));
    start = end;
  }
  const results: ReadingResult[] = new Array(rows.length);
  let done = 0;
  let next = 0;
  const worker = async () => {
    while (next < chunks.length) {
      const indices = chunks[next++]!;
      const answered = await db.transaction().execute((trx) => submitChunk(trx, actor, rows, indices, options, today));
      answered.forEach((r) => (results[r.row] = r));
      done += indices.length;
      await options.onProgress?.(done, rows.length);
    }
  };
  await Promise.all([worker(), worker()]);
  if (options.dryRun) return results;
  const count = (s: ReadingStatus) => results.filter((r) => r.status === s && !r.duplicate).length;
  await writeAudit(db, actor, 'submit_readings', 'meter_reading', null, null, {
    community_id: actor.communityId,
    channel: options.channel,
    source: options.source ?? null,
    rows: rows.length,
    accepted: count('accepted'),
    needs_review: count('needs_review'),
    rejected: count('rejected'),
    duplicates: results.filter((r) => r.duplicate).length,
    reading_ids: rows.length <= 20 ? results.map((r) => r.readingId) : undefined,
  });
  return results;
}

async function submitChunk(trx: DbOrTx, actor: SessionUser, all: ReadingInput[], indices: number[], options: SubmitOptions, today: string): Promise<ReadingResult[]> {
  const chunk = indices.map((i) => all[i]!);
  const communityId = actor.communityId;
  // Which meter each row names.
  const ids = [...new Set(chunk.map((r) => r.meterId).filter((v): v is number => typeof v === 'number'))];
  const serials = [...new Set(chunk.filter((r) => r.meterId === undefined && r.serial).map((r) => r.serial!.trim()))];
  // Serials are resolved first (one query, only when rows use them); ids go straight to the context query.
  const found = await findMetersBySerial(trx, communityId, serials);
  const bySerial = new Map<string, typeof found>();
  for (const m of found) bySerial.set(m.serial, [...(bySerial.get(m.serial) ?? []), m]);

  const contexts = await loadMeterContexts(trx, communityId, [...new Set([...ids, ...found.map((m) => m.meter_id)])], today, actor.role === 'provider' ? actor.providerId : null);
  const byId = new Set(contexts.keys());
  const premises = actor.role === 'resident' ? await linkedPremises(trx, communityId, actor.userId) : new Set<number>();
  const minRead = chunk.map((r) => r.readOn ?? today).filter(isIsoDate).sort()[0] ?? today;
  const stored = await recentReadings(trx, communityId, [...contexts.keys()], prevPeriod(periodOf(minRead)));
  const storedByMeter = new Map<number, StoredReadingRow[]>();
  for (const s of stored) storedByMeter.set(s.meterId, [...(storedByMeter.get(s.meterId) ?? []), s]);

  const results: ReadingResult[] = new Array(chunk.length);
  const toInsert: { index: number; reading: NewReading }[] = [];
  // Rows of one meter are taken in date order, so that each is checked against the one before it.
  const order = chunk.map((_, i) => i).sort((a, b) => (chunk[a]!.readOn ?? today).localeCompare(chunk[b]!.readOn ?? today) || a - b);
  for (const i of order) {
    const row = chunk[i]!;
    const rowNo = indices[i]!;
    let meterId: number | null = null;
    if (row.meterId !== undefined) meterId = byId.has(row.meterId) ? row.meterId : null;
    else if (row.serial) {
      const candidates = (bySerial.get(row.serial.trim()) ?? []).filter((m) => !row.serviceCode || m.service_code === row.serviceCode);
      if (candidates.length > 1) {
        results[i] = rejectedRow(
          rowNo,
          null,
          rejection('ambiguous_serial', `Кілька лічильників мають номер ${row.serial}: вкажіть послугу або ідентифікатор лічильника`, `Several meters have serial ${row.serial}: give the service or the meter id`),
        );
        continue;
      }
      meterId = candidates[0]?.meter_id ?? null;
    }
    const meter = meterId === null ? undefined : contexts.get(meterId);
    if (!meter || !mayReadMeter(actor, meter, premises)) {
      const name = row.meterId !== undefined ? `№${row.meterId}` : `«${row.serial ?? ''}»`;
      results[i] = rejectedRow(rowNo, null, rejection('unknown_meter', `Лічильник ${name} не знайдено серед доступних вам`, `Meter ${name} is not among the meters you may submit for`));
      continue;
    }
    const readOn = row.readOn ?? today;
    if (!isIsoDate(readOn)) {
      results[i] = rejectedRow(rowNo, meter.meterId, rejection('bad_date', `«${readOn}» — не дата РРРР-ММ-ДД`, `"${readOn}" is not a YYYY-MM-DD date`));
      continue;
    }
    const kind = row.kind ?? 'regular';
    const values = row.values.map((v) => String(v).trim().replace(',', '.'));
    const window: SubmissionWindow = { opensDay: meter.opensDay, closesDay: meter.closesDay };
    const verdict = validateReading(meter, { readOn, kind, values, channel: options.channel }, {
      todayKyiv: today,
      window,
      previous: meter.previous,
      expected: { historyDaily: historyDaily(meter), normMonthlyPerPerson: meter.normMonthlyPerPerson, persons: meter.persons },
      plausibilityFactor: meter.plausibilityFactor,
    });
    const period = verdict.period ?? periodOf(readOn > today ? today : readOn);
    const said = explain(verdict.findings);
    const result: ReadingResult = {
      row: rowNo,
      meterId: meter.meterId,
      readingId: null,
      status: verdict.status,
      duplicate: false,
      period: verdict.period,
      volumes: verdict.volumes,
      messages: verdict.findings.map(toMessage),
      message_uk: said.uk || 'Показник прийнято',
      message_en: said.en || 'Reading accepted',
    };
    if (verdict.status !== 'rejected') {
      const mine = storedByMeter.get(meter.meterId) ?? [];
      const dup = findDuplicate({ period, kind, values }, mine);
      if (dup) {
        results[i] = {
          ...result,
          readingId: dup.readingId,
          status: dup.status,
          duplicate: true,
          messages: [...result.messages, { level: 'flag', code: 'duplicate', uk: 'Цей показник уже отримано раніше: враховано один раз', en: 'This reading was already received: it counts once' }],
          message_uk: 'Цей показник уже отримано раніше: враховано один раз',
          message_en: 'This reading was already received: it counts once',
        };
        continue;
      }
      mine.push({ readingId: -1, meterId: meter.meterId, period, kind, values, status: verdict.status });
      storedByMeter.set(meter.meterId, mine);
      if (verdict.status === 'accepted') meter.previous = { readOn, values };
    }
    results[i] = result;
    toInsert.push({
      index: i,
      reading: {
        meterId: meter.meterId,
        readOn,
        period,
        kind,
        // A value that is no number cannot be stored as one: the reading is kept with zeros, and its reason quotes what was sent.
        values: storable(values) ? values : ['0'],
        channel: options.channel,
        submittedBy: actor.userId > 0 ? actor.userId : null,
        status: verdict.status,
        reasonCode: verdict.reason?.code ?? (verdict.flags.length ? verdict.flags[0]! : null),
        reasonUk: said.uk || null,
        reasonEn: said.en || null,
        flags: verdict.flags,
        externalRef: row.externalRef ?? null,
      },
    });
  }
  if (options.dryRun) return results;
  const insertedIds = await insertReadings(trx, communityId, toInsert.map((t) => t.reading));
  toInsert.forEach((t, k) => {
    const id = insertedIds[k] ?? null;
    const r = results[t.index]!;
    if (id === null) {
      // Stored meanwhile by a concurrent sender: the index of duplicates skipped it.
      results[t.index] = { ...r, duplicate: true, message_uk: 'Цей показник уже отримано раніше', message_en: 'This reading was already received' };
    } else r.readingId = id;
  });
  return results;
}

/** One reading through the API: access problems are errors (403/404), the verdict is the answer. */
export async function submitReading(db: Db, actor: SessionUser, meterId: number, input: Omit<ReadingInput, 'meterId' | 'serial'>, options: SubmitOptions): Promise<ReadingResult> {
  await assertMeterAccess(db, actor, meterId);
  const [result] = await submitReadingsBulk(db, actor, [{ ...input, meterId }], options);
  return result!;
}

async function assertMeterAccess(db: DbOrTx, actor: SessionUser, meterId: number) {
  const meter = (await loadMeterContexts(db, actor.communityId, [meterId], kyivToday(), actor.role === 'provider' ? actor.providerId : null)).get(meterId);
  if (!meter) throw notFound({ uk: `Лічильник №${meterId}`, en: `Meter #${meterId}` });
  const premises = actor.role === 'resident' ? await linkedPremises(db, actor.communityId, actor.userId) : new Set<number>();
  if (!mayReadMeter(actor, meter, premises)) {
    throw forbidden({ uk: `Лічильник №${meterId} не належить до ваших приміщень`, en: `Meter #${meterId} is not one of your premises' meters` });
  }
}

/**
 * Readings brought by a payment agent (a cash desk or terminal) together with a payment: keyed by
 * the unified account number printed on the bill; each names its meter by id or serial, and only
 * meters of that premise are taken.
 */
export async function submitReadingsForUnifiedAccount(
  db: Db,
  actor: SessionUser,
  unifiedNumber: string,
  rows: ReadingInput[],
  options: SubmitOptions & { paymentRef?: string },
): Promise<ReadingResult[]> {
  const premiseId = await premiseByUnifiedNumber(db, actor.communityId, unifiedNumber);
  if (premiseId === undefined) throw notFound({ uk: `Єдиний рахунок ${unifiedNumber}`, en: `Unified account ${unifiedNumber}` });
  const meters = await metersOfPremise(db, actor.communityId, premiseId);
  const own = new Map(meters.map((m) => [m.meter_id, m]));
  const bySerial = new Map(meters.map((m) => [m.serial, m.meter_id]));
  const resolved: ReadingInput[] = rows.map((r) => {
    const meterId = r.meterId ?? (r.serial ? bySerial.get(r.serial.trim()) : undefined);
    // A meter of another premise is named as unknown: −1 matches no meter.
    return { ...r, serial: undefined, meterId: meterId !== undefined && own.has(meterId) ? meterId : -1, externalRef: r.externalRef ?? options.paymentRef };
  });
  return submitReadingsBulk(db, actor, resolved, { ...options, source: options.paymentRef ?? options.source });
}

// ---------------------------------------------------------------------------------------------
// Review queue
// ---------------------------------------------------------------------------------------------

export async function listReviewQueue(db: DbOrTx, actor: SessionUser, page: { limit: number; cursor?: string }) {
  if (!['admin', 'operator', 'provider'].includes(actor.role)) throw forbidden();
  const after = decodeCursor(page.cursor, ['number']);
  let query = db
    .selectFrom('meter_reading as r')
    .innerJoin('meter as m', (j) => j.onRef('m.community_id', '=', 'r.community_id').onRef('m.meter_id', '=', 'r.meter_id'))
    .innerJoin('service as s', (j) => j.onRef('s.community_id', '=', 'm.community_id').onRef('s.service_id', '=', 'm.service_id'))
    .leftJoin('premise as p', (j) => j.onRef('p.community_id', '=', 'm.community_id').onRef('p.premise_id', '=', 'm.premise_id'))
    .select([
      'r.reading_id',
      'r.meter_id',
      'm.serial',
      'm.premise_id',
      'm.building_id',
      'p.number as premise_number',
      's.name_uk as service_name_uk',
      's.name_en as service_name_en',
      's.unit',
      'r.read_on',
      'r.period',
      'r.value1',
      'r.value2',
      'r.value3',
      'r.channel',
      'r.submitted_at',
      'r.reason_code',
      'r.reason_uk',
      'r.reason_en',
    ])
    .where('r.community_id', '=', actor.communityId)
    .where('r.status', '=', 'needs_review');
  if (actor.role === 'provider') query = query.where('m.provider_id', '=', actor.providerId);
  if (after) query = query.where('r.reading_id', '>', after[0] as number);
  const rows = await query.orderBy('r.reading_id').limit(page.limit + 1).execute();
  const previous = await lastAcceptedBefore(db, actor.communityId, rows.map((r) => ({ meterId: r.meter_id, readingId: r.reading_id })));
  return pageOf(rows, page.limit, (r) => [r.reading_id], (r) => ({
    ...r,
    submitted_at: new Date(r.submitted_at).toISOString(),
    previous: previous.get(r.reading_id) ?? null,
  }));
}

async function lastAcceptedBefore(db: DbOrTx, communityId: number, items: { meterId: number; readingId: number }[]) {
  const out = new Map<number, { read_on: string; value1: string; value2: string | null; value3: string | null }>();
  if (items.length === 0) return out;
  const meterIds = [...new Set(items.map((i) => i.meterId))];
  const accepted = await lastReadings(db, communityId, meterIds, 50);
  for (const item of items) {
    const prev = accepted.find((a) => a.meter_id === item.meterId && a.status === 'accepted' && a.reading_id !== item.readingId);
    if (prev) out.set(item.readingId, { read_on: prev.read_on, value1: prev.value1, value2: prev.value2, value3: prev.value3 });
  }
  return out;
}

/** An operator (or the meter's provider) accepts or rejects a reading held for review. */
export async function reviewReading(db: Db, actor: SessionUser, readingId: number, decision: { accept: true } | { accept: false; reason: string }) {
  if (!['admin', 'operator', 'provider'].includes(actor.role)) throw forbidden();
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('meter_reading as r')
      .innerJoin('meter as m', (j) => j.onRef('m.community_id', '=', 'r.community_id').onRef('m.meter_id', '=', 'r.meter_id'))
      .selectAll('r')
      .select('m.provider_id')
      .where('r.community_id', '=', actor.communityId)
      .where('r.reading_id', '=', readingId)
      .forUpdate()
      .executeTakeFirst();
    if (!row || (actor.role === 'provider' && row.provider_id !== actor.providerId)) throw notFound({ uk: `Показник №${readingId}`, en: `Reading #${readingId}` });
    if (row.status !== 'needs_review') {
      throw new AppError('not_in_review', 409, { uk: `Показник №${readingId} не чекає на перевірку (стан: ${row.status})`, en: `Reading #${readingId} is not awaiting review (status: ${row.status})` });
    }
    const reason: Bilingual = decision.accept
      ? { uk: `Прийнято після перевірки. ${row.reason_uk ?? ''}`.trim(), en: `Accepted on review. ${row.reason_en ?? ''}`.trim() }
      : { uk: `Відхилено під час перевірки: ${decision.reason}`, en: `Rejected on review: ${decision.reason}` };
    const after = await trx
      .updateTable('meter_reading')
      .set({
        status: decision.accept ? 'accepted' : 'rejected',
        reason_code: decision.accept ? row.reason_code : 'rejected_on_review',
        reason_uk: reason.uk,
        reason_en: reason.en,
        reviewed_by: actor.userId,
        reviewed_at: new Date(),
      })
      .where('community_id', '=', actor.communityId)
      .where('reading_id', '=', readingId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await writeAudit(trx, actor, decision.accept ? 'accept_reading' : 'reject_reading', 'meter_reading', readingId, row, after);
    return after;
  });
}

// ---------------------------------------------------------------------------------------------
// Meters
// ---------------------------------------------------------------------------------------------

export interface MeterInput {
  serial: string;
  serviceId?: number;
  serviceCode?: string;
  /** An individual meter names its premise; a building meter its building. */
  premiseId?: number | null;
  buildingId?: number;
  providerId?: number | null;
  zones?: number;
  digits?: number;
  multiplier?: string;
  installedOn: string;
  verifiedUntil?: string | null;
  /** The reading at installation (one value per zone): the new meter's starting point. */
  initialValues?: string[];
}

export interface MeterUpsertResult {
  row: number;
  meterId: number | null;
  outcome: 'created' | 'updated' | 'rejected';
  message_uk: string;
  message_en: string;
}

/** Creates or updates meters keyed by service and serial, set-based (a few statements per call). */
export async function upsertMetersBulk(db: Db, actor: SessionUser, rows: MeterInput[]): Promise<MeterUpsertResult[]> {
  if (!['admin', 'operator', 'provider'].includes(actor.role)) throw forbidden();
  const c = actor.communityId;
  const results = await db.transaction().execute(async (trx) => {
    const services = await trx.selectFrom('service').select(['service_id', 'code']).where('community_id', '=', c).execute();
    const serviceByCode = new Map(services.map((s) => [s.code, s.service_id]));
    const serviceIds = new Set(services.map((s) => s.service_id));
    const premiseIds = [...new Set(rows.map((r) => r.premiseId).filter((v): v is number => typeof v === 'number'))];
    const premises = premiseIds.length
      ? await trx.selectFrom('premise').select(['premise_id', 'building_id']).where('community_id', '=', c).where('premise_id', 'in', premiseIds).execute()
      : [];
    const buildingOf = new Map(premises.map((p) => [p.premise_id, p.building_id]));
    const existing = await trx
      .selectFrom('meter')
      .select(['meter_id', 'service_id', 'serial', 'premise_id', 'provider_id', 'zones', 'digits', 'multiplier', 'verified_until'])
      .where('community_id', '=', c)
      .where('status', '<>', 'retired')
      .where('serial', 'in', rows.length ? [...new Set(rows.map((r) => r.serial.trim()))] : [''])
      .execute();
    const live = new Map(existing.map((m) => [`${m.service_id}|${m.serial}`, m]));

    const out: MeterUpsertResult[] = [];
    const valid: { row: number; input: MeterInput; serviceId: number; buildingId: number; providerId: number | null }[] = [];
    const seen = new Set<string>();
    rows.forEach((input, row) => {
      const fail = (uk: string, en: string) => out.push({ row, meterId: null, outcome: 'rejected', message_uk: uk, message_en: en });
      const serviceId = input.serviceId ?? (input.serviceCode ? serviceByCode.get(input.serviceCode) : undefined);
      if (serviceId === undefined || !serviceIds.has(serviceId)) return fail(`Послугу ${input.serviceCode ?? input.serviceId ?? ''} не знайдено`, `Service ${input.serviceCode ?? input.serviceId ?? ''} not found`);
      const serial = input.serial.trim();
      if (!serial) return fail('Не вказано заводський номер лічильника', 'The meter serial is missing');
      if (!isIsoDate(input.installedOn)) return fail(`Дата встановлення «${input.installedOn}» — не дата РРРР-ММ-ДД`, `Installation date "${input.installedOn}" is not YYYY-MM-DD`);
      if (input.verifiedUntil && !isIsoDate(input.verifiedUntil)) return fail(`Дата повірки «${input.verifiedUntil}» — не дата`, `Verification date "${input.verifiedUntil}" is not a date`);
      const zones = input.zones ?? 1;
      if (![1, 2, 3].includes(zones)) return fail(`Кількість зон ${zones}: має бути 1, 2 або 3`, `Zones ${zones}: must be 1, 2 or 3`);
      let buildingId = input.buildingId;
      if (input.premiseId != null) {
        buildingId = buildingOf.get(input.premiseId);
        if (buildingId === undefined) return fail(`Приміщення №${input.premiseId} не знайдено`, `Premise #${input.premiseId} not found`);
      }
      if (buildingId === undefined) return fail('Не вказано ні приміщення, ні будинку лічильника', 'Neither the premise nor the building of the meter is given');
      const providerId = actor.role === 'provider' ? actor.providerId : (input.providerId ?? null);
      const key = `${serviceId}|${serial}`;
      if (seen.has(key)) return fail(`Лічильник ${serial} повторюється у файлі`, `Meter ${serial} appears twice in the file`);
      seen.add(key);
      const current = live.get(key);
      if (current) {
        if (actor.role === 'provider' && current.provider_id !== actor.providerId) return fail(`Лічильник ${serial} обслуговує інший постачальник`, `Meter ${serial} belongs to another provider`);
        if (input.zones !== undefined && current.zones !== input.zones) {
          return fail(
            `Лічильник ${serial} має ${current.zones} зон(и), а не ${zones}: інший лічильник — оформіть заміну`,
            `Meter ${serial} has ${current.zones} zone(s), not ${zones}: a different meter is a replacement`,
          );
        }
        if ((current.premise_id ?? null) !== (input.premiseId ?? null)) {
          return fail(`Лічильник ${serial} уже встановлено в іншому приміщенні: спершу замініть або зніміть його`, `Meter ${serial} is installed at another premise: replace or remove it first`);
        }
      }
      // What a file leaves out of an existing meter stays as it is (not the defaults of a new one).
      const kept = current
        ? { zones: current.zones, digits: input.digits ?? current.digits, multiplier: input.multiplier ?? current.multiplier, verifiedUntil: input.verifiedUntil !== undefined ? input.verifiedUntil : current.verified_until }
        : {};
      valid.push({ row, input: { ...input, serial, ...kept }, serviceId, buildingId, providerId });
    });

    if (valid.length) {
      const col = <T>(f: (v: (typeof valid)[number]) => T) => valid.map(f);
      const upserted = await sql<{ meter_id: number; serial: string; service_id: number; created: boolean }>`
insert into meter (community_id, kind, premise_id, building_id, service_id, provider_id, serial, zones, digits, multiplier, installed_on, verified_until)
select ${c}, case when premise_id is null then 'building' else 'individual' end, premise_id, building_id, service_id, provider_id,
       serial, zones, digits, multiplier, installed_on, verified_until
from unnest(${col((v) => v.input.premiseId ?? null)}::bigint[], ${col((v) => v.buildingId)}::bigint[], ${col((v) => v.serviceId)}::bigint[],
            ${col((v) => v.providerId)}::bigint[], ${col((v) => v.input.serial)}::text[], ${col((v) => v.input.zones ?? 1)}::smallint[],
            ${col((v) => v.input.digits ?? 5)}::smallint[], ${col((v) => v.input.multiplier ?? '1')}::numeric[],
            ${col((v) => v.input.installedOn)}::date[], ${col((v) => v.input.verifiedUntil ?? null)}::date[])
  as t(premise_id, building_id, service_id, provider_id, serial, zones, digits, multiplier, installed_on, verified_until)
on conflict (community_id, service_id, serial) where status <> 'retired' do update set
  digits = excluded.digits, multiplier = excluded.multiplier,
  verified_until = excluded.verified_until, provider_id = coalesce(excluded.provider_id, meter.provider_id)
returning meter_id, serial, service_id, (xmax = 0) as created`.execute(trx);
      const idOf = new Map(upserted.rows.map((r) => [`${r.service_id}|${r.serial}`, r]));
      const initial: NewReading[] = [];
      for (const v of valid) {
        const r = idOf.get(`${v.serviceId}|${v.input.serial}`)!;
        out.push({
          row: v.row,
          meterId: r.meter_id,
          outcome: r.created ? 'created' : 'updated',
          message_uk: r.created ? 'Лічильник додано' : 'Лічильник оновлено',
          message_en: r.created ? 'Meter added' : 'Meter updated',
        });
        if (r.created && v.input.initialValues?.length) {
          initial.push({
            meterId: r.meter_id,
            readOn: v.input.installedOn,
            period: periodOf(v.input.installedOn),
            kind: 'initial',
            values: v.input.initialValues,
            channel: actor.role === 'provider' ? 'provider_file' : 'controller',
            submittedBy: actor.userId > 0 ? actor.userId : null,
            status: 'accepted',
            reasonCode: null,
            reasonUk: null,
            reasonEn: null,
            flags: [],
            externalRef: null,
          });
        }
      }
      await insertReadings(trx, c, initial);
    }
    out.sort((a, b) => a.row - b.row);
    await writeAudit(trx, actor, 'upsert_meters', 'meter', null, null, {
      community_id: c,
      rows: rows.length,
      created: out.filter((r) => r.outcome === 'created').length,
      updated: out.filter((r) => r.outcome === 'updated').length,
      rejected: out.filter((r) => r.outcome === 'rejected').length,
      meter_ids: rows.length <= 20 ? out.map((r) => r.meterId) : undefined,
    });
    return out;
  });
  return results;
}

/**
 * Replaces a meter: the old one's final reading is taken and it is retired; the new one is
 * installed the same day from its initial reading. Both readings count in consumption.
 */
export async function replaceMeter(
  db: Db,
  actor: SessionUser,
  oldMeterId: number,
  input: { on: string; finalValues: string[]; serial: string; zones?: number; digits?: number; multiplier?: string; verifiedUntil?: string | null; initialValues: string[]; today?: string },
): Promise<{ oldMeterId: number; newMeterId: number; final: ReadingResult }> {
  if (!['admin', 'operator', 'provider'].includes(actor.role)) throw forbidden();
  await assertMeterAccess(db, actor, oldMeterId);
  const old = await db.selectFrom('meter').selectAll().where('community_id', '=', actor.communityId).where('meter_id', '=', oldMeterId).executeTakeFirstOrThrow();
  if (old.status === 'retired') throw invalid('meter_retired', { uk: `Лічильник №${oldMeterId} уже виведено з обліку`, en: `Meter #${oldMeterId} is already retired` });
  const channel: ReadingChannel = 'controller';
  const [final] = await submitReadingsBulk(db, actor, [{ meterId: oldMeterId, readOn: input.on, values: input.finalValues, kind: 'final' }], { channel, today: input.today });
  if (final!.status !== 'accepted') {
    throw invalid('final_reading_refused', { uk: `Кінцевий показник не прийнято: ${final!.message_uk}`, en: `The final reading was not accepted: ${final!.message_en}` }, { reading: final });
  }
  const newMeterId = await db.transaction().execute(async (trx) => {
    const before = old;
    const retired = await trx
      .updateTable('meter')
      .set({ status: 'retired', removed_on: input.on })
      .where('community_id', '=', actor.communityId)
      .where('meter_id', '=', oldMeterId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await writeAudit(trx, actor, 'retire_meter', 'meter', oldMeterId, before, retired);
    const created = await trx
      .insertInto('meter')
      .values({
        community_id: actor.communityId,
        kind: old.kind,
        premise_id: old.premise_id,
        building_id: old.building_id,
        service_id: old.service_id,
        provider_id: old.provider_id,
        serial: input.serial.trim(),
        zones: input.zones ?? old.zones,
        digits: input.digits ?? old.digits,
        multiplier: input.multiplier ?? old.multiplier,
        installed_on: input.on,
        verified_until: input.verifiedUntil ?? null,
        replaces_meter_id: oldMeterId,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await insertReadings(trx, actor.communityId, [
      {
        meterId: created.meter_id,
        readOn: input.on,
        period: periodOf(input.on),
        kind: 'initial',
        values: input.initialValues,
        channel,
        submittedBy: actor.userId,
        status: 'accepted',
        reasonCode: null,
        reasonUk: null,
        reasonEn: null,
        flags: [],
        externalRef: null,
      },
    ]);
    await writeAudit(trx, actor, 'install_meter', 'meter', created.meter_id, null, created);
    return created.meter_id;
  });
  return { oldMeterId, newMeterId, final: final! };
}

/** Away for verification (no readings, billed by norm) and back again with a new verified-until date. */
export async function setMeterStatus(db: Db, actor: SessionUser, meterId: number, change: { status: 'active' | 'removed_for_verification'; verifiedUntil?: string | null }) {
  if (!['admin', 'operator', 'provider'].includes(actor.role)) throw forbidden();
  await assertMeterAccess(db, actor, meterId);
  return db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('meter').selectAll().where('community_id', '=', actor.communityId).where('meter_id', '=', meterId).forUpdate().executeTakeFirstOrThrow();
    if (before.status === 'retired') throw invalid('meter_retired', { uk: `Лічильник №${meterId} виведено з обліку`, en: `Meter #${meterId} is retired` });
    const after = await trx
      .updateTable('meter')
      .set({ status: change.status, ...(change.verifiedUntil !== undefined ? { verified_until: change.verifiedUntil } : {}) })
      .where('community_id', '=', actor.communityId)
      .where('meter_id', '=', meterId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await writeAudit(trx, actor, 'meter_status', 'meter', meterId, before, after);
    return after;
  });
}

// ---------------------------------------------------------------------------------------------
// The desk: a premise's meters with their last readings
// ---------------------------------------------------------------------------------------------

export async function premiseMeters(db: DbOrTx, actor: SessionUser, premiseId: number) {
  const premises = actor.role === 'resident' ? await linkedPremises(db, actor.communityId, actor.userId) : new Set<number>();
  if (actor.role === 'resident' && !premises.has(premiseId)) throw forbidden();
  let meters = await metersOfPremise(db, actor.communityId, premiseId);
  if (actor.role === 'provider') meters = meters.filter((m) => m.provider_id === actor.providerId);
  const readings = await lastReadings(db, actor.communityId, meters.map((m) => m.meter_id), 3);
  return meters.map((m) => ({ ...m, readings: readings.filter((r) => r.meter_id === m.meter_id) }));
}

/** Splits what the desk operator typed into the ways a premise can be named. */
export function parseLookup(text: string) {
  const t = text.trim().replace(/\s+/g, ' ');
  // The flat part: «кв. 5», «5а», or a non-residential premise «прим. 1», «кв. п1», «офіс 1».
  const address =
    /^(.*?[\p{L}].*?)[ ,]+(?:буд\.?|будинок)?\s*(\d+)[\p{L}]?(?:[ ,/-]+((?:(?:кв|квартира)\.?\s*)?(?:(?:(?:нежитл\.?|нежитлове)\s*)?(?:прим|приміщ|приміщення|пом|оф|офіс)\.?\s*|н\/п\s*|п)?№?\s*\d+(?:\s*-?\s*\p{L})?(?:\/\d+\p{L}?)?))?$/iu.exec(
      t,
    );
  const words = /^[\p{L}'’-]+( [\p{L}'’-]+)*$/u.test(t) ? t.split(' ') : [];
  return {
    text: t,
    street: address ? address[1]!.replace(/^(вул\.?|вулиця|просп\.?|проспект|пров\.?|провулок|бул\.?|бульвар)\s*/iu, '').trim() || null : null,
    house: address ? Number(address[2]) : null,
    // As an apartment key ('5', 'п1'): what premise.apartment_key holds.
    flat: address?.[3] ? (normaliseApartment(address[3]) ?? address[3].toLowerCase()) : null,
    lastName: words[0] ?? null,
    firstName: words[1] ?? null,
  };
}

export async function findPremises(db: DbOrTx, actor: SessionUser, text: string, limit = 20) {
  if (!['admin', 'operator', 'city', 'provider'].includes(actor.role)) throw forbidden();
  const q = parseLookup(text);
  if (q.text.length < 2) return [];
  return searchPremises(db, actor.communityId, q, actor.role === 'provider' ? actor.providerId : null, limit);
}

export async function buildingPremises(db: DbOrTx, actor: SessionUser, buildingId: number) {
  if (!['admin', 'operator', 'city'].includes(actor.role)) throw forbidden();
  return premisesOfBuilding(db, actor.communityId, buildingId);
}

// ---------------------------------------------------------------------------------------------
// Settings: the submission window, estimation months, plausibility factor; norms per service
// ---------------------------------------------------------------------------------------------

export interface MeteringSettingsInput {
  /** null: the community's own rules; a provider id: that provider's rules, overriding them. */
  providerId: number | null;
  windowOpensDay: number;
  windowClosesDay: number;
  estimateMonths: number;
  plausibilityFactor: string;
}

export async function listMeteringSettings(db: DbOrTx, actor: SessionUser) {
  if (!['admin', 'operator', 'city'].includes(actor.role)) throw forbidden();
  const rows = await db.selectFrom('metering_settings').selectAll().where('community_id', '=', actor.communityId).orderBy('settings_id').execute();
  const norms = await db.selectFrom('meter_norm').selectAll().where('community_id', '=', actor.communityId).orderBy('service_id').execute();
  return { settings: rows, norms };
}

/** Sets the rules of the community (providerId null) or of one provider; audited. */
export async function saveMeteringSettings(db: Db, actor: SessionUser, input: MeteringSettingsInput) {
  if (!['admin', 'operator'].includes(actor.role)) throw forbidden();
  const [open, close] = [input.windowOpensDay, input.windowClosesDay];
  // Compare as they resolve in a 31-day month: −4..0 is fine (27..31), 25..−1 is fine (25..30).
  const resolve = (d: number) => (d > 0 ? d : 31 + d);
  if (resolve(open) > resolve(close)) {
    throw invalid('window_order', { uk: `Вікно приймання: день початку (${open}) пізніше за день кінця (${close})`, en: `Submission window: the first day (${open}) comes after the last (${close})` }, { field: 'windowOpensDay' });
  }
  return db.transaction().execute(async (trx) => {
    let scope = trx.selectFrom('metering_settings').selectAll().where('community_id', '=', actor.communityId);
    scope = input.providerId === null ? scope.where('provider_id', 'is', null) : scope.where('provider_id', '=', input.providerId);
    const before = await scope.executeTakeFirst();
    const values = {
      window_opens_day: open,
      window_closes_day: close,
      estimate_months: input.estimateMonths,
      plausibility_factor: input.plausibilityFactor,
    };
    const after = before
      ? await trx.updateTable('metering_settings').set(values).where('community_id', '=', actor.communityId).where('settings_id', '=', before.settings_id).returningAll().executeTakeFirstOrThrow()
      : await trx.insertInto('metering_settings').values({ community_id: actor.communityId, provider_id: input.providerId, ...values }).returningAll().executeTakeFirstOrThrow();
    await writeAudit(trx, actor, before ? 'update' : 'create', 'metering_settings', after.settings_id, before ?? null, after);
    return after;
  });
}

/** The monthly norm per registered person of a metered service (plausibility and estimates); audited. */
export async function saveMeterNorm(db: Db, actor: SessionUser, serviceId: number, monthlyPerPerson: string) {
  if (!['admin', 'operator'].includes(actor.role)) throw forbidden();
  return db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('meter_norm').selectAll().where('community_id', '=', actor.communityId).where('service_id', '=', serviceId).executeTakeFirst();
    const service = await trx.selectFrom('service').select('service_id').where('community_id', '=', actor.communityId).where('service_id', '=', serviceId).executeTakeFirst();
    if (!service) throw notFound({ uk: `Послуга №${serviceId}`, en: `Service #${serviceId}` });
    const after = await trx
      .insertInto('meter_norm')
      .values({ community_id: actor.communityId, service_id: serviceId, monthly_per_person: monthlyPerPerson })
      .onConflict((oc) => oc.columns(['community_id', 'service_id']).doUpdateSet({ monthly_per_person: monthlyPerPerson }))
      .returningAll()
      .executeTakeFirstOrThrow();
    await writeAudit(trx, actor, before ? 'update' : 'create', 'meter_norm', serviceId, before ?? null, after);
    return after;
  });
}

// ---------------------------------------------------------------------------------------------
// A meter's history: replacements both ways, readings, consumption by period
// ---------------------------------------------------------------------------------------------

export async function meterHistory(db: DbOrTx, actor: SessionUser, meterId: number, months = 12) {
  await assertMeterAccess(db, actor, meterId);
  const chain = await sql<{ meter_id: number; serial: string; installed_on: string; removed_on: string | null; status: string; replaces_meter_id: number | null }>`
with recursive older as (
  select m.* from meter m where m.community_id = ${actor.communityId} and m.meter_id = ${meterId}
  union all
  select m.* from meter m join older o on m.community_id = o.community_id and m.meter_id = o.replaces_meter_id
), newer as (
  select m.* from meter m where m.community_id = ${actor.communityId} and m.meter_id = ${meterId}
  union all
  select m.* from meter m join newer n on m.community_id = n.community_id and m.replaces_meter_id = n.meter_id
)
select meter_id, serial, installed_on, removed_on, status, replaces_meter_id from older
union
select meter_id, serial, installed_on, removed_on, status, replaces_meter_id from newer
order by installed_on, meter_id`.execute(db);
  const readings = await lastReadings(db, actor.communityId, [meterId], 24);
  const consumption = await db
    .selectFrom('meter_consumption')
    .select(['period', 'zone', 'volume', 'estimated', 'verification_expired'])
    .where('community_id', '=', actor.communityId)
    .where('meter_id', '=', meterId)
    .orderBy('period', 'desc')
    .orderBy('zone', 'desc')
    .limit(months * 3)
    .execute();
  return { chain: chain.rows, readings, consumption: consumption.reverse() };
}
