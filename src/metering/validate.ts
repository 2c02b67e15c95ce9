/**
 * Validation of a meter reading: each rule is a pure function of plain data, and
 * {@link validateReading} combines them into one verdict (accepted / needs review / rejected)
 * with the consumption the reading implies and every reason in Ukrainian and English.
 *
 * Values are decimal strings (numeric(14,3) in the database) and are computed with decimal.js so
 * that the volume shown to the submitter is exactly what billing will compute in SQL.
 */
import Decimal from 'decimal.js';
import type { Bilingual } from '../shared/errors';
import { addMonths, daysBetween, periodOf, type IsoDate, type Period } from '../shared/period';
import type { MeterStatus, ReadingChannel, ReadingKind, ReadingStatus } from './tables';

/** A finding of one rule: 'reject' stops the reading, 'review' holds it back from billing, 'flag' only warns. */
export interface Finding {
  level: 'reject' | 'review' | 'flag';
  code: string;
  message: Bilingual;
  /** Which zone the finding is about (1..3), when it is about one. */
  zone?: number;
}

const reject = (code: string, uk: string, en: string, zone?: number): Finding => ({ level: 'reject', code, message: { uk, en }, zone });
const review = (code: string, uk: string, en: string, zone?: number): Finding => ({ level: 'review', code, message: { uk, en }, zone });
const flag = (code: string, uk: string, en: string): Finding => ({ level: 'flag', code, message: { uk, en } });

const fmt = (d: Decimal.Value) => new Decimal(d).toString();

// ---------------------------------------------------------------------------------------------
// The register: difference between two readings, rollover
// ---------------------------------------------------------------------------------------------

/**
 * A register of `digits` digits counts up to 10^digits − 1 and then starts again at zero. Going
 * below the previous reading is taken as a rollover only when the previous reading was in the top
 * tenth of the register and the new one is in the bottom tenth: anything else is a typing error.
 */
export const ROLLOVER_SHARE = new Decimal('0.1');

export type RegisterStep =
  | { kind: 'forward'; difference: string }
  | { kind: 'rollover'; difference: string }
  | { kind: 'below_previous'; difference: string };

/** The register difference from `previous` to `current` (not yet multiplied). */
export function registerStep(previous: Decimal.Value, current: Decimal.Value, digits: number): RegisterStep {
  const prev = new Decimal(previous);
  const curr = new Decimal(current);
  if (curr.gte(prev)) return { kind: 'forward', difference: fmt(curr.minus(prev)) };
  const capacity = new Decimal(10).pow(digits);
  const band = capacity.times(ROLLOVER_SHARE);
  if (prev.gte(capacity.minus(band)) && curr.lt(band)) return { kind: 'rollover', difference: fmt(capacity.minus(prev).plus(curr)) };
  return { kind: 'below_previous', difference: fmt(curr.minus(prev)) };
}

// ---------------------------------------------------------------------------------------------
// Rules
// ---------------------------------------------------------------------------------------------

/** One value per zone of the meter, no more, no fewer. */
export function checkZoneCount(zones: number, values: readonly string[]): Finding | null {
  if (values.length === zones) return null;
  return reject(
    'zone_count',
    `Лічильник має ${zones} зон(и), а подано ${values.length} значень`,
    `The meter has ${zones} zone(s) but ${values.length} value(s) were given`,
  );
}

/** A value is a non-negative number with at most three decimals that fits on the register. */
export function checkValueShape(value: string, digits: number, zone: number): Finding | null {
  if (!/^\d+(\.\d{1,3})?$/.test(value.trim())) {
    return reject(
      'not_a_number',
      `Зона ${zone}: «${value}» — не показник (очікується число, до трьох знаків після крапки)`,
      `Zone ${zone}: "${value}" is not a reading (expected a number with at most three decimals)`,
      zone,
    );
  }
  if (new Decimal(value).gte(new Decimal(10).pow(digits))) {
    return reject(
      'too_many_digits',
      `Зона ${zone}: показник ${value} не вміщується на ${digits}-розрядному лічильнику`,
      `Zone ${zone}: ${value} does not fit a ${digits}-digit register`,
      zone,
    );
  }
  return null;
}

/** Not dated after today (Kyiv). */
export function checkNotInFuture(readOn: IsoDate, todayKyiv: IsoDate): Finding | null {
  if (readOn <= todayKyiv) return null;
  return reject('future_date', `Дата показника ${readOn} ще не настала (сьогодні ${todayKyiv})`, `The reading date ${readOn} is in the future (today is ${todayKyiv})`);
}

/** Only an active meter is read; a meter away for verification or retired takes no readings. */
export function checkMeterStatus(status: MeterStatus, kind: ReadingKind): Finding | null {
  if (status === 'active' || kind === 'final') return null;
  if (status === 'removed_for_verification') {
    return reject('meter_removed', 'Лічильник знято на повірку: показники не приймаються', 'The meter is removed for verification: no readings are taken');
  }
  return reject('meter_retired', 'Лічильник виведено з обліку (замінено)', 'The meter is retired (replaced)');
}

