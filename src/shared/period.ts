/**
 * Billing periods and calendar dates. A period is a month, written as its first day in ISO form:
 * '2026-11-01' (what a DATE column holds). Dates are plain 'YYYY-MM-DD' strings.
 *
 * Why strings and UTC arithmetic: a billing month must not shift because a server, a test runner
 * or a developer laptop sits in another time zone. All calendar arithmetic below is done on
 * Date.UTC values; the only place a time zone enters is the conversion of an *instant* (a Date)
 * into a Kyiv calendar date, done explicitly with Intl and 'Europe/Kyiv'.
 */
import { fail, ok, type Result } from './identifiers';

/** 'YYYY-MM-01' */
export type Period = string;
/** 'YYYY-MM-DD' */
export type IsoDate = string;

const DAY_MS = 86_400_000;

export const MONTHS_UK = [
  'січень',
  'лютий',
  'березень',
  'квітень',
  'травень',
  'червень',
  'липень',
  'серпень',
  'вересень',
  'жовтень',
  'листопад',
  'грудень',
] as const;

const pad2 = (n: number) => String(n).padStart(2, '0');
const fromYm = (year: number, month: number): Period => `${year}-${pad2(month)}-01`;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate(); // day 0 of the next month
}

// ---------------------------------------------------------------------------------------------
// Periods
// ---------------------------------------------------------------------------------------------

/**
 * Accepts '2026-11', '2026-11-01' and '202611' (the PrivatBank `billPeriod` form); returns the
 * canonical '2026-11-01'. A date other than the 1st is refused (use {@link periodOf} for that).
 */
export function parsePeriod(text: string): Result<Period> {
  const s = text.trim();
  const m = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/.exec(s) ?? /^(\d{4})(\d{2})()$/.exec(s);
  if (!m) {
    return fail(
      `«${text}» — не період; очікується «РРРР-ММ» або «РРРР-ММ-01», наприклад «2026-11»`,
      `"${text}" is not a period; expected "YYYY-MM" or "YYYY-MM-01", e.g. "2026-11"`,
    );
  }
  const year = Number(m[1]);
  const month = Number(m[2]);
  if (year < 1000) return fail(`Рік ${m[1]} поза допустимими межами`, `Year ${m[1]} is out of range`);
  if (month < 1 || month > 12) {
    return fail(`Місяць має бути від 01 до 12, а не ${m[2]}`, `Month must be 01 to 12, not ${m[2]}`);
  }
  if (m[3] && m[3] !== '01') {
    return fail(
      `Період позначається першим днем місяця (${m[1]}-${m[2]}-01), а не ${m[3]}-м числом`,
      `A period is written as the first day of the month (${m[1]}-${m[2]}-01), not day ${m[3]}`,
    );
  }
  return ok(fromYm(year, month));
}

export function isPeriod(s: unknown): s is Period {
  return typeof s === 'string' && /^\d{4}-\d{2}-01$/.test(s) && parsePeriod(s).ok;
}

/** Year and month of a canonical period; throws RangeError for anything else (a bug upstream). */
function ym(p: Period): [number, number] {
  if (!isPeriod(p)) throw new RangeError(`not a period (expected 'YYYY-MM-01'): "${p}"`);
  return [Number(p.slice(0, 4)), Number(p.slice(5, 7))];
}

/** Moves a period by `n` months (negative goes back). */
export function addMonths(p: Period, n: number): Period {
  if (!Number.isInteger(n)) throw new RangeError(`month offset must be an integer, got ${n}`);
  const [y, m] = ym(p);
  const index = y * 12 + (m - 1) + n;
  const year = Math.floor(index / 12);
  if (year < 1000 || year > 9999) throw new RangeError(`period out of range: ${p} + ${n} months`);
  return fromYm(year, (index % 12) + 1);
}

export const nextPeriod = (p: Period, n = 1): Period => addMonths(p, n);
export const prevPeriod = (p: Period, n = 1): Period => addMonths(p, -n);

/**
 * The period a person most likely bills next, given the community's billing periods: the first
 * one not closed; else the one after the last closed; else, with nothing billed yet, the month
 * before `today`'s: a month is billed once it has ended and its readings are in.
 */
export function periodToBill(periods: ReadonlyArray<{ period: Period; status: string }>, today: IsoDate): Period {
  const open = periods.filter((p) => p.status !== 'closed').map((p) => p.period).sort()[0];
  if (open) return open;
  const closed = periods.filter((p) => p.status === 'closed').map((p) => p.period).sort().at(-1);
  return closed ? nextPeriod(closed) : prevPeriod(periodOf(today));
}

/** Number of months from `a` to `b` (b − a): monthsBetween('2026-01-01', '2026-11-01') = 10. */
export function monthsBetween(a: Period, b: Period): number {
  const [ya, ma] = ym(a);
  const [yb, mb] = ym(b);
  return yb * 12 + mb - (ya * 12 + ma);
}

export function comparePeriods(a: Period, b: Period): number {
  return Math.sign(monthsBetween(b, a));
}

/** The last day of the period: '2026-02-01' → '2026-02-28'. */
export function periodEnd(p: Period): IsoDate {
  const [y, m] = ym(p);
  return `${y}-${pad2(m)}-${pad2(daysInMonth(y, m))}`;
}

export function daysInPeriod(p: Period): number {
  const [y, m] = ym(p);
  return daysInMonth(y, m);
}

/** Every period from `from` to `to`, both included; empty when `from` is after `to`. */
export function periodsBetween(from: Period, to: Period): Period[] {
  const n = monthsBetween(from, to);
  const out: Period[] = [];
  for (let i = 0; i <= n; i++) out.push(addMonths(from, i));
  return out;
}

