import { useEffect, useState } from 'react';
import { BarChart, LineChart } from '@mantine/charts';
import { Alert, Anchor, Badge, Button, Card, Checkbox, Group, Loader, NumberInput, Stack, Text, TextInput } from '@mantine/core';
import { Link } from 'react-router';
import type { HistoryMonth } from '../../../src/portal/history';
import type { payments as paymentsOf } from '../../../src/portal/service';
import { api, ApiError, errorMessages } from '../api';
import { DataState } from '../components/DataState';
import { useFormat, useT } from '../i18n';
import { useApiGet } from '../useApiGet';
import { PortalPage, Problem, useMoney, useOnline } from './common';
import { useHome } from './HomePages';
import { enqueueReading, flushQueue, newIdempotencyKey, onQueueChange, queuedReadings, sendReading, type SentReading } from './queue';

interface CardOrder {
  orderId: string;
  amount: number;
  status: 'pending' | 'paid' | 'declined' | 'reversed';
  receiptCode: string | null;
}

export function PortalPay({ premiseId }: { premiseId: number }) {
  const t = useT();
  const fmt = useMoney();
  const { state, premise } = useHome(premiseId);
  const [perService, setPerService] = useState(false);
  const [amounts, setAmounts] = useState<Record<string, number>>({});
  const [total, setTotal] = useState<number | null>(null);
  const [card, setCard] = useState('4242 4242 4242 4242');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [paid, setPaid] = useState<{ amount: number; receiptCode: string | null } | null>(null);
  /** An order the bank has not answered yet: the page asks after it until it is paid or declined. */
  const [waiting, setWaiting] = useState<{ orderId: string; amount: number } | null>(null);
  useEffect(() => {
    if (premise && total === null) {
      setTotal(premise.toPay / 100);
      setAmounts(Object.fromEntries(premise.lines.map((l) => [l.serviceCode, l.toPay / 100])));
    }
  }, [premise, total]);
  const toKop = (uah: number | string | undefined) => Math.round(Number(uah ?? 0) * 100);
  const submit = async () => {
    setError(null);
    setBusy(true);
    try {
      const body = perService
        ? { card, split: Object.entries(amounts).map(([serviceCode, uah]) => ({ serviceCode, amount: toKop(uah) })) }
        : { card, amount: toKop(total ?? 0) };
      const r = await api.post<CardOrder>(`/portal/premises/${premiseId}/pay`, body);
      if (r.status === 'pending') setWaiting({ orderId: r.orderId, amount: r.amount });
      else setPaid(r);
      state.reload();
    } catch (e) {
      setError(t(errorMessages(e)));
    } finally {
      setBusy(false);
    }
  };
  useEffect(() => {
    if (!waiting) return;
    const timer = setInterval(() => {
      api.get<CardOrder>(`/payments/card/orders/${waiting.orderId}`).then(
        (o) => {
          if (o.status === 'pending') return;
          setWaiting(null);
          if (o.status === 'paid') setPaid({ amount: waiting.amount, receiptCode: o.receiptCode });
          else setError(t({ uk: 'Банк відхилив оплату карткою: нічого не списано', en: 'The bank declined the card payment: nothing was charged' }));
          state.reload();
        },
        () => undefined, // asked again on the next tick
      );
    }, 1000);
    return () => clearInterval(timer);
  }, [waiting]);
  return (
    <PortalPage title={{ uk: 'Оплата', en: 'Payment' }} back="/portal">
      <DataState state={state}>
        {() =>
          !premise ? null : (
            <Stack>
              <Text fz="lg">{premise.address}</Text>
              <Text fz="lg">
                {t({ uk: 'Зараз до сплати', en: 'Now to pay' })}: <b data-testid="pay-to-pay">{fmt(premise.toPay)}</b>
              </Text>
              {waiting ? (
                <Alert color="blue" role="status" fz="lg">
                  <Group gap="sm">
                    <Loader size="sm" />
                    {t({ uk: 'Банк обробляє оплату', en: 'The bank is processing the payment' })}: {fmt(waiting.amount)}…
                  </Group>
                </Alert>
              ) : paid ? (
                <Alert color="green" role="status" fz="lg">
                  <Stack gap="sm">
                    <Text fz="lg">
                      {t({ uk: 'Оплату прийнято', en: 'Payment accepted' })}: {fmt(paid.amount)}.
                    </Text>
                    <Group gap="sm">
                      {paid.receiptCode && (
                        <Button component="a" href={`/api/receipts/${paid.receiptCode}`} variant="filled" color="green.9">
                          {t({ uk: 'Квитанція', en: 'Receipt' })}
                        </Button>
                      )}
                      <Button component={Link} to="/portal" variant="default">
                        {t({ uk: 'На головну', en: 'Home' })}
                      </Button>
                    </Group>
                  </Stack>
                </Alert>
              ) : (
                <form
                  onSubmit={(e) => {
                    e.preventDefault();
                    void submit();
                  }}
                >
                  <Stack>
                    <Checkbox size="md" label={t({ uk: 'Змінити суми за послугами', en: 'Edit the amounts per service' })} checked={perService} onChange={(e) => setPerService(e.currentTarget.checked)} />
                    {perService ? (
                      premise.lines.map((l) => (
                        <NumberInput key={l.accountNumber} label={`${t({ uk: l.service, en: l.serviceEn })} (${l.provider})`} value={amounts[l.serviceCode] ?? 0} onChange={(v) => setAmounts((a) => ({ ...a, [l.serviceCode]: Number(v) || 0 }))} decimalScale={2} decimalSeparator="," min={0} suffix=" ₴" />
                      ))
                    ) : (
                      <NumberInput label={t({ uk: 'Сума, ₴', en: 'Amount, ₴' })} value={total ?? 0} onChange={(v) => setTotal(Number(v) || 0)} decimalScale={2} decimalSeparator="," />
                    )}
                    <TextInput
                      label={t({ uk: 'Номер картки', en: 'Card number' })}
                      description={t({ uk: 'Пісочниця: 4242 4242 4242 4242 — успіх, 4000 0000 0000 0002 — відмова', en: 'Sandbox: 4242 4242 4242 4242 approves, 4000 0000 0000 0002 declines' })}
                      value={card}
                      onChange={(e) => setCard(e.currentTarget.value)}
                      inputMode="numeric"
                      autoComplete="cc-number"
                    />
                    <Problem text={error} />
                    <Button type="submit" size="lg" loading={busy}>
                      {t({ uk: 'Сплатити', en: 'Pay' })}
                    </Button>
                  </Stack>
                </form>
              )}
            </Stack>
          )
        }
      </DataState>
    </PortalPage>
  );
}

