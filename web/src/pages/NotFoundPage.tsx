import { Link } from 'react-router';
import { Button, Stack, Title } from '@mantine/core';
import { useT } from '../i18n';

export function NotFoundPage() {
  const t = useT();
  return (
    <Stack align="flex-start">
      <Title order={1} size="h2">{t('app.notFound')}</Title>
      <Button component={Link} to="/">
        {t('app.toHome')}
      </Button>
    </Stack>
  );
}
