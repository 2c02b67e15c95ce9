import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import Decimal from 'decimal.js';
import {
  checkMeterStatus,
  checkNotBeforePrevious,
  checkNotBelowPrevious,
  checkNotInFuture,
  checkPlausible,
  checkValueShape,
  checkVerification,
  checkZoneCount,
  expectedDaily,
  findDuplicate,
  readingPeriod,
  registerStep,
  validateReading,
  windowDays,
  type MeterFacts,
  type ValidationContext,
} from './validate';

describe('registerStep (rollover by number of digits)', () => {
  it.each([
    // previous, current, digits, kind, difference (worked by hand)
    ['100', '150', 5, 'forward', '50'],
    ['100', '100', 5, 'forward', '0'],
    ['12.5', '13.125', 5, 'forward', '0.625'],
    ['99990', '15', 5, 'rollover', '25'], // 100000 − 99990 + 15
    ['9995.5', '4.5', 4, 'rollover', '9'], // 10000 − 9995.5 + 4.5
    ['90000', '9999', 5, 'rollover', '19999'], // both inside the tenth bands
    ['89999', '100', 5, 'below_previous', '-89899'], // previous not near the top
    ['99990', '10000', 5, 'below_previous', '-89990'], // current not near zero
    ['150', '140', 5, 'below_previous', '-10'],
  ] as const)('%s → %s on %i digits is %s by %s', (prev, curr, digits, kind, diff) => {
    expect(registerStep(prev, curr, digits)).toEqual({ kind, difference: diff });
  });

  it('a rollover difference plus the previous value lands on the current one modulo the register', () => {
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 8 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (digits, a, b) => {
        const cap = 10 ** digits;
        const prev = Math.floor(a * (cap - 1));
        const curr = Math.floor(b * (cap - 1));
        const step = registerStep(String(prev), String(curr), digits);
        if (step.kind === 'below_previous') {
          expect(curr).toBeLessThan(prev);
        } else {
          expect(Number(step.difference)).toBeGreaterThanOrEqual(0);
          expect((prev + Number(step.difference)) % cap).toBe(curr);
        }
      }),
    );
  });
});

describe('single rules', () => {
  it('zone count must match the meter', () => {
    expect(checkZoneCount(1, ['1'])).toBeNull();
    expect(checkZoneCount(2, ['1'])?.code).toBe('zone_count');
    expect(checkZoneCount(1, ['1', '2'])?.level).toBe('reject');
  });

  it.each([
    ['123', 5, null],
    ['123.456', 5, null],
    ['99999.999', 5, null],
    ['100000', 5, 'too_many_digits'],
    ['-1', 5, 'not_a_number'],
    ['1,5', 5, 'not_a_number'],
    ['1.2345', 5, 'not_a_number'],
    ['abc', 5, 'not_a_number'],
  ] as const)('value %s on %i digits → %s', (value, digits, code) => {
    expect(checkValueShape(value, digits, 1)?.code ?? null).toBe(code);
  });

  it('a reading dated after today (Kyiv) is rejected; today and earlier pass', () => {
    expect(checkNotInFuture('2026-11-26', '2026-11-26')).toBeNull();
    expect(checkNotInFuture('2026-11-01', '2026-11-26')).toBeNull();
    const f = checkNotInFuture('2026-11-27', '2026-11-26');
    expect(f?.code).toBe('future_date');
    expect(f?.message.uk).toContain('2026-11-27');
    expect(f?.message.en).toContain('future');
  });

  it('only an active meter takes readings (a final reading closes a removed one)', () => {
    expect(checkMeterStatus('active', 'regular')).toBeNull();
    expect(checkMeterStatus('removed_for_verification', 'regular')?.code).toBe('meter_removed');
    expect(checkMeterStatus('retired', 'regular')?.code).toBe('meter_retired');
    expect(checkMeterStatus('retired', 'final')).toBeNull();
  });

  it('not dated before the previous reading', () => {
    expect(checkNotBeforePrevious('2026-11-27', '2026-10-28')).toBeNull();
    expect(checkNotBeforePrevious('2026-11-27', null)).toBeNull();
    expect(checkNotBeforePrevious('2026-10-01', '2026-10-28')?.code).toBe('before_previous');
  });

  it('below previous rejects; rollover only flags', () => {
    expect(checkNotBelowPrevious(registerStep('10', '20', 5), '10', '20', 1)).toBeNull();
    expect(checkNotBelowPrevious(registerStep('99990', '5', 5), '99990', '5', 1)?.level).toBe('flag');
    const f = checkNotBelowPrevious(registerStep('150', '140', 5), '150', '140', 2);
    expect(f).toMatchObject({ level: 'reject', code: 'below_previous', zone: 2 });
    expect(f?.message.uk).toContain('140');
  });

  it('expected daily use: the larger of history and norm × persons / 30', () => {
    expect(expectedDaily({ historyDaily: '0.2', normMonthlyPerPerson: '4.5', persons: 2 })?.toString()).toBe('0.3'); // 9/30
    expect(expectedDaily({ historyDaily: '0.5', normMonthlyPerPerson: '4.5', persons: 2 })?.toString()).toBe('0.5');
    expect(expectedDaily({ historyDaily: null, normMonthlyPerPerson: '3', persons: 0 })).toBeNull();
    expect(expectedDaily({ historyDaily: null, normMonthlyPerPerson: null, persons: 3 })).toBeNull();
  });

  it.each([
    // volume, days, history daily, norm, persons, factor, code
    ['27', 30, '0.3', null, 0, '3', null], // bound 0.3×30×3 = 27: on the bound passes
    ['27.001', 30, '0.3', null, 0, '3', 'implausible_consumption'],
    ['41.4', 30, null, '4.6', 3, '3', null], // 4.6×3/30 = 0.46/day; bound 0.46×30×3 = 41.4
    ['50', 30, null, '4.6', 3, '3', 'implausible_consumption'],
    ['1000', 30, null, null, 0, '3', null], // nothing known: no bound
    ['5', 0, '1', null, 0, '3', 'implausible_consumption'], // same day counts as one: bound 3
  ] as const)('plausibility: %s over %i days (history %s, norm %s × %i, factor %s) → %s', (volume, days, hist, norm, persons, factor, code) => {
    const f = checkPlausible(volume, days, { historyDaily: hist, normMonthlyPerPerson: norm, persons }, factor);
    expect(f?.code ?? null).toBe(code);
  });

  it('past verification the reading is kept with a flag', () => {
    expect(checkVerification('2027-01-01', '2026-11-27')).toBeNull();
    expect(checkVerification(null, '2026-11-27')).toBeNull();
    expect(checkVerification('2026-11-27', '2026-11-27')).toBeNull();
    expect(checkVerification('2026-11-26', '2026-11-27')).toMatchObject({ level: 'flag', code: 'verification_expired' });
  });
});