interface MeterView {
  meterId: number;
  serial: string;
  zones: number;
  status: string;
  verifiedUntil: string | null;
  serviceNameUk: string;
  serviceNameEn: string;
  unit: string;
  readings: { readOn: string; values: string[]; status: string }[];
}

function useQueue() {
  const [items, setItems] = useState(queuedReadings);
  useEffect(() => onQueueChange(() => setItems(queuedReadings())), []);
  return items;
}

export function PortalReadings({ premiseId }: { premiseId: number }) {
  const t = useT();
  const state = useApiGet<MeterView[]>(`/metering/premises/${premiseId}/meters`);
  const queue = useQueue();
  const online = useOnline();
  useEffect(() => {
    if (online) void flushQueue().then((n) => n > 0 && state.reload());
  }, [online]);
  return (
    <PortalPage title={{ uk: 'Показники лічильників', en: 'Meter readings' }} back="/portal">
      {!online && <Alert color="yellow" role="status">{t({ uk: 'Немає зв’язку. Показники збережемо й надішлемо, щойно він з’явиться.', en: 'Offline. Readings are kept and sent as soon as the connection is back.' })}</Alert>}
      {queue.length > 0 && (
        <Alert color="blue" role="status" data-testid="queue">
          {t({ uk: `У черзі на надсилання: ${queue.length}`, en: `Waiting to be sent: ${queue.length}` })}
        </Alert>
      )}
      <DataState state={state}>
        {(meters) => (
          <Stack>
            {meters.length === 0 && <Text fz="lg">{t({ uk: 'Лічильників немає', en: 'No meters' })}</Text>}
            {meters.map((m) => (
              <MeterCard key={m.meterId} meter={m} onSent={state.reload} />
            ))}
          </Stack>
        )}
      </DataState>
    </PortalPage>
  );
}

