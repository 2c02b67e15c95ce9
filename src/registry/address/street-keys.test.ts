import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseAddress } from './parse';
import { normaliseStreetName, streetSearchKeys, translitKey, transliterateUk } from './street-keys';
import { parsedOrThrow } from './test-support';

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
    // A letter of another script between a letter and a digit: dropped, and the digit still split.
    ['Ḁ一0', 'a 0'],
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
// Properties
// ---------------------------------------------------------------------------------------------

const UK_LOWER = [...'абвгґдеєжзиіїйклмнопрстуфхцчшщьюя'];
const UK_LETTER = fc.constantFrom(...UK_LOWER);
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
