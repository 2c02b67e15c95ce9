import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  edrpouCheckDigit,
  formatIban,
  generateValidIban,
  ibanBankCode,
  isValidIban,
  isValidUnifiedAccountNumber,
  makeUnifiedAccountNumber,
  normaliseIban,
  rnokppBirthDate,
  rnokppCheckDigit,
  rnokppSex,
  unifiedAccountCheckDigit,
  validateEdrpou,
  validateRnokpp,
  validateUaIban,
  validateUnifiedAccountNumber,
  type Result,
} from './identifiers';

/** The reason of a failed result, or a test failure if it unexpectedly passed. */
function reasonOf(r: Result<unknown>) {
  if (r.ok) throw new Error(`expected a failure, got ${JSON.stringify(r.value)}`);
  return r.reason;
}

const digitString = (min: number, max = min) =>
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: min, maxLength: max }).map((a) => a.join(''));

/** An independent oracle: IBAN mod 97 with BigInt, straight from ISO 13616. */
function oracleIbanOk(iban: string): boolean {
  const s = iban.slice(4) + iban.slice(0, 4);
  const numeric = [...s].map((c) => (/[A-Z]/.test(c) ? String(c.charCodeAt(0) - 55) : c)).join('');
  return BigInt(numeric) % 97n === 1n;
}

describe('IBAN (UA)', () => {
  it.each([
    ['UA213223130000026007233566001', 'UA213223130000026007233566001'],
    ['UA21 3223 1300 0002 6007 2335 6600 1', 'UA213223130000026007233566001'],
    ['ua213223130000026007233566001', 'UA213223130000026007233566001'],
    ['  UA21\u00a03223\u202f1300 0002 6007 2335 6600 1 ', 'UA213223130000026007233566001'],
    ['UA823052990000000026001035395', 'UA823052990000000026001035395'],
  ])('accepts %j', (input, normalised) => {
    expect(validateUaIban(input)).toEqual({ ok: true, value: normalised });
    expect(isValidIban(input)).toBe(true);
  });

  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['UA21-3223-1300-0002-6007-2335-6600-1', 'Latin letters and digits'],
    ['UA21322313000002600723356600', 'got 28'],
    ['UA2132231300000260072335660011', 'got 30'],
    ['PL61109010140000071219812874', 'starts with "PL"'],
    ['DE89370400440532013000', 'starts with "DE"'],
    ['UA21322313000002600723356600A', 'only digits'],
    ['UA213223130000026007233566002', 'check digits'],
    ['UA123223130000026007233566001', 'check digits'],
    ['УА213223130000026007233566001', 'Latin letters'],
  ])('refuses %j (%s)', (input, fragment) => {
    const reason = reasonOf(validateUaIban(input));
    expect(reason.en).toContain(fragment);
    expect(reason.uk.length).toBeGreaterThan(5);
    expect(isValidIban(input)).toBe(false);
  });

  it('says the country is wrong in both languages', () => {
    const reason = reasonOf(validateUaIban('PL61109010140000071219812874'));
    expect(reason.uk).toContain('UA');
    expect(reason.uk).toContain('PL');
  });

  it('normalises and formats', () => {
    expect(normaliseIban(' ua21 3223 ')).toBe('UA213223');
    expect(formatIban('UA213223130000026007233566001')).toBe('UA21 3223 1300 0002 6007 2335 6600 1');
  });

  it('extracts the bank code (МФО)', () => {
    expect(ibanBankCode('UA21 3223 1300 0002 6007 2335 6600 1')).toBe('322313');
    expect(ibanBankCode('UA823052990000000026001035395')).toBe('305299');
    expect(ibanBankCode('UA213223130000026007233566002')).toBeUndefined();
  });

  it('generates the known check digits', () => {
    expect(generateValidIban('322313', '0000026007233566001')).toBe('UA213223130000026007233566001');
    expect(generateValidIban('305299', 26001035395n)).toBe('UA823052990000000026001035395');
    expect(generateValidIban('305299', 26001035395)).toBe('UA823052990000000026001035395');
  });

  it.each([
    ['30529', 1],
    ['3052991', 1],
    ['30529A', 1],
    ['305299', -1],
    ['305299', 1.5],
    ['305299', '12345678901234567890'],
    ['305299', Number.MAX_SAFE_INTEGER + 2],
  ] as const)('generateValidIban refuses bank %j account %j', (bank, account) => {
    expect(() => generateValidIban(bank, account)).toThrow(RangeError);
  });

  const bankCode = digitString(6);
  const account = fc.bigInt({ min: 0n, max: 10n ** 19n - 1n });

  it('property: every generated IBAN is valid, 29 characters, and keeps its bank code', () => {
    fc.assert(
      fc.property(bankCode, account, (bank, acc) => {
        const iban = generateValidIban(bank, acc);
        expect(iban).toHaveLength(29);
        expect(validateUaIban(iban).ok).toBe(true);
        expect(oracleIbanOk(iban)).toBe(true);
        expect(ibanBankCode(iban)).toBe(bank);
        expect(BigInt(iban.slice(10))).toBe(acc);
      }),
    );
  });

  it('property: any single changed digit is detected', () => {
    fc.assert(
      fc.property(bankCode, account, fc.integer({ min: 2, max: 28 }), fc.integer({ min: 1, max: 9 }), (b, a, pos, delta) => {
        const iban = generateValidIban(b, a);
        const changed = (Number(iban[pos]) + delta) % 10;
        const typo = iban.slice(0, pos) + changed + iban.slice(pos + 1);
        expect(isValidIban(typo)).toBe(false);
      }),
    );
  });

  it('property: the validator agrees with a BigInt oracle on random 27-digit tails', () => {
    fc.assert(
      fc.property(digitString(27), (tail) => {
        expect(isValidIban(`UA${tail}`)).toBe(oracleIbanOk(`UA${tail}`));
      }),
    );
  });
});

