import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  formatAddressUk,
  formatHouse,
  houseKey,
  normaliseApartment,
  normaliseHouse,
  normaliseStreetName,
  parseAddress,
  parseHouse,
  STREET_TYPE_ABBREVIATIONS,
  STREET_TYPES,
  streetSearchKeys,
  translitKey,
  transliterateUk,
  type House,
  type ParsedAddress,
  type ParseAddressOptions,
  type StreetType,
} from './address';

type Expected = Partial<Record<keyof ParsedAddress, unknown>>;

/** Parses and compares the listed fields exactly (a listed `undefined` must be absent). */
function expectParsed(text: string, expected: Expected, opts?: ParseAddressOptions) {
  const r = parseAddress(text, opts);
  if (!r.ok) throw new Error(`${JSON.stringify(text)} was refused: ${r.reason.en}`);
  for (const [field, value] of Object.entries(expected)) {
    expect(r.value[field as keyof ParsedAddress], `${field} of ${JSON.stringify(text)}`).toEqual(value);
  }
  return r.value;
}

function parsedOrThrow(text: string, opts?: ParseAddressOptions): ParsedAddress {
  const r = parseAddress(text, opts);
  if (!r.ok) throw new Error(`${JSON.stringify(text)} was refused: ${r.reason.en}`);
  return r.value;
}

/** A slice of the real Vinnytsia street list (type, name), with the awkward ones on purpose. */
const STREETS: [StreetType, string][] = [
  ['вулиця', 'Київська'],
  ['провулок', '1-й Київський'],
  ['провулок', '2-й Київський'],
  ['вулиця', 'Кибальчича'],
  ['провулок', '1-й Кибальчича'],
  ['вулиця', "Левка Лук'яненка"],
  ['вулиця', "Б. Лук'яновського"],
  ['вулиця', "В'ячеслава Бронського"],
  ['вулиця', "Генерала Дерев'янка"],
  ['вулиця', "П'ятничанська"],
  ['провулок', "Кам'янецький"],
  ['вулиця', 'В. Винниченка'],
  ['вулиця', 'Я. Мудрого'],
  ['вулиця', 'Б. Хмельницького'],
  ['шосе', 'Хмельницьке'],
  ['провулок', '1-й Хмельницьке шосе'],
  ['провулок', '3-й Гніванське шосе'],
  ['шосе', 'Немирівське'],
  ['вулиця', '20 Березня'],
  ['вулиця', '28 Червня'],
  ['вулиця', '600-річчя'],
  ['вулиця', 'Соборна'],
  ['вулиця', 'Замостянська'],
  ['вулиця', 'Келецька'],
  ['вулиця', 'Пирогова'],
  ['проспект', 'Коцюбинського'],
  ['проспект', 'Космонавтів'],
  ['проспект', 'Юності'],
  ['бульвар', 'Марка Вовчка'],
  ['бульвар', 'Свободи'],
  ['площа', 'Героїв Майдану'],
  ['площа', 'Тараса Шевченка'],
  ['площа', 'Європейська'],
  ['масив', 'Фермерський'],
  ['тупик', '7-й Аграрний'],
  ['тупик', 'Абрикосовий'],
  ['вулиця', 'Івана-Павла ІІ'],
  ['вулиця', 'Гулака-Артемовського'],
  ['вулиця', 'Марії Литвиненко-Вольгемут'],
  ['вулиця', 'Героїв поліції'],
  ['вулиця', 'Князів Коріатовичів'],
  ['вулиця', 'Академіка Янгеля'],
  ['вулиця', 'Олексія Зінов\'єва'],
  ['вулиця', 'Шолом-Алейхема'],
  ['вулиця', 'Митрополита Петра Могили'],
];

// ---------------------------------------------------------------------------------------------
// Messy variants
// ---------------------------------------------------------------------------------------------

