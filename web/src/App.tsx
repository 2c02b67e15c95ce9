import { useEffect, useState } from 'react';
import { Link, matchPath, Navigate, Route, Routes, useLocation } from 'react-router';
import {
  Anchor,
  AppShell,
  Burger,
  Button,
  Center,
  Group,
  Loader,
  NavLink,
  Stack,
  Text,
  UnstyledButton,
} from '@mantine/core';
import { IconBuildingCommunity, IconLogout } from '@tabler/icons-react';
import { useT } from './i18n';
import { LanguageSwitch } from './components/LanguageSwitch';
import { entriesFor } from './nav';
import { useSession } from './session';
import { SignInPage } from './pages/SignInPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { PortalApp } from './portal/PortalApp';

export function App() {
  const { user } = useSession();
  const t = useT();
  const location = useLocation();
  // The residents' portal has its own route tree; residents signed in at the staff app go there.
  if (location.pathname === '/portal' || location.pathname.startsWith('/portal/')) return <PortalApp />;
  if (user?.role === 'resident') return <Navigate to="/portal" replace />;
  if (user === undefined) {
    return (
      <Center h="100vh">
        <Group>
          <Loader />
          <Text>{t('app.loading')}</Text>
        </Group>
      </Center>
    );
  }
  // Not signed in: every address shows the sign-in form, and the address stays, so a deep link
  // opens the right page right after signing in.
  if (user === null) return <SignInPage />;
  return <Shell />;
}

function isActive(entryPath: string, pathname: string): boolean {
  if (entryPath === '/') return pathname === '/';
  return pathname === entryPath || pathname.startsWith(`${entryPath}/`);
}

/** The menu entry a page belongs to: the longest path that holds it (/payments/agents, not /payments too). */
function activeEntryPath(paths: readonly string[], pathname: string): string | undefined {
  return paths.filter((p) => isActive(p, pathname)).sort((a, b) => b.length - a.length)[0];
}

function Shell() {
  const { user, signOut } = useSession();
  const t = useT();
  const location = useLocation();
  const [menuOpen, setMenuOpen] = useState(false);
  if (!user) return null;
  const entries = entriesFor(user.role);

  // The tab's title names the page, so a person with many tabs (or a screen reader) knows which.
  const current = entries.find((entry) => matchPath({ path: entry.path, end: true }, location.pathname));
  useEffect(() => {
    document.title = current ? `${t(current.label)} — ${t('app.name')}` : t('app.name');
  }, [current, t]);

  return (
    <AppShell
      header={{ height: 68 }}
      navbar={{ width: 270, breakpoint: 'sm', collapsed: { mobile: !menuOpen } }}
      padding="lg"
    >
      <AppShell.Header>
        <Anchor href="#main" className="skip-link">
          {t('app.skipToContent')}
        </Anchor>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={menuOpen} onClick={() => setMenuOpen((open) => !open)} hiddenFrom="sm" aria-label={t('app.menu')} />
            <UnstyledButton component={Link} to="/" aria-label={t('app.name')}>
              <Group gap={8} wrap="nowrap">
                <IconBuildingCommunity size={30} color="var(--mantine-color-blue-7)" />
                <Stack gap={0}>
                  <Text fw={650} fz="xl" lh={1.1}>
                    {t('app.name')}
                  </Text>
                  <Text size="xs" c="dimmed" lh={1.1} visibleFrom="xs">
                    {t('app.tagline')}
                  </Text>
                </Stack>
              </Group>
            </UnstyledButton>
          </Group>
          <Group gap="md" wrap="nowrap">
            <LanguageSwitch />
            <Stack gap={0} align="flex-end" visibleFrom="md">
              <Text fw={600} lh={1.2}>
                {user.displayName}
              </Text>
              <Text size="xs" c="dimmed" lh={1.2}>
                {t(`role.${user.role}`)}
              </Text>
            </Stack>
            <Button variant="light" leftSection={<IconLogout size={18} />} onClick={() => void signOut()} visibleFrom="sm">
              {t('auth.signOut')}
            </Button>
          </Group>
        </Group>
      </AppShell.Header>

      <AppShell.Navbar p="sm">
        <AppShell.Section hiddenFrom="sm" mb="sm">
          <Text fw={600}>{user.displayName}</Text>
          <Text size="sm" c="dimmed">
            {t(`role.${user.role}`)}
          </Text>
        </AppShell.Section>
        {/* The menu scrolls on its own when it is taller than the screen. */}
        <AppShell.Section grow component="nav" aria-label={t('app.menu')} style={{ overflowY: 'auto' }}>
          {entries
            .filter((entry) => !entry.hidden)
            .map((entry, _i, shown) => {
              const EntryIcon = entry.icon;
              return (
                <NavLink
                  key={entry.path}
                  component={Link}
                  to={entry.path}
                  label={t(entry.label)}
                  leftSection={<EntryIcon size={22} stroke={1.6} />}
                  active={entry.path === activeEntryPath(shown.map((e) => e.path), location.pathname)}
                  onClick={() => setMenuOpen(false)}
                  styles={{ label: { fontSize: 'var(--mantine-font-size-md)' } }}
                  py="sm"
                  style={{ borderRadius: 'var(--mantine-radius-md)' }}
                />
              );
            })}
        </AppShell.Section>
        <AppShell.Section hiddenFrom="sm">
          <Button fullWidth variant="light" leftSection={<IconLogout size={18} />} onClick={() => void signOut()}>
            {t('auth.signOut')}
          </Button>
        </AppShell.Section>
      </AppShell.Navbar>

      <AppShell.Main bg="gray.0" id="main" tabIndex={-1}>
        <Routes>
          {entries.map((entry) => (
            <Route key={entry.path} path={entry.path} element={entry.element} />
          ))}
          <Route path="*" element={<NotFoundPage />} />
        </Routes>
      </AppShell.Main>
    </AppShell>
  );
}
