import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { STREET_TYPE_ABBREVIATIONS, STREET_TYPES } from './dictionaries';
import { formatAddressUk, formatHouse } from './format';
import { houseKey } from './house';
import { translitKey, transliterateUk } from './street-keys';
import { expectParsed, HOUSE_LETTER, parsedOrThrow, STREETS } from './test-support';

// ---------------------------------------------------------------------------------------------
// Houses, apartments, formatting
// ---------------------------------------------------------------------------------------------

describe('formatAddressUk', () => {
  it.each<[Parameters<typeof formatAddressUk>[0], string]>([
    [{ streetType: 'вулиця', streetName: 'Київська', house: { number: 12, letter: 'а' }, apartment: '5' }, 'вул. Київська, буд. 12а, кв. 5'],
    [{ streetType: 'проспект', streetName: 'Коцюбинського', house: '5к2', apartment: '17' }, 'просп. Коцюбинського, буд. 5, корп. 2, кв. 17'],
    [{ streetType: 'провулок', streetName: '1-й Київський', house: '4' }, 'пров. 1-й Київський, буд. 4'],
    [{ streetType: 'шосе', streetName: 'Хмельницьке', house: { number: 7, fraction: '2' } }, 'шосе Хмельницьке, буд. 7/2'],
    [{ streetType: 'бульвар', streetName: 'Марка Вовчка', house: '3' }, 'бульв. Марка Вовчка, буд. 3'],
    [{ streetType: 'площа', streetName: 'Героїв Майдану' }, 'пл. Героїв Майдану'],
    [{ streetName: 'Київська', house: '12' }, 'Київська, буд. 12'],
    [{ streetName: 'Київська', house: 'not a house' }, 'Київська, буд. not a house'],
    [{ streetType: 'вулиця', streetName: 'Київська', house: '12а', apartment: 'п1' }, 'вул. Київська, буд. 12а, прим. 1'],
    [{ streetType: 'вулиця', streetName: 'Київська', house: '12а', apartment: 'п1а' }, 'вул. Київська, буд. 12а, прим. 1а'],
    [{ streetType: 'вулиця', streetName: 'Київська', house: '12а', apartment: 'прим. 2' }, 'вул. Київська, буд. 12а, прим. 2'], // premise.number as stored
    [{ streetType: 'вулиця', streetName: 'Київська', house: '12а', apartment: '05' }, 'вул. Київська, буд. 12а, кв. 05'],
  ])('%j → %s', (address, text) => {
    expect(formatAddressUk(address)).toBe(text);
  });

  it('has an abbreviation for every type, and each parses back to that type', () => {
    for (const t of STREET_TYPES) {
      expect(STREET_TYPE_ABBREVIATIONS[t]).toBeTruthy();
      expect(parsedOrThrow(`${STREET_TYPE_ABBREVIATIONS[t]} Соборна 1`).streetType).toBe(t);
      expect(parsedOrThrow(`${t} Соборна 1`).streetType).toBe(t);
    }
  });

  it('formats house parts', () => {
    expect(formatHouse({ number: 12, letter: 'а', fraction: '2', block: '1' })).toBe('12а/2, корп. 1');
    expect(houseKey({ number: 12, letter: 'а', fraction: '2', block: '1' })).toBe('12а/2к1');
  });
});

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

describe('properties: whole addresses', () => {
  const address = fc.record({
    street: fc.constantFrom(...STREETS),
    house: fc.record(
      { number: fc.integer({ min: 1, max: 500 }), letter: HOUSE_LETTER, block: fc.integer({ min: 1, max: 9 }).map(String) },
      { requiredKeys: ['number'] },
    ),
    apartment: fc.option(fc.integer({ min: 1, max: 400 }).map(String), { nil: undefined }),
  });

  it('formatAddressUk → parseAddress round-trips type, name, house and apartment', () => {
    fc.assert(
      fc.property(address, ({ street: [streetType, streetName], house, apartment }) => {
        const text = formatAddressUk({ streetType, streetName, house, apartment });
        expectParsed(text, {
          streetType,
          streetName,
          streetKey: translitKey(streetName),
          house,
          houseKey: houseKey(house),
          apartment,
        });
      }),
    );
  });

  it('the street key survives every common way of writing the same address', () => {
    fc.assert(
      fc.property(address, fc.nat(5), ({ street: [streetType, streetName], house, apartment }, style) => {
        const h = houseKey({ ...house, block: undefined });
        const apt = apartment ? `, кв. ${apartment}` : '';
        const abbr = STREET_TYPE_ABBREVIATIONS[streetType];
        const variants = [
          `${abbr} ${streetName}, буд. ${h}${apt}`,
          `${streetType} ${streetName} ${h}${apt}`,
          `${streetName} ${streetType}, ${h}${apt}`,
          `${abbr.endsWith('.') ? abbr : `${abbr} `}${streetName.toUpperCase()},${h}${apt}`, // «вул.КИЇВСЬКА,12»
          `м. Вінниця, ${abbr} ${streetName.replace(/'/g, '’')}, ${h}${apt}`,
          `${transliterateUk(streetName)} ${h}${apt}`,
        ];
        const v = parsedOrThrow(variants[style]);
        expect(v.streetKey).toBe(translitKey(streetName));
        expect(v.houseKey).toBe(h);
        expect(v.apartment).toBe(apartment);
      }),
    );
  });
});