describe('parseAddress: one street, many spellings («Київська» → kyivska)', () => {
  const base = { streetName: 'Київська', streetKey: 'kyivska', streetKeys: ['київська', 'kyivska'] };
  it.each<[string, Expected]>([
    ['вул. Київська, буд. 12а, кв. 5', { streetType: 'вулиця', houseKey: '12а', apartment: '5' }],
    ['вул. Київська, 12-А, кв. 5', { streetType: 'вулиця', houseKey: '12а', apartment: '5' }],
    ['вулиця Київська 12 А кв 5', { streetType: 'вулиця', houseKey: '12а', apartment: '5' }],
    ['вул.Київська,12-а,кв.5', { streetType: 'вулиця', houseKey: '12а', apartment: '5' }],
    ['Київська вул., 12А, кв.5', { streetType: 'вулиця', houseKey: '12а', apartment: '5' }],
    ['Київська 12а кв5', { streetType: undefined, houseKey: '12а', apartment: '5' }],
    ['Київська12а', { houseKey: '12а', apartment: undefined }],
    ['  київська    12   а  ', { houseKey: '12а' }],
    ['КИЇВСЬКА 12А', { houseKey: '12а' }],
    ['Kиївська 12', { houseKey: '12' }], // Latin K
    ['Кuївська 12'.replace('u', 'и'), { houseKey: '12' }],
    ['Київcька 12', { houseKey: '12' }], // Latin c
    ['ул. Київська, д. 12, кв. 5', { streetType: 'вулиця', houseKey: '12', apartment: '5' }],
    ['Київська, будинок 12, квартира 5', { houseKey: '12', apartment: '5' }],
    ['Київська буд.12 кв.5', { houseKey: '12', apartment: '5' }],
    ['Київська б. 12', { houseKey: '12', apartment: undefined }],
    ['Київська д12 кв5', { houseKey: '12', apartment: '5' }],
    ['Київська №12', { houseKey: '12' }],
    ['Київська, буд. № 12, кв. № 7', { houseKey: '12', apartment: '7' }],
    ['Київська, 012, кв. 007', { houseKey: '12', apartment: '7' }],
    ['Київська 12, корп. 2, кв. 5', { houseKey: '12к2', apartment: '5' }],
    ['Київська 12 к.2 кв.5', { houseKey: '12к2', apartment: '5' }],
    ['Київська 12 корпус 2', { houseKey: '12к2', apartment: undefined }],
    ['Київська 12к2', { houseKey: '12к2' }],
    ['Київська 12а/2 корп 1 кв 3', { houseKey: '12а/2к1', apartment: '3' }],
    ['Київська 12 к', { houseKey: '12к' }], // a letter к when no number follows
    ['Київська 12, кв. 5/1', { houseKey: '12', apartment: '5/1' }],
    ['Київська 12, кв. 5-А', { houseKey: '12', apartment: '5а' }],
    ['Київська', { houseKey: undefined, house: undefined }],
    ['Київська 12,', { houseKey: '12' }],
    ['«Київська», 12', { houseKey: '12' }],
    ['Киïвська 12', { houseKey: '12' }], // Latin ï (U+00EF) in place of ї
    ['Киі\u0308вська 12', { houseKey: '12' }], // ї as і + combining diaeresis (NFD)
  ])('%j', (text, expected) => {
    expectParsed(text, { ...base, ...expected });
  });
});

describe('parseAddress: apostrophes', () => {
  it.each(["Лук'яненка", 'Лук’яненка', 'Лукʼяненка', 'Лук`яненка', 'Лук‘яненка', 'Лук´яненка'])('%j', (spelling) => {
    expectParsed(`вул. Левка ${spelling}, 5`, {
      streetType: 'вулиця',
      streetName: "Левка Лук'яненка",
      streetKey: 'levka lukianenka',
      houseKey: '5',
    });
    expect(normaliseStreetName(`Левка ${spelling}`)).toBe("левка лук'яненка");
  });
});

