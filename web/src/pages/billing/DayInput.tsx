import 'dayjs/locale/uk';
import { useState } from 'react';
import { DateInput, type DateInputProps } from '@mantine/dates';
import { useLang, useT } from '../../i18n';
import { dayProblem, parseDay } from './day';

export { parseDay } from './day';

/**
 * A date picker that shows DD.MM.YYYY, accepts it typed, and gives 'YYYY-MM-DD' (or null). A typed
 * text that is not a date is named for what it is below the field (31.02.2026 does not exist).
 */
export function DayInput({ error, onBlur, onChange, ...props }: DateInputProps) {
  const lang = useLang();
  const t = useT();
  const [typed, setTyped] = useState<string | null>(null);
  const problem = typed ? dayProblem(typed) : null;
  return (
    <DateInput
      valueFormat="DD.MM.YYYY"
      placeholder={lang === 'uk' ? 'ДД.ММ.РРРР' : 'DD.MM.YYYY'}
      dateParser={parseDay}
      locale={lang}
      popoverProps={{ withinPortal: true }}
      onBlur={(event) => {
        const text = event.currentTarget.value;
        setTyped(parseDay(text) ? null : text);
        onBlur?.(event);
      }}
      onChange={(value) => {
        if (value) setTyped(null);
        onChange?.(value);
      }}
      error={error ?? (problem ? t(problem) : undefined)}
      {...props}
    />
  );
}
