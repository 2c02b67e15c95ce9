/**
 * Money. Every amount in the platform is an integer number of kopecks (a JS `number` that is a
 * safe integer: ±90 trillion UAH is plenty). Decimal arithmetic (decimal.js) is used only where
 * a fractional value is turned into kopecks: volume × tariff, then rounded once, half up
 * (docs/domain.md, "Charges → Rounding"). Pure functions, no I/O.
 */
import Decimal from 'decimal.js';
import { fail, ok, type Result } from './identifiers';

/** An amount in kopecks (1 UAH = 100 kopecks). Always a safe integer. */
export type Kopecks = number;

/**
 * A private Decimal constructor: precision far above any realistic volume × tariff (a product
 * of a- and b-digit numbers has at most a + b significant digits, so it is computed exactly),
 * and ROUND_HALF_UP, which on a tie rounds *away from zero*: 0.005 → 0.01, −0.005 → −0.01.
 * A credit (negative charge) is therefore rounded as the mirror image of the same debit.
 */
const D = Decimal.clone({ precision: 1000, rounding: Decimal.ROUND_HALF_UP });

/** Thousands separator in formatted amounts: NARROW NO-BREAK SPACE (never splits a number). */
export const THOUSANDS_SEPARATOR = '\u202f';
/** Between the amount and «грн»: NO-BREAK SPACE, so the currency never wraps alone. */
export const CURRENCY_SEPARATOR = '\u00a0';

export function isKopecks(n: unknown): n is Kopecks {
  return typeof n === 'number' && Number.isSafeInteger(n);
}

export function assertKopecks(n: number, what = 'amount'): asserts n is Kopecks {
  if (!isKopecks(n)) throw new RangeError(`${what} must be a safe integer number of kopecks, got ${n}`);
}

/** Splits |k| into whole hryvnias and kopecks, with the sign; -0 is treated as 0. */
function parts(kopecks: Kopecks): { negative: boolean; whole: string; kop: string } {
  assertKopecks(kopecks);
  const abs = Math.abs(kopecks);
  return {
    negative: kopecks < 0,
    whole: String(Math.floor(abs / 100)),
    kop: String(abs % 100).padStart(2, '0'),
  };
}

/**
 * "1 234,50 грн": Ukrainian style — comma decimals, narrow no-break space between thousands,
 * always two kopeck digits, a leading hyphen-minus for negative amounts (credits).
 * `{ currency: false }` leaves out « грн».
 */
export function formatUah(kopecks: Kopecks, opts: { currency?: boolean } = {}): string {
  const { negative, whole, kop } = parts(kopecks);
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, THOUSANDS_SEPARATOR);
  const amount = `${negative ? '-' : ''}${grouped},${kop}`;
  return opts.currency === false ? amount : `${amount}${CURRENCY_SEPARATOR}грн`;
}

/** "1234.50": machine form (QR payloads `UAH1234.50`, CSV, XML). Never "1234.5". */
export function formatUahPlain(kopecks: Kopecks): string {
  const { negative, whole, kop } = parts(kopecks);
  return `${negative ? '-' : ''}${whole}.${kop}`;
}

const SPACES = '[ \\u00a0\\u202f\\u2007\\u2009]';
const CURRENCY = /^(?:грн\.?|гривень|гривні|гривня|₴|uah)\s*|\s*(?:грн\.?|гривень|гривні|гривня|₴|uah)$/giu;
const AMOUNT = new RegExp(`^(\\d+|\\d{1,3}(?:${SPACES}\\d{3})+)(?:[.,](\\d+))?$`, 'u');

/**
 * Parses a typed amount in hryvnias into kopecks. Accepts "1 234,50", "1234.5", "1234",
 * "-12,3", "1 234,50 грн", "₴ 12", "UAH1234.50"; thousands may be grouped only by spaces (any
 * kind), the decimal separator is "," or "." with at most two digits. Refuses anything else with
 * a bilingual reason — "1,234" is refused as ambiguous (three decimals) rather than guessed.
 */