describe('parseAddress: the street type before, after or missing', () => {
  it.each<[string, Expected]>([
    ['Хмельницьке шосе 12', { streetType: 'шосе', streetName: 'Хмельницьке', houseKey: '12' }],
    ['шосе Хмельницьке, 12', { streetType: 'шосе', streetName: 'Хмельницьке', houseKey: '12' }],
    ['Хмельницьке ш. 12', { streetType: 'шосе', streetName: 'Хмельницьке' }],
    ['Хмельницьке 12', { streetType: undefined, streetName: 'Хмельницьке' }],
    ['пров. 1-й Хмельницьке шосе 3', { streetType: 'провулок', streetName: '1-й Хмельницьке шосе' }],
    // Without a type, «шосе» after an ordinal stays in the lane's name (it is not a highway).
    ['1-й Хмельницьке шосе 3', { streetType: undefined, streetName: '1-й Хмельницьке шосе' }],
    ['1-й Київський провулок 4', { streetType: 'провулок', streetName: '1-й Київський', streetKey: '1 y kyivskyi' }],
    ['пров. 1-й Київський, 4', { streetType: 'провулок', streetName: '1-й Київський' }],
    ['пер. 1й Київський 4', { streetType: 'провулок', streetName: '1-й Київський' }],
    ['просп. Коцюбинського 5', { streetType: 'проспект', streetName: 'Коцюбинського' }],
    ['пр-т Космонавтів 46/13', { streetType: 'проспект', streetName: 'Космонавтів', houseKey: '46/13' }],
    ['пр. Юності 43, кв. 120', { streetType: 'проспект', streetName: 'Юності', apartment: '120' }],
    ['Юності просп., 43, кв. 120', { streetType: 'проспект', streetName: 'Юності', apartment: '120' }],
    ['б-р Марка Вовчка 5', { streetType: 'бульвар', streetName: 'Марка Вовчка' }],
    ['бульв. Свободи 5', { streetType: 'бульвар', streetName: 'Свободи' }],
    ['пл. Героїв Майдану 1', { streetType: 'площа', streetName: 'Героїв Майдану' }],
    ['Європейська площа 2', { streetType: 'площа', streetName: 'Європейська' }],
    ['туп. Абрикосовий 3', { streetType: 'тупик', streetName: 'Абрикосовий' }],
    ['масив Фермерський 8', { streetType: 'масив', streetName: 'Фермерський' }],
    ['наб. Дніпровська 1', { streetType: 'набережна', streetName: 'Дніпровська' }],
    ['Андріївський узвіз 2', { streetType: 'узвіз', streetName: 'Андріївський' }],
    ['майдан Незалежності 1', { streetType: 'майдан', streetName: 'Незалежності' }],
    ['проїзд Сонячний 4', { streetType: 'проїзд', streetName: 'Сонячний' }],
    // A name that is itself a type word.
    ['Набережна 5', { streetType: undefined, streetName: 'Набережна' }],
    ['вул. Набережна 5', { streetType: 'вулиця', streetName: 'Набережна' }],
    ['Набережна вулиця 5', { streetType: 'вулиця', streetName: 'Набережна' }],
    ['вулиця Шосейна 3', { streetType: 'вулиця', streetName: 'Шосейна' }],
  ])('%j', (text, expected) => {
    expectParsed(text, expected);
  });
});

