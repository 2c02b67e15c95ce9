import { SegmentedControl } from '@mantine/core';
import { setLang, useLang, useT, type Lang } from '../i18n';

/** Українська / English, remembered in this browser. */
export function LanguageSwitch() {
  const lang = useLang();
  const t = useT();
  return (
    <SegmentedControl
      aria-label={t('app.language')}
      value={lang}
      onChange={(value) => setLang(value as Lang)}
      data={[
        { value: 'uk', label: 'Українська' },
        { value: 'en', label: 'English' },
      ]}
    />
  );
}
