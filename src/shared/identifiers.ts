/**
 * Ukrainian identifiers: IBAN (UA), ЄДРПОУ, РНОКПП and the platform's own unified account
 * number. Pure functions, no I/O. Rules are quoted in docs/domain.md ("Identifiers").
 *
 * Every validator returns a {@link Result}: either the normalised value or a bilingual reason
 * that says exactly what is wrong, so the UI and the import reports can show it verbatim.
 */
import type { Bilingual } from './errors';

/** Why a value was refused, in Ukrainian and English. */
export type Reason = Bilingual;

export type Result<T> = { ok: true; value: T } | { ok: false; reason: Reason };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = <T = never>(uk: string, en: string): Result<T> => ({ ok: false, reason: { uk, en } });

const DIGITS = /^\d+$/;

/** Removes every kind of whitespace (people and banks paste IBANs in groups of four). */
const stripSpaces = (s: string): string => s.replace(/[\s\u00a0\u202f\u2007\u2009]+/g, '');

// ---------------------------------------------------------------------------------------------
// IBAN
// ---------------------------------------------------------------------------------------------

export const UA_IBAN_LENGTH = 29;

/** Upper case, no spaces: the form stored and printed in QR payloads. */
export function normaliseIban(s: string): string {
  return stripSpaces(s).toUpperCase();
}

/** ISO 7064 MOD 97-10 over an IBAN-shaped string (letters A=10 … Z=35), computed in chunks. */
function ibanMod97(iban: string): number {
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const ch of rearranged) {
    const code = ch.charCodeAt(0);
    // Letters expand to two digits; feeding digit by digit keeps every number tiny.
    const digits = code >= 65 && code <= 90 ? String(code - 55) : ch;
    for (const d of digits) remainder = (remainder * 10 + (d.charCodeAt(0) - 48)) % 97;
  }
  return remainder;
}

/** Checks a UA IBAN: 29 characters, `UA`, 2 check digits, 6-digit МФО, 19-digit account, mod 97 = 1. */
export function validateUaIban(s: string): Result<string> {
  const iban = normaliseIban(s);
  if (iban === '') return fail('IBAN не вказано', 'IBAN is empty');
  if (!/^[A-Z0-9]+$/.test(iban)) {
    return fail(
      'IBAN може містити лише латинські літери та цифри',
      'IBAN may contain only Latin letters and digits',
    );
  }
  const country = iban.slice(0, 2);
  if (country !== 'UA') {
    return fail(
      `IBAN має починатися з «UA» (українська країна рахунку), а починається з «${country}»`,
      `IBAN must start with "UA" (Ukrainian account), but starts with "${country}"`,
    );
  }
  if (iban.length !== UA_IBAN_LENGTH) {
    return fail(
      `Український IBAN має ${UA_IBAN_LENGTH} символів, а введено ${iban.length}`,
      `A Ukrainian IBAN has ${UA_IBAN_LENGTH} characters, got ${iban.length}`,
    );
  }
  if (!DIGITS.test(iban.slice(2))) {
    return fail('Після «UA» в IBAN мають бути лише цифри', 'After "UA" an IBAN must contain only digits');
  }
  if (ibanMod97(iban) !== 1) {
    return fail(
      'Неправильні контрольні цифри IBAN (перевірка mod 97): можлива помилка в одній із цифр',
      'Wrong IBAN check digits (mod 97 check failed): probably a mistyped digit',
    );
  }
  return ok(iban);
}

export function isValidIban(s: string): boolean {
  return validateUaIban(s).ok;
}

/** The bank code (МФО), characters 5–10 of a valid UA IBAN; undefined when the IBAN is invalid. */
export function ibanBankCode(iban: string): string | undefined {
  const r = validateUaIban(iban);
  return r.ok ? r.value.slice(4, 10) : undefined;
}

/**
 * Builds a valid UA IBAN from a 6-digit МФО and an account number (zero-padded to 19 digits),
 * computing the check digits as 98 − (BBAN + "UA00" mod 97). Throws RangeError on bad input:
 * this is a generator for seeders and tests, not a validator.
 */
