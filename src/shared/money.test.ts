import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import Decimal from 'decimal.js';
import {
  formatUah,
  formatUahPlain,
  kopecksToUah,
  multiplyToKopecks,
  parseUah,
  roundHalfUpToKopecks,
  sumKopecks,
} from './money';

const NNBSP = '\u202f';
const NBSP = '\u00a0';

const kopecks = fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER });
const everydayKopecks = fc.integer({ min: -10_000_000_00, max: 10_000_000_00 });

/** A decimal string with up to `scale` fraction digits, as an exact BigInt oracle sees it. */
const decimalString = (maxInt: number, scale: number) =>
  fc
    .tuple(fc.boolean(), fc.integer({ min: 0, max: maxInt }), fc.integer({ min: 0, max: 10 ** scale - 1 }))
    .map(([neg, i, f]) => `${neg && (i > 0 || f > 0) ? '-' : ''}${i}.${String(f).padStart(scale, '0')}`);

/** Oracle: parse "±I.F" into [BigInt scaled value, scale]. */
function scaled(s: string): [bigint, number] {
  const neg = s.startsWith('-');
  const [i, f = ''] = s.replace('-', '').split('.');
  const v = BigInt(i + f);
  return [neg ? -v : v, f.length];
}

/** Oracle: exact product of two decimal strings rounded to kopecks half-away-from-zero. */
function oracleMultiply(a: string, b: string): number {
  const [va, sa] = scaled(a);
  const [vb, sb] = scaled(b);
  const product = va * vb; // scale sa + sb, in UAH
  const scale = sa + sb - 2; // in kopecks
  if (scale <= 0) return Number(product * 10n ** BigInt(-scale));
  const div = 10n ** BigInt(scale);
  const abs = product < 0n ? -product : product;
  let q = abs / div;
  if ((abs % div) * 2n >= div) q += 1n;
  const n = Number(product < 0n ? -q : q);
  return n === 0 ? 0 : n;
}

describe('formatUah', () => {
  it.each([
    [0, `0,00${NBSP}грн`],
    [5, `0,05${NBSP}грн`],
    [50, `0,50${NBSP}грн`],
    [100, `1,00${NBSP}грн`],
    [123450, `1${NNBSP}234,50${NBSP}грн`],
    [99999, `999,99${NBSP}грн`],
    [100000, `1${NNBSP}000,00${NBSP}грн`],
    [180_000_000_000, `1${NNBSP}800${NNBSP}000${NNBSP}000,00${NBSP}грн`],
    [-5, `-0,05${NBSP}грн`],
    [-123450, `-1${NNBSP}234,50${NBSP}грн`],
  ])('%i → %j', (k, text) => {
    expect(formatUah(k)).toBe(text);
  });

  it('can leave out the currency', () => {
    expect(formatUah(123450, { currency: false })).toBe(`1${NNBSP}234,50`);
  });

  it('reads like "1 234,50 грн" once spaces are normalised', () => {
    expect(formatUah(123450).replace(/[\u202f\u00a0]/g, ' ')).toBe('1 234,50 грн');
  });

  it.each([0.5, Number.NaN, Number.POSITIVE_INFINITY, Number.MAX_SAFE_INTEGER + 1])('refuses %d', (k) => {
    expect(() => formatUah(k)).toThrow(RangeError);
    expect(() => formatUahPlain(k)).toThrow(RangeError);
  });
});

describe('formatUahPlain', () => {
  it.each([
    [0, '0.00'],
    [5, '0.05'],
    [123450, '1234.50'],
    [10000, '100.00'],
    [-1230, '-12.30'],
    [-0, '0.00'],
  ])('%i → %s', (k, text) => {
    expect(formatUahPlain(k)).toBe(text);
  });
});

