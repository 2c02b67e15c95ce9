import { useState } from 'react';
import { Alert, Anchor, Button, Group, Paper, Stack, Table, Text } from '@mantine/core';
import { api, errorMessages } from '../../api';
import { useFormat, useT } from '../../i18n';
import { useSession } from '../../session';
import { useApiGet } from '../../useApiGet';
import { PageHeader } from '../../components/PageHeader';
import { ErrorAlert } from '../../components/DataState';
import { money } from '../billing/labels';
import { DayInput } from '../billing/DayInput';
import { addDays, kyivToday } from '../../../../src/shared/period';
import { ContractsCard } from './ContractsCard';
import { formatIban } from '../../../../src/shared/identifiers';
import type { owingProviders, SettlementSummary as Registry } from '../../../../src/payments/settlement';


/** Yesterday in Kyiv: the day whose money is settled this morning. */
const yesterday = () => addDays(kyivToday(), -1);

/**
 * Settlement with providers: a day's registry per provider (CSV and DBF), the commission by
 * contract, and the transfer order to make. Once formed a registry is frozen: forming the day
 * again gives the same bytes.
 */
export function SettlementPage() {
  const t = useT();
  const format = useFormat();
  const { user } = useSession();
  const canExport = user?.role === 'admin' || user?.role === 'operator';
  const providers = useApiGet<{ items: Array<{ providerId: number; name: string }> }>('/providers', { limit: 200 });
  const [day, setDay] = useState(yesterday());
  const valid = /^\d{4}-\d{2}-\d{2}$/.test(day);
  // What is already formed for the day (the city looks; the desk forms and then sees the same list).
  const formed = useApiGet<{ items: Registry[] }>(valid ? `/payments/settlement/${day}` : null);
  // Only the chosen day's answer: while another day loads, or with no valid day, nothing is shown;
  // the day's own list stays on screen while it is read again after forming.
  const items = valid && formed.current ? (formed.data?.items ?? null) : null;
  // Who is left owing by their last registry: the page says so whatever the day chosen.
  const owing = useApiGet<{ items: Awaited<ReturnType<typeof owingProviders>> }>('/payments/settlement/owing');
  const [formedDay, setFormedDay] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const nameOf = (id: number) => providers.data?.items.find((p) => p.providerId === id)?.name ?? `#${id}`;

  async function form() {
    const forming = day;
    setBusy(true);
    setError(null);
    try {
      await api.post<{ items: Registry[] }>(`/payments/settlement/${forming}/export`, {});
      setFormedDay(forming);
      formed.reload();
      owing.reload();
    } catch (e) {
      setError(t(errorMessages(e)));
    } finally {
      setBusy(false);
    }
  }

  const total = (pick: (r: Registry) => number) => (items ?? []).reduce((s, r) => s + pick(r), 0);
  return (
    <Stack>
      <PageHeader
        title={t({ uk: 'Розрахунки з постачальниками', en: 'Settlement with providers' })}
        subtitle={t({ uk: 'Реєстр за день для кожного постачальника, комісія за договором і платіжне доручення', en: "A day's registry per provider, the commission by contract and the transfer order" })}
      />
      <Paper withBorder p="md">
        <Group align="flex-end">
          <DayInput label={t({ uk: 'Операційний день', en: 'Business day' })} value={day || null} onChange={(v) => setDay(v ?? '')} />
          {canExport && (
            <Button onClick={() => void form()} loading={busy} disabled={!valid}>
              {t({ uk: 'Сформувати реєстри', en: 'Form the registries' })}
            </Button>
          )}
        </Group>
      </Paper>
      {owing.data && owing.data.items.length > 0 && (
        <Alert color="yellow" title={t({ uk: 'Борги постачальників: утримаються з їхніх наступних реєстрів', en: 'Providers owing: to come off their next registries' })}>
          <Stack gap={2}>
            {owing.data.items.map((o) => (
              <Text size="sm" key={o.providerId}>
                {t({ uk: '{p} — {a} (з реєстру за {d})', en: '{p} — {a} (since the registry of {d})' }, { p: o.provider, a: money(o.owed, format.locale), d: format.date(o.since) })}
              </Text>
            ))}
          </Stack>
        </Alert>
      )}
      {error && <Alert color="red">{error}</Alert>}
      {formed.error !== undefined && <ErrorAlert error={formed.error} onRetry={formed.reload} />}
      {items && items.length === 0 && (
        <Text c="dimmed">
          {formedDay === day
            ? t({ uk: 'Цього дня грошей для постачальників не надходило.', en: 'No money for providers arrived that day.' })
            : t({ uk: 'Реєстрів за цей день немає: їх ще не сформовано або грошей для постачальників не надходило.', en: 'No registries for this day: they have not been formed yet, or no money for providers arrived.' })}
        </Text>
      )}
      {items && items.length > 0 && (
        <Table.ScrollContainer minWidth={860}>
          <Table striped aria-label={t({ uk: 'Реєстри розрахунків', en: 'Settlement registries' })}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t({ uk: 'Постачальник', en: 'Provider' })}</Table.Th>
                <Table.Th ta="right">{t({ uk: 'Рядків', en: 'Lines' })}</Table.Th>
                <Table.Th ta="right">{t({ uk: 'Надійшло', en: 'Gross' })}</Table.Th>
                <Table.Th ta="right">{t({ uk: 'Комісія', en: 'Commission' })}</Table.Th>
                <Table.Th ta="right">{t({ uk: 'Нетто', en: 'Net' })}</Table.Th>
                <Table.Th ta="right">{t({ uk: 'До перерахування', en: 'To transfer' })}</Table.Th>
                <Table.Th>{t({ uk: 'Платіжне доручення', en: 'Transfer order' })}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((r) => (
                <Table.Tr key={r.registryId}>
                  <Table.Td>
                    <Text size="sm">{nameOf(r.providerId)}</Text>
                    <Group gap="xs" wrap="nowrap" role="group" aria-label={t({ uk: 'Файли реєстру', en: 'Registry files' })}>
                      <Anchor size="sm" href={`/api/payments/settlement/${r.providerId}/${r.businessDate}.csv`}>CSV</Anchor>
                      <Anchor size="sm" href={`/api/payments/settlement/${r.providerId}/${r.businessDate}.dbf`}>DBF</Anchor>
                    </Group>
                  </Table.Td>
                  <Table.Td ta="right">{format.number(r.lines)}</Table.Td>
                  <Table.Td ta="right">{money(r.gross, format.locale)}</Table.Td>
                  <Table.Td ta="right">{money(r.commission, format.locale)}</Table.Td>
                  <Table.Td ta="right">{money(r.net, format.locale)}</Table.Td>
                  <Table.Td ta="right">
                    <Text size="sm" fw={600}>{money(r.transfer.amount, format.locale)}</Text>
                    {r.carriedIn < 0 && (
                      <Text size="xs" c="dimmed">
                        {t({ uk: 'утримано борг попередніх днів {a}', en: 'less the earlier days’ debt {a}' }, { a: money(-r.carriedIn, format.locale) })}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    {r.transfer.amount === 0 ? (
                      // More was taken back than came in: nothing to transfer, the debt comes off the provider's next registry.
                      <Text size="sm" c="red">
                        {t({ uk: 'Не перераховувати: борг надавача {a} буде утримано з наступного реєстру', en: 'No transfer: the provider’s debt of {a} comes off its next registry' }, { a: money(-r.carriedOut, format.locale) })}
                      </Text>
                    ) : (
                      <>
                        <Text size="sm" ff="monospace">{formatIban(r.transfer.iban)}</Text>
                        <Text size="xs" c="dimmed">{r.transfer.purpose}</Text>
                      </>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
            <Table.Tfoot>
              <Table.Tr>
                <Table.Th>{t({ uk: 'Разом', en: 'Total' })}</Table.Th>
                <Table.Th ta="right">{format.number(total((r) => r.lines))}</Table.Th>
                <Table.Th ta="right">{money(total((r) => r.gross), format.locale)}</Table.Th>
                <Table.Th ta="right">{money(total((r) => r.commission), format.locale)}</Table.Th>
                <Table.Th ta="right">{money(total((r) => r.net), format.locale)}</Table.Th>
                <Table.Th ta="right">{money(total((r) => r.transfer.amount), format.locale)}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Tfoot>
          </Table>
        </Table.ScrollContainer>
      )}
      <ContractsCard canAdd={user?.role === 'admin'} />
    </Stack>
  );
}