describe('ЄДРПОУ', () => {
  it.each([
    '32855961', // from domain.md (weights 7,1,2,… range)
    '00032129', // АТ «Ощадбанк»
    '14360570', // АТ КБ «ПриватБанк»
    '00032106', // Казначейство-era bank code with leading zeros
    '0007919' + '7', // first sum r = 10: weights + 2 branch
    '0364274' + '7', // r = 10 branch, 30–60 million boundary not involved
  ])('accepts %s', (code) => {
    expect(validateEdrpou(code)).toEqual({ ok: true, value: code });
  });

  it('tolerates spaces', () => {
    expect(validateEdrpou(' 3285 5961 ')).toEqual({ ok: true, value: '32855961' });
  });

  it.each([
    ['', 'empty'],
    ['3285596', 'got 7'],
    ['328559611', 'got 9'],
    ['3285596a', 'digits only'],
    ['32-855961', 'digits only'],
    ['32855962', 'should be 1'],
    ['32855960', 'should be 1'],
  ])('refuses %j (%s)', (code, fragment) => {
    const reason = reasonOf(validateEdrpou(code));
    expect(reason.en).toContain(fragment);
    expect(reason.uk).toMatch(/ЄДРПОУ/);
  });

  it('uses the 7,1,2,… weights exactly for 30,000,000 ≤ code < 60,000,000', () => {
    // Hand-computed: 32855961 → 3·7+2·1+8·2+5·3+5·4+9·5+6·6 = 155, 155 mod 11 = 1.
    expect(edrpouCheckDigit('3285596')).toBe(1);
    // With the plain 1..7 weights the same body would give 3+4+24+20+25+54+42 = 172 mod 11 = 7.
    expect(edrpouCheckDigit('2999999')).toBe((2 + 9 * (2 + 3 + 4 + 5 + 6 + 7)) % 11 % 10);
    expect(edrpouCheckDigit('6000000')).toBe(6);
    // 3·7 = 21 → r = 10 → weights 9,3,…: 3·9 = 27 → 5 (with weights 1..7 it would be 3).
    expect(edrpouCheckDigit('3000000')).toBe(5);
    expect(edrpouCheckDigit('5999999')).toBe((5 * 7 + 9 * 21) % 11);
  });

  it('takes the "+2 weights, then mod 10" branch when the first remainder is 10', () => {
    // 0007919: 7·4+9·5+1·6+9·7 = 142, 142 mod 11 = 10 → weights 3..9: 7·6+9·7+1·8+9·9 = 194 → 7.
    expect(edrpouCheckDigit('0007919')).toBe(7);
  });

  it('edrpouCheckDigit refuses a malformed body', () => {
    expect(() => edrpouCheckDigit('123456')).toThrow(RangeError);
    expect(() => edrpouCheckDigit('12345a7')).toThrow(RangeError);
  });

  it('property: body + check digit is valid, and a changed last digit is not', () => {
    fc.assert(
      fc.property(digitString(7), fc.integer({ min: 1, max: 9 }), (body, delta) => {
        const check = edrpouCheckDigit(body);
        expect(check).toBeGreaterThanOrEqual(0);
        expect(check).toBeLessThanOrEqual(9);
        expect(validateEdrpou(body + check).ok).toBe(true);
        expect(validateEdrpou(body + ((check + delta) % 10)).ok).toBe(false);
      }),
    );
  });
});

