import { useEffect, useState, type ReactNode } from 'react';
import { Alert, Anchor, Stack, Title } from '@mantine/core';
import { Link } from 'react-router';
import { useLang, useT, type Bilingual } from '../i18n';
import { money } from '../pages/billing/labels';

export const useMoney = () => {
  const lang = useLang();
  return (kopecks: number) => money(kopecks, lang === 'uk' ? 'uk-UA' : 'en-GB');
};

export function PortalPage({ title, back, children }: { title: Bilingual; back?: string; children: ReactNode }) {
  const t = useT();
  useEffect(() => {
    document.title = `${t(title)} — ${t({ uk: 'Громада', en: 'Hromada' })}`;
  }, [t, title]);
  return (
    <Stack gap="md">
      {back && (
        <Anchor component={Link} to={back} fz="lg">
          ← {t({ uk: 'На головну', en: 'Home' })}
        </Anchor>
      )}
      <Title order={1} fz={28}>
        {t(title)}
      </Title>
      {children}
    </Stack>
  );
}

export function Problem({ text }: { text: string | null }) {
  if (!text) return null;
  return (
    <Alert color="red" variant="light" role="alert" fz="md">
      {text}
    </Alert>
  );
}

export function useOnline() {
  const [online, setOnline] = useState(typeof navigator === 'undefined' ? true : navigator.onLine);
  useEffect(() => {
    const on = () => setOnline(true);
    const off = () => setOnline(false);
    window.addEventListener('online', on);
    window.addEventListener('offline', off);
    return () => {
      window.removeEventListener('online', on);
      window.removeEventListener('offline', off);
    };
  }, []);
  return online;
}
