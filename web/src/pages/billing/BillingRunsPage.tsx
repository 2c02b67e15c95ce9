import { useState } from 'react';
import { Link } from 'react-router';
import { BarChart } from '@mantine/charts';
import { Alert, Anchor, Badge, Button, Group, Modal, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { api, errorMessages } from '../../api';
import { useFormat, useT } from '../../i18n';
import { useSession } from '../../session';
import { useApiGet } from '../../useApiGet';
import { DataState } from '../../components/DataState';
import { JobProgress } from '../../components/JobProgress';
import { PageHeader } from '../../components/PageHeader';
import { kyivToday, periodToBill } from '../../../../src/shared/period';
import { kyivMonth, money, PERIOD_STATUS } from './labels';
import type { Outlier, PeriodRow, SummaryRow } from './types';

/** Billing periods: start a run and watch it, review the totals and outliers, close the period. */
export function BillingRunsPage() {
  const t = useT();
  const format = useFormat();
  const { user } = useSession();
  const canRun = user?.role === 'admin' || user?.role === 'operator';
  const periods = useApiGet<{ items: PeriodRow[] }>('/billing/periods');
  // Until the person types, the field offers the month to bill next.
  const [typed, setTyped] = useState<string | null>(null);
  const period = typed ?? (periods.data ? periodToBill(periods.data.items, kyivToday()).slice(0, 7) : '');
  const [jobId, setJobId] = useState<number | null>(null);
  const [closeJobId, setCloseJobId] = useState<number | null>(null);
  const [confirmClose, setConfirmClose] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState<PeriodRow | null>(null);
  // An administrator discards a run that is not closed (a typo month, a wrong calculation), with a reason.
  const [discarding, setDiscarding] = useState<PeriodRow | null>(null);
  const [discardReason, setDiscardReason] = useState('');

  const latest = selected ?? periods.data?.items.find((p) => p.billing_run_id && p.status !== 'closed') ?? periods.data?.items.find((p) => p.billing_run_id) ?? null;

  async function start(target: string) {
    setError(null);
    try {
      const res = await api.post<{ jobId: number }>('/billing/runs', { period: target });
      setJobId(res.jobId);
      setSelected(null);
    } catch (e) {
      setError(t(errorMessages(e)));
    }
  }

  async function close(target: string) {
    setConfirmClose(null);
    setError(null);
    try {
      const res = await api.post<{ jobId: number }>(`/billing/periods/${target}/close`);
      setCloseJobId(res.jobId);
    } catch (e) {
      setError(t(errorMessages(e)));
    }
  }

  async function discard(row: PeriodRow) {
    setError(null);
    try {
      await api.post(`/billing/runs/${row.billing_run_id}/discard`, { reason: discardReason });
      setDiscarding(null);
      setDiscardReason('');
      setSelected(null);
      periods.reload();
    } catch (e) {
      setError(t(errorMessages(e)));
      setDiscarding(null);
    }
  }

  return (
    <>
      <PageHeader
        title={t({ uk: 'Нарахування', en: 'Billing runs' })}
        subtitle={t({ uk: 'Період: відкритий → розраховано → закрито. Розрахунок можна повторювати, доки період не закрито.', en: 'A period goes open → calculated → closed. A run can be repeated until the period is closed.' })}
      />
      {canRun && (
        <Paper withBorder p="md" mb="md">
          <Group align="flex-end">
            <TextInput label={t({ uk: 'Період (РРРР-ММ)', en: 'Period (YYYY-MM)' })} placeholder={kyivMonth()} value={period} onChange={(e) => setTyped(e.currentTarget.value)} />
            <Button onClick={() => start(period)} disabled={!period.trim()}>
              {t({ uk: 'Розрахувати', en: 'Run billing' })}
            </Button>
          </Group>
        </Paper>
      )}
      {error && (
        <Alert color="red" mb="md" role="alert">
          {error}
        </Alert>
      )}
      {jobId !== null && (
        <Stack mb="md">
          <Title order={4}>{t({ uk: 'Розрахунок', en: 'Run' })}</Title>
          <JobProgress jobId={jobId} onFinished={() => periods.reload()} />
        </Stack>
      )}
      {closeJobId !== null && (
        <Stack mb="md">
          <Title order={4}>{t({ uk: 'Закриття періоду', en: 'Closing the period' })}</Title>
          <JobProgress jobId={closeJobId} onFinished={() => periods.reload()} />
        </Stack>
      )}
      <DataState state={periods}>
        {(data) =>
          data.items.length === 0 ? (
            <Text c="dimmed" mb="lg">
              {canRun
                ? t({ uk: 'Ще не розраховано жодного місяця. Перевірте місяць угорі й натисніть «Розрахувати».', en: 'No month has been billed yet. Check the month above and press “Run billing”.' })
                : t({ uk: 'Ще не розраховано жодного місяця.', en: 'No month has been billed yet.' })}
            </Text>
          ) : (
            // On a phone the buttons of a row do not fit beside its figures: the table scrolls in its own box.
            <Table.ScrollContainer minWidth={600} mb="lg">
            <Table withTableBorder>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t({ uk: 'Період', en: 'Period' })}</Table.Th>
                  <Table.Th>{t({ uk: 'Стан', en: 'Status' })}</Table.Th>
                  <Table.Th>{t({ uk: 'Сплатити до', en: 'Due' })}</Table.Th>
                  <Table.Th ta="right">{t({ uk: 'Рядків', en: 'Lines' })}</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.items.map((p) => (
                  <Table.Tr key={p.period}>
                    <Table.Td>{p.period.slice(0, 7)}</Table.Td>
                    <Table.Td>
                      <Badge color={PERIOD_STATUS[p.status].color} variant="light">
                        {t(PERIOD_STATUS[p.status])}
                      </Badge>
                    </Table.Td>
                    <Table.Td>{format.date(p.due_date)}</Table.Td>
                    <Table.Td ta="right">{p.lines === null ? '' : format.number(p.lines)}</Table.Td>
                    <Table.Td>
                      <Group gap="xs" justify="flex-end">
                        {p.billing_run_id && (
                          <Button size="xs" variant="subtle" onClick={() => setSelected(p)}>
                            {t({ uk: 'Огляд', en: 'Review' })}
                          </Button>
                        )}
                        {canRun && p.status !== 'closed' && (
                          <Button size="xs" variant="light" onClick={() => start(p.period)}>
                            {t({ uk: 'Перерахувати', en: 'Run again' })}
                          </Button>
                        )}
                        {user?.role === 'admin' && p.status !== 'closed' && p.billing_run_id && (p.run_status === 'calculated' || p.run_status === 'failed') && (
                          <Button size="xs" color="gray" variant="light" onClick={() => setDiscarding(p)}>
                            {t({ uk: 'Скасувати розрахунок', en: 'Discard run' })}
                          </Button>
                        )}
                        {canRun && p.status === 'calculated' && (
                          <Button size="xs" color="red" variant="light" onClick={() => setConfirmClose(p.period)}>
                            {t({ uk: 'Закрити період', en: 'Close period' })}
                          </Button>
                        )}
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            </Table.ScrollContainer>
          )
        }
      </DataState>
      {latest?.billing_run_id && <RunReview key={latest.billing_run_id} runId={latest.billing_run_id} period={latest.period} />}
      <Modal opened={confirmClose !== null} onClose={() => setConfirmClose(null)} title={t({ uk: 'Закрити період?', en: 'Close the period?' })}>
        <Text mb="md">
          {t({
            uk: 'Нарахування буде записано в журнал розрахунків, і період {p} більше не зміниться. Виправлення після закриття вносяться в наступний період.',
            en: 'The charges go to the ledger and period {p} will never change again. Corrections after closing go to the next period.',
          }, { p: confirmClose?.slice(0, 7) ?? '' })}
        </Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={() => setConfirmClose(null)}>
            {t({ uk: 'Скасувати', en: 'Cancel' })}
          </Button>
          <Button color="red" onClick={() => confirmClose && close(confirmClose)}>
            {t({ uk: 'Закрити', en: 'Close' })}
          </Button>
        </Group>
      </Modal>
      <Modal opened={discarding !== null} onClose={() => setDiscarding(null)} title={t({ uk: 'Скасувати розрахунок?', en: 'Discard the run?' })}>
        <Text mb="md">
          {t({
            uk: 'Рядки нарахування за {p} буде видалено, період знову стане відкритим. Причину буде записано в журнал дій.',
            en: 'The charge lines of {p} are removed and the period is open again. The reason goes to the audit log.',
          }, { p: discarding?.period.slice(0, 7) ?? '' })}
        </Text>
        <TextInput label={t({ uk: 'Причина', en: 'Reason' })} value={discardReason} onChange={(e) => setDiscardReason(e.currentTarget.value)} mb="md" required />
        <Group justify="flex-end">
          <Button variant="default" onClick={() => setDiscarding(null)}>
            {t({ uk: 'Не скасовувати', en: 'Keep it' })}
          </Button>
          <Button color="red" disabled={discardReason.trim().length < 3} onClick={() => discarding && discard(discarding)}>
            {t({ uk: 'Скасувати розрахунок', en: 'Discard run' })}
          </Button>
        </Group>
      </Modal>
    </>
  );
}

/** Totals per service (with a chart against the previous month), per provider, and the outliers. */
function RunReview({ runId, period }: { runId: number; period: string }) {
  const t = useT();
  const format = useFormat();
  const summary = useApiGet<{ items: SummaryRow[] }>(`/billing/runs/${runId}/summary`);
  const outliers = useApiGet<{ factor: string; items: Outlier[] }>(`/billing/runs/${runId}/outliers`);

  return (
    <Stack>
      <Title order={3}>{t({ uk: 'Огляд нарахування за {p}', en: 'Review of {p}' }, { p: period.slice(0, 7) })}</Title>
      <DataState state={summary}>
        {(data) => {
          const byService = new Map<number, { service: string; charged: number; previous: number }>();
          for (const row of data.items) {
            const s = byService.get(row.service_id) ?? { service: t({ uk: row.service, en: row.service_en }), charged: 0, previous: 0 };
            s.charged += row.charged / 100;
            s.previous += row.previous_charged / 100;
            byService.set(row.service_id, s);
          }
          return (
            <>
              <Paper withBorder p="md">
                <BarChart
                  h={Math.max(240, byService.size * 48)}
                  data={[...byService.values()]}
                  dataKey="service"
                  orientation="vertical"
                  yAxisProps={{ width: 220 }}
                  series={[
                    { name: 'charged', label: t({ uk: 'Цей місяць, ₴', en: 'This month, ₴' }), color: 'blue.6' },
                    { name: 'previous', label: t({ uk: 'Попередній, ₴', en: 'Previous, ₴' }), color: 'gray.5' },
                  ]}
                  valueFormatter={(value) => format.number(value)}
                  withLegend
                  gridAxis="x"
                />
              </Paper>
              {/* Ten columns do not fit beside the navigation on a laptop: scroll rather than cut off «Пеня». */}
              <Table.ScrollContainer minWidth={1100}>
                <Table withTableBorder striped>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t({ uk: 'Послуга', en: 'Service' })}</Table.Th>
                      <Table.Th>{t({ uk: 'Постачальник', en: 'Provider' })}</Table.Th>
                      <Table.Th ta="right">{t({ uk: 'Рахунків', en: 'Accounts' })}</Table.Th>
                      <Table.Th ta="right">{t({ uk: 'Нараховано', en: 'Charged' })}</Table.Th>
                      <Table.Th ta="right">{t({ uk: 'Зміна', en: 'Change' })}</Table.Th>
                      <Table.Th ta="right">{t({ uk: 'З них за оцінкою', en: 'Of it estimated' })}</Table.Th>
                      <Table.Th ta="right">{t({ uk: 'Пільги', en: 'Benefits' })}</Table.Th>
                      <Table.Th ta="right">{t({ uk: 'Субсидії', en: 'Subsidies' })}</Table.Th>
                      <Table.Th ta="right">{t({ uk: 'Перерахунки', en: 'Recalculations' })}</Table.Th>
                      <Table.Th ta="right">{t({ uk: 'Пеня', en: 'Penalties' })}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {data.items.map((row) => {
                      const change = row.previous_charged ? ((row.charged - row.previous_charged) * 100) / row.previous_charged : null;
                      return (
                        <Table.Tr key={`${row.service_id}/${row.provider_id}`}>
                          <Table.Td>{t({ uk: row.service, en: row.service_en })}</Table.Td>
                          <Table.Td>{row.provider}</Table.Td>
                          <Table.Td ta="right">{format.number(row.accounts)}</Table.Td>
                          <Table.Td ta="right">{money(row.charged, format.locale)}</Table.Td>
                          <Table.Td ta="right" c={change !== null && Math.abs(change) > 20 ? 'red' : undefined}>
                            {change === null ? '—' : `${change > 0 ? '+' : ''}${format.number(change, 1)} %`}
                          </Table.Td>
                          <Table.Td ta="right" data-testid={`estimated-${row.service_id}-${row.provider_id}`}>
                            {row.estimated ? `${money(row.estimated, format.locale)} (${format.number((row.estimated * 100) / row.charged, 0)} %)` : '—'}
                          </Table.Td>
                          <Table.Td ta="right">{money(row.benefits, format.locale)}</Table.Td>
                          <Table.Td ta="right">{money(row.subsidies, format.locale)}</Table.Td>
                          <Table.Td ta="right">{money(row.recalculations, format.locale)}</Table.Td>
                          <Table.Td ta="right">{money(row.penalties, format.locale)}</Table.Td>
                        </Table.Tr>
                      );
                    })}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            </>
          );
        }}
      </DataState>
      <DataState state={outliers}>
        {(data) => (
          <Paper withBorder p="md">
            <Title order={4} mb="xs">
              {t({ uk: 'Перевірити перед закриттям: нарахування понад {f}× звичайного', en: 'Check before closing: charges above {f}× the usual' }, { f: Number(data.factor) })}
            </Title>
            {data.items.length === 0 ? (
              <Text c="dimmed">{t({ uk: 'Незвичних нарахувань немає', en: 'No unusual charges' })}</Text>
            ) : (
              <Table.ScrollContainer minWidth={640}>
              <Table striped>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t({ uk: 'Рахунок', en: 'Account' })}</Table.Th>
                    <Table.Th>{t({ uk: 'Адреса', en: 'Address' })}</Table.Th>
                    <Table.Th>{t({ uk: 'Послуга', en: 'Service' })}</Table.Th>
                    <Table.Th ta="right">{t({ uk: 'Зараз', en: 'Now' })}</Table.Th>
                    <Table.Th ta="right">{t({ uk: 'Звичайно', en: 'Usual' })}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {data.items.map((o) => (
                    <Table.Tr key={o.account_id}>
                      <Table.Td>
                        <Anchor component={Link} to={`/billing/accounts/${o.account_id}`}>
                          {o.number}
                        </Anchor>
                      </Table.Td>
                      <Table.Td>{o.address}</Table.Td>
                      <Table.Td>
                        {t({ uk: o.service, en: o.service_en })} · {o.provider}
                      </Table.Td>
                      <Table.Td ta="right">{money(o.charged, format.locale)}</Table.Td>
                      <Table.Td ta="right">{money(o.usual, format.locale)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
              </Table.ScrollContainer>
            )}
          </Paper>
        )}
      </DataState>
    </Stack>
  );
}