describe('РНОКПП', () => {
  it.each(['1759013776', '3652504575'])('accepts %s (domain.md examples)', (code) => {
    expect(validateRnokpp(code)).toEqual({ ok: true, value: code });
  });

  it.each([
    ['', 'empty'],
    ['175901377', 'got 9'],
    ['17590137761', 'got 11'],
    ['17590I3776', 'digits only'],
    ['1759013775', 'should be 6'],
    ['3652504570', 'should be 5'],
  ])('refuses %j (%s)', (code, fragment) => {
    const reason = reasonOf(validateRnokpp(code));
    expect(reason.en).toContain(fragment);
    expect(reason.uk).toContain('РНОКПП');
  });

  it('computes the check digit by hand-checked sums', () => {
    // 1759013776: −1+35+35+81+0+6+30+35+49 = 270, 270 mod 11 = 6.
    expect(rnokppCheckDigit('175901377')).toBe(6);
    // 3652504575: −3+30+35+18+20+0+40+25+49 = 214, 214 mod 11 = 5.
    expect(rnokppCheckDigit('365250457')).toBe(5);
    expect(rnokppCheckDigit('000000002')).toBe(3); // 2·7 = 14 → 3
    // Σ mod 11 = 10 → check digit 0: 3·7 = 21 → 10 → 0.
    expect(rnokppCheckDigit('000000003')).toBe(0);
    // A negative sum is taken mod 11 mathematically: −1 → 10 → 0 (not JS's −1).
    expect(rnokppCheckDigit('100000000')).toBe(0);
    expect(rnokppCheckDigit('200000000')).toBe(9); // −2 → 9
  });

  it('reads the date of birth and sex', () => {
    expect(rnokppBirthDate('1759013776')).toBe('1948-02-28');
    expect(rnokppBirthDate('3652504575')).toBe('2000-01-01'); // day 36525 after 1899-12-31
    expect(rnokppSex('1759013776')).toBe('male'); // 9th digit 7
    expect(rnokppSex('3652504575')).toBe('male'); // 9th digit 7
    expect(rnokppBirthDate('1759013775')).toBeUndefined();
    expect(rnokppSex('1759013775')).toBeUndefined();
  });

  it('property: day count n maps to 1899-12-31 + n days, and the 9th digit gives the sex', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 99_999 }), digitString(3), fc.integer({ min: 0, max: 9 }), (days, mid, sexDigit) => {
        const body = String(days).padStart(5, '0') + mid + sexDigit;
        const code = body + rnokppCheckDigit(body);
        expect(validateRnokpp(code).ok).toBe(true);
        const born = rnokppBirthDate(code)!;
        expect(born).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        expect((Date.parse(`${born}T00:00:00Z`) - Date.UTC(1899, 11, 31)) / 86_400_000).toBe(days);
        expect(rnokppSex(code)).toBe(sexDigit % 2 === 1 ? 'male' : 'female');
      }),
    );
  });

  it('property: a single changed digit in the first nine is almost always detected', () => {
    // Every weight is invertible mod 11, so Σ mod 11 always changes; the final "mod 10" merges
    // remainders 10 and 0, so a few typos slip through. Count rather than demand 100 %.
    let missed = 0;
    let total = 0;
    fc.assert(
      fc.property(digitString(9), fc.integer({ min: 0, max: 8 }), fc.integer({ min: 1, max: 9 }), (body, pos, delta) => {
        const code = body + rnokppCheckDigit(body);
        const typo = code.slice(0, pos) + ((Number(code[pos]) + delta) % 10) + code.slice(pos + 1);
        total++;
        if (validateRnokpp(typo).ok) missed++;
      }),
      { numRuns: 2000 },
    );
    expect(missed / total).toBeLessThan(0.2);
  });
});

