import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { serviceKey, serviceResolver } from './service-names';

const catalogue = [
  { code: 'cold_water', nameUk: 'Холодне водопостачання', nameEn: 'Cold water' },
  { code: 'electricity', nameUk: 'Електроенергія', nameEn: 'Electricity' },
  { code: 'intercom', nameUk: "Обслуговування під'їзду", nameEn: 'Entrance upkeep' },
];

describe('services by code or by name', () => {
  const resolve = serviceResolver(catalogue);
  it.each([
    ['cold_water', 'cold_water'],
    ['COLD_WATER', 'cold_water'],
    ['cold water', 'cold_water'],
    ['Холодне водопостачання', 'cold_water'],
    ['  холодне   ВОДОПОСТАЧАННЯ ', 'cold_water'],
    ['Cold Water', 'cold_water'],
    ['електроенергія', 'electricity'],
    ["Обслуговування під'їзду", 'intercom'],
    ['Обслуговування під’їзду', 'intercom'],
    ['Обслуговування підʼїзду', 'intercom'],
    ['Обслуговування підїзду', 'intercom'],
  ])('«%s» is %s', (raw, code) => expect(resolve(raw)).toBe(code));

  it.each([['Гаряча вода'], [''], ['cold'], ['вода']])('«%s» names no service', (raw) => expect(resolve(raw)).toBeNull());

  it('a spelling two services share names neither', () => {
    const r = serviceResolver([
      { code: 'water', nameUk: 'Вода', nameEn: 'Water' },
      { code: 'water_2', nameUk: 'Water', nameEn: 'Water supply' },
    ]);
    expect(r('water')).toBeNull();
    expect(r('water_2')).toBe('water_2');
    expect(r('вода')).toBe('water');
  });

  it('the key ignores case and apostrophes, and is idempotent', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), (s) => {
        expect(serviceKey(serviceKey(s))).toBe(serviceKey(s));
        expect(serviceKey(s.toUpperCase())).toBe(serviceKey(s.toLowerCase()));
        expect(serviceKey(s.replace(/'/g, '’'))).toBe(serviceKey(s));
      }),
    );
  });
});