describe('submission window', () => {
  const lastFive = { opensDay: -4, closesDay: 0 };

  it('resolves days from the end of each month', () => {
    expect(windowDays(lastFive, '2026-11-10')).toEqual([26, 30]);
    expect(windowDays(lastFive, '2026-02-10')).toEqual([24, 28]);
    expect(windowDays(lastFive, '2028-02-10')).toEqual([25, 29]);
    expect(windowDays({ opensDay: 20, closesDay: 31 }, '2026-04-02')).toEqual([20, 30]);
  });

  it.each([
    ['2026-11-26', '2026-11-26', '2026-11-01', null],
    ['2026-11-30', '2026-11-30', '2026-11-01', null],
    ['2026-11-25', '2026-11-25', '2026-12-01', 'moved_to_next_period'],
    ['2026-11-01', '2026-11-01', '2026-12-01', 'moved_to_next_period'],
    ['2026-12-02', '2026-12-02', '2027-01-01', 'moved_to_next_period'],
    ['2026-02-24', '2026-02-24', '2026-02-01', null],
  ] as const)('read %s, sent %s → period %s (%s)', (readOn, sent, period, code) => {
    const d = readingPeriod(readOn, sent, lastFive);
    expect(d.period).toBe(period);
    expect(d.finding?.code ?? null).toBe(code);
    if (code) expect(d.finding?.message.uk).toContain(period.slice(0, 7));
  });

  it('without a window the month of the reading, but never before the month it arrives in', () => {
    expect(readingPeriod('2026-10-15', '2026-10-20', null)).toEqual({ period: '2026-10-01', finding: null });
    const late = readingPeriod('2026-10-15', '2026-11-03', null);
    expect(late.period).toBe('2026-11-01');
    expect(late.finding?.code).toBe('counted_on_arrival');
  });

  it('the period is always the reading month or the next, and never before the arrival month', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3000 }), fc.integer({ min: 0, max: 40 }), fc.integer({ min: -10, max: 0 }), (d, late, opens) => {
        const readOn = new Date(Date.UTC(2025, 0, 1) + d * 86_400_000).toISOString().slice(0, 10);
        const sent = new Date(Date.UTC(2025, 0, 1) + (d + late) * 86_400_000).toISOString().slice(0, 10);
        const { period } = readingPeriod(readOn, sent, { opensDay: opens, closesDay: 0 });
        expect(period >= `${sent.slice(0, 7)}-01`).toBe(true);
        expect(period >= `${readOn.slice(0, 7)}-01`).toBe(true);
      }),
    );
  });
});

