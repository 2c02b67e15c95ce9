// ---------------------------------------------------------------------------------------------
// Submitting readings
// ---------------------------------------------------------------------------------------------

import Decimal from 'decimal.js';
import type { Db, DbOrTx } from '../../db/index';
import type { SessionUser } from '../../server/context';
import { forbidden, notFound } from '../../shared/errors';
import { isIsoDate, kyivToday, periodOf, prevPeriod } from '../../shared/period';
import { writeAudit } from '../../auth/audit';
import { averageDaily } from '../estimate';
import {
  explain,
  findDuplicate,
  validateReading,
  type Finding,
  type SubmissionWindow,
} from '../validate';
import {
  findMetersBySerial,
  insertReadings,
  linkedPremises,
  loadMeterContexts,
  metersOfPremise,
  premiseByUnifiedNumber,
  recentReadings,
  type MeterContext,
  type NewReading,
  type StoredReadingRow,
} from '../repo';
import type { ReadingChannel, ReadingKind, ReadingStatus } from '../tables';
import { assertMeterAccess, channelAllowed, mayReadMeter } from './access';

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