export function generateValidIban(bankCode: string, account: number | bigint | string): string {
  if (!/^\d{6}$/.test(bankCode)) throw new RangeError(`bank code must be 6 digits, got "${bankCode}"`);
  const acc = typeof account === 'number' ? (Number.isSafeInteger(account) ? String(account) : '') : String(account);
  if (!/^\d{1,19}$/.test(acc)) throw new RangeError(`account must be a non-negative integer of at most 19 digits`);
  const bban = bankCode + acc.padStart(19, '0');
  const check = 98 - ibanMod97(`UA00${bban}`);
  return `UA${String(check).padStart(2, '0')}${bban}`;
}

/** "UA21 3223 1300 …": groups of four, for printing. */
export function formatIban(iban: string): string {
  return normaliseIban(iban).replace(/(.{4})(?=.)/g, '$1 ');
}

// ---------------------------------------------------------------------------------------------
// Helpers shared by the digit-string codes
// ---------------------------------------------------------------------------------------------

function checkDigitsOnly(code: string, length: number, uk: string, en: string): Result<string> {
  const s = stripSpaces(code);
  if (s === '') return fail(`${uk} не вказано`, `${en} is empty`);
  if (!DIGITS.test(s)) return fail(`${uk} має містити лише цифри`, `${en} must contain digits only`);
  if (s.length !== length) {
    return fail(
      `${uk} має ${length} цифр, а введено ${s.length}`,
      `${en} must have ${length} digits, got ${s.length}`,
    );
  }
  return ok(s);
}

const digitsOf = (s: string): number[] => [...s].map((c) => c.charCodeAt(0) - 48);

/** Mathematical modulo (JS `%` keeps the sign of a negative dividend). */
const mod = (a: number, m: number): number => ((a % m) + m) % m;

// ---------------------------------------------------------------------------------------------
// ЄДРПОУ (8 digits)
// ---------------------------------------------------------------------------------------------

/** Check digit (0–9) for the first 7 digits of an ЄДРПОУ code. */
export function edrpouCheckDigit(first7: string): number {
  if (!/^\d{7}$/.test(first7)) throw new RangeError(`ЄДРПОУ body must be 7 digits, got "${first7}"`);
  const d = digitsOf(first7);
  // 30,000,000 ≤ code < 60,000,000 ⇔ 3,000,000 ≤ first7 < 6,000,000, whatever the 8th digit is.
  const body = Number(first7);
  const base = body >= 3_000_000 && body < 6_000_000 ? [7, 1, 2, 3, 4, 5, 6] : [1, 2, 3, 4, 5, 6, 7];
  const weighted = (weights: number[]) => d.reduce((sum, x, i) => sum + x * weights[i], 0) % 11;
  const r = weighted(base);
  if (r < 10) return r;
  return weighted(base.map((w) => w + 2)) % 10;
}

export function validateEdrpou(code: string): Result<string> {
  const r = checkDigitsOnly(code, 8, 'Код ЄДРПОУ', 'EDRPOU code');
  if (!r.ok) return r;
  const expected = edrpouCheckDigit(r.value.slice(0, 7));
  if (Number(r.value[7]) !== expected) {
    return fail(
      `Неправильна контрольна цифра коду ЄДРПОУ: остання цифра має бути ${expected}`,
      `Wrong EDRPOU check digit: the last digit should be ${expected}`,
    );
  }
  return r;
}

// ---------------------------------------------------------------------------------------------
// РНОКПП (10 digits)
// ---------------------------------------------------------------------------------------------

const RNOKPP_WEIGHTS = [-1, 5, 7, 9, 4, 6, 10, 5, 7];

/** Check digit for the first 9 digits of an РНОКПП: (Σ dᵢwᵢ mod 11) mod 10, Σ taken mod 11 ≥ 0. */
export function rnokppCheckDigit(first9: string): number {
  if (!/^\d{9}$/.test(first9)) throw new RangeError(`РНОКПП body must be 9 digits, got "${first9}"`);
  const sum = digitsOf(first9).reduce((s, x, i) => s + x * RNOKPP_WEIGHTS[i], 0);
  return mod(sum, 11) % 10;
}

