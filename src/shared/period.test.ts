import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  addDays,
  addMonths,
  comparePeriods,
  daysBetween,
  daysInPeriod,
  formatPeriodCompact,
  formatPeriodUk,
  isIsoDate,
  isoDayOfWeek,
  isPeriod,
  isWeekend,
  kyivDateOf,
  kyivDateTimeParts,
  kyivToday,
  monthsBetween,
  nextPeriod,
  parseIsoDate,
  parsePeriod,
  periodEnd,
  periodOf,
  periodsBetween,
  periodToBill,
  prevPeriod,
} from './period';

const period = fc
  .tuple(fc.integer({ min: 1900, max: 2200 }), fc.integer({ min: 1, max: 12 }))
  .map(([y, m]) => `${y}-${String(m).padStart(2, '0')}-01`);

const isoDate = fc
  .integer({ min: Date.UTC(1900, 0, 1) / 86_400_000, max: Date.UTC(2200, 11, 31) / 86_400_000 })
  .map((d) => new Date(d * 86_400_000).toISOString().slice(0, 10));

describe('parsePeriod', () => {
  it.each([
    ['2026-11', '2026-11-01'],
    ['2026-11-01', '2026-11-01'],
    ['202611', '2026-11-01'],
    [' 2026-01 ', '2026-01-01'],
    ['1999-12', '1999-12-01'],
  ])('%j → %s', (text, p) => {
    expect(parsePeriod(text)).toEqual({ ok: true, value: p });
  });

  it.each([
    ['', 'not a period'],
    ['2026', 'not a period'],
    ['2026-1', 'not a period'],
    ['26-11', 'not a period'],
    ['2026/11', 'not a period'],
    ['11.2026', 'not a period'],
    ['листопад 2026', 'not a period'],
    ['2026-11-1', 'not a period'],
    ['202611-01', 'not a period'],
    ['2026-13', 'Month must be 01 to 12, not 13'],
    ['2026-00', 'not 00'],
    ['202613', 'not 13'],
    ['2026-11-15', 'not day 15'],
    ['0999-01', 'out of range'],
  ])('refuses %j (%s)', (text, fragment) => {
    const r = parsePeriod(text);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.reason.en).toContain(fragment);
      expect(r.reason.uk).toMatch(/[а-яії]/);
    }
  });

  it('isPeriod accepts only the canonical form', () => {
    expect(isPeriod('2026-11-01')).toBe(true);
    expect(isPeriod('2026-11')).toBe(false);
    expect(isPeriod('2026-13-01')).toBe(false);
    expect(isPeriod(20261101)).toBe(false);
  });
});

