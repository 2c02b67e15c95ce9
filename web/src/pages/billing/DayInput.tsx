import 'dayjs/locale/uk';
import { DateInput, type DateInputProps } from '@mantine/dates';
import { useLang } from '../../i18n';

/**
 * '01.12.2026' or '2026-12-01' as typed → '2026-12-01'. DateInput's own parser reads only ISO
 * dates (dayjs has no custom formats loaded here), and Date would take 01.12 as 12 January.
 */
export function parseDay(text: string): string | null {
  const dotted = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(text.trim());
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  const [y, m, d] = dotted ? [dotted[3], dotted[2], dotted[1]] : iso ? [iso[1], iso[2], iso[3]] : [];
  if (!y || !m || !d) return null;
  const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  // 31.02 would roll over into March: refuse it instead.
  if (date.getUTCMonth() !== Number(m) - 1 || date.getUTCDate() !== Number(d)) return null;
  return date.toISOString().slice(0, 10);
}

/** A date picker that shows DD.MM.YYYY, accepts it typed, and gives 'YYYY-MM-DD' (or null). */
export function DayInput(props: DateInputProps) {
  const lang = useLang();
  return <DateInput valueFormat="DD.MM.YYYY" placeholder={lang === 'uk' ? 'ДД.ММ.РРРР' : 'DD.MM.YYYY'} dateParser={parseDay} locale={lang} popoverProps={{ withinPortal: true }} {...props} />;
}