function MeterCard({ meter, onSent }: { meter: MeterView; onSent: () => void }) {
  const t = useT();
  const [values, setValues] = useState<string[]>(Array.from({ length: meter.zones }, () => ''));
  const [result, setResult] = useState<SentReading | null>(null);
  const [queued, setQueued] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const last = meter.readings[0];
  const name = t({ uk: meter.serviceNameUk, en: meter.serviceNameEn });
  const submit = async () => {
    setError(null);
    setResult(null);
    setQueued(false);
    const item = { meterId: meter.meterId, serial: meter.serial, values: values.map((v) => v.trim().replace(',', '.')), idempotencyKey: newIdempotencyKey(), queuedAt: new Date().toISOString() };
    try {
      const r = await sendReading(item);
      setResult(r);
      if (r.status !== 'rejected') onSent();
    } catch (e) {
      if (e instanceof ApiError && e.status === 0) {
        enqueueReading(item);
        setQueued(true);
      } else setError(t(errorMessages(e)));
    }
  };
  return (
    <Card withBorder padding="lg" component="section" aria-label={`${name} ${meter.serial}`}>
      <Text fw={700} fz="xl">
        {name}
      </Text>
      <Text c="gray.8">
        {t({ uk: 'Лічильник', en: 'Meter' })} {meter.serial}
        {meter.verifiedUntil ? `, ${t({ uk: 'повірка до', en: 'verified until' })} ${meter.verifiedUntil}` : ''}
      </Text>
      <Text fz="lg" mt="xs">
        {t({ uk: 'Останній показник', en: 'Last reading' })}: {last ? `${last.values.join(' / ')} ${meter.unit} (${last.readOn})` : '—'}
      </Text>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <Group align="flex-end" mt="sm">
          {values.map((v, i) => (
            <TextInput
              key={i}
              label={meter.zones > 1 ? t({ uk: `Новий показник, зона ${i + 1}`, en: `New reading, zone ${i + 1}` }) : t({ uk: `Новий показник (${meter.serial})`, en: `New reading (${meter.serial})` })}
              value={v}
              onChange={(e) => {
                const next = [...values];
                next[i] = e.currentTarget.value;
                setValues(next);
              }}
              inputMode="decimal"
              required
              style={{ flex: 1, minWidth: 140 }}
            />
          ))}
          <Button type="submit">{t({ uk: 'Надіслати', en: 'Send' })}</Button>
        </Group>
      </form>
      {queued && (
        <Alert mt="sm" color="blue" role="status">
          {t({ uk: 'Збережено в черзі: надішлемо, коли з’явиться зв’язок', en: 'Queued: it will be sent when the connection is back' })}
        </Alert>
      )}
      {result && (
        <Alert mt="sm" color={result.status === 'rejected' ? 'red' : result.status === 'accepted' ? 'green' : 'yellow'} role="status">
          <Text>{t({ uk: result.message_uk, en: result.message_en })}</Text>
          {result.volumes.some((v) => v !== null) && (
            <Text>
              {t({ uk: 'Спожито', en: 'Used' })}: {result.volumes.map((v) => v ?? '—').join(' / ')} {meter.unit}
            </Text>
          )}
          {result.messages.filter((m) => m.level !== 'reject').map((m, i) => (
            <Text key={i}>{t({ uk: m.uk, en: m.en })}</Text>
          ))}
        </Alert>
      )}
      <Problem text={error} />
    </Card>
  );
}