describe('period arithmetic', () => {
  it.each([
    ['2026-11-01', '2026-12-01', '2026-10-01'],
    ['2026-12-01', '2027-01-01', '2026-11-01'],
    ['2026-01-01', '2026-02-01', '2025-12-01'],
  ])('around %s: next %s, previous %s', (p, next, prev) => {
    expect(nextPeriod(p)).toBe(next);
    expect(prevPeriod(p)).toBe(prev);
  });

  it('moves by many months', () => {
    expect(addMonths('2026-11-01', 14)).toBe('2028-01-01');
    expect(addMonths('2026-11-01', -23)).toBe('2024-12-01');
    expect(nextPeriod('2026-11-01', 0)).toBe('2026-11-01');
    expect(prevPeriod('2026-03-01', 3)).toBe('2025-12-01');
  });

  it.each([
    ['2026-01-01', '2026-01-31', 31],
    ['2026-02-01', '2026-02-28', 28],
    ['2024-02-01', '2024-02-29', 29], // leap year
    ['2000-02-01', '2000-02-29', 29], // divisible by 400
    ['1900-02-01', '1900-02-28', 28], // divisible by 100, not 400
    ['2026-04-01', '2026-04-30', 30],
    ['2026-11-01', '2026-11-30', 30],
    ['2026-12-01', '2026-12-31', 31],
  ])('%s ends on %s (%i days)', (p, end, days) => {
    expect(periodEnd(p)).toBe(end);
    expect(daysInPeriod(p)).toBe(days);
  });

  it('lists periods inclusively', () => {
    expect(periodsBetween('2026-10-01', '2027-02-01')).toEqual([
      '2026-10-01',
      '2026-11-01',
      '2026-12-01',
      '2027-01-01',
      '2027-02-01',
    ]);
    expect(periodsBetween('2026-11-01', '2026-11-01')).toEqual(['2026-11-01']);
    expect(periodsBetween('2026-12-01', '2026-11-01')).toEqual([]);
  });

  it('compares and counts months', () => {
    expect(monthsBetween('2026-01-01', '2026-11-01')).toBe(10);
    expect(monthsBetween('2026-11-01', '2025-11-01')).toBe(-12);
    expect(comparePeriods('2026-01-01', '2026-02-01')).toBe(-1);
    expect(comparePeriods('2026-02-01', '2026-02-01')).toBe(0);
    expect(comparePeriods('2027-01-01', '2026-12-01')).toBe(1);
  });

  it.each(['2026-11', '2026-11-02', '', 'x', '2026-13-01'])('refuses the non-canonical period %j', (bad) => {
    expect(() => nextPeriod(bad)).toThrow(RangeError);
    expect(() => periodEnd(bad)).toThrow(RangeError);
  });

  it('refuses fractional month offsets and out-of-range years', () => {
    expect(() => addMonths('2026-11-01', 0.5)).toThrow(RangeError);
    expect(() => addMonths('9999-12-01', 1)).toThrow(RangeError);
  });

  it('property: next and previous are inverse, and agree with monthsBetween', () => {
    fc.assert(
      fc.property(period, fc.integer({ min: -600, max: 600 }), (p, n) => {
        expect(prevPeriod(nextPeriod(p))).toBe(p);
        const q = addMonths(p, n);
        expect(isPeriod(q)).toBe(true);
        expect(monthsBetween(p, q)).toBe(n);
        expect(addMonths(q, -n)).toBe(p);
        expect(comparePeriods(p, q)).toBe(Math.sign(-n) || 0);
      }),
    );
  });

  it('property: periodEnd + 1 day is the next period; days add up', () => {
    fc.assert(
      fc.property(period, (p) => {
        expect(addDays(periodEnd(p), 1)).toBe(nextPeriod(p));
        expect(daysBetween(p, nextPeriod(p))).toBe(daysInPeriod(p));
        expect(daysInPeriod(p)).toBeGreaterThanOrEqual(28);
        expect(periodOf(periodEnd(p))).toBe(p);
      }),
    );
  });

  it('property: periodsBetween has monthsBetween + 1 consecutive periods', () => {
    fc.assert(
      fc.property(period, fc.integer({ min: 0, max: 120 }), (p, n) => {
        const list = periodsBetween(p, addMonths(p, n));
        expect(list).toHaveLength(n + 1);
        list.slice(1).forEach((q, i) => expect(q).toBe(nextPeriod(list[i])));
      }),
    );
  });
});

describe('the period to bill next', () => {
  const closed = (period: string) => ({ period, status: 'closed' });
  it.each([
    // nothing billed yet: the month that has just ended, also on its first and last day
    { periods: [], today: '2026-12-02', expected: '2026-11-01' },
    { periods: [], today: '2026-12-31', expected: '2026-11-01' },
    { periods: [], today: '2027-01-01', expected: '2026-12-01' },
    // the month after the last closed one, whatever the calendar says
    { periods: [closed('2026-09-01'), closed('2026-10-01')], today: '2026-12-02', expected: '2026-11-01' },
    { periods: [closed('2026-10-01')], today: '2026-10-15', expected: '2026-11-01' },
    // the first period not closed comes first: a calculated month waits for its close
    { periods: [closed('2026-10-01'), { period: '2026-12-01', status: 'open' }, { period: '2026-11-01', status: 'calculated' }], today: '2027-01-05', expected: '2026-11-01' },
  ])('$expected for $today and $periods.length periods', ({ periods, today, expected }) => {
    expect(periodToBill(periods, today)).toBe(expected);
  });
});