/** Not dated before the previous accepted reading (readings tell a story forward in time). */
export function checkNotBeforePrevious(readOn: IsoDate, previousReadOn: IsoDate | null): Finding | null {
  if (!previousReadOn || readOn >= previousReadOn) return null;
  return reject(
    'before_previous',
    `Дата ${readOn} раніша за дату попереднього показника ${previousReadOn}`,
    `The date ${readOn} is before the previous reading of ${previousReadOn}`,
  );
}

/** Not below the previous reading, unless the register rolled over. */
export function checkNotBelowPrevious(step: RegisterStep, previous: string, current: string, zone: number): Finding | null {
  if (step.kind === 'forward') return null;
  if (step.kind === 'rollover') {
    return flag('rollover', `Зона ${zone}: лічильник перейшов через нуль (${previous} → ${current})`, `Zone ${zone}: the register rolled over (${previous} → ${current})`);
  }
  return reject(
    'below_previous',
    `Зона ${zone}: показник ${current} менший за попередній ${previous}`,
    `Zone ${zone}: ${current} is below the previous reading ${previous}`,
    zone,
  );
}

/**
 * What a plausible daily use looks like for this meter: the meter's own recent average, or the
 * norm × registered persons where there is no history; null when neither is known.
 */
export interface ExpectedUse {
  historyDaily: string | null;
  normMonthlyPerPerson: string | null;
  persons: number;
}

/** Daily use the plausibility bound is built on (the larger of history and norm × persons). */
export function expectedDaily(use: ExpectedUse): Decimal | null {
  const fromHistory = use.historyDaily === null ? null : new Decimal(use.historyDaily);
  const fromNorm =
    use.normMonthlyPerPerson === null || use.persons <= 0 ? null : new Decimal(use.normMonthlyPerPerson).times(use.persons).div(30);
  const known = [fromHistory, fromNorm].filter((d): d is Decimal => d !== null && d.gt(0));
  return known.length ? Decimal.max(...known) : null;
}

/** Consumption above factor × expected use over the days since the previous reading goes to review. */
export function checkPlausible(volume: string, days: number, use: ExpectedUse, factor: string): Finding | null {
  const daily = expectedDaily(use);
  if (daily === null) return null;
  const bound = daily.times(Math.max(days, 1)).times(factor);
  if (new Decimal(volume).lte(bound)) return null;
  return review(
    'implausible_consumption',
    `Споживання ${volume} за ${days} дн. більше за правдоподібну межу ${bound.toDecimalPlaces(3).toString()} — показник передано на перевірку`,
    `Consumption ${volume} over ${days} day(s) exceeds the plausible bound ${bound.toDecimalPlaces(3).toString()}: the reading is held for review`,
  );
}

/** Past its verification date the reading is kept, but billing charges by norm. */
export function checkVerification(verifiedUntil: IsoDate | null, readOn: IsoDate): Finding | null {
  if (!verifiedUntil || readOn <= verifiedUntil) return null;
  return flag(
    'verification_expired',
    `Строк повірки лічильника минув ${verifiedUntil}: показник прийнято, але нарахування буде за нормою`,
    `The meter's verification expired on ${verifiedUntil}: the reading is kept but the charge follows the norm`,
  );
}

// ---------------------------------------------------------------------------------------------
// The submission window
// ---------------------------------------------------------------------------------------------

/** Days of the month a reading counts for that month: 1..31 from the start, 0 = last day, −4 = fifth from the end. */
export interface SubmissionWindow {
  opensDay: number;
  closesDay: number;
}

/** Channels of residents and front desks follow the window; provider files and controllers carry the real date. */
export const WINDOWED_CHANNELS: ReadonlySet<ReadingChannel> = new Set(['portal', 'app', 'chat_bot', 'cash_desk', 'call_centre']);

function resolveDay(day: number, daysInMonth: number): number {
  return day > 0 ? Math.min(day, daysInMonth) : daysInMonth + day;
}

/** First and last day of month the window covers in the month of `date`. */
export function windowDays(window: SubmissionWindow, date: IsoDate): [number, number] {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  const dim = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return [resolveDay(window.opensDay, dim), resolveDay(window.closesDay, dim)];
}

export interface PeriodDecision {
  period: Period;
  finding: Finding | null;
}

/**
 * The period a reading counts in. In the window: the month of the reading. Outside it: the next
 * month, and the submitter is told. Never a month before the one it is submitted in (a late
 * controller reading is counted, and reconciles, when it arrives).
 */
export function readingPeriod(readOn: IsoDate, submittedOn: IsoDate, window: SubmissionWindow | null): PeriodDecision {
  let period = periodOf(readOn);
  let finding: Finding | null = null;
  if (window) {
    const [open, close] = windowDays(window, readOn);
    const day = Number(readOn.slice(8, 10));
    if (day < open || day > close) {
      period = addMonths(period, 1);
      const span = `${String(open).padStart(2, '0')}–${String(close).padStart(2, '0')}.${readOn.slice(5, 7)}`;
      finding = flag(
        'moved_to_next_period',
        `Показник подано поза вікном приймання (${span}): його враховано у наступному періоді ${period.slice(0, 7)}`,
        `The reading came outside the submission window (${span}): it counts in the next period ${period.slice(0, 7)}`,
      );
    }
  }
  const submittedPeriod = periodOf(submittedOn);
  if (submittedPeriod > period) {
    period = submittedPeriod;
    finding = flag(
      'counted_on_arrival',
      `Показник за ${readOn} надійшов у ${submittedPeriod.slice(0, 7)}: його враховано (з перерахунком) у цьому періоді`,
      `The reading of ${readOn} arrived in ${submittedPeriod.slice(0, 7)}: it counts (and reconciles) in that period`,
    );
  }
  return { period, finding };
}