export function PortalHistory({ premiseId }: { premiseId: number }) {
  const t = useT();
  const [months, setMonths] = useState(12);
  const state = useApiGet<{ items: HistoryMonth[] }>(`/portal/premises/${premiseId}/history`, { months });
  return (
    <PortalPage title={{ uk: 'Історія', en: 'History' }} back="/portal">
      <Group>
        {[12, 24].map((m) => (
          <Button key={m} variant={months === m ? 'filled' : 'light'} onClick={() => setMonths(m)}>
            {t({ uk: `${m} місяців`, en: `${m} months` })}
          </Button>
        ))}
      </Group>
      <DataState state={state}>
        {({ items }) => {
          const services = [...new Set(items.flatMap((m) => Object.keys(m.consumption)))];
          const money = items.map((m) => ({ month: m.period.slice(0, 7), charged: m.charged / 100, paid: m.paid / 100 }));
          const used = items.map((m) => ({ month: m.period.slice(0, 7), ...Object.fromEntries(services.map((s) => [s, Number(m.consumption[s] ?? 0)])) }));
          const colors = ['blue.7', 'teal.7', 'grape.7', 'orange.8', 'red.7'];
          return (
            <Stack>
              <Card withBorder>
                <Text fw={700} fz="lg" mb="sm">
                  {t({ uk: 'Нараховано і сплачено, ₴', en: 'Charged and paid, ₴' })}
                </Text>
                <BarChart h={260} data={money} dataKey="month" withLegend series={[{ name: 'charged', label: t({ uk: 'Нараховано', en: 'Charged' }), color: 'blue.7' }, { name: 'paid', label: t({ uk: 'Сплачено', en: 'Paid' }), color: 'teal.7' }]} />
              </Card>
              {services.length > 0 && (
                <Card withBorder>
                  <Text fw={700} fz="lg" mb="sm">
                    {t({ uk: 'Споживання', en: 'Consumption' })}
                  </Text>
                  <LineChart h={260} data={used} dataKey="month" withLegend series={services.map((s, i) => ({ name: s, color: colors[i % colors.length]! }))} />
                </Card>
              )}
            </Stack>
          );
        }}
      </DataState>
      <PaymentsCard premiseId={premiseId} />
    </PortalPage>
  );
}

type PaidItem = Awaited<ReturnType<typeof paymentsOf>>[number];

/** The household's payments, newest first, each with its receipt: the proof a payer keeps. */
function PaymentsCard({ premiseId }: { premiseId: number }) {
  const t = useT();
  const format = useFormat();
  const fmt = useMoney();
  const state = useApiGet<{ items: PaidItem[] }>(`/portal/premises/${premiseId}/payments`);
  return (
    <Card withBorder>
      <Text fw={700} fz="lg" mb="sm">
        {t({ uk: 'Платежі', en: 'Payments' })}
      </Text>
      <DataState state={state}>
        {({ items }) =>
          items.length === 0 ? (
            <Text fz="md">{t({ uk: 'Платежів ще не було.', en: 'No payments yet.' })}</Text>
          ) : (
            <Stack gap="xs" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }} aria-label={t({ uk: 'Платежі', en: 'Payments' })}>
              {items.map((p, i) => (
                <Group component="li" key={i} justify="space-between" wrap="nowrap" gap="sm">
                  <div>
                    <Text fz="md" fw={600}>{fmt(p.amount)}</Text>
                    <Text fz="sm" c="gray.8">
                      {format.dateTime(p.paidAt)} · {p.channel === 'card' ? t({ uk: 'карткою на порталі', en: 'by card on the portal' }) : p.agent}
                    </Text>
                  </div>
                  {p.reversed ? (
                    <Badge color="gray" variant="light">{t({ uk: 'сторновано', en: 'reversed' })}</Badge>
                  ) : (
                    <Anchor fz="md" href={`/api/receipts/${p.receiptCode}`}>{t({ uk: 'квитанція', en: 'receipt' })}</Anchor>
                  )}
                </Group>
              ))}
            </Stack>
          )
        }
      </DataState>
    </Card>
  );
}