export function validateRnokpp(code: string): Result<string> {
  const r = checkDigitsOnly(code, 10, 'РНОКПП', 'RNOKPP (individual tax number)');
  if (!r.ok) return r;
  const expected = rnokppCheckDigit(r.value.slice(0, 9));
  if (Number(r.value[9]) !== expected) {
    return fail(
      `Неправильна контрольна цифра РНОКПП: остання цифра має бути ${expected}`,
      `Wrong RNOKPP check digit: the last digit should be ${expected}`,
    );
  }
  return r;
}

const DAY_MS = 86_400_000;
const RNOKPP_EPOCH = Date.UTC(1899, 11, 31);

/**
 * Date of birth encoded in digits 1–5 (days since 1899-12-31, so 00001 = 1900-01-01), as
 * 'YYYY-MM-DD'. Undefined for an invalid code or a zero day count. Computed in UTC: the result
 * does not depend on the process time zone.
 */
export function rnokppBirthDate(code: string): string | undefined {
  const r = validateRnokpp(code);
  if (!r.ok) return undefined;
  const days = Number(r.value.slice(0, 5));
  if (days === 0) return undefined;
  return new Date(RNOKPP_EPOCH + days * DAY_MS).toISOString().slice(0, 10);
}

/** The 9th digit is odd for men, even for women. */
export function rnokppSex(code: string): 'male' | 'female' | undefined {
  const r = validateRnokpp(code);
  if (!r.ok) return undefined;
  return Number(r.value[8]) % 2 === 1 ? 'male' : 'female';
}

// ---------------------------------------------------------------------------------------------
// Unified account number (the platform's own): body + 1 Luhn check digit
// ---------------------------------------------------------------------------------------------
// Why Luhn: it is what payment terminals and bank apps already use for card numbers, it is
// trivial to re-implement in an agent's software, and it catches every single-digit typo and
// every adjacent transposition except 09 ↔ 90. Digits are never letters, so payers type it on
// any keypad.

export const UNIFIED_ACCOUNT_LENGTH = 10;

/** Luhn check digit for a digit string `body` (the digit that makes body+digit pass Luhn). */
export function unifiedAccountCheckDigit(body: string): number {
  if (!DIGITS.test(body)) throw new RangeError(`account body must be digits, got "${body}"`);
  let sum = 0;
  // Walking from the right, the digit next to the (future) check digit is doubled first.
  for (let i = body.length - 1, double = true; i >= 0; i--, double = !double) {
    let d = body.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

/**
 * Zero-pads `body` to `length − 1` digits and appends the Luhn digit:
 * makeUnifiedAccountNumber(1234) → '0000012344'. Throws RangeError when the body does not fit.
 */
export function makeUnifiedAccountNumber(body: number | string, length = UNIFIED_ACCOUNT_LENGTH): string {
  if (!Number.isInteger(length) || length < 2) throw new RangeError(`length must be an integer ≥ 2`);
  const s = typeof body === 'number' ? (Number.isSafeInteger(body) && body >= 0 ? String(body) : '') : body;
  if (!DIGITS.test(s)) throw new RangeError(`account body must be a non-negative integer, got "${String(body)}"`);
  if (s.length > length - 1) throw new RangeError(`account body ${s} does not fit in ${length - 1} digits`);
  const padded = s.padStart(length - 1, '0');
  return padded + String(unifiedAccountCheckDigit(padded));
}

/** Validates a typed unified account number (spaces and hyphens are tolerated and removed). */
export function validateUnifiedAccountNumber(s: string, length = UNIFIED_ACCOUNT_LENGTH): Result<string> {
  const r = checkDigitsOnly(s.replace(/[-‐‑–—]/g, ''), length, 'Номер єдиного рахунку', 'Unified account number');
  if (!r.ok) return r;
  const expected = unifiedAccountCheckDigit(r.value.slice(0, -1));
  if (Number(r.value[length - 1]) !== expected) {
    return fail(
      'Неправильна контрольна цифра номера рахунку: перевірте, чи не переплутано цифри',
      'Wrong check digit in the account number: check for a mistyped or swapped digit',
    );
  }
  return r;
}

export function isValidUnifiedAccountNumber(s: string, length = UNIFIED_ACCOUNT_LENGTH): boolean {
  return validateUnifiedAccountNumber(s, length).ok;
}