describe('parseAddress: initials, ordinals, numbers in names', () => {
  it.each<[string, Expected]>([
    [
      'вул. В. Винниченка 10 кв.7',
      {
        streetName: 'В. Винниченка',
        streetKey: 'v vynnychenka',
        streetKeys: ['в винниченка', 'v vynnychenka', 'винниченка', 'vynnychenka'],
        houseKey: '10',
        apartment: '7',
      },
    ],
    ['Винниченка 10', { streetName: 'Винниченка', streetKeys: ['винниченка', 'vynnychenka'] }],
    ['вул. Б. Хмельницького 5', { streetName: 'Б. Хмельницького', houseKey: '5' }],
    ['Б.Хмельницького, б. 5', { streetName: 'Б. Хмельницького', houseKey: '5' }],
    ['Д. Михайловського 3', { streetName: 'Д. Михайловського', houseKey: '3' }],
    ['вул. 20 Березня, 5', { streetName: '20 Березня', streetKey: '20 bereznia', houseKey: '5' }],
    ['20 Березня 5', { streetName: '20 Березня', houseKey: '5' }],
    ['вул. 600-річчя 5', { streetName: '600-річчя', houseKey: '5' }],
    ['вул 30-річчя Перемоги 4, кв 2', { streetName: '30-річчя Перемоги', apartment: '2' }],
    ['пров. 2-й Київський 4', { streetName: '2-й Київський', streetKey: '2 y kyivskyi' }],
    ['Івана-Павла ІІ 3', { streetName: 'Івана-Павла ІІ', streetKey: 'ivana pavla ii' }],
    ['івана-павла іі 3', { streetName: 'Івана-Павла ІІ' }],
    ['Гулака - Артемовського 4', { streetName: 'Гулака-Артемовського' }],
    ['ГЕРОЇВ ПОЛІЦІЇ 5', { streetKey: 'heroiv politsii' }],
  ])('%j', (text, expected) => {
    expectParsed(text, expected);
  });

  it('keeps «1-й Київський» distinct from «Київський» and «2-й Київський»', () => {
    const keys = ['1-й Київський 4', 'Київський 4', '2-й Київський 4', '1 й Київський 4'].map(
      (t) => parsedOrThrow(t).streetKey,
    );
    expect(keys).toEqual(['1 y kyivskyi', 'kyivskyi', '2 y kyivskyi', '1 y kyivskyi']);
  });
});

describe('parseAddress: city and postal code', () => {
  it.each<[string, Expected]>([
    ['м. Вінниця, вул. Київська 12', { city: 'Вінниця', streetName: 'Київська', houseKey: '12' }],
    ['Вінниця, Київська 12', { city: 'Вінниця', streetName: 'Київська' }],
    ['Київська 12, Вінниця', { city: 'Вінниця', streetName: 'Київська', houseKey: '12' }],
    ['м. Вінниця вул. Київська 12', { city: 'Вінниця', streetType: 'вулиця', streetName: 'Київська' }],
    ['Вінниця вул. Київська 12', { city: 'Вінниця', streetName: 'Київська' }],
    [
      '21000, м. Вінниця, вул. Соборна, 59',
      { postalCode: '21000', city: 'Вінниця', streetName: 'Соборна', houseKey: '59' },
    ],
    ['21000 Вінниця, Соборна 59', { postalCode: '21000', city: 'Вінниця', streetName: 'Соборна' }],
    [
      'Україна, Вінницька обл., Вінницький р-н, с. Агрономічне, вул. Мічуріна 5',
      { city: 'Агрономічне', streetName: 'Мічуріна', houseKey: '5' },
    ],
    // A village called Майдан is not a street type.
    ['с. Майдан, вул. Шевченка 5', { city: 'Майдан', streetType: 'вулиця', streetName: 'Шевченка' }],
    // «М.» and «С.» are initials here, not «місто»/«село».
    ['М. Коцюбинського, 5', { city: undefined, streetName: 'М. Коцюбинського', houseKey: '5' }],
    ['м. Вінниця, С. Дудковського 5', { city: 'Вінниця', streetName: 'С. Дудковського' }],
    ['Vinnytsia, Kyivska St, 12, apt 5', { city: 'Vinnytsia', streetKey: 'kyivska', apartment: '5' }],
  ])('%j', (text, expected) => {
    expectParsed(text, expected);
  });
});

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

