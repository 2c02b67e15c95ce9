import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { House, ParseAddressOptions } from './dictionaries';
import { formatAddressUk, formatHouse } from './format';
import { houseKey } from './house';
import { normaliseApartment, normaliseHouse, parseHouse } from './parse';
import { expectParsed, HOUSE_LETTER, parsedOrThrow, STREETS, type Expected } from './test-support';

// ---------------------------------------------------------------------------------------------
// Messy variants
// ---------------------------------------------------------------------------------------------

describe('parseAddress: the «12/5» rule', () => {
  it.each<[string, ParseAddressOptions | undefined, Expected]>([
    ['Київська 12/5', undefined, { houseKey: '12/5', apartment: undefined }],
    ['Київська 12 / 5', undefined, { houseKey: '12/5', apartment: undefined }],
    ['Київська 12-5', undefined, { houseKey: '12/5', apartment: undefined }],
    ['Київська 12/5', { slashMeansApartment: true }, { houseKey: '12', apartment: '5' }],
    ['Київська 12/5а', { slashMeansApartment: true }, { houseKey: '12', apartment: '5а' }],
    ['Київська 12а/5', { slashMeansApartment: true }, { houseKey: '12а', apartment: '5' }],
    // An explicit apartment or a block wins: the slash is a fraction.
    ['Київська 12/5 кв 3', undefined, { houseKey: '12/5', apartment: '3' }],
    ['Київська 12/5 кв 3', { slashMeansApartment: true }, { houseKey: '12/5', apartment: '3' }],
    ['Київська 12/5, 3', { slashMeansApartment: true }, { houseKey: '12/5', apartment: '3' }],
    ['Київська 12/5 корп. 2', { slashMeansApartment: true }, { houseKey: '12/5к2', apartment: undefined }],
    // A number after a comma or a space is an apartment.
    ['Київська 12, 5', undefined, { houseKey: '12', apartment: '5' }],
    ['Київська 12 5', undefined, { houseKey: '12', apartment: '5' }],
    ['Київська 12а, 5', undefined, { houseKey: '12а', apartment: '5' }],
  ])('%j %j', (text, opts, expected) => {
    expectParsed(text, expected, opts);
  });
});

describe('parseAddress: non-residential premises (apartment key п + number)', () => {
  it.each([
    ['вул. Київська, буд. 12а, кв. п1', '12а', 'п1'], // older exports print the key after «кв.»
    ['вул. Київська, буд. 12а, кв. п1а', '12а', 'п1а'],
    ['Київська 12а кв п1', '12а', 'п1'],
    ['ВУЛ. КИЇВСЬКА, 12а, КВ.п1', '12а', 'п1'],
    ['Київська вул, 12а, кв. П1', '12а', 'п1'],
    ['вул. Київська, буд. 12а, прим. 1', '12а', 'п1'],
    ['київська 12а прим. 1', '12а', 'п1'],
    ['Київська 12а, приміщ. 1', '12а', 'п1'],
    ['Київська 12а, приміщення 1', '12а', 'п1'],
    ['Київська 12а, нежитл. прим. 1', '12а', 'п1'],
    ['Київська 12а, нежитлове приміщення 1', '12а', 'п1'],
    ['Київська, 12а, нежитлове приміщення 1', '12а', 'п1'],
    ['Київська 12а, н/п 1', '12а', 'п1'],
    ['Київська 12 н/п 1', '12', 'п1'], // not house «12н»
    ['Київська 12 п1', '12', 'п1'], // not house «12п»
    ['Київська 12а, Н/П 2', '12а', 'п2'],
    ['Київська 12а, оф. 3', '12а', 'п3'],
    ['Київська 12а, офіс 3', '12а', 'п3'],
    ['Kyivska 12a, office 3', '12а', 'п3'],
    ['ул. Киевская, д. 12а, пом. 4', '12а', 'п4'],
    ['Київська 12а, прим. № 05', '12а', 'п5'],
    ['Київська 12а, кв. прим. 1', '12а', 'п1'], // «кв.» before a premise number, as old bills print it
    ['Київська 12а, прим. 1-Б', '12а', 'п1б'],
    ['Київська 12а, прим. 1/2', '12а', 'п1/2'],
    ['Київська 12а корп. 2 прим. 1', '12ак2', 'п1'],
    ['Київська 12 п, кв. 1', '12п', '1'], // a letter п followed by a flat stays a house letter
    ['Київська 12а, кв. 1', '12а', '1'],
  ])('%j → house %j, apartment %j', (text, house, apartment) => {
    expectParsed(text, { houseKey: house, apartment });
  });
});