describe('formatting periods', () => {
  it.each([
    ['2026-11-01', 'листопад 2026'],
    ['2026-01-01', 'січень 2026'],
    ['2026-02-01', 'лютий 2026'],
    ['2025-12-01', 'грудень 2025'],
    ['2026-05-01', 'травень 2026'],
  ])('%s → %s', (p, text) => {
    expect(formatPeriodUk(p)).toBe(text);
  });

  it('compact form for bank protocols', () => {
    expect(formatPeriodCompact('2026-11-01')).toBe('202611');
    expect(parsePeriod(formatPeriodCompact('2026-03-01'))).toEqual({ ok: true, value: '2026-03-01' });
  });
});

describe('calendar dates', () => {
  it.each([
    ['2026-11-30', 1, '2026-12-01'],
    ['2026-12-31', 1, '2027-01-01'],
    ['2024-02-28', 1, '2024-02-29'],
    ['2026-02-28', 1, '2026-03-01'],
    ['2026-03-01', -1, '2026-02-28'],
    // Kyiv DST change weekends are still one calendar day each.
    ['2026-03-28', 1, '2026-03-29'],
    ['2026-10-25', 1, '2026-10-26'],
    ['2026-11-20', 0, '2026-11-20'],
    ['2026-01-01', 365, '2027-01-01'],
  ])('addDays(%s, %i) = %s', (d, n, out) => {
    expect(addDays(d, n)).toBe(out);
  });

  it.each([
    ['2026-11-21', true], // Saturday
    ['2026-11-22', true], // Sunday
    ['2026-11-23', false], // Monday
    ['2026-11-20', false], // Friday
    ['2024-08-24', true], // Independence Day 2024 was a Saturday
  ])('isWeekend(%s) = %s', (d, weekend) => {
    expect(isWeekend(d)).toBe(weekend);
  });

  it('ISO day of week', () => {
    expect(isoDayOfWeek('2026-11-23')).toBe(1);
    expect(isoDayOfWeek('2026-11-22')).toBe(7);
  });

  it.each(['2026-02-29', '2026-13-01', '2026-00-10', '2026-04-31', '26-01-01', '2026-1-1', ''])(
    'refuses the date %j',
    (bad) => {
      expect(parseIsoDate(bad).ok).toBe(false);
      expect(isIsoDate(bad)).toBe(false);
      expect(() => addDays(bad, 1)).toThrow(RangeError);
    },
  );

  it('periodOf a date string', () => {
    expect(periodOf('2026-11-26')).toBe('2026-11-01');
    expect(periodOf('2026-12-31')).toBe('2026-12-01');
    expect(() => periodOf('2026-02-30')).toThrow(RangeError);
  });

  it('property: addDays is invertible, consistent with daysBetween, and weekends repeat weekly', () => {
    fc.assert(
      fc.property(isoDate, fc.integer({ min: -5000, max: 5000 }), (d, n) => {
        const e = addDays(d, n);
        expect(isIsoDate(e)).toBe(true);
        expect(addDays(e, -n)).toBe(d);
        expect(daysBetween(d, e)).toBe(n);
        expect(isWeekend(addDays(d, 7))).toBe(isWeekend(d));
      }),
    );
  });
});

