import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { Alert, Anchor, Badge, Button, Group, Paper, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { api, errorMessages } from '../../api';
import { useFormat, useT } from '../../i18n';
import { useSession } from '../../session';
import { useApiGet } from '../../useApiGet';
import { DataState } from '../../components/DataState';
import { PageHeader } from '../../components/PageHeader';
import { KIND_LABELS, label, METHOD_LABELS, money } from './labels';
import type { AccountCard } from './types';

/** A personal account: balance, statements per period, the ledger, the lines awaiting close; adjustments. */
export function AccountCardPage() {
  const t = useT();
  const format = useFormat();
  const { id } = useParams();
  const { user } = useSession();
  const card = useApiGet<AccountCard>(`/billing/accounts/${id}`);
  const canAdjust = user?.role === 'admin' || user?.role === 'operator';
  const m = (k: number) => money(k, format.locale);

  return (
    <DataState state={card}>
      {(data) => (
        <>
          <PageHeader
            title={`${data.account.service} · ${data.account.number}`}
            subtitle={
              <>
                {data.account.provider} · <Anchor component={Link} to={`/premises/${data.account.premise_id}`}>{data.account.address}</Anchor>
                {data.account.unified_account && (
                  <>
                    {' · '}
                    <Anchor component={Link} to={`/billing/premises/${data.account.premise_id}`}>
                      {t({ uk: 'ЄР', en: 'unified account' })} {data.account.unified_account}
                    </Anchor>
                  </>
                )}
              </>
            }
          />
          <SimpleGrid cols={{ base: 1, sm: 2 }} mb="md">
            <Paper withBorder p="md">
              <Text c="dimmed">{data.balance > 0 ? t({ uk: 'Борг', en: 'Owed' }) : t({ uk: 'Переплата', en: 'Paid in advance' })}</Text>
              <Title order={2} c={data.balance > 0 ? 'red' : 'green'}>
                {m(Math.abs(data.balance))}
              </Title>
            </Paper>
            {canAdjust && <AdjustmentForm accountId={data.account.account_id} onSaved={card.reload} />}
          </SimpleGrid>

          <Title order={3} mb="xs">
            {t({ uk: 'Виписка за періодами', en: 'Statement by period' })}
          </Title>
          <Table withTableBorder striped mb="lg">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t({ uk: 'Період', en: 'Period' })}</Table.Th>
                <Table.Th ta="right">{t({ uk: 'Сальдо на початок', en: 'Opening' })}</Table.Th>
                <Table.Th ta="right">{t({ uk: 'Нараховано', en: 'Charged' })}</Table.Th>
                <Table.Th ta="right">{t({ uk: 'Перерахунки', en: 'Recalc.' })}</Table.Th>
                <Table.Th ta="right">{t({ uk: 'Пільги', en: 'Benefits' })}</Table.Th>
                <Table.Th ta="right">{t({ uk: 'Субсидії', en: 'Subsidies' })}</Table.Th>
                <Table.Th ta="right">{t({ uk: 'Пеня', en: 'Penalty' })}</Table.Th>
                <Table.Th ta="right">{t({ uk: 'Коригування', en: 'Adjust.' })}</Table.Th>
                <Table.Th ta="right">{t({ uk: 'Сплачено', en: 'Paid' })}</Table.Th>
                <Table.Th ta="right">{t({ uk: 'Сальдо на кінець', en: 'Closing' })}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {[...data.statement].reverse().map((r) => (
                <Table.Tr key={r.period}>
                  <Table.Td>{r.period.slice(0, 7)}</Table.Td>
                  <Table.Td ta="right">{m(r.opening)}</Table.Td>
                  <Table.Td ta="right">{m(r.charged)}</Table.Td>
                  <Table.Td ta="right">{m(r.recalculations)}</Table.Td>
                  <Table.Td ta="right">{m(r.benefits)}</Table.Td>
                  <Table.Td ta="right">{m(r.subsidies)}</Table.Td>
                  <Table.Td ta="right">{m(r.penalties)}</Table.Td>
                  <Table.Td ta="right">{m(r.adjustments)}</Table.Td>
                  <Table.Td ta="right">{m(-r.paid)}</Table.Td>
                  <Table.Td ta="right" fw={600}>
                    {m(r.closing)}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>

          {data.pending.length > 0 && (
            <Stack mb="lg">
              <Title order={3}>{t({ uk: 'Розраховано, ще не закрито', en: 'Calculated, not yet closed' })}</Title>
              <Table withTableBorder>
                <Table.Tbody>
                  {data.pending.map((l, i) => (
                    <Table.Tr key={i}>
                      <Table.Td>{l.period.slice(0, 7)}</Table.Td>
                      <Table.Td>
                        {t(label(METHOD_LABELS, l.method))}
                        {l.zone ? ` · ${t({ uk: 'зона', en: 'zone' })} ${l.zone}` : ''}
                        {l.estimated && (
                          <Badge ml="xs" size="sm" color="yellow" variant="light">
                            {t({ uk: 'оцінка', en: 'estimate' })}
                          </Badge>
                        )}
                      </Table.Td>
                      <Table.Td ta="right">{l.volume ? `${format.number(l.volume, 3)} × ${l.tariff ? format.number(l.tariff, 4) : ''}` : ''}</Table.Td>
                      <Table.Td ta="right">{m(l.amount)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Stack>
          )}

          <Title order={3} mb="xs">
            {t({ uk: 'Журнал розрахунків', en: 'Ledger' })}
          </Title>
          <Table withTableBorder striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t({ uk: 'Період', en: 'Period' })}</Table.Th>
                <Table.Th>{t({ uk: 'Запис', en: 'Entry' })}</Table.Th>
                <Table.Th>{t({ uk: 'Джерело', en: 'Source' })}</Table.Th>
                <Table.Th ta="right">{t({ uk: 'Обсяг × тариф', en: 'Volume × tariff' })}</Table.Th>
                <Table.Th ta="right">{t({ uk: 'Сума', en: 'Amount' })}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.entries.map((e) => (
                <Table.Tr key={e.entry_id}>
                  <Table.Td>{e.period.slice(0, 7)}</Table.Td>
                  <Table.Td>
                    {t(label(KIND_LABELS, e.kind))}
                    {e.reason ? <Text size="sm" c="dimmed">{e.reason}</Text> : null}
                  </Table.Td>
                  <Table.Td>{e.source}</Table.Td>
                  <Table.Td ta="right">{e.volume ? `${format.number(e.volume, 3)} × ${e.tariff ? format.number(e.tariff, 4) : ''}` : ''}</Table.Td>
                  <Table.Td ta="right">{m(e.amount)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </>
      )}
    </DataState>
  );
}

function AdjustmentForm({ accountId, onSaved }: { accountId: number; onSaved: () => void }) {
  const t = useT();
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const [message, setMessage] = useState<{ color: string; text: string } | null>(null);
  const [saving, setSaving] = useState(false);

  async function save() {
    setMessage(null);
    const uah = Number(amount.trim().replace(/\s/g, '').replace(',', '.'));
    if (!Number.isFinite(uah) || uah === 0) {
      setMessage({ color: 'red', text: t({ uk: 'Сума — число в гривнях, напр. -15,00', en: 'The amount is in hryvnias, e.g. -15.00' }) });
      return;
    }
    setSaving(true);
    try {
      const res = await api.post<{ period: string }>('/billing/adjustments', { accountId, amount: Math.round(uah * 100), reason });
      setMessage({ color: 'green', text: t({ uk: 'Записано в період {p}', en: 'Posted to {p}' }, { p: res.period.slice(0, 7) }) });
      setAmount('');
      setReason('');
      onSaved();
    } catch (e) {
      setMessage({ color: 'red', text: t(errorMessages(e)) });
    } finally {
      setSaving(false);
    }
  }

  return (
    <Paper withBorder p="md">
      <Text fw={600} mb="xs">
        {t({ uk: 'Коригування (у відкритий період)', en: 'Adjustment (to the open period)' })}
      </Text>
      <Group align="flex-end">
        <TextInput w={120} label={t({ uk: 'Сума, ₴', en: 'Amount, ₴' })} placeholder="-15,00" value={amount} onChange={(e) => setAmount(e.currentTarget.value)} />
        <TextInput style={{ flex: 1 }} label={t({ uk: 'Підстава', en: 'Reason' })} value={reason} onChange={(e) => setReason(e.currentTarget.value)} />
        <Button loading={saving} onClick={save}>
          {t({ uk: 'Записати', en: 'Post' })}
        </Button>
      </Group>
      {message && (
        <Alert mt="sm" color={message.color} variant="light">
          {message.text}
        </Alert>
      )}
    </Paper>
  );
}
