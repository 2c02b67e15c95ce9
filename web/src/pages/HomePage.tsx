import { Paper, Text, Title } from '@mantine/core';
import { useT } from '../i18n';
import { useSession } from '../session';

/** The home page for roles whose own sections are still to come. */
export function HomePage() {
  const t = useT();
  const { user } = useSession();
  return (
    <Paper p="xl" withBorder maw={720}>
      <Title order={1} size="h2" mb="sm">
        {t('home.welcome', { name: user?.displayName ?? '' })}
      </Title>
      <Text>{t('home.noPages')}</Text>
    </Paper>
  );
}