/**
 * The period containing a date. A 'YYYY-MM-DD' string is taken as a calendar date; a Date is
 * an instant and is first converted to the Kyiv calendar date (a payment at 00:30 Kyiv time on
 * 1 November belongs to November even though it is still 31 October in UTC).
 */
export function periodOf(date: Date | IsoDate): Period {
  const iso = typeof date === 'string' ? checkedIsoDate(date) : kyivDateOf(date);
  return `${iso.slice(0, 7)}-01`;
}

/** "листопад 2026" (nominative, as in a bill heading «Рахунок за листопад 2026»). */
export function formatPeriodUk(p: Period): string {
  const [y, m] = ym(p);
  return `${MONTHS_UK[m - 1]} ${y}`;
}

/** "202611": the `billPeriod` form of bank protocols. */
export function formatPeriodCompact(p: Period): string {
  const [y, m] = ym(p);
  return `${y}${pad2(m)}`;
}

// ---------------------------------------------------------------------------------------------
// Calendar dates
// ---------------------------------------------------------------------------------------------

/** Validates a real calendar date 'YYYY-MM-DD' (2026-02-30 is refused). */
export function parseIsoDate(text: string): Result<IsoDate> {
  const s = text.trim();
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) {
    return fail(`«${text}» — не дата у форматі РРРР-ММ-ДД`, `"${text}" is not a date in YYYY-MM-DD form`);
  }
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 1000 || mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) {
    return fail(`Дати ${s} не існує`, `There is no such date: ${s}`);
  }
  return ok(s);
}

export function isIsoDate(s: unknown): s is IsoDate {
  return typeof s === 'string' && parseIsoDate(s).ok && s.length === 10;
}

function checkedIsoDate(s: string): IsoDate {
  if (!isIsoDate(s)) throw new RangeError(`not a date (expected 'YYYY-MM-DD'): "${s}"`);
  return s;
}

const utcMs = (iso: IsoDate): number =>
  Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10)));

/** Adds `n` calendar days (no time zone, no DST: days are days). */
export function addDays(iso: IsoDate, n: number): IsoDate {
  if (!Number.isInteger(n)) throw new RangeError(`day offset must be an integer, got ${n}`);
  const out = new Date(utcMs(checkedIsoDate(iso)) + n * DAY_MS).toISOString();
  if (!/^\d{4}-/.test(out)) throw new RangeError(`date out of range: ${iso} + ${n} days`);
  return out.slice(0, 10);
}

/** Days from `a` to `b` (b − a). */
export function daysBetween(a: IsoDate, b: IsoDate): number {
  return Math.round((utcMs(checkedIsoDate(b)) - utcMs(checkedIsoDate(a))) / DAY_MS);
}

/** ISO day of the week: 1 = Monday … 7 = Sunday. */
export function isoDayOfWeek(iso: IsoDate): number {
  const d = new Date(utcMs(checkedIsoDate(iso))).getUTCDay();
  return d === 0 ? 7 : d;
}

/** Saturday or Sunday. (Public holidays are configuration, not calendar arithmetic.) */
export function isWeekend(iso: IsoDate): boolean {
  return isoDayOfWeek(iso) >= 6;
}

// ---------------------------------------------------------------------------------------------
// Kyiv time
// ---------------------------------------------------------------------------------------------

let kyivFormatter: Intl.DateTimeFormat | undefined;

function kyivParts(instant: Date): Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', number> {
  if (Number.isNaN(instant.getTime())) throw new RangeError('invalid Date');
  if (!kyivFormatter) {
    const options: Intl.DateTimeFormatOptions = {
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    };
    try {
      kyivFormatter = new Intl.DateTimeFormat('en-GB', { ...options, timeZone: 'Europe/Kyiv' });
    } catch {
      // ICU data older than tzdata 2022b knows only the old spelling.
      kyivFormatter = new Intl.DateTimeFormat('en-GB', { ...options, timeZone: 'Europe/Kiev' });
    }
  }
  const out = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const part of kyivFormatter.formatToParts(instant)) {
    if (part.type in out) out[part.type as keyof typeof out] = Number(part.value);
  }
  return out;
}

// Kyiv is always a whole number of hours from UTC, so its date cannot change inside a UTC hour:
// the last hour's date is remembered (every payment asks it; formatToParts is slow).
let lastUtcHour = Number.NaN;
let lastKyivDate = '';

/** The Kyiv calendar date of an instant, 'YYYY-MM-DD'. */
export function kyivDateOf(instant: Date): IsoDate {
  const hour = Math.floor(instant.getTime() / 3_600_000);
  if (hour === lastUtcHour) return lastKyivDate;
  const p = kyivParts(instant);
  const date = `${String(p.year).padStart(4, '0')}-${pad2(p.month)}-${pad2(p.day)}`;
  lastUtcHour = hour;
  lastKyivDate = date;
  return date;
}

/** Today in Kyiv, 'YYYY-MM-DD' (whatever the process time zone is). */
export function kyivToday(now: Date = new Date()): IsoDate {
  return kyivDateOf(now);
}

/** An instant as a person in Kyiv reads it: 'DD.MM.YYYY HH:MM' (receipts). */
export function formatKyivDateTime(instant: Date): string {
  const p = kyivParts(instant);
  return `${pad2(p.day)}.${pad2(p.month)}.${p.year} ${pad2(p.hour)}:${pad2(p.minute)}`;
}

/** Kyiv wall-clock fields of an instant (e.g. for `YYMMDDhhmmss` stamps in QR payloads). */
export function kyivDateTimeParts(instant: Date = new Date()) {
  return kyivParts(instant);
}
