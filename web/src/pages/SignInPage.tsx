import { useState, type FormEvent } from 'react';
import { Alert, Box, Button, Center, Group, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { IconAlertTriangle, IconBuildingCommunity } from '@tabler/icons-react';
import { errorMessages } from '../api';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { useT, type Bilingual } from '../i18n';
import { useSession } from '../session';

export function SignInPage() {
  const t = useT();
  const { signIn } = useSession();
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [missing, setMissing] = useState<{ login?: boolean; password?: boolean }>({});
  const [failure, setFailure] = useState<Bilingual | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const nowMissing = { login: !login.trim(), password: !password };
    setMissing(nowMissing);
    if (nowMissing.login || nowMissing.password) return;
    setBusy(true);
    setFailure(null);
    try {
      await signIn(login.trim(), password);
    } catch (error) {
      setFailure(errorMessages(error));
      setBusy(false);
    }
  }

  return (
    <Box bg="gray.0" mih="100vh">
      <Group justify="flex-end" p="md">
        <LanguageSwitch />
      </Group>
      <Center px="md" pb="xl">
        <Paper withBorder shadow="sm" p="xl" radius="lg" w="100%" maw={440}>
          <Stack gap="lg">
            <Group gap="sm" wrap="nowrap">
              <IconBuildingCommunity size={40} color="var(--mantine-color-blue-7)" />
              <Stack gap={0}>
                <Title order={1} size="h2">{t('app.name')}</Title>
                <Text c="dimmed">{t('app.tagline')}</Text>
              </Stack>
            </Group>
            <Stack gap={4}>
              <Title order={2} size="h3">{t('auth.signInTitle')}</Title>
              <Text c="dimmed">{t('auth.signInHint')}</Text>
            </Stack>
            <form onSubmit={submit} noValidate>
              <Stack gap="md">
                <TextInput
                  label={t('auth.login')}
                  name="login"
                  autoComplete="username"
                  autoFocus
                  value={login}
                  onChange={(event) => setLogin(event.currentTarget.value)}
                  error={missing.login ? t('auth.loginRequired') : undefined}
                />
                <PasswordInput
                  label={t('auth.password')}
                  name="password"
                  autoComplete="current-password"
                  value={password}
                  onChange={(event) => setPassword(event.currentTarget.value)}
                  error={missing.password ? t('auth.passwordRequired') : undefined}
                />
                {failure && (
                  <Alert color="red" variant="light" icon={<IconAlertTriangle />} title={t('auth.signInFailed')} role="alert">
                    {t(failure)}
                  </Alert>
                )}
                <Button type="submit" size="lg" loading={busy} fullWidth>
                  {t('auth.signIn')}
                </Button>
              </Stack>
            </form>
          </Stack>
        </Paper>
      </Center>
    </Box>
  );
}