describe('parseAddress: Latin transliteration', () => {
  it.each<[string, Expected]>([
    ['Kyivska 12-A', { streetKey: 'kyivska', houseKey: '12а' }],
    ['kyivska 12a', { streetKey: 'kyivska', houseKey: '12а' }],
    ["Kyivs'ka 12", { streetKey: 'kyivska', houseKey: '12' }],
    ['KYIVSKA 12', { streetKey: 'kyivska' }],
    ['Kyïvska 12', { streetKey: 'kyivska' }],
    ['vul. Kyivska, bud. 12, kv. 5', { streetType: 'вулиця', streetKey: 'kyivska', houseKey: '12', apartment: '5' }],
    ['Kyivska St. 12', { streetType: 'вулиця', streetKey: 'kyivska' }],
    ['Levka Lukianenka 5', { streetKey: 'levka lukianenka' }],
    ['Kybalchycha 3', { streetKey: 'kybalchycha' }],
    ['Khmelnytske shose 7', { streetType: 'шосе', streetKey: 'khmelnytske' }],
    ['prov. 1-y Kyivskyi 4', { streetType: 'провулок', streetKey: '1 y kyivskyi' }],
    ['Zamostianska 5', { streetKey: 'zamostianska' }],
    // In a Latin address a letter is a transliteration: B is Б; in a Cyrillic one it is В.
    ['Kyivska 12B', { houseKey: '12б' }],
    ['Київська 12B', { houseKey: '12в' }],
  ])('%j', (text, expected) => {
    expectParsed(text, expected);
  });

  it('gives the same streetKey for Latin and Cyrillic spellings', () => {
    for (const [cyr, lat] of [
      ['Київська 12-А', 'Kyivska 12-A'],
      ["Левка Лук'яненка 3", 'Levka Lukianenka 3'],
      ['Кибальчича 1', 'Kybalchycha 1'],
      ['Замостянська 2', 'Zamostianska 2'],
      ["П'ятничанська 4", 'Piatnychanska 4'],
      ['Юності 5', 'Yunosti 5'],
      ['Європейська 1', 'Yevropeiska 1'],
      ['Згоди 1', 'Zghody 1'],
    ]) {
      expect(parsedOrThrow(lat).streetKey, lat).toBe(parsedOrThrow(cyr).streetKey);
    }
  });
});