describe('parseUah', () => {
  it.each([
    ['1 234,50', 123450],
    [`1${NNBSP}234,50`, 123450],
    [`1${NBSP}234,50`, 123450],
    ['1234.5', 123450],
    ['1234,5', 123450],
    ['1234', 123400],
    ['1234.05', 123405],
    ['0,01', 1],
    ['0', 0],
    ['-0', 0],
    ['-12,3', -1230],
    ['−12,30', -1230], // U+2212 minus sign
    ['+7', 700],
    ['- 7', -700],
    ['  42,00  ', 4200],
    ['1 234,50 грн', 123450],
    ['1 234,50 грн.', 123450],
    ['12 ГРН', 1200],
    ['₴ 12,5', 1250],
    ['12₴', 1200],
    ['UAH1234.50', 123450],
    ['1 000 000', 100000000],
    ['007', 700],
  ])('%j → %i', (text, k) => {
    expect(parseUah(text)).toEqual({ ok: true, value: k });
  });

  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['грн', 'empty'],
    ['abc', 'not an amount'],
    ['12a', 'not an amount'],
    ['1.2.3', 'not an amount'],
    ['1,234.50', 'not an amount'],
    ['--5', 'not an amount'],
    ['1e3', 'not an amount'],
    ['0x10', 'not an amount'],
    [',50', 'not an amount'],
    ['Infinity', 'not an amount'],
    ['12,345', 'two digits'],
    ['1,234', 'two digits'],
    ['12 34', 'grouped by three'],
    ['1 2345', 'grouped by three'],
    ['1234,', 'Digits must follow'],
    ['999999999999999999', 'too large'],
  ])('refuses %j (%s)', (text, fragment) => {
    const r = parseUah(text);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.reason.en).toContain(fragment);
      expect(r.reason.uk).toMatch(/[а-яіїє]/);
    }
  });

  it('property: parse(format(x)) == x and parse(formatPlain(x)) == x for every safe amount', () => {
    fc.assert(
      fc.property(kopecks, (k) => {
        expect(parseUah(formatUah(k))).toEqual({ ok: true, value: k === 0 ? 0 : k });
        expect(parseUah(formatUahPlain(k))).toEqual({ ok: true, value: k === 0 ? 0 : k });
        expect(parseUah(formatUah(k, { currency: false }))).toEqual({ ok: true, value: k === 0 ? 0 : k });
      }),
    );
  });

  it('property: formatted amounts have the documented shape', () => {
    fc.assert(
      fc.property(kopecks, (k) => {
        expect(formatUah(k)).toMatch(/^-?\d{1,3}(\u202f\d{3})*,\d{2}\u00a0грн$/);
        expect(formatUahPlain(k)).toMatch(/^-?\d+\.\d{2}$/);
      }),
    );
  });

  it('property: a comma or a dot parse the same', () => {
    fc.assert(
      fc.property(fc.nat({ max: 10_000_000 }), fc.integer({ min: 0, max: 99 }), (whole, kop) => {
        const f = String(kop).padStart(2, '0');
        expect(parseUah(`${whole},${f}`)).toEqual(parseUah(`${whole}.${f}`));
      }),
    );
  });
});

describe('roundHalfUpToKopecks', () => {
  it.each([
    ['12.345', 1235],
    ['12.344999', 1234],
    ['12.3449', 1234],
    ['0.005', 1],
    ['0.0049', 0],
    ['0.004', 0],
    ['-0.004', 0], // never -0
    ['-0.005', -1], // ties away from zero: a credit mirrors the debit
    ['-12.345', -1235],
    ['-12.344', -1234],
    ['1234.5', 123450],
    ['100', 10000],
    ['1e2', 10000],
  ])('%s UAH → %i kopecks', (uah, k) => {
    expect(Object.is(roundHalfUpToKopecks(uah), k)).toBe(true);
  });

  it('takes Decimal instances from the caller', () => {
    expect(roundHalfUpToKopecks(new Decimal('2.675'))).toBe(268); // 2.675 as a float would be 2.67
  });

  it.each(['abc', '', 'NaN', 'Infinity', '1e400'])('refuses %j', (bad) => {
    expect(() => roundHalfUpToKopecks(bad)).toThrow(RangeError);
  });

  it('property: whole kopecks are left unchanged', () => {
    fc.assert(
      fc.property(kopecks, (k) => {
        expect(roundHalfUpToKopecks(new Decimal(k).dividedBy(100))).toBe(k === 0 ? 0 : k);
      }),
    );
  });

  it('property: symmetric around zero, and monotonic', () => {
    fc.assert(
      fc.property(decimalString(1_000_000, 4), decimalString(1_000_000, 4), (a, b) => {
        const ra = roundHalfUpToKopecks(a);
        expect(roundHalfUpToKopecks(new Decimal(a).negated())).toBe(ra === 0 ? 0 : -ra);
        if (new Decimal(a).lte(b)) expect(ra).toBeLessThanOrEqual(roundHalfUpToKopecks(b));
      }),
    );
  });

  it('property: the result is within half a kopeck of the value', () => {
    fc.assert(
      fc.property(decimalString(1_000_000_000, 6), (a) => {
        const diff = new Decimal(roundHalfUpToKopecks(a)).minus(new Decimal(a).times(100)).abs();
        expect(diff.lte(0.5)).toBe(true);
      }),
    );
  });
});

