import { useState } from 'react';
import { Alert, Anchor, Badge, Button, Card, Group, Stack, Table, Text, TextInput } from '@mantine/core';
import { Link, useNavigate } from 'react-router';
import type { home as homeOf, bills as billsOf, listSessions } from '../../../src/portal/service';
import type { BillModel } from '../../../src/bills/model';
import { api, errorMessages } from '../api';
import { DataState } from '../components/DataState';
import { useFormat, useT } from '../i18n';
import { useApiGet } from '../useApiGet';
import { PortalPage, Problem, useMoney } from './common';

export type Home = Awaited<ReturnType<typeof homeOf>>[number];
type BillRow = Awaited<ReturnType<typeof billsOf>>[number];
type SessionRow = Awaited<ReturnType<typeof listSessions>>[number];

/** The resident's homes as the home page has them, and one of them: the pages of one household read it. */
export function useHome(premiseId: number) {
  const state = useApiGet<{ items: Home[] }>('/portal/home');
  return { state, premise: state.data?.items.find((p) => p.premiseId === premiseId) };
}

const LAST_BILL_KEY = 'hromada.portal.last-bill';

export function PortalHome() {
  const format = useFormat();
  const t = useT();
  const fmt = useMoney();
  const state = useApiGet<{ items: Home[] }>('/portal/home');
  return (
    <PortalPage title={{ uk: 'Мої помешкання', en: 'My homes' }}>
      <DataState state={state}>
        {({ items }) => (
          <Stack>
            {items.length === 0 && <Text fz="lg">{t({ uk: 'Прив’яжіть своє помешкання за номером єдиного рахунку з паперового рахунку.', en: 'Link your home by the unified account number from your paper bill.' })}</Text>}
            {items.map((p) => (
              <Card key={p.premiseId} withBorder padding="lg" component="section" aria-label={p.address}>
                <Text fw={700} fz="xl">
                  {p.address}
                </Text>
                <Text c="gray.8">
                  {t({ uk: 'Єдиний рахунок', en: 'Unified account' })} {p.unifiedAccount}
                </Text>
                <Group justify="space-between" mt="md" align="flex-end">
                  <div>
                    <Text fz="md" c="gray.8">
                      {t({ uk: 'До сплати', en: 'To pay' })}
                    </Text>
                    <Text fz={32} fw={700} data-testid="to-pay">
                      {fmt(p.toPay)}
                    </Text>
                    {p.dueDate && (
                      <Text fz="md">
                        {t({ uk: 'Сплатити до', en: 'Due by' })} {format.date(p.dueDate)}
                      </Text>
                    )}
                    {p.advance > 0 && <Text fz="md">{t({ uk: 'Аванс', en: 'Advance' })}: {fmt(p.advance)}</Text>}
                  </div>
                  <Button component={Link} to={`/portal/premises/${p.premiseId}/pay`} size="lg" disabled={p.toPay <= 0 && p.advance <= 0 && false}>
                    {t({ uk: 'Сплатити', en: 'Pay' })}
                  </Button>
                </Group>
                {p.alerts.map((a, i) => (
                  <Alert key={i} mt="sm" color={a.kind === 'overdue' || a.kind === 'verification' ? 'red' : 'blue'} variant="light" fz="md">
                    {t({ uk: a.uk, en: a.en })}
                  </Alert>
                ))}
                <Table mt="md" aria-label={t({ uk: 'За послугами', en: 'By service' })}>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t({ uk: 'Послуга і постачальник', en: 'Service and provider' })}</Table.Th>
                      <Table.Th ta="right">{t({ uk: 'До сплати', en: 'To pay' })}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {p.lines.map((l) => (
                      <Table.Tr key={l.accountNumber}>
                        <Table.Td>
                          {t({ uk: l.service, en: l.serviceEn })}
                          <Text fz="sm" c="gray.8">
                            {l.provider}
                          </Text>
                        </Table.Td>
                        <Table.Td ta="right">{fmt(l.toPay)}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
                {p.lastPayment && (
                  <Text mt="sm" fz="md" data-testid="last-payment">
                    {t({ uk: 'Остання оплата', en: 'Last payment' })}: {fmt(p.lastPayment.amount)}, {format.dateTime(p.lastPayment.paidAt)}{' '}
                    <Anchor href={`/api/receipts/${p.lastPayment.receiptCode}`}>{t({ uk: 'квитанція', en: 'receipt' })}</Anchor>
                  </Text>
                )}
                <Group mt="md" gap="sm">
                  <Button variant="light" component={Link} to={`/portal/premises/${p.premiseId}/bills`}>
                    {t({ uk: 'Рахунки', en: 'Bills' })}
                  </Button>
                  <Button variant="light" component={Link} to={`/portal/premises/${p.premiseId}/readings`}>
                    {t({ uk: 'Показники', en: 'Readings' })}
                  </Button>
                  <Button variant="light" component={Link} to={`/portal/premises/${p.premiseId}/history`}>
                    {t({ uk: 'Історія', en: 'History' })}
                  </Button>
                  <Button variant="light" component={Link} to={`/portal/premises/${p.premiseId}/share`}>
                    {t({ uk: 'Доступ', en: 'Access' })}
                  </Button>
                </Group>
              </Card>
            ))}
            <LinkForm onLinked={state.reload} />
          </Stack>
        )}
      </DataState>
    </PortalPage>
  );
}

function LinkForm({ onLinked }: { onLinked: () => void }) {
  const t = useT();
  const [unifiedAccount, setUa] = useState('');
  const [proof, setProof] = useState('');
  const [invite, setInvite] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async (fn: () => Promise<unknown>) => {
    setError(null);
    setBusy(true);
    try {
      await fn();
      setUa('');
      setProof('');
      setInvite('');
      onLinked();
    } catch (e) {
      setError(t(errorMessages(e)));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card withBorder padding="lg" component="section" aria-label={t({ uk: 'Прив’язати помешкання', en: 'Link a home' })}>
      <Text fw={700} fz="xl" mb="sm">
        {t({ uk: 'Прив’язати помешкання', en: 'Link a home' })}
      </Text>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void run(() => api.post('/portal/premises', { unifiedAccount, proof }));
        }}
      >
        <Stack>
          <TextInput label={t({ uk: 'Номер єдиного рахунку (10 цифр)', en: 'Unified account number (10 digits)' })} value={unifiedAccount} onChange={(e) => setUa(e.currentTarget.value)} inputMode="numeric" required />
          <TextInput
            label={t({ uk: 'Сума «До сплати» з останнього рахунку', en: 'The "To pay" total of the last bill' })}
            description={t({ uk: 'Як надруковано, напр. 1234,56', en: 'As printed, e.g. 1234.56' })}
            value={proof}
            onChange={(e) => setProof(e.currentTarget.value)}
            inputMode="decimal"
            required
          />
          <Problem text={error} />
          <Button type="submit" loading={busy} size="lg">
            {t({ uk: 'Прив’язати', en: 'Link' })}
          </Button>
        </Stack>
      </form>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void run(() => api.post('/portal/invites/accept', { code: invite }));
        }}
      >
        <Group mt="md" align="flex-end">
          <TextInput label={t({ uk: 'Або код запрошення від родини', en: 'Or an invitation code from family' })} value={invite} onChange={(e) => setInvite(e.currentTarget.value)} style={{ flex: 1 }} />
          <Button type="submit" variant="light" disabled={!invite}>
            {t({ uk: 'Приєднатися', en: 'Join' })}
          </Button>
        </Group>
      </form>
    </Card>
  );
}

