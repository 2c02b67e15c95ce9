import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addressText, normaliseDecimal, parseDate, parsePeriodText, planColumns, profileSettingsSchema, readRow, suggestColumns } from './profile';

const settings = (extra: Record<string, unknown> = {}) => profileSettingsSchema.parse({ kind: 'accounts', ...extra });

describe('numbers as providers write them', () => {
  it.each([
    ['1 234,50', ',', '1234.50'],
    ['1\u00a0234,5', ',', '1234.5'],
    ['1.234,50', ',', '1234.50'],
    ["1'234,50", ',', '1234.50'],
    ['-0,75', ',', '-0.75'],
    ['−12', ',', '-12'],
    ['1,234.50', '.', '1234.50'],
    ['007', ',', '7'],
    ['12,3,4', ',', null],
    ['abc', ',', null],
    ['', ',', null],
  ] as const)('%s with «%s» → %s', (text, sep, expected) => {
    expect(normaliseDecimal(text, sep)).toBe(expected);
  });

  it('reads money into kopecks, in hryvnias or in kopecks', () => {
    const plan = planColumns(settings({ columns: { account: 'a', address: 'b', opening_balance: 'c' }, defaultService: 'water' }), ['a', 'b', 'c']);
    expect(readRow(plan, settings(), ['1', 'x', '1 234,56']).record.opening_balance).toBe(123456);
    expect(readRow(plan, settings(), ['1', 'x', '-0,5']).record.opening_balance).toBe(-50);
    expect(readRow(plan, settings({ amountsIn: 'kopecks' }), ['1', 'x', '123456']).record.opening_balance).toBe(123456);
    const bad = readRow(plan, settings(), ['1', 'x', '12,345']);
    expect(bad.errors).toEqual([expect.objectContaining({ column: 'c', field: 'opening_balance', value: '12,345', en: expect.stringContaining('two digits') })]);
  });

  it('property: any amount written Ukrainian-style reads back to the same kopecks', () => {
    const plan = planColumns(settings({ columns: { account: 'a', address: 'b', opening_balance: 'c' }, defaultService: 'water' }), ['a', 'b', 'c']);
    fc.assert(
      fc.property(fc.integer({ min: -10_000_000_00, max: 10_000_000_00 }), (kopecks) => {
        const abs = Math.abs(kopecks);
        const whole = String(Math.floor(abs / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
        const text = `${kopecks < 0 ? '-' : ''}${whole},${String(abs % 100).padStart(2, '0')}`;
        expect(readRow(plan, settings(), ['1', 'x', text]).record.opening_balance).toBe(kopecks);
      }),
    );
  });
});

describe('dates and periods', () => {
  it.each([
    ['05.11.2026', 'DD.MM.YYYY', '2026-11-05'],
    ['5.1.2026', 'DD.MM.YYYY', '2026-01-05'],
    ['2026-11-05', 'DD.MM.YYYY', '2026-11-05'],
    ['31.02.2026', 'DD.MM.YYYY', null],
    ['05/11/2026', 'DD/MM/YYYY', '2026-11-05'],
    ['20261105', 'YYYYMMDD', '2026-11-05'],
    ['29.02.2028', 'DD.MM.YYYY', '2028-02-29'],
  ] as const)('%s (%s) → %s', (text, format, expected) => {
    expect(parseDate(text, format)).toBe(expected);
  });
  it.each([
    ['10.2026', 'MM.YYYY', '2026-10-01'],
    ['01.10.2026', 'MM.YYYY', '2026-10-01'],
    ['2026-10', 'MM.YYYY', '2026-10-01'],
    ['202610', 'YYYYMM', '2026-10-01'],
    ['13.2026', 'MM.YYYY', null],
  ] as const)('period %s (%s) → %s', (text, format, expected) => {
    expect(parsePeriodText(text, format)).toBe(expected);
  });
});

describe('columns', () => {
  it('suggests a mapping from real-world titles', () => {
    expect(suggestColumns('accounts', ['OWN_NUM', 'SUR_NAM', 'Адреса', 'САЛЬДО', 'Послуга'])).toEqual({
      account: 'OWN_NUM',
      address: 'Адреса',
      payer: 'SUR_NAM',
      service: 'Послуга',
      opening_balance: 'САЛЬДО',
    });
  });
  it('names the missing required columns', () => {
    const plan = planColumns(profileSettingsSchema.parse({ kind: 'charges', columns: { account: 'ls' } }), ['ls', 'x']);
    expect(plan.missing.map((m) => m.field)).toEqual(['period', 'amount', 'service']);
    const address = planColumns(profileSettingsSchema.parse({ kind: 'accounts', columns: { account: 'ls', street: 'ul' }, defaultService: 'water' }), ['ls', 'ul']);
    expect(address.missing.map((m) => m.field)).toEqual(['address']);
  });
  it('reports an empty required cell by column and field', () => {
    const s = profileSettingsSchema.parse({ kind: 'accounts', columns: { account: 'ls', address: 'adr' }, defaultService: 'water' });
    const { errors } = readRow(planColumns(s, ['ls', 'adr']), s, ['', 'вул. Соборна 1']);
    expect(errors).toEqual([{ column: 'ls', field: 'account', value: '', uk: 'не заповнено поле «Особовий рахунок»', en: 'Account number is empty' }]);
  });
});

describe('a date cell', () => {
  const s = profileSettingsSchema.parse({ kind: 'accounts', columns: { account: 'ls', address: 'adr', opened_on: 'd' }, defaultService: 'water' });
  const plan = planColumns(s, ['ls', 'adr', 'd']);
  it.each([
    ['31.02.2026', 'дати 31.02.2026 не існує'],
    ['29.02.2026', 'дати 29.02.2026 не існує'],
    ['2026-04-31', 'дати 2026-04-31 не існує'],
    ['2026/04/01', 'очікується дата у форматі DD.MM.YYYY'],
    ['вчора', 'очікується дата у форматі DD.MM.YYYY'],
  ])('%s: %s', (text, uk) => {
    const { errors } = readRow(plan, s, ['1', 'вул. Соборна 1', text]);
    expect(errors.map((e) => e.uk)).toEqual([expect.stringContaining(uk)]);
  });
  it('a real date is read', () => {
    expect(readRow(plan, s, ['1', 'вул. Соборна 1', '28.02.2026']).record.opened_on).toBe('2026-02-28');
  });
});

describe('addressText', () => {
  it.each([
    [{ street_type: 'вулиця', street: 'Зодчих', house: '3', apartment: '5' }, 'вулиця Зодчих, буд. 3, кв. 5'],
    // A premise column holding «прим. 1» or its key is printed as the premise, never «кв. прим. 1».
    [{ street_type: 'вулиця', street: 'Зодчих', house: '3', apartment: 'прим. 1' }, 'вулиця Зодчих, буд. 3, прим. 1'],
    [{ street_type: 'вулиця', street: 'Зодчих', house: '3', apartment: 'п2а' }, 'вулиця Зодчих, буд. 3, прим. 2а'],
    [{ street: 'Зодчих', house: '3' }, 'Зодчих, буд. 3'],
    [{ address: 'Зодчих 3, кв. 1', street: 'Інша' }, 'Зодчих 3, кв. 1'],
  ])('%j → %s', (record, text) => {
    expect(addressText(record)).toBe(text);
  });
});