// ---------------------------------------------------------------------------------------------
// Duplicates
// ---------------------------------------------------------------------------------------------

export interface StoredReading {
  readingId: number;
  period: Period;
  kind: ReadingKind;
  values: string[];
  status: ReadingStatus;
}

/** The same values for the same meter, kind and period, not rejected: the earlier one stands. */
export function findDuplicate(candidate: { period: Period; kind: ReadingKind; values: string[] }, existing: readonly StoredReading[]): StoredReading | null {
  const same = (a: string[], b: string[]) => a.length === b.length && a.every((v, i) => new Decimal(v).eq(b[i]!));
  return (
    existing.find((r) => r.status !== 'rejected' && r.period === candidate.period && r.kind === candidate.kind && same(r.values, candidate.values)) ??
    null
  );
}

// ---------------------------------------------------------------------------------------------
// The whole verdict
// ---------------------------------------------------------------------------------------------

export interface MeterFacts {
  zones: number;
  digits: number;
  multiplier: string;
  status: MeterStatus;
  verifiedUntil: IsoDate | null;
}

export interface PreviousReading {
  readOn: IsoDate;
  values: string[];
}

export interface ReadingCandidate {
  readOn: IsoDate;
  kind: ReadingKind;
  values: string[];
  channel: ReadingChannel;
}

export interface ValidationContext {
  todayKyiv: IsoDate;
  window: SubmissionWindow | null;
  previous: PreviousReading | null;
  expected: ExpectedUse;
  plausibilityFactor: string;
}

export interface Verdict {
  status: ReadingStatus;
  period: Period | null;
  /** Consumption per zone since the previous reading, × multiplier (null where it cannot be told). */
  volumes: (string | null)[];
  findings: Finding[];
  /** The first finding that decided the status (reject, then review), or null when accepted. */
  reason: Finding | null;
  flags: string[];
}

/** Applies every rule in order; returns the status, the implied consumption and every reason. */
export function validateReading(meter: MeterFacts, reading: ReadingCandidate, ctx: ValidationContext): Verdict {
  const findings: Finding[] = [];
  const push = (f: Finding | null) => {
    if (f) findings.push(f);
  };
  push(checkZoneCount(meter.zones, reading.values));
  reading.values.forEach((v, i) => push(checkValueShape(v, meter.digits, i + 1)));
  push(checkNotInFuture(reading.readOn, ctx.todayKyiv));
  push(checkMeterStatus(meter.status, reading.kind));

  let period: Period | null = null;
  const volumes: (string | null)[] = reading.values.map(() => null);
  if (!findings.some((f) => f.level === 'reject')) {
    const windowed = reading.kind === 'regular' && WINDOWED_CHANNELS.has(reading.channel) ? ctx.window : null;
    const decision = readingPeriod(reading.readOn, ctx.todayKyiv, windowed);
    period = decision.period;
    push(decision.finding);
    const previous = reading.kind === 'initial' ? null : ctx.previous;
    if (previous) {
      push(checkNotBeforePrevious(reading.readOn, previous.readOn));
      let total = new Decimal(0);
      reading.values.forEach((value, i) => {
        const before = previous.values[i];
        if (before === undefined) return;
        const step = registerStep(before, value, meter.digits);
        push(checkNotBelowPrevious(step, before, value, i + 1));
        if (step.kind !== 'below_previous') {
          const volume = new Decimal(step.difference).times(meter.multiplier);
          volumes[i] = fmt(volume);
          total = total.plus(volume);
        }
      });
      if (!findings.some((f) => f.level === 'reject')) {
        push(checkPlausible(fmt(total), daysBetween(previous.readOn, reading.readOn), ctx.expected, ctx.plausibilityFactor));
      }
    }
    push(checkVerification(meter.verifiedUntil, reading.readOn));
  }
  const reason = findings.find((f) => f.level === 'reject') ?? findings.find((f) => f.level === 'review') ?? null;
  const status: ReadingStatus = reason === null ? 'accepted' : reason.level === 'reject' ? 'rejected' : 'needs_review';
  return {
    status,
    period: status === 'rejected' ? null : period,
    volumes,
    findings,
    reason,
    flags: findings.filter((f) => f.level === 'flag').map((f) => f.code),
  };
}

/** One line for the submitter: every finding joined, in each language. */
export function explain(findings: readonly Finding[]): Bilingual {
  return { uk: findings.map((f) => f.message.uk).join('; '), en: findings.map((f) => f.message.en).join('; ') };
}