export function PortalShare({ premiseId }: { premiseId: number }) {
  const t = useT();
  const navigate = useNavigate();
  const [code, setCode] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  return (
    <PortalPage title={{ uk: 'Доступ до помешкання', en: 'Access to the home' }} back="/portal">
      <Text fz="lg">{t({ uk: 'Запросіть члена родини: передайте йому код, він введе його на головній сторінці.', en: 'Invite a family member: give them the code to type on their home page.' })}</Text>
      <Button
        onClick={() =>
          api.post<{ code: string }>(`/portal/premises/${premiseId}/invites`).then(
            (r) => setCode(r.code),
            (e: unknown) => setError(t(errorMessages(e))),
          )
        }
      >
        {t({ uk: 'Створити код запрошення', en: 'Make an invitation code' })}
      </Button>
      {code && (
        <Text fz={28} fw={700} role="status">
          {code}
        </Text>
      )}
      <Problem text={error} />
      <Button
        color="red"
        variant="light"
        onClick={() =>
          api.delete(`/portal/premises/${premiseId}`).then(
            () => navigate('/portal'),
            (e: unknown) => setError(t(errorMessages(e))),
          )
        }
      >
        {t({ uk: 'Відв’язати помешкання', en: 'Unlink the home' })}
      </Button>
    </PortalPage>
  );
}

