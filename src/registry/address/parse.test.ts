import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { STREET_TYPE_ABBREVIATIONS, TYPE_BY_ALIAS, type StreetType } from './dictionaries';
import { parseAddress } from './parse';
import { normaliseStreetName, streetSearchKeys, translitKey, transliterateUk } from './street-keys';
import { expectParsed, parsedOrThrow, type Expected } from './test-support';

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
  it.each(["Лук'яненка", 'Лук’яненка', 'Лукʼяненка', 'Лук`яненка', 'Лук‘яненка', 'Лук´яненка', 'Лук"яненка'])('%j', (spelling) => {
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

describe('parseAddress: a street type glued to the name', () => {
  const capital = (w: string) => w[0].toUpperCase() + w.slice(1);
  it.each([...TYPE_BY_ALIAS])('%s glued before and after the name', (alias, type) => {
    expectParsed(`${alias}Соборна 7`, { streetType: type, streetName: 'Соборна', houseKey: '7' });
    expectParsed(`${alias}.Соборна, 7`, { streetType: type, streetName: 'Соборна', houseKey: '7' });
    expectParsed(`Соборна${capital(alias)} 7`, { streetType: type, streetName: 'Соборна', houseKey: '7' });
  });

  it.each<[string, Expected]>([
    ['шосеХмельницьке 12', { streetType: 'шосе', streetName: 'Хмельницьке', houseKey: '12' }],
    ['ХмельницькеШосе 12', { streetType: 'шосе', streetName: 'Хмельницьке', houseKey: '12' }],
    ['просп.Миру 3', { streetType: 'проспект', streetName: 'Миру', houseKey: '3' }],
    ['вулЛевка Лук\'яненка 5', { streetType: 'вулиця', streetName: "Левка Лук'яненка" }],
    // No change of case, no split: «Шосейна» begins with «шосе» and is a name.
    ['Шосейна 3', { streetType: undefined, streetName: 'Шосейна' }],
    ['вулсоборна 3', { streetType: undefined, streetName: 'Вулсоборна' }],
    ['МакДональда 3', { streetType: undefined, streetName: 'МакДональда' }],
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

// The full Vinnytsia list, bundled with the synthetic city seeder.
const STREETS_CSV = new URL('../seed/source-data/vinnytsia-streets.csv', import.meta.url);

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
