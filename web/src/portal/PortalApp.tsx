import { useEffect, type CSSProperties } from 'react';
import { Anchor, Box, Button, Center, Container, Group, Loader, Text } from '@mantine/core';
import { Link, Navigate, Route, Routes, useParams } from 'react-router';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { useT } from '../i18n';
import { useSession } from '../session';
import { PortalConfirm, PortalReset, PortalSignIn, PortalSignUp } from './AccountPages';
import { PortalBill, PortalBills, PortalHome, PortalSessions, PortalShare } from './HomePages';
import { PortalHistory, PortalPay, PortalReadings } from './ActionPages';
import { useOnline } from './common';
import { startQueue } from './queue';

let queueStarted = false;

/** The residents' portal: its own route tree under /portal, phone first, large type. */
export function PortalApp() {
  const t = useT();
  const { user, signOut } = useSession();
  const online = useOnline();
  useEffect(() => {
    if (user && !queueStarted) {
      queueStarted = true;
      startQueue();
    }
  }, [user]);
  const resident = user?.role === 'resident';
  return (
    <Box bg="gray.0" mih="100vh" fz="lg" style={{ "--mantine-color-anchor": "var(--mantine-color-blue-9)", "--mantine-color-dimmed": "var(--mantine-color-gray-8)", "--mantine-color-blue-filled": "var(--mantine-color-blue-9)", "--mantine-color-blue-filled-hover": "var(--mantine-color-blue-8)", "--mantine-color-blue-light-color": "var(--mantine-color-blue-9)" } as CSSProperties}>
      <Box component="header" bg="white" px="md" py="sm" style={{ borderBottom: "1px solid var(--mantine-color-gray-4)" }}>
        <Group justify="space-between" wrap="nowrap" maw={640} mx="auto">
          <Anchor component={Link} to="/portal" c="blue.9" fw={700} fz={{ base: 'lg', sm: 'xl' }} underline="never" style={{ minWidth: 0 }}>
            {t({ uk: 'Громада · Мій рахунок', en: 'Hromada · My bill' })}
          </Anchor>
          {/* The switch keeps its width on a phone; the name wraps instead. */}
          <Box style={{ flexShrink: 0 }}>
            <LanguageSwitch />
          </Box>
        </Group>
      </Box>
      {!online && (
        <Text bg="yellow.2" c="dark.9" ta="center" py={4} role="status">
          {t({ uk: 'Немає зв’язку з мережею', en: 'No network connection' })}
        </Text>
      )}
      <Container size={640} px="md" py="lg" component="main">
        {user === undefined ? (
          <Center>
            <Loader aria-label={t('app.loading')} />
          </Center>
        ) : (
          // The portal's own route tree, outside the staff app's: every path is absolute under /portal.
          <Routes>
            <Route path="/portal/sign-up" element={<PortalSignUp />} />
            <Route path="/portal/confirm" element={<PortalConfirm />} />
            <Route path="/portal/reset" element={<PortalReset />} />
            {!user ? (
              <Route path="*" element={<PortalSignIn />} />
            ) : !resident ? (
              <Route path="*" element={<Navigate to="/" replace />} />
            ) : (
              <>
                <Route path="/portal" element={<PortalHome />} />
                <Route path="/portal/sessions" element={<PortalSessions />} />
                <Route path="/portal/premises/:id/:page" element={<PremisePage />} />
                <Route path="/portal/premises/:id/bills/:period" element={<BillPage />} />
                <Route path="*" element={<Navigate to="/portal" replace />} />
              </>
            )}
          </Routes>
        )}
      </Container>
      {resident && (
        <Group component="footer" justify="center" py="lg" gap="lg">
          <Anchor component={Link} to="/portal/sessions">
            {t({ uk: 'Мої сеанси', en: 'My sessions' })}
          </Anchor>
          <Button variant="subtle" onClick={() => void signOut()}>
            {t({ uk: 'Вийти', en: 'Sign out' })}
          </Button>
        </Group>
      )}
    </Box>
  );
}

function PremisePage() {
  const { id, page } = useParams();
  const premiseId = Number(id);
  switch (page) {
    case 'bills':
      return <PortalBills premiseId={premiseId} />;
    case 'pay':
      return <PortalPay premiseId={premiseId} />;
    case 'readings':
      return <PortalReadings premiseId={premiseId} />;
    case 'history':
      return <PortalHistory premiseId={premiseId} />;
    case 'share':
      return <PortalShare premiseId={premiseId} />;
    default:
      return <Navigate to="/portal" replace />;
  }
}

function BillPage() {
  const { id, period } = useParams();
  return <PortalBill premiseId={Number(id)} period={period ?? ''} />;
}
