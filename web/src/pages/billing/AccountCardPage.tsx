import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { Anchor, Badge, Button, Group, NumberInput, Paper, SimpleGrid, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { api } from '../../api';
import { useFormat, useT } from '../../i18n';
import { useSession } from '../../session';
import { useApiGet } from '../../useApiGet';
import { DataState } from '../../components/DataState';
import { PageHeader } from '../../components/PageHeader';
import { FormCard, useSubmission } from '../../components/FormCard';
import { KIND_LABELS, kyivMonth, label, ledgerReason, METHOD_LABELS, money, SOURCE_LABELS } from './labels';
import type { AccountCard } from './types';

/** A personal account: balance, statements per period, the ledger, the lines awaiting close; adjustments. */
export function AccountCardPage() {
  const t = useT();
  const format = useFormat();
  const { id } = useParams();
  const { user } = useSession();
  const card = useApiGet<AccountCard>(`/billing/accounts/${id}`);
  const canAdjust = user?.role === 'admin' || user?.role === 'operator';
  const isStaff = user?.role === 'admin' || user?.role === 'operator' || user?.role === 'city';
  const m = (k: number) => money(k, format.locale);

  return (
    <DataState state={card}>
      {(data) => (
        <>
          <PageHeader
            title={`${t({ uk: data.account.service, en: data.account.service_en })} · ${data.account.number}`}
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
                {isStaff && (
                  <>
                    {' · '}
                    <Anchor component={Link} to={`/billing/premises/${data.account.premise_id}/support`}>
                      {t({ uk: 'Пільги та субсидії', en: 'Benefits and subsidies' })}
                    </Anchor>
                  </>
                )}
              </>
            }
          />
          <SimpleGrid cols={{ base: 1, sm: 2 }} mb="md">
            <Paper withBorder p="md">
              <Text c="dimmed">
                {data.balance > 0
                  ? t({ uk: 'Борг', en: 'Owed' })
                  : data.balance < 0
                    ? t({ uk: 'Переплата', en: 'Paid in advance' })
                    : t({ uk: 'Сальдо: ні боргу, ні переплати', en: 'Balance: nothing owed, nothing in advance' })}
              </Text>
              <Title order={2} c={data.balance > 0 ? 'red' : data.balance < 0 ? 'green' : undefined}>
                {m(Math.abs(data.balance))}
              </Title>
            </Paper>
            {canAdjust && <AdjustmentForm accountId={data.account.account_id} onSaved={card.reload} />}
          </SimpleGrid>
          {canAdjust && <RecalculationForm accountId={data.account.account_id} />}

          <Title order={3} mb="xs">
            {t({ uk: 'Виписка за періодами', en: 'Statement by period' })}
          </Title>
          {data.statement.length === 0 ? (
            <Text c="dimmed" mb="lg">
              {t({ uk: 'Жодного періоду з записами по цьому рахунку ще немає.', en: 'No period has entries on this account yet.' })}
            </Text>
          ) : (
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
          )}

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
          {data.entries.length === 0 ? (
            <Text c="dimmed">
              {t({ uk: 'Записів ще немає: нарахування потрапляють сюди, коли період закрито.', en: 'No entries yet: charges come here when their period is closed.' })}
            </Text>
          ) : (
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
                      {e.reason ? <Text size="sm" c="dimmed">{t(ledgerReason(e.reason))}</Text> : null}
                    </Table.Td>
                    <Table.Td>{t(label(SOURCE_LABELS, e.source))}</Table.Td>
                    <Table.Td ta="right">{e.volume ? `${format.number(e.volume, 3)} × ${e.tariff ? format.number(e.tariff, 4) : ''}` : ''}</Table.Td>
                    <Table.Td ta="right">{m(e.amount)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </>
      )}
    </DataState>
  );
}

const ADJUSTMENT_LABELS = { amount: { uk: 'Сума, ₴', en: 'Amount, ₴' }, reason: { uk: 'Підстава', en: 'Reason' } };
const RECALCULATION_LABELS = {
  period: { uk: 'Період (РРРР-ММ)', en: 'Period (YYYY-MM)' },
  days: { uk: 'Днів', en: 'Days' },
  percent: { uk: 'Відсоток зменшення', en: 'Reduction, %' },
  reason: { uk: 'Підстава', en: 'Reason' },
};

function AdjustmentForm({ accountId, onSaved }: { accountId: number; onSaved: () => void }) {
  const t = useT();
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const { message, saving, submit, fail, succeed } = useSubmission(ADJUSTMENT_LABELS);

  const save = () =>
    submit(async () => {
      const uah = Number(amount.trim().replace(/\s/g, '').replace(',', '.'));
      if (!Number.isFinite(uah) || uah === 0) return fail(t({ uk: 'Сума — число в гривнях, напр. -15,00', en: 'The amount is in hryvnias, e.g. -15.00' }));
      const res = await api.post<{ period: string }>('/billing/adjustments', { accountId, amount: Math.round(uah * 100), reason });
      succeed(t({ uk: 'Записано в період {p}', en: 'Posted to {p}' }, { p: res.period.slice(0, 7) }));
      setAmount('');
      setReason('');
      onSaved();
    });

  return (
    <FormCard title={t({ uk: 'Коригування (у відкритий період)', en: 'Adjustment (to the open period)' })} onSubmit={save} message={message}>
      <Group align="flex-end">
        <TextInput w={120} label={t(ADJUSTMENT_LABELS.amount)} placeholder="-15,00" value={amount} onChange={(e) => setAmount(e.currentTarget.value)} />
        <TextInput style={{ flex: 1 }} label={t(ADJUSTMENT_LABELS.reason)} value={reason} onChange={(e) => setReason(e.currentTarget.value)} />
        <Button type="submit" loading={saving}>
          {t({ uk: 'Записати', en: 'Post' })}
        </Button>
      </Group>
    </FormCard>
  );
}

const TITLE = { uk: 'Заявка на перерахунок (дні без послуги або неякісної послуги)', en: 'Recalculation request (days without service or of poor quality)' };

/** A request to recalculate a period for days without service or of poor quality; the period's run applies it. */
function RecalculationForm({ accountId }: { accountId: number }) {
  const t = useT();
  // Recalculations usually concern the open month.
  const [period, setPeriod] = useState(kyivMonth);
  const [days, setDays] = useState<number | string>('');
  const [percent, setPercent] = useState<number | string>('');
  const [reason, setReason] = useState('');
  const { message, saving, submit, fail, succeed } = useSubmission(RECALCULATION_LABELS);

  const save = () =>
    submit(async () => {
      // Every problem of the form at once, not one per try.
      const problems = [
        typeof days !== 'number' || !Number.isInteger(days) || days < 1 || days > 31 ? t({ uk: 'Кількість днів — ціле число від 1 до 31', en: 'Days is a whole number from 1 to 31' }) : null,
        percent !== '' && (typeof percent !== 'number' || percent <= 0 || percent > 100) ? t({ uk: 'Відсоток — від 0 до 100 (порожньо — 100 %)', en: 'Percent is between 0 and 100 (empty means 100 %)' }) : null,
        reason.trim().length < 3 ? t({ uk: 'Вкажіть підставу (щонайменше 3 символи)', en: 'Give the reason (3 characters at least)' }) : null,
      ].filter((p): p is string => p !== null);
      if (problems.length > 0) return fail(problems.join('; '));
      const body = { accountId, period: period.trim(), days, reason: reason.trim(), ...(percent === '' ? {} : { percent: String(percent) }) };
      const res = await api.post<{ requestId: number }>('/billing/recalculations', body);
      succeed(
        t(
          { uk: 'Заявку на перерахунок №{id} прийнято: її врахує розрахунок за {p}', en: 'Recalculation request no. {id} accepted: the run for {p} will apply it' },
          { id: res.requestId, p: body.period },
        ),
      );
      setDays('');
      setPercent('');
      setReason('');
    });

  return (
    <FormCard title={t(TITLE)} onSubmit={save} message={message} mb="md">
      <Group align="flex-start">
        <TextInput w={200} label={t(RECALCULATION_LABELS.period)} placeholder="2026-11" value={period} onChange={(e) => setPeriod(e.currentTarget.value)} />
        <NumberInput w={110} label={t(RECALCULATION_LABELS.days)} min={1} max={31} allowDecimal={false} allowNegative={false} value={days} onChange={setDays} />
        <NumberInput
          w={220}
          label={t(RECALCULATION_LABELS.percent)}
          placeholder="100"
          min={0}
          max={100}
          decimalScale={2}
          allowNegative={false}
          value={percent}
          onChange={setPercent}
        />
        <Textarea style={{ flex: 1 }} minRows={1} autosize label={t(RECALCULATION_LABELS.reason)} value={reason} onChange={(e) => setReason(e.currentTarget.value)} />
      </Group>
      <Group justify="flex-end" mt="sm">
        <Button type="submit" loading={saving}>
          {t({ uk: 'Подати заявку', en: 'File the request' })}
        </Button>
      </Group>
    </FormCard>
  );
}
