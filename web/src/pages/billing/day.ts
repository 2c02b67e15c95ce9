import type { Bilingual } from '../../i18n';

/**
 * '01.12.2026' or '2026-12-01' as typed → '2026-12-01'. DateInput's own parser reads only ISO
 * dates (dayjs has no custom formats loaded here), and Date would take 01.12 as 12 January.
 */
export function parseDay(text: string): string | null {
  const parts = dayParts(text);
  if (!parts) return null;
  const [y, m, d] = parts;
  const date = new Date(Date.UTC(y, m - 1, d));
  // 31.02 would roll over into March: refuse it instead.
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return date.toISOString().slice(0, 10);
}

/** Year, month and day of a text shaped like a date (DD.MM.YYYY or YYYY-MM-DD), real or not. */
function dayParts(text: string): [number, number, number] | null {
  const dotted = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(text.trim());
  if (dotted) return [Number(dotted[3]), Number(dotted[2]), Number(dotted[1])];
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  if (iso) return [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  return null;
}

/**
 * What is wrong with a typed date, in words: a date that does not exist (31.02.2026) is called
 * that, anything else not shaped like a date is asked for as ДД.ММ.РРРР. Null for a real date or nothing.
 */
export function dayProblem(text: string): Bilingual | null {
  const s = text.trim();
  if (s === '' || parseDay(s)) return null;
  if (dayParts(s)) return { uk: `Дати ${s} не існує`, en: `There is no such date: ${s}` };
  return { uk: `«${s}» — не дата: введіть ДД.ММ.РРРР`, en: `"${s}" is not a date: type DD.MM.YYYY` };
}