describe('duplicates', () => {
  const stored = [
    { readingId: 1, period: '2026-11-01', kind: 'regular' as const, values: ['120.500'], status: 'accepted' as const },
    { readingId: 2, period: '2026-11-01', kind: 'regular' as const, values: ['130'], status: 'rejected' as const },
  ];
  it('the same values in the same period are the same reading (120.5 = 120.500)', () => {
    expect(findDuplicate({ period: '2026-11-01', kind: 'regular', values: ['120.5'] }, stored)?.readingId).toBe(1);
    expect(findDuplicate({ period: '2026-12-01', kind: 'regular', values: ['120.5'] }, stored)).toBeNull();
    expect(findDuplicate({ period: '2026-11-01', kind: 'regular', values: ['121'] }, stored)).toBeNull();
  });
  it('a rejected reading does not block sending it again', () => {
    expect(findDuplicate({ period: '2026-11-01', kind: 'regular', values: ['130'] }, stored)).toBeNull();
  });
});

describe('validateReading', () => {
  const meter: MeterFacts = { zones: 2, digits: 5, multiplier: '1', status: 'active', verifiedUntil: '2030-01-01' };
  const ctx: ValidationContext = {
    todayKyiv: '2026-11-27',
    window: { opensDay: -4, closesDay: 0 },
    previous: { readOn: '2026-10-28', values: ['1000', '500'] },
    expected: { historyDaily: '10', normMonthlyPerPerson: null, persons: 0 },
    plausibilityFactor: '3',
  };
  const sent = (values: string[], extra: Partial<Parameters<typeof validateReading>[1]> = {}) =>
    validateReading(meter, { readOn: '2026-11-27', kind: 'regular', values, channel: 'portal', ...extra }, ctx);

  it('accepts a good reading and says what it implies', () => {
    const v = sent(['1250', '600']);
    expect(v).toMatchObject({ status: 'accepted', period: '2026-11-01', volumes: ['250', '100'], reason: null, flags: [] });
  });

  it('multiplies by the meter multiplier', () => {
    const v = validateReading({ ...meter, multiplier: '2.5' }, { readOn: '2026-11-27', kind: 'regular', values: ['1010', '504'], channel: 'app' }, ctx);
    expect(v.volumes).toEqual(['25', '10']);
  });

  it('sends implausible consumption to review (30 days × 10 × 3 = 900 is the bound)', () => {
    expect(sent(['1800', '600']).status).toBe('accepted'); // 800 + 100 = 900
    const v = sent(['1801', '600']);
    expect(v.status).toBe('needs_review');
    expect(v.reason?.code).toBe('implausible_consumption');
    expect(v.period).toBe('2026-11-01');
  });

  it('rejects below previous with the zone named, and still explains', () => {
    const v = sent(['1100', '400']);
    expect(v.status).toBe('rejected');
    expect(v.reason).toMatchObject({ code: 'below_previous', zone: 2 });
    expect(v.volumes).toEqual(['100', null]);
  });

  it('a reading in the future is rejected, whatever else is true', () => {
    expect(sent(['1100', '600'], { readOn: '2026-11-28' }).reason?.code).toBe('future_date');
  });

  it('verification past: accepted with the flag billing reads', () => {
    const v = validateReading({ ...meter, verifiedUntil: '2026-11-01' }, { readOn: '2026-11-27', kind: 'regular', values: ['1100', '600'], channel: 'portal' }, ctx);
    expect(v.status).toBe('accepted');
    expect(v.flags).toEqual(['verification_expired']);
  });

  it('provider files ignore the window; portal readings outside it move to the next period', () => {
    const early = { readOn: '2026-11-10' };
    expect(sent(['1050', '520'], { ...early }).period).toBe('2026-12-01');
    expect(sent(['1050', '520'], { ...early }).flags).toEqual(['moved_to_next_period']);
    expect(sent(['1050', '520'], { ...early, channel: 'provider_file' }).period).toBe('2026-11-01');
  });

  it('an initial reading has no previous to compare with', () => {
    const v = sent(['3', '1'], { kind: 'initial' });
    expect(v.status).toBe('accepted');
    expect(v.volumes).toEqual([null, null]);
  });

  it('status is decided by the worst finding: any reject → rejected, else any review → needs_review', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 99_999 }), fc.integer({ min: 0, max: 99_999 }), (a, b) => {
        const v = sent([String(a), String(b)]);
        const levels = v.findings.map((f) => f.level);
        const expected = levels.includes('reject') ? 'rejected' : levels.includes('review') ? 'needs_review' : 'accepted';
        expect(v.status).toBe(expected);
        if (v.status === 'accepted' && a >= 1000 && b >= 500) {
          expect(new Decimal(v.volumes[0]!).plus(v.volumes[1]!).toNumber()).toBe(a - 1000 + b - 500);
        }
      }),
    );
  });
});