describe('Kyiv time', () => {
  // Kyiv is UTC+2 in winter and UTC+3 in summer (if DST is kept): instants below are chosen
  // so that the expected date is the same under either offset.
  it.each([
    [Date.UTC(2026, 10, 26, 12, 0), '2026-11-26'],
    [Date.UTC(2026, 9, 31, 20, 30), '2026-10-31'], // 22:30 or 23:30 Kyiv
    [Date.UTC(2026, 9, 31, 22, 30), '2026-11-01'], // 00:30 or 01:30 Kyiv, still 31 Oct in UTC
    [Date.UTC(2026, 5, 30, 20, 30), '2026-06-30'],
    [Date.UTC(2026, 5, 30, 22, 30), '2026-07-01'],
    [Date.UTC(2026, 11, 31, 22, 30), '2027-01-01'], // New Year comes earlier in Kyiv
    [Date.UTC(2024, 1, 28, 23, 0), '2024-02-29'],
  ])('instant %i is %s in Kyiv', (ms, date) => {
    expect(kyivToday(new Date(ms))).toBe(date);
    expect(kyivDateOf(new Date(ms))).toBe(date);
  });

  it('periodOf an instant uses the Kyiv date', () => {
    expect(periodOf(new Date(Date.UTC(2026, 9, 31, 22, 30)))).toBe('2026-11-01');
    expect(periodOf(new Date(Date.UTC(2026, 9, 31, 20, 30)))).toBe('2026-10-01');
  });

  it('gives wall-clock parts (winter offset is +2)', () => {
    expect(kyivDateTimeParts(new Date(Date.UTC(2026, 0, 15, 22, 5, 9)))).toEqual({
      year: 2026,
      month: 1,
      day: 16,
      hour: 0,
      minute: 5,
      second: 9,
    });
  });

  it('defaults to now and refuses an invalid Date', () => {
    expect(isIsoDate(kyivToday())).toBe(true);
    expect(() => kyivToday(new Date(Number.NaN))).toThrow(RangeError);
  });

  it('property: the Kyiv date is the UTC date or the next day', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2100, 0, 1) }), (ms) => {
        const utcDate = new Date(ms).toISOString().slice(0, 10);
        expect([utcDate, addDays(utcDate, 1)]).toContain(kyivToday(new Date(ms)));
      }),
    );
  });
});

describe('independence from the process time zone', () => {
  const original = process.env.TZ;
  afterEach(() => {
    if (original === undefined) delete process.env.TZ;
    else process.env.TZ = original;
  });

  /** Everything that could accidentally use local time, computed from UTC-built inputs. */
  const snapshot = () => {
    const instant = new Date(Date.UTC(2026, 9, 31, 22, 30));
    return {
      next: nextPeriod('2026-12-01'),
      prev: prevPeriod('2026-03-01'),
      end: periodEnd('2026-02-01'),
      days: daysInPeriod('2024-02-01'),
      list: periodsBetween('2026-10-01', '2027-01-01'),
      of: periodOf('2026-03-31'),
      ofInstant: periodOf(instant),
      today: kyivToday(instant),
      plus: addDays('2026-03-28', 2),
      minus: addDays('2026-10-26', -2),
      weekend: isWeekend('2026-03-29'),
      uk: formatPeriodUk('2026-11-01'),
    };
  };

  it.each(['UTC', 'America/Los_Angeles', 'Pacific/Kiritimati', 'Pacific/Pago_Pago', 'Asia/Kolkata', 'Europe/Kyiv'])(
    'gives the same answers with TZ=%s',
    (tz) => {
      const reference = snapshot();
      process.env.TZ = tz;
      // The switch really happened (Node re-reads TZ on assignment), so the test is not vacuous.
      if (tz === 'America/Los_Angeles') expect(new Date(Date.UTC(2026, 0, 1)).getTimezoneOffset()).toBe(480);
      if (tz === 'Pacific/Kiritimati') expect(new Date(Date.UTC(2026, 0, 1)).getTimezoneOffset()).toBe(-840);
      expect(snapshot()).toEqual(reference);
      expect(reference).toMatchObject({
        next: '2027-01-01',
        prev: '2026-02-01',
        end: '2026-02-28',
        days: 29,
        of: '2026-03-01',
        ofInstant: '2026-11-01',
        today: '2026-11-01',
        plus: '2026-03-30',
        minus: '2026-10-24',
        weekend: true,
      });
    },
  );
});