describe('parseAddress: refusals', () => {
  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['12', 'street name is missing'],
    ['кв. 5', 'street name is missing'],
    [', , 12', 'street name is missing'],
    ['вул. Київська, кв. 5', 'no house number'],
    ['вул. Київська, буд.', 'No house number after "буд"'],
    ['Київська 12 кв', 'No number after "кв"'],
    ['Київська 12 корп', 'No number after "корп"'],
    ['Київська 0', 'cannot be zero'],
    ["Київська 12 під'їзд 2", 'Unrecognised part of the address: "під\'їзд 2"'],
    ['Київська 12а5', 'Unrecognised'],
    ['Київська 12 кв 5 кв 6', 'Unrecognised'],
    ['Київська 12 Вінниця', 'Unrecognised'],
    ['вул. Київська, прим. 1', 'A premise is given but no house number'],
    ['Київська 12а, прим.', 'No number after "прим"'],
    ['Київська 12а, нежитлове', 'No number after "нежитлове"'],
    ['Київська 12, н/п', 'Unrecognised part of the address: "н/п"'],
    ['Київська 12п1', 'Unrecognised'], // a п touching the house is its letter: 12п, then a stray 1
  ])('%j (%s)', (text, fragment) => {
    const r = parseAddress(text);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.reason.en).toContain(fragment);
      expect(r.reason.uk).toMatch(/[а-яіїє]/);
    }
  });

  it('explains in Ukrainian too', () => {
    const r = parseAddress('вул. Київська, кв. 5');
    expect(r).toEqual({
      ok: false,
      reason: {
        uk: 'Вказано квартиру, але не вказано номер будинку',
        en: 'An apartment is given but no house number',
      },
    });
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
// Keys
// ---------------------------------------------------------------------------------------------

describe('normaliseStreetName', () => {
  it.each([
    ['Київська', 'київська'],
    ['  КИЇВСЬКА  ', 'київська'],
    ['Kиївська', 'київська'], // Latin K
    ['KИЇВCЬKA', 'київська'], // Latin K, C, K
    ['Mіcька', 'міська'], // Latin M and c
    ['Нoвa', 'нова'], // Latin o and a
    ['Вишнeва', 'вишнева'],
    ['Лук’яненка', "лук'яненка"],
    ["Лук'яненка", "лук'яненка"],
    ['Лук`яненка', "лук'яненка"],
    ['В. Винниченка', 'в винниченка'],
    ['В.Винниченка', 'в винниченка'],
    ['1-й Київський', '1-й київський'],
    ['1й Київський', '1-й київський'],
    ['1 й Київський', '1-й київський'],
    ['1-ий Київський', '1-й київський'],
    ['1-ый Киевский', '1-й киевский'], // Russian ordinal and letters
    ['8-го Березня', '8-го березня'],
    ['8-ого Березня', '8-го березня'],
    ['Київський', 'київський'],
    ['Чкалова', 'чкалова'],
    ['Подъездная', "под'ездная"], // ъ → apostrophe
    ['Щёрса', 'щерса'], // ё → е
    ['Лермонтова Ы Э', 'лермонтова и е'],
    ['Івано - Франківська', 'івано-франківська'],
    ['«Київська»', 'київська'],
    ["'Київська'", 'київська'],
    ['-Київська-', 'київська'],
    ['Kyivska', 'kyivska'], // Latin stays Latin: it is a transliteration
    ['', ''],
  ])('%j → %j', (input, key) => {
    expect(normaliseStreetName(input)).toBe(key);
  });
});

describe('transliterateUk and translitKey (КМУ No. 55, 2010)', () => {
  // Examples from the resolution's table.
  it.each([
    ['Алушта', 'Alushta'],
    ['Андрій', 'Andrii'],
    ['Борщагівка', 'Borshchahivka'],
    ['Вінниця', 'Vinnytsia'],
    ['Гадяч', 'Hadiach'],
    ['Згурський', 'Zghurskyi'],
    ['Ґалаґан', 'Galagan'],
    ['Донецьк', 'Donetsk'],
    ['Рівне', 'Rivne'],
    ['Єнакієве', 'Yenakiieve'],
    ['Гаєвич', 'Haievych'],
    ["Короп'є", 'Koropie'],
    ['Житомир', 'Zhytomyr'],
    ['Закарпаття', 'Zakarpattia'],
    ['Медвин', 'Medvyn'],
    ['Михайленко', 'Mykhailenko'],
    ['Іванків', 'Ivankiv'],
    ['Їжакевич', 'Yizhakevych'],
    ['Кадиївка', 'Kadyivka'],
    ["Мар'їне", 'Marine'],
    ['Йосипівка', 'Yosypivka'],
    ['Стрий', 'Stryi'],
    ['Олексій', 'Oleksii'],
    ['Київ', 'Kyiv'],
    ['Наталія', 'Nataliia'],
    ['Харків', 'Kharkiv'],
    ['Біла Церква', 'Bila Tserkva'],
    ['Чернівці', 'Chernivtsi'],
    ['Шостка', 'Shostka'],
    ['Щербухи', 'Shcherbukhy'],
    ['Гоща', 'Hoshcha'],
    ['Юрій', 'Yurii'],
    ['Корюківка', 'Koriukivka'],
    ['Яготин', 'Yahotyn'],
    ['Костянтин', 'Kostiantyn'],
    ["Знам'янка", 'Znamianka'],
    ['Феодосія', 'Feodosiia'],
    ['Згорани', 'Zghorany'],
    ['Розгон', 'Rozghon'],
    ['Тернопіль', 'Ternopil'],
    ['ЩОРС', 'SHCHORS'],
  ])('%s → %s', (uk, latin) => {
    expect(transliterateUk(uk)).toBe(latin);
    expect(translitKey(uk)).toBe(latin.toLowerCase());
  });

  it.each([
    ['1-й Київський', '1 y kyivskyi'],
    ['1й Київський', '1 y kyivskyi'],
    ['1-y Kyivskyi', '1 y kyivskyi'],
    ['В. Винниченка', 'v vynnychenka'],
    ["Кар'єрна", 'karierna'],
    ['Івано-Франківська', 'ivano frankivska'],
    ['Kyiv-ska', 'kyiv ska'],
    ['Kyïvska', 'kyivska'],
    ["Kyivs'ka", 'kyivska'],
    ['Kиївська', 'kyivska'],
  ])('translitKey(%j) = %j', (input, key) => {
    expect(translitKey(input)).toBe(key);
  });
});

describe('streetSearchKeys', () => {
  it.each<[string, string[]]>([
    ['Київська', ['київська', 'kyivska']],
    ['В. Винниченка', ['в винниченка', 'v vynnychenka', 'винниченка', 'vynnychenka']],
    ['1-й Т. Полубуткіна', ['1-й т полубуткіна', '1 y t polubutkina', '1-й полубуткіна', '1 y polubutkina']],
    ["Левка Лук'яненка", ["левка лук'яненка", 'levka lukianenka']],
    ['Kyivska', ['kyivska']],
    ['', []],
  ])('%j', (name, keys) => {
    expect(streetSearchKeys(name)).toEqual(keys);
  });

  it('lets «Винниченка» find «В. Винниченка» (a shared key) but not «Винниченка» find «Київська»', () => {
    const share = (a: string, b: string) => streetSearchKeys(a).some((k) => streetSearchKeys(b).includes(k));
    expect(share('Винниченка', 'В. Винниченка')).toBe(true);
    expect(share('Vynnychenka', 'В. Винниченка')).toBe(true);
    expect(share('Винниченка', 'Київська')).toBe(false);
    expect(share('Київський', '1-й Київський')).toBe(false);
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

const UK_LOWER = [...'абвгґдеєжзиіїйклмнопрстуфхцчшщьюя'];
const UK_LETTER = fc.constantFrom(...UK_LOWER);
const HOUSE_LETTER = fc.constantFrom(...'абвгдежзиклмнопрстуфхцчш');
const APOSTROPHES = ["'", '’', 'ʼ', '`', '‘'];
const LOOKALIKES: Record<string, string> = { а: 'a', в: 'B', е: 'e', і: 'i', к: 'k', м: 'M', о: 'o', р: 'p', с: 'c', т: 'T', х: 'x', у: 'y', н: 'H' };

/** A plausible Ukrainian word: starts with a letter other than ь, 2–12 letters. */
const ukWord = fc
  .tuple(fc.constantFrom(...UK_LOWER.filter((c) => c !== 'ь')), fc.array(UK_LETTER, { minLength: 1, maxLength: 11 }))
  .map(([first, rest]) => first.toUpperCase() + rest.join(''));
/**
 * One to three words: a street name. Random words that happen to be a type or a marker in
 * either script («Пр», «Кв», «Ст» → 'St') are left out: the tables test those.
 */
const ukName = fc
  .array(ukWord, { minLength: 1, maxLength: 3 })
  .map((ws) => ws.join(' '))
  .filter((n) => n.split(' ').every(isPlainWord));
function isPlainWord(word: string): boolean {
  if (transliterateUk(word).length < 2) return false; // «Аь» → 'A': a lone letter is not a name
  return [word, transliterateUk(word)].every((w) =>
    [`${w} Соборна 1`, `Соборна ${w} 1`].every((text) => {
      const r = parseAddress(text);
      return r.ok && r.value.streetType === undefined && r.value.houseKey === '1' && r.value.streetName.split(' ').length === 2;
    }),
  );
}

const messyText = fc.string({
  unit: fc.constantFrom(...'абвгґдеєжзиіїйКЛМНОПЁЫЭЪabcekmoptxyïKMT0123456789 -.,\'’ʼ`‘«»/№'.split('')),
  maxLength: 30,
});

describe('properties: street keys', () => {
  it('normalisation and translitKey are idempotent', () => {
    fc.assert(
      fc.property(messyText, (s) => {
        const key = normaliseStreetName(s);
        expect(normaliseStreetName(key)).toBe(key);
        const t = translitKey(s);
        expect(translitKey(t)).toBe(t);
        expect(t).toMatch(/^[a-z0-9 ]*$/);
      }),
      { numRuns: 500 },
    );
  });

  it('idempotent on arbitrary Unicode too', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 20 }), (s) => {
        const key = normaliseStreetName(s);
        expect(normaliseStreetName(key)).toBe(key);
        expect(translitKey(translitKey(s))).toBe(translitKey(s));
      }),
      { numRuns: 300 },
    );
  });

  it('keys ignore letter case and extra whitespace between words', () => {
    fc.assert(
      fc.property(
        ukName,
        fc.array(fc.constantFrom(' ', '  ', '\t', '\u00a0', ' \u202f '), { minLength: 4, maxLength: 4 }),
        (name, gaps) => {
          const words = name.split(' ');
          const spaced = gaps[0] + words.join(gaps[1]) + gaps[2];
          for (const variant of [name.toUpperCase(), name.toLowerCase(), spaced]) {
            expect(normaliseStreetName(variant)).toBe(normaliseStreetName(name));
            expect(translitKey(variant)).toBe(translitKey(name));
            expect(parsedOrThrow(`${variant}${gaps[3]}12`).streetKey).toBe(translitKey(name));
          }
        },
      ),
    );
  });

  it('every apostrophe variant gives the same key', () => {
    fc.assert(
      fc.property(ukWord, ukWord, fc.constantFrom(...APOSTROPHES), (a, b, apostrophe) => {
        const name = `${a}'${b.toLowerCase()}`;
        const variant = `${a}${apostrophe}${b.toLowerCase()}`;
        expect(normaliseStreetName(variant)).toBe(normaliseStreetName(name));
        expect(translitKey(variant)).toBe(translitKey(name));
      }),
    );
  });

  it('Latin look-alike letters inside Cyrillic words give the same key', () => {
    fc.assert(
      fc.property(ukName, fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }), (name, flips) => {
        const chars = [...name];
        const swapped = chars
          .map((c, i) => {
            const look = LOOKALIKES[c.toLowerCase()];
            if (!look || !flips[i]) return c;
            return c === c.toLowerCase() ? look.toLowerCase() : look.toUpperCase();
          })
          .join('');
        // At least one Cyrillic letter must survive for the text to be read as Cyrillic.
        fc.pre(/\p{Script=Cyrillic}/u.test(swapped));
        expect(normaliseStreetName(swapped)).toBe(normaliseStreetName(name));
        expect(parsedOrThrow(`${swapped} 5`).streetKey).toBe(translitKey(name));
      }),
    );
  });

  it('a transliterated name parses to the same streetKey as the Cyrillic one', () => {
    fc.assert(
      fc.property(ukName, fc.integer({ min: 1, max: 300 }), (name, n) => {
        const latin = transliterateUk(name);
        expect(latin).toMatch(/^[A-Za-z ]+$/);
        expect(parsedOrThrow(`${latin} ${n}`).streetKey).toBe(parsedOrThrow(`${name} ${n}`).streetKey);
      }),
    );
  });

  it('an ordinal lane never shares its key with the street it is named after', () => {
    fc.assert(
      fc.property(ukName, fc.integer({ min: 1, max: 9 }), (name, n) => {
        const lane = `${n}-й ${name}`;
        expect(streetSearchKeys(lane).some((k) => streetSearchKeys(name).includes(k))).toBe(false);
      }),
    );
  });
});

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

