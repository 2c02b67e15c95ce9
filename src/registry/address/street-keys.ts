import { CYRILLIC, foldLookalikes, prenormalise, remembered, russianFold } from './characters';

// ---------------------------------------------------------------------------------------------
// Street keys
// ---------------------------------------------------------------------------------------------

const ORDINAL = /(\d+)[\s-]*(ий|ій|й|ого|го|му|а|я|е|ї|ша|ге|тя)(?=$|[\s-])/gu;
const ORDINAL_CANON: Record<string, string> = { ий: 'й', ій: 'й', ого: 'го' };

/**
 * The Cyrillic street key: 'київська', "лук'яненка", 'в винниченка', '1-й київський'.
 * Pass a street NAME (without the type); use {@link parseAddress} for free text.
 */
export const normaliseStreetName = remembered(function normaliseStreetName(name: string): string {
  let s = prenormalise(name).toLowerCase();
  if (CYRILLIC.test(s)) s = foldLookalikes(s);
  s = russianFold(s);
  s = s.replace(/[^\p{L}\p{M}\d'-]+/gu, ' ');
  s = s.replace(/ *- */g, '-').replace(/-{2,}/g, '-');
  // Apostrophes and hyphens only make sense between two letters or digits.
  for (let prev = ''; prev !== s; ) {
    prev = s;
    s = s.replace(/(^|[ '-])['-]+/g, '$1').replace(/['-]+(?=$|[ '-])/g, '');
  }
  s = s.replace(ORDINAL, (_, n: string, suffix: string) => `${n}-${ORDINAL_CANON[suffix] ?? suffix}`);
  return s.replace(/ +/g, ' ').trim();
});

/** КМУ No. 55 (2010): [at the start of a word, elsewhere]. Ь and the apostrophe are dropped. */
const KMU55: Record<string, readonly [string, string]> = {
  а: ['a', 'a'], б: ['b', 'b'], в: ['v', 'v'], г: ['h', 'h'], ґ: ['g', 'g'], д: ['d', 'd'],
  е: ['e', 'e'], є: ['ye', 'ie'], ж: ['zh', 'zh'], з: ['z', 'z'], и: ['y', 'y'], і: ['i', 'i'],
  ї: ['yi', 'i'], й: ['y', 'i'], к: ['k', 'k'], л: ['l', 'l'], м: ['m', 'm'], н: ['n', 'n'],
  о: ['o', 'o'], п: ['p', 'p'], р: ['r', 'r'], с: ['s', 's'], т: ['t', 't'], у: ['u', 'u'],
  ф: ['f', 'f'], х: ['kh', 'kh'], ц: ['ts', 'ts'], ч: ['ch', 'ch'], ш: ['sh', 'sh'],
  щ: ['shch', 'shch'], ь: ['', ''], ю: ['yu', 'iu'], я: ['ya', 'ia'], "'": ['', ''],
};

/**
 * Ukrainian → Latin by the national table (КМУ No. 55, 2010), keeping capitalisation:
 * «Згурський» → 'Zghurskyi', «Їжакевич» → 'Yizhakevych', «Знам'янка» → 'Znamianka'.
 * Other characters pass through unchanged.
 */
export function transliterateUk(text: string): string {
  const chars = [...text.normalize('NFC').replace(/[’ʼ`‘]/g, "'")];
  let out = '';
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    const lower = c.toLowerCase();
    const rule = KMU55[lower];
    if (!rule) {
      out += c;
      continue;
    }
    const prev = i > 0 ? chars[i - 1].toLowerCase() : '';
    const wordStart = prev === '' || !/[\p{L}']/u.test(prev);
    // «зг» is written 'zgh' so that it is not read as «ж» ('zh').
    let latin = lower === 'г' && prev === 'з' ? 'gh' : rule[wordStart ? 0 : 1];
    if (c !== lower && latin) {
      const next = chars[i + 1] ?? '';
      const allCaps = next !== '' && next !== next.toLowerCase();
      latin = allCaps ? latin.toUpperCase() : latin[0].toUpperCase() + latin.slice(1);
    }
    out += latin;
  }
  return out;
}

/**
 * ASCII key for search across scripts: 'kyivska' for «Київська», «Kиївська», «KYIVSKA»,
 * «Kyivs'ka»; hyphens become spaces and digits are split from letters ('1 y kyivskyi').
 */
export const translitKey = remembered(function translitKey(text: string): string {
  return transliterateUk(normaliseStreetName(text))
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/-/g, ' ')
    // Other scripts go before digits are split from letters, so that a second pass changes nothing.
    .replace(/[^a-z0-9 ]/g, '')
    .replace(/(\d)(?=[a-z])/g, '$1 ')
    .replace(/([a-z])(?=\d)/g, '$1 ')
    .replace(/ +/g, ' ')
    .trim();
});

/** The Cyrillic key without initials: 'в винниченка' → 'винниченка'; undefined if none. */
function withoutInitials(key: string): string | undefined {
  const words = key.split(' ');
  if (words.length < 2) return undefined;
  const kept = words.filter((w, i) => i === words.length - 1 || !/^\p{L}$/u.test(w));
  return kept.length < words.length && kept.length > 0 ? kept.join(' ') : undefined;
}

/**
 * Every key a street name should be found by, without duplicates, most specific first:
 * [Cyrillic key, ASCII key, Cyrillic key without initials, ASCII key without initials].
 */
export function streetSearchKeys(name: string): string[] {
  const key = normaliseStreetName(name);
  const bare = withoutInitials(key);
  const keys = [key, translitKey(key)];
  if (bare) keys.push(bare, translitKey(bare));
  return [...new Set(keys.filter((k) => k !== ''))];
}