describe('multiplyToKopecks', () => {
  it.each([
    // Water: norm 4.6 m³ × 29.988 UAH/m³ = 137.9448 → 137.94
    ['4.6', '29.988', 13794],
    // Electricity 2026: 150 kWh × 4.32 = 648.00
    ['150', '4.32', 64800],
    // Night zone ×0.5 of 4.32 → 2.16 UAH/kWh × 33 kWh
    ['33', '2.16', 7128],
    // Gas without a meter: 3.28 m³ × 3 persons = 9.84 m³ × 7.95689 UAH/m³ = 78.2957976 → 78.30
    ['9.84', '7.95689', 7830],
    // Waste: 2.03 m³ × 205 UAH ÷ 12 as a per-month tariff of 34.679166… (pre-computed with 6 dp)
    ['1', '34.679167', 3468],
    // A tie: 0.5 × 0.01 = 0.005 → 0.01
    ['0.5', '0.01', 1],
    // A negative volume (correction) mirrors the positive one
    ['-0.5', '0.01', -1],
    ['0', '123.45', 0],
    // Exactness beyond double precision: 1234567.891234 × 98765.4321 = 121932631234.5118122114
    ['1234567.891234', '98765.4321', 12193263123451],
  ])('%s × %s → %i', (v, t, k) => {
    expect(multiplyToKopecks(v, t)).toBe(k);
  });

  it('rounds once, not per factor', () => {
    // Rounding the tariff first (0.005 → 0.01) would give 3.33 UAH; the exact product is
    // 1.665 UAH, rounded once → 1.67.
    expect(multiplyToKopecks('333', '0.005')).toBe(167);
    expect(multiplyToKopecks('3', '0.3333')).toBe(100); // 0.9999 → 1.00
  });

  it('accepts Decimal arguments', () => {
    expect(multiplyToKopecks(new Decimal('4.6'), new Decimal('29.988'))).toBe(13794);
  });

  it('refuses garbage', () => {
    expect(() => multiplyToKopecks('x', '1')).toThrow(RangeError);
    expect(() => multiplyToKopecks('1', 'NaN')).toThrow(RangeError);
  });

  it('property: equals an exact BigInt oracle (half away from zero)', () => {
    fc.assert(
      fc.property(decimalString(100_000, 6), decimalString(10_000, 6), (v, t) => {
        expect(multiplyToKopecks(v, t)).toBe(oracleMultiply(v, t));
      }),
      { numRuns: 500 },
    );
  });

  it('property: commutative, and × 1 is plain rounding', () => {
    fc.assert(
      fc.property(decimalString(100_000, 5), decimalString(1_000, 5), (v, t) => {
        expect(multiplyToKopecks(v, t)).toBe(multiplyToKopecks(t, v));
        expect(multiplyToKopecks(v, '1')).toBe(roundHalfUpToKopecks(v));
      }),
    );
  });
});

describe('sumKopecks and kopecksToUah', () => {
  it('sums rounded lines', () => {
    expect(sumKopecks([])).toBe(0);
    expect(sumKopecks([13794, 64800, -1230])).toBe(77364);
    expect(sumKopecks(new Set([1, 2, 3]))).toBe(6);
  });

  it('refuses non-integers and overflow', () => {
    expect(() => sumKopecks([1, 0.5])).toThrow(RangeError);
    expect(() => sumKopecks([Number.MAX_SAFE_INTEGER, 1])).toThrow(RangeError);
  });

  it('property: equals the plain sum for everyday amounts, in any order', () => {
    fc.assert(
      fc.property(fc.array(everydayKopecks, { maxLength: 50 }), (xs) => {
        const total = xs.reduce((a, b) => a + b, 0);
        expect(sumKopecks(xs)).toBe(total);
        expect(sumKopecks([...xs].reverse())).toBe(total);
      }),
    );
  });

  it('kopecksToUah is exact and round-trips through rounding', () => {
    expect(kopecksToUah(123450).toString()).toBe('1234.5');
    fc.assert(
      fc.property(kopecks, (k) => {
        expect(roundHalfUpToKopecks(kopecksToUah(k))).toBe(k === 0 ? 0 : k);
      }),
    );
  });
});