// The full Vinnytsia list, bundled with the synthetic city seeder.
const STREETS_CSV = new URL('./seed/source-data/vinnytsia-streets.csv', import.meta.url);

describe('the whole Vinnytsia street list', () => {
  const rows = readFileSync(STREETS_CSV, 'utf8')
    .trim()
    .split(/\r?\n/)
    .slice(1)
    .map((line) => line.split(','))
    .map(([type, name, former]) => ({ type: type as StreetType, name, former: former ? former.split(';') : [] }));

  it('parses every street written with its type before and after, and in Latin', () => {
    for (const { type, name } of rows) {
      const abbr = STREET_TYPE_ABBREVIATIONS[type];
      expectParsed(`${abbr} ${name}, буд. 7а, кв. 12`, { streetType: type, streetName: name, houseKey: '7а', apartment: '12' });
      expectParsed(`${name} ${type} 7`, { streetType: type, streetName: name, houseKey: '7' });
      expectParsed(`${transliterateUk(name)} 7-A`, { streetKey: translitKey(name), houseKey: '7а' });
    }
  });

  it('no two streets of the same type share a key', () => {
    const owner = new Map<string, string>();
    for (const { type, name } of rows) {
      for (const key of streetSearchKeys(name)) {
        const k = `${type}|${key}`;
        expect(owner.get(k) ?? name, k).toBe(name);
        owner.set(k, name);
      }
    }
  });
});
