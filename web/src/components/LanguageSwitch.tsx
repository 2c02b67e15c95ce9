import { SegmentedControl } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { setLang, useLang, useT, type Lang } from '../i18n';

/** Українська / English, remembered in this browser. */
export function LanguageSwitch() {
  const lang = useLang();
  const t = useT();
  // On a phone the full names do not fit beside the app's name.
  const narrow = useMediaQuery('(max-width: 36em)');
  return (
    <SegmentedControl
      aria-label={t('app.language')}
      value={lang}
      onChange={(value) => setLang(value as Lang)}
      data={[
        { value: 'uk', label: narrow ? 'УКР' : 'Українська' },
        { value: 'en', label: narrow ? 'ENG' : 'English' },
      ]}
    />
  );
}