describe('unified account number (Luhn)', () => {
  it.each([
    // Classic Luhn test vectors.
    ['7992739871', 3],
    ['0', 0],
    ['1', 8],
    ['000001234', 4],
  ])('check digit of %s is %i', (body, digit) => {
    expect(unifiedAccountCheckDigit(body)).toBe(digit);
  });

  it('makes zero-padded 10-digit numbers', () => {
    expect(makeUnifiedAccountNumber(1234)).toBe('0000012344');
    expect(makeUnifiedAccountNumber('1234')).toBe('0000012344');
    expect(makeUnifiedAccountNumber(0)).toBe('0000000000');
    expect(makeUnifiedAccountNumber(999_999_999)).toHaveLength(10);
    expect(makeUnifiedAccountNumber(12, 6)).toBe('000125');
  });

  it.each([[1_000_000_000], [-1], [1.5], ['12a'], [''], [Number.NaN]])('makeUnifiedAccountNumber refuses %j', (body) => {
    expect(() => makeUnifiedAccountNumber(body)).toThrow(RangeError);
  });

  it('validates typed numbers with spaces or hyphens', () => {
    expect(validateUnifiedAccountNumber('00000 12344')).toEqual({ ok: true, value: '0000012344' });
    expect(validateUnifiedAccountNumber('00000-12344')).toEqual({ ok: true, value: '0000012344' });
    expect(isValidUnifiedAccountNumber('0000012344')).toBe(true);
  });

  it.each([
    ['', 'empty'],
    ['000001234', 'got 9'],
    ['00000123440', 'got 11'],
    ['00000I2344', 'digits only'],
    ['0000012345', 'check digit'],
    ['0000021344', 'check digit'], // 12 → 21 swapped
  ])('refuses %j (%s)', (s, fragment) => {
    const reason = reasonOf(validateUnifiedAccountNumber(s));
    expect(reason.en).toContain(fragment);
    expect(reason.uk).toMatch(/рахунку/);
  });

  const body = fc.integer({ min: 0, max: 999_999_999 });

  it('property: every made number is valid and has 10 digits', () => {
    fc.assert(
      fc.property(body, (b) => {
        const n = makeUnifiedAccountNumber(b);
        expect(n).toMatch(/^\d{10}$/);
        expect(Number(n.slice(0, 9))).toBe(b);
        expect(isValidUnifiedAccountNumber(n)).toBe(true);
      }),
    );
  });

  it('property: every one-digit typo is detected', () => {
    fc.assert(
      fc.property(body, fc.integer({ min: 0, max: 9 }), fc.integer({ min: 1, max: 9 }), (b, pos, delta) => {
        const n = makeUnifiedAccountNumber(b);
        const typo = n.slice(0, pos) + ((Number(n[pos]) + delta) % 10) + n.slice(pos + 1);
        expect(isValidUnifiedAccountNumber(typo)).toBe(false);
      }),
    );
  });

  it('property: every adjacent transposition is detected, except 09 ↔ 90', () => {
    fc.assert(
      fc.property(body, fc.integer({ min: 0, max: 8 }), (b, pos) => {
        const n = makeUnifiedAccountNumber(b);
        const [x, y] = [n[pos], n[pos + 1]];
        fc.pre(x !== y);
        const swapped = n.slice(0, pos) + y + x + n.slice(pos + 2);
        const isNineZero = (x === '0' && y === '9') || (x === '9' && y === '0');
        expect(isValidUnifiedAccountNumber(swapped)).toBe(isNineZero);
      }),
    );
  });

  it('exhaustively: all single-digit substitutions and adjacent swaps in one number', () => {
    const n = makeUnifiedAccountNumber(123_456_789);
    for (let pos = 0; pos < 10; pos++) {
      for (let d = 0; d <= 9; d++) {
        if (String(d) === n[pos]) continue;
        expect(isValidUnifiedAccountNumber(n.slice(0, pos) + d + n.slice(pos + 1))).toBe(false);
      }
    }
    // The known blind spot, shown once so the limitation is visible: 09 ↔ 90 keeps the sum.
    const withNineZero = makeUnifiedAccountNumber('000000090');
    const swapped = `${withNineZero.slice(0, 7)}09${withNineZero.slice(9)}`;
    expect(isValidUnifiedAccountNumber(swapped)).toBe(true);
  });
});
