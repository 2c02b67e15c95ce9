import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sql } from 'kysely';
import type { DatabaseHandle } from '../../src/db/index';
import { formatAddressUk, houseKey, STREET_TYPES, type House, type StreetType } from '../../src/registry/address';
import { displayAddress } from '../../src/registry/service';
import { createTestDatabase } from '../helpers/db';

/** The SQL function premise_address must print what formatAddressUk prints, byte for byte. */

let h: DatabaseHandle;
beforeAll(async () => {
  h = await createTestDatabase();
});
afterAll(async () => {
  await h?.close();
});

interface Row {
  streetType: string | null;
  streetName: string;
  houseKey: string | null;
  apartmentKey: string | null;
}

/** premise_address over many rows in one statement, in order. */
async function printedBySql(rows: Row[]): Promise<string[]> {
  const r = await sql<{ address: string }>`
    select premise_address(t.street_type, t.street_name, t.house_key, t.apartment_key) as address
      from unnest(${rows.map((x) => x.streetType)}::text[], ${rows.map((x) => x.streetName)}::text[],
                  ${rows.map((x) => x.houseKey)}::text[], ${rows.map((x) => x.apartmentKey)}::text[])
           with ordinality as t(street_type, street_name, house_key, apartment_key, n)
     order by t.n`.execute(h.db);
  return r.rows.map((x) => x.address);
}

const printedByTs = (x: Row) =>
  formatAddressUk({
    streetType: (x.streetType ?? undefined) as StreetType | undefined,
    streetName: x.streetName,
    house: x.houseKey ?? undefined,
    apartment: x.apartmentKey ?? undefined,
  });

const LETTERS = [...'абвгґдеєжзиіїйклмнопрстуфхцчшщьюя'];
const letter = fc.option(fc.constantFrom(...LETTERS), { nil: undefined });
const numberWithLetter = fc.tuple(fc.integer({ min: 1, max: 999 }), letter).map(([n, l]) => `${n}${l ?? ''}`);
const house: fc.Arbitrary<House> = fc.record(
  {
    number: fc.integer({ min: 1, max: 999 }),
    letter: fc.constantFrom(...LETTERS),
    fraction: numberWithLetter,
    block: numberWithLetter,
  },
  { requiredKeys: ['number'] },
);
/** Apartment keys as normaliseApartment makes them: '5', '5а', '5/1', 'п1', 'п1а', 'п1/2'. */
const apartmentKey = fc
  .tuple(fc.boolean(), numberWithLetter, fc.option(numberWithLetter, { nil: undefined }))
  .map(([premise, n, room]) => `${premise ? 'п' : ''}${n}${room ? `/${room}` : ''}`);
const streetName = fc.constantFrom('Київська', "Лук'яненка", 'В. Винниченка', '1-й Київський', 'Героїв Майдану', 'Шосейна', 'Набережна');

describe('premise_address (SQL) prints exactly what formatAddressUk prints', () => {
  it('a table: every street type, letters, fractions, blocks, flats, premises, missing parts', async () => {
    const rows: Row[] = [
      ...STREET_TYPES.map((t, i) => ({ streetType: t, streetName: 'Київська', houseKey: `${i + 1}`, apartmentKey: `${i + 5}` })),
      { streetType: 'вулиця', streetName: 'Київська', houseKey: '12а', apartmentKey: '5' },
      { streetType: 'вулиця', streetName: 'Київська', houseKey: '12а', apartmentKey: 'п1' },
      { streetType: 'вулиця', streetName: 'Київська', houseKey: '12а', apartmentKey: 'п1а' },
      { streetType: 'вулиця', streetName: 'Київська', houseKey: '12а', apartmentKey: 'п1/2' },
      { streetType: 'вулиця', streetName: 'Київська', houseKey: '12', apartmentKey: '5/1' },
      { streetType: 'проспект', streetName: 'Коцюбинського', houseKey: '5к2', apartmentKey: '17' },
      { streetType: 'провулок', streetName: 'Київський', houseKey: '12а/2к1', apartmentKey: '' },
      { streetType: 'бульвар', streetName: 'Шевченка', houseKey: '12/2а', apartmentKey: null },
      { streetType: 'площа', streetName: 'Соборна', houseKey: '12кк1', apartmentKey: '1' }, // letter к, block 1
      { streetType: 'набережна', streetName: 'Дніпровська', houseKey: '7к', apartmentKey: '3' }, // letter к, no block
      { streetType: 'тупик', streetName: 'Тихий', houseKey: '3/4к10б', apartmentKey: 'п12' },
      { streetType: null, streetName: 'Київська', houseKey: '12', apartmentKey: '5' },
      { streetType: 'вулиця', streetName: 'Київська', houseKey: null, apartmentKey: null },
    ];
    const expected = rows.map(printedByTs);
    expect(expected).toContain('просп. Коцюбинського, буд. 5, корп. 2, кв. 17');
    expect(expected).toContain('вул. Київська, буд. 12а, прим. 1');
    expect(expected).toContain('пров. Київський, буд. 12а/2, корп. 1');
    expect(await printedBySql(rows)).toEqual(expected);
  });

  it('generated addresses: house keys from houseKey, apartment keys as normaliseApartment gives them', async () => {
    const row = fc.record({
      streetType: fc.option(fc.constantFrom(...STREET_TYPES), { nil: null }),
      streetName,
      house: fc.option(house, { nil: null }),
      apartmentKey: fc.option(apartmentKey, { nil: null }),
    });
    const samples = fc.sample(row, { numRuns: 3000, seed: 20261126 });
    const rows: Row[] = samples.map((s) => ({ streetType: s.streetType, streetName: s.streetName, houseKey: s.house ? houseKey(s.house) : null, apartmentKey: s.apartmentKey }));
    const bySql = await printedBySql(rows);
    rows.forEach((r, i) => {
      // The house printed from its key is the house printed from its parts.
      const fromParts = formatAddressUk({ streetType: (r.streetType ?? undefined) as StreetType | undefined, streetName: r.streetName, house: samples[i].house ?? undefined, apartment: r.apartmentKey ?? undefined });
      expect({ row: r, text: bySql[i] }).toEqual({ row: r, text: printedByTs(r) });
      expect(fromParts).toBe(printedByTs(r));
    });
  });

  it('a street type the registry does not know is printed as stored, as displayAddress prints it', async () => {
    const rows: Row[] = [{ streetType: 'алея', streetName: 'Липова', houseKey: '3', apartmentKey: '4' }];
    const expected = displayAddress({ streetType: 'алея', streetName: 'Липова', house: { number: 3, letter: null, fraction: null, block: null }, apartment: '4' });
    expect(expected).toBe('алея Липова, буд. 3, кв. 4');
    expect(await printedBySql(rows)).toEqual([expected]);
  });
});