// ---------------------------------------------------------------------------------------------
// Houses, apartments, formatting
// ---------------------------------------------------------------------------------------------

describe('normaliseHouse / parseHouse', () => {
  it.each([
    ['7а', '7а'],
    ['7-А', '7а'],
    ['7 А', '7а'],
    ['7А', '7а'],
    ['7A', '7а'], // Latin A
    ['7-a', '7а'],
    ['буд. 7а', '7а'],
    ['б. 7а', '7а'],
    ['д. 7', '7'],
    ['будинок 7', '7'],
    ['№ 7', '7'],
    ['12/2', '12/2'],
    ['12 / 2', '12/2'],
    ['12-2', '12/2'],
    ['12/2а', '12/2а'],
    ['12а/2', '12а/2'],
    ['12 корп. 2', '12к2'],
    ['12, корп. 2', '12к2'],
    ['12 к.2', '12к2'],
    ['12к2', '12к2'],
    ['12 корпус 2', '12к2'],
    ['12а/2 корп 1', '12а/2к1'],
    ['12к', '12к'],
    ['12кк1', '12кк1'],
    ['012', '12'],
    ['12B', '12в'], // no street to tell the script: a look-alike
  ])('%j → %j', (text, key) => {
    expect(normaliseHouse(text)).toBe(key);
  });

  it.each(['', 'кв. 5', '12 кв 5', '12, 5', 'а', '0', 'буд.', 'Київська 12', '12 Вінниця'])('%j is not a house', (text) => {
    expect(normaliseHouse(text)).toBeUndefined();
    expect(parseHouse(text).ok).toBe(false);
  });

  it('parses into parts', () => {
    expect(parseHouse('буд. 12-А/3, корп. 2')).toEqual({
      ok: true,
      value: { number: 12, letter: 'а', fraction: '3', block: '2' },
    });
  });

  it('never gives «12» and «12а» the same key', () => {
    expect(normaliseHouse('12')).not.toBe(normaliseHouse('12а'));
    expect(normaliseHouse('12')).not.toBe(normaliseHouse('12/1'));
    expect(normaliseHouse('12')).not.toBe(normaliseHouse('12 корп. 1'));
    expect(normaliseHouse('1/2')).not.toBe(normaliseHouse('12'));
  });
});

describe('normaliseApartment', () => {
  it.each([
    ['5', '5'],
    ['кв. 5', '5'],
    ['кв5', '5'],
    ['квартира 5', '5'],
    ['кв. 05', '5'],
    ['5-А', '5а'],
    ['5а', '5а'],
    ['кв. № 12', '12'],
    ['kv. 7', '7'],
    ['apt 7', '7'],
    ['5/1', '5/1'],
    // Non-residential premises: the key is п + number, never the flat's plain number. An office
    // is a non-residential premise too (the same premise is «прим. 3» in one file, «оф. 3» in another).
    ['оф. 3', 'п3'],
    ['офіс 3', 'п3'],
    ['office 3', 'п3'],
    ['прим. 1', 'п1'],
    ['прим.1', 'п1'],
    ['приміщ. 1', 'п1'],
    ['приміщення 1', 'п1'],
    ['нежитл. прим. 1', 'п1'],
    ['нежитлове приміщення 1', 'п1'],
    ['Нежитлове приміщення № 12', 'п12'],
    ['н/п 1', 'п1'],
    ['кв. п1', 'п1'],
    ['кв.п1а', 'п1а'],
    ['п1', 'п1'],
    ['П1А', 'п1а'],
    ['прим. 01', 'п1'],
    ['прим. 1 а', 'п1а'],
  ])('%j → %j', (text, apt) => {
    expect(normaliseApartment(text)).toBe(apt);
  });

  it.each(['', 'кв.', 'five', '0', '5 6', 'кв 5 кв 6', 'прим.', 'прим. 0', 'п0', 'п', 'п 1', 'п. 1', 'н/п', 'нежитлове 1', 'прим. 1 прим. 2'])(
    '%j is not an apartment',
    (text) => {
      expect(normaliseApartment(text)).toBeUndefined();
    },
  );
});

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