export function parseUah(text: string): Result<Kopecks> {
  let s = text.trim().replace(CURRENCY, '').trim();
  if (s === '') return fail('Суму не вказано', 'Amount is empty');
  let negative = false;
  const sign = /^([-−–+])\s*/u.exec(s);
  if (sign) {
    negative = sign[1] !== '+';
    s = s.slice(sign[0].length);
  }
  const m = AMOUNT.exec(s);
  if (!m) {
    if (/^\d[\d\s\u00a0\u202f\u2007\u2009]*([.,]\d*)?$/u.test(s)) {
      if (/[.,]$/.test(s)) {
        return fail('Після десяткового роздільника мають бути копійки', 'Digits must follow the decimal separator');
      }
      return fail(
        'Розряди тисяч мають бути по три цифри: «1 234,50»',
        'Thousands must be grouped by three digits: "1 234,50"',
      );
    }
    return fail(
      `«${text}» — не сума в гривнях; приклад: «1 234,50»`,
      `"${text}" is not an amount in hryvnias; example: "1 234,50"`,
    );
  }
  const whole = m[1].replace(new RegExp(SPACES, 'gu'), '');
  const frac = m[2] ?? '';
  if (frac.length > 2) {
    return fail(
      'Після коми може бути не більше двох цифр (копійки)',
      'At most two digits may follow the decimal separator (kopecks)',
    );
  }
  const digits = BigInt(whole + frac.padEnd(2, '0'));
  if (digits > BigInt(Number.MAX_SAFE_INTEGER)) return fail('Сума завелика', 'Amount is too large');
  const kopecks = Number(digits);
  return ok(negative && kopecks !== 0 ? -kopecks : kopecks);
}

function toDecimal(x: Decimal.Value, what: string): Decimal {
  let d: Decimal;
  try {
    d = new D(x);
  } catch {
    throw new RangeError(`${what} is not a decimal number: "${String(x)}"`);
  }
  if (!d.isFinite()) throw new RangeError(`${what} must be finite, got ${d.toString()}`);
  return d;
}

/**
 * Rounds an amount in HRYVNIAS to whole kopecks, half up, ties away from zero:
 * "12.345" → 1235, "-12.345" → -1235, "0.004" → 0. The only rounding rule for money.
 */
export function roundHalfUpToKopecks(uah: Decimal | string): Kopecks {
  const kop = toDecimal(uah, 'amount').times(100).toDecimalPlaces(0, Decimal.ROUND_HALF_UP);
  const n = kop.toNumber();
  if (!Number.isSafeInteger(n)) throw new RangeError(`amount ${String(uah)} UAH is out of range`);
  return n === 0 ? 0 : n; // never -0
}

/**
 * One charge line: volume × tariff (UAH per unit) computed exactly, then rounded ONCE to
 * kopecks, half up. "4.6" m³ × "29.988" UAH/m³ = 137.9448 UAH → 13794 kopecks.
 */
export function multiplyToKopecks(volume: string | Decimal, tariffUahPerUnit: string | Decimal): Kopecks {
  const product = toDecimal(volume, 'volume').times(toDecimal(tariffUahPerUnit, 'tariff'));
  return roundHalfUpToKopecks(product);
}

/** Sum of rounded lines (totals are never re-rounded). Throws if a value or the sum is unsafe. */
export function sumKopecks(values: Iterable<Kopecks>): Kopecks {
  let total = 0;
  for (const v of values) {
    assertKopecks(v);
    total += v;
    assertKopecks(total, 'sum');
  }
  return total;
}

/** Kopecks back to an exact Decimal amount in hryvnias (for further decimal arithmetic). */
export function kopecksToUah(kopecks: Kopecks): Decimal {
  assertKopecks(kopecks);
  return new D(kopecks).dividedBy(100);
}
