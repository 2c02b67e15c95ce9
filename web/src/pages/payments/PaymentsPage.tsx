import { useState } from 'react';
import { BarChart } from '@mantine/charts';
import { Alert, Badge, Button, Card, Group, Modal, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import type { PaymentRow } from '../../../../src/payments/service';
import { api, errorMessages } from '../../api';
import { DataState } from '../../components/DataState';
import { useFormat, useLang, useT } from '../../i18n';
import { useSession } from '../../session';
import { useApiGet } from '../../useApiGet';
import { DayInput } from '../billing/DayInput';
import { money } from '../billing/labels';

const CHANNELS = [
  { name: 'api', label: { uk: 'API агентів', en: 'Agent API' }, color: 'blue.6' },
  { name: 'debt', label: { uk: 'Приватбанк «Борг»', en: 'PrivatBank Debt' }, color: 'green.6' },
  { name: 'card', label: { uk: 'Картка (портал)', en: 'Card (portal)' }, color: 'orange.6' },
  { name: 'registry', label: { uk: 'Реєстри агентів', en: 'Agent registries' }, color: 'gray.6' },
] as const;

/** Money in per day, stacked by channel: the shape of a month at a glance. */
function DailyChart() {
  const t = useT();
  const format = useFormat();
  const daily = useApiGet<{ items: Array<{ day: string; channel: string; amount: number }> }>('/payments/daily', { days: 30 });
  return (
    <DataState state={daily}>
      {(data) => {
        const byDay = new Map<string, Record<string, number | string>>();
        for (const r of data.items) {
          const row = byDay.get(r.day) ?? { day: format.date(r.day) };
          row[r.channel] = r.amount / 100;
          byDay.set(r.day, row);
        }
        if (byDay.size === 0) return <Text c="dimmed" size="sm">{t({ uk: 'За 30 днів платежів немає', en: 'No payments in 30 days' })}</Text>;
        return (
          <BarChart
            h={220}
            data={[...byDay.values()]}
            dataKey="day"
            type="stacked"
            series={CHANNELS.map((c) => ({ name: c.name, label: t(c.label), color: c.color }))}
            valueFormatter={(v) => `${format.number(v, 2)} ₴`}
            withLegend
          />
        );
      }}
    </DataState>
  );
}

/** Find payments by unified account, transaction or day; reverse one with a reason. */
export function PaymentsPage() {
  const t = useT();
  const lang = useLang();
  const format = useFormat();
  /** The list's Kyiv time «YYYY-MM-DD HH:MI» written as the language writes dates: 07.12.2026, 14:06. */
  const shownAt = (at: string) => `${format.date(at)}, ${at.slice(11)}`;
  const [unifiedAccount, setUnifiedAccount] = useState('');
  const [txnId, setTxnId] = useState('');
  const [date, setDate] = useState('');
  const [query, setQuery] = useState<Record<string, string>>({});
  const { user } = useSession();
  // Staff who may reverse (the server checks the same); others see the payments only.
  const canReverse = user?.role === 'admin' || user?.role === 'operator';
  const [reversing, setReversing] = useState<PaymentRow | null>(null);
  const [reason, setReason] = useState('');
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const list = useApiGet<{ items: PaymentRow[] }>('/payments', query);

  const reverse = async (p: PaymentRow) => {
    setError(null);
    setSaving(true);
    try {
      await api.post(`/payments/${p.paymentId}/reverse`, { reason });
      setReversing(null);
      setReason('');
      list.reload();
    } catch (e) {
      setError(errorMessages(e)[lang]);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Stack>
      <Title order={1} size="h2">{t({ uk: 'Платежі', en: 'Payments' })}</Title>
      <Card withBorder>
        <Title order={4} mb="sm">{t({ uk: 'Надходження за днями і каналами', en: 'Money in per day and channel' })}</Title>
        <DailyChart />
      </Card>
      <Card withBorder>
        <Group align="end">
          <TextInput label={t({ uk: 'Єдиний рахунок', en: 'Unified account' })} value={unifiedAccount} onChange={(e) => setUnifiedAccount(e.currentTarget.value)} />
          <TextInput label={t({ uk: 'Транзакція агента', en: "Agent's transaction" })} value={txnId} onChange={(e) => setTxnId(e.currentTarget.value)} />
          <DayInput label={t({ uk: 'День', en: 'Day' })} value={date || null} onChange={(v) => setDate(v ?? '')} clearable />
          <Button onClick={() => setQuery(Object.fromEntries(Object.entries({ unifiedAccount, txnId, date }).filter(([, v]) => v.trim() !== '')))}>{t({ uk: 'Знайти', en: 'Find' })}</Button>
        </Group>
      </Card>
      <DataState state={list}>
        {(data) => data.items.length === 0 ? (
          <Text c="dimmed">
            {Object.keys(query).length > 0
              ? t({ uk: 'За цими умовами платежів не знайдено.', en: 'No payments match.' })
              : t({ uk: 'Платежів ще немає.', en: 'No payments yet.' })}
          </Text>
        ) : (
          <Table.ScrollContainer minWidth={760}>
            <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t({ uk: 'Час', en: 'Time' })}</Table.Th>
                <Table.Th>{t({ uk: 'Агент', en: 'Agent' })}</Table.Th>
                <Table.Th>{t({ uk: 'Транзакція', en: 'Transaction' })}</Table.Th>
                <Table.Th>{t({ uk: 'Єдиний рахунок', en: 'Unified account' })}</Table.Th>
                <Table.Th>{t({ uk: 'Сума', en: 'Amount' })}</Table.Th>
                <Table.Th>{t({ uk: 'Квитанція', en: 'Receipt' })}</Table.Th>
                <Table.Th>{t({ uk: 'Сторнування', en: 'Reversal' })}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.items.map((p) => (
                <Table.Tr key={p.paymentId}>
                  <Table.Td>{shownAt(p.paidAt)}</Table.Td>
                  <Table.Td>{p.agent} · {t(CHANNELS.find((c) => c.name === p.channel)?.label ?? { uk: p.channel, en: p.channel })}</Table.Td>
                  <Table.Td>{p.txnId}</Table.Td>
                  <Table.Td>{p.unifiedAccount}</Table.Td>
                  <Table.Td>{money(p.amount, format.locale)}</Table.Td>
                  <Table.Td><a href={`/api/receipts/${p.receiptCode}`} target="_blank" rel="noreferrer">{p.receiptCode}</a></Table.Td>
                  <Table.Td>
                    {p.status === 'cancelled' ? (
                      <Stack gap={2}>
                        <Badge color="red">{t({ uk: 'Сторновано', en: 'Reversed' })}</Badge>
                        {p.reversalReason && <Text size="xs" c="dimmed">{p.reversalReason}</Text>}
                      </Stack>
                    ) : canReverse ? (
                      <Button size="xs" color="red" variant="light" style={{ flexShrink: 0 }} onClick={() => { setError(null); setReason(''); setReversing(p); }}>
                        {t({ uk: 'Сторнувати…', en: 'Reverse…' })}
                      </Button>
                    ) : null}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          </Table.ScrollContainer>
        )}
      </DataState>
      <Modal opened={reversing !== null} onClose={() => setReversing(null)} title={t({ uk: 'Сторнувати платіж?', en: 'Reverse the payment?' })}>
        {reversing && (
          <form onSubmit={(e) => { e.preventDefault(); void reverse(reversing); }}>
            <Text mb="sm">
              {t(
                { uk: 'Платіж {a} ({agent}, {txn}) від {at} буде сторновано: гроші повернуться на борги кожного надавача, запис про це увійде в ланцюг платежів.', en: 'Payment {a} ({agent}, {txn}) of {at} is reversed: its money goes back onto each provider’s debt, and the reversal joins the payments chain.' },
                { a: money(reversing.amount, format.locale), agent: reversing.agent, txn: reversing.txnId, at: shownAt(reversing.paidAt) },
              )}
            </Text>
            <TextInput label={t({ uk: 'Причина', en: 'Reason' })} value={reason} onChange={(e) => setReason(e.currentTarget.value)} required maxLength={500} data-autofocus mb="md" />
            {error && <Alert color="red" mb="md">{error}</Alert>}
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setReversing(null)}>{t({ uk: 'Скасувати', en: 'Cancel' })}</Button>
              <Button type="submit" color="red" loading={saving} disabled={!reason.trim()}>{t({ uk: 'Сторнувати', en: 'Reverse' })}</Button>
            </Group>
          </form>
        )}
      </Modal>
    </Stack>
  );
}
