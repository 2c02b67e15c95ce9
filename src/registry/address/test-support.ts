/** Helpers shared by the address tests (not a test file itself). */
import fc from 'fast-check';
import { expect } from 'vitest';
import type { ParseAddressOptions, ParsedAddress, StreetType } from './dictionaries';
import { parseAddress } from './parse';

export type Expected = Partial<Record<keyof ParsedAddress, unknown>>;

/** Parses and compares the listed fields exactly (a listed `undefined` must be absent). */
export function expectParsed(text: string, expected: Expected, opts?: ParseAddressOptions) {
  const r = parseAddress(text, opts);
  if (!r.ok) throw new Error(`${JSON.stringify(text)} was refused: ${r.reason.en}`);
  for (const [field, value] of Object.entries(expected)) {
    expect(r.value[field as keyof ParsedAddress], `${field} of ${JSON.stringify(text)}`).toEqual(value);
  }
  return r.value;
}

export function parsedOrThrow(text: string, opts?: ParseAddressOptions): ParsedAddress {
  const r = parseAddress(text, opts);
  if (!r.ok) throw new Error(`${JSON.stringify(text)} was refused: ${r.reason.en}`);
  return r.value;
}

/** A slice of the real Vinnytsia street list (type, name), with the awkward ones on purpose. */
export const STREETS: [StreetType, string][] = [
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

export const HOUSE_LETTER = fc.constantFrom(...'абвгдежзиклмнопрстуфхцчш');