describe('properties: houses', () => {
  it('«N» and «N + letter» never share a key, however they are written', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9999 }), HOUSE_LETTER, fc.constantFrom('', '-', ' '), (n, letter, sep) => {
        const plain = normaliseHouse(`${n}`);
        const lettered = normaliseHouse(`${n}${sep}${letter.toUpperCase()}`);
        expect(plain).toBe(String(n));
        expect(lettered).toBe(`${n}${letter}`);
        expect(plain).not.toBe(lettered);
        expect(parsedOrThrow(`Київська ${n}`).houseKey).not.toBe(parsedOrThrow(`Київська ${n}${sep}${letter}`).houseKey);
      }),
    );
  });

  const house: fc.Arbitrary<House> = fc.record(
    {
      number: fc.integer({ min: 1, max: 9999 }),
      letter: HOUSE_LETTER,
      fraction: fc.tuple(fc.integer({ min: 1, max: 99 }), fc.option(HOUSE_LETTER, { nil: undefined })).map(
        ([n, l]) => `${n}${l ?? ''}`,
      ),
      block: fc.integer({ min: 1, max: 20 }).map(String),
    },
    { requiredKeys: ['number'] },
  );

  it('houseKey → normaliseHouse is the identity, and parseHouse recovers the parts', () => {
    fc.assert(
      fc.property(house, (h) => {
        const key = houseKey(h);
        expect(normaliseHouse(key)).toBe(key);
        expect(parseHouse(key)).toEqual({ ok: true, value: h });
        expect(parseHouse(formatHouse(h))).toEqual({ ok: true, value: h });
      }),
    );
  });

  it('the «12/5» rule: a fraction by default, an apartment only when asked', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 999 }), fc.integer({ min: 1, max: 999 }), (n, m) => {
        expect(parsedOrThrow(`Соборна ${n}/${m}`)).toMatchObject({ houseKey: `${n}/${m}` });
        expect(parsedOrThrow(`Соборна ${n}/${m}`).apartment).toBeUndefined();
        expect(parsedOrThrow(`Соборна ${n}/${m}`, { slashMeansApartment: true })).toMatchObject({
          houseKey: `${n}`,
          apartment: `${m}`,
        });
        expect(parsedOrThrow(`Соборна ${n}/${m}, кв. 1`, { slashMeansApartment: true })).toMatchObject({
          houseKey: `${n}/${m}`,
          apartment: '1',
        });
      }),
    );
  });
});

describe('properties: apartments and non-residential premises', () => {
  const RESIDENTIAL = ['N', 'кв. N', 'кв.N', 'квартира N', 'кв. № N', 'КВ N'];
  const NON_RESIDENTIAL = [
    'прим. N',
    'приміщ. N',
    'приміщення N',
    'нежитл. прим. N',
    'нежитлове приміщення N',
    'н/п N',
    'оф. N',
    'офіс N',
    'кв. пN',
    'пN',
  ];
  const number = fc.tuple(fc.integer({ min: 1, max: 999 }), fc.option(HOUSE_LETTER, { nil: undefined }));

  it('a flat and a non-residential premise of the same number never share a key', () => {
    fc.assert(
      fc.property(number, fc.constantFrom(...RESIDENTIAL), fc.constantFrom(...NON_RESIDENTIAL), ([n, letter], flat, premise) => {
        const written = `${n}${letter ?? ''}`;
        const flatKey = normaliseApartment(flat.replace('N', written));
        const premiseKey = normaliseApartment(premise.replace('N', written));
        expect(flatKey).toBe(written);
        expect(premiseKey).toBe(`п${written}`);
        expect(flatKey).not.toBe(premiseKey);
        // The same through a whole address, as search and onboarding read it.
        const a = parsedOrThrow(`вул. Київська, буд. 12а, ${flat.replace('N', written)}`);
        const b = parsedOrThrow(`вул. Київська, буд. 12а, ${premise.replace('N', written)}`);
        expect([a.houseKey, b.houseKey]).toEqual(['12а', '12а']);
        expect(a.apartment).toBe(flatKey);
        expect(b.apartment).toBe(premiseKey);
      }),
    );
  });

  it('a key normalises to itself, and formatAddressUk prints what parses back to it', () => {
    fc.assert(
      fc.property(number, fc.boolean(), fc.constantFrom(...STREETS), ([n, letter], nonResidential, [streetType, streetName]) => {
        const key = `${nonResidential ? 'п' : ''}${n}${letter ?? ''}`;
        expect(normaliseApartment(key)).toBe(key);
        const text = formatAddressUk({ streetType, streetName, house: '7', apartment: key });
        expect(text.endsWith(nonResidential ? `, прим. ${n}${letter ?? ''}` : `, кв. ${key}`)).toBe(true);
        expect(parsedOrThrow(text).apartment).toBe(key);
      }),
    );
  });
});