export function PortalBills({ premiseId }: { premiseId: number }) {
  const t = useT();
  const fmt = useMoney();
  const state = useApiGet<{ items: BillRow[] }>(`/portal/premises/${premiseId}/bills`);
  const { premise } = useHome(premiseId);
  const [delivery, setDelivery] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const current = delivery ?? premise?.delivery;
  return (
    <PortalPage title={{ uk: 'Рахунки', en: 'Bills' }} back="/portal">
      <DataState state={state}>
        {({ items }) => (
          <Table aria-label={t({ uk: 'Рахунки за періодами', en: 'Bills by period' })}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t({ uk: 'Період', en: 'Period' })}</Table.Th>
                <Table.Th ta="right">{t({ uk: 'До сплати', en: 'To pay' })}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((b) => (
                <Table.Tr key={b.period}>
                  <Table.Td>
                    <Anchor component={Link} to={`/portal/premises/${premiseId}/bills/${b.period}`} fz="lg">
                      {b.period.slice(0, 7)}
                    </Anchor>
                  </Table.Td>
                  <Table.Td ta="right">{fmt(b.toPay)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </DataState>
      {current && (
        <Card withBorder>
          <Text fz="lg">
            {t({ uk: 'Доставка', en: 'Delivery' })}: {current === 'ebill' ? t({ uk: 'лише електронний рахунок', en: 'e-bill only' }) : t({ uk: 'паперовий рахунок', en: 'paper bill' })}
          </Text>
          <Button
            mt="sm"
            variant="light"
            onClick={() =>
              api.put<{ method: string }>(`/portal/premises/${premiseId}/delivery`, { ebill: current !== 'ebill' }).then(
                (r) => {
                  setError(null);
                  setDelivery(r.method);
                },
                (e: unknown) => setError(t(errorMessages(e))),
              )
            }
          >
            {current === 'ebill' ? t({ uk: 'Повернути паперовий', en: 'Back to paper' }) : t({ uk: 'Лише електронний рахунок', en: 'E-bill only' })}
          </Button>
          <Problem text={error} />
        </Card>
      )}
    </PortalPage>
  );
}

/** One bill from the model the PDF prints; the last one opened is kept for reading offline. */
export function PortalBill({ premiseId, period }: { premiseId: number; period: string }) {
  const format = useFormat();
  const t = useT();
  const fmt = useMoney();
  const state = useApiGet<BillModel>(`/bills/premises/${premiseId}`, { period });
  // The bill is what was owed when it was made; what is owed now may differ (a payment since).
  const now = useHome(premiseId).premise;
  let model = state.data;
  let offline = false;
  if (model) {
    localStorage.setItem(LAST_BILL_KEY, JSON.stringify({ premiseId, period, model }));
  } else if (state.error) {
    const kept = JSON.parse(localStorage.getItem(LAST_BILL_KEY) ?? 'null') as { premiseId: number; period: string; model: BillModel } | null;
    if (kept && kept.premiseId === premiseId && kept.period === period) {
      model = kept.model;
      offline = true;
    }
  }
  return (
    <PortalPage title={{ uk: `Рахунок за ${period.slice(0, 7)}`, en: `Bill for ${period.slice(0, 7)}` }} back={`/portal/premises/${premiseId}/bills`}>
      {!model ? (
        <DataState state={state}>{() => null}</DataState>
      ) : (
        <Stack>
          {offline && <Alert color="yellow">{t({ uk: 'Немає зв’язку: показано збережений рахунок', en: 'Offline: showing the saved bill' })}</Alert>}
          <Text fz="lg">{model.addressee.lines.join(', ')}</Text>
          <Text fz="lg">
            {t({ uk: 'Єдиний рахунок', en: 'Unified account' })} {model.unifiedAccount}
          </Text>
          <Table aria-label={t({ uk: 'Послуги', en: 'Services' })}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t({ uk: 'Послуга', en: 'Service' })}</Table.Th>
                <Table.Th ta="right">{t({ uk: 'Нараховано', en: 'Charged' })}</Table.Th>
                <Table.Th ta="right">{t({ uk: 'До сплати', en: 'To pay' })}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {model.services.map((s) => (
                <Table.Tr key={s.accountId}>
                  <Table.Td>{t({ uk: s.service, en: s.serviceEn })}</Table.Td>
                  <Table.Td ta="right">{fmt(s.charged)}</Table.Td>
                  <Table.Td ta="right">{fmt(s.toPay)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Text fz={28} fw={700} data-testid="bill-to-pay">
            {t({ uk: 'До сплати', en: 'To pay' })}: {fmt(model.toPay)}
          </Text>
          {model.dueDate && (
            <Text fz="lg">
              {t({ uk: 'Сплатити до', en: 'Due by' })} {format.date(model.dueDate)}
            </Text>
          )}
          {!offline && now && now.toPay !== model.toPay && (
            <Alert color="blue" fz="lg" data-testid="to-pay-now">
              {t({ uk: 'Зараз до сплати, з урахуванням платежів після рахунку: {a}', en: 'To pay now, counting the payments since this bill: {a}' }, { a: fmt(now.toPay) })}{' '}
              <Anchor component={Link} to={`/portal/premises/${premiseId}/pay`}>
                {t({ uk: 'Сплатити', en: 'Pay' })}
              </Anchor>
            </Alert>
          )}
          <Group>
            <Button component="a" href={`/api/bills/premises/${premiseId}/pdf?period=${period}`} variant="light">
              PDF
            </Button>
            <Button component="a" href={`/api/bills/premises/${premiseId}/html?period=${period}`} variant="light" target="_blank">
              {t({ uk: 'Версія для друку', en: 'Printable version' })}
            </Button>
          </Group>
        </Stack>
      )}
    </PortalPage>
  );
}

export function PortalSessions() {
  const format = useFormat();
  const t = useT();
  const state = useApiGet<{ items: SessionRow[] }>('/portal/sessions');
  const [error, setError] = useState<string | null>(null);
  return (
    <PortalPage title={{ uk: 'Мої сеанси', en: 'My sessions' }} back="/portal">
      <DataState state={state}>
        {({ items }) => (
          <Stack>
            {items.map((s) => (
              <Card key={s.id} withBorder>
                <Group justify="space-between">
                  <div>
                    <Text fz="lg">{format.dateTime(s.createdAt)}</Text>
                    {s.current && <Badge color="green">{t({ uk: 'Цей пристрій', en: 'This device' })}</Badge>}
                  </div>
                  {!s.current && (
                    <Button variant="light" color="red" onClick={() => api.delete(`/portal/sessions/${s.id}`).then(state.reload, (e: unknown) => setError(t(errorMessages(e))))}>
                      {t({ uk: 'Завершити', en: 'End' })}
                    </Button>
                  )}
                </Group>
              </Card>
            ))}
          </Stack>
        )}
      </DataState>
      <Problem text={error} />
    </PortalPage>
  );
}
