import { useState } from 'react';
import { Alert, Badge, Button, Group, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { api, errorMessages } from '../../api';
import { useFormat, useT } from '../../i18n';
import { useApiGet } from '../../useApiGet';
import { DataState } from '../../components/DataState';
import { PageHeader } from '../../components/PageHeader';
import { decimal, kyivMonth, money } from './labels';

interface Approved {
  approved_id: number;
  service: string;
  service_en: string;
  provider: string | null;
  price: string;
  valid_from: string;
  valid_to: string | null;
  decision: string;
}

interface Flag {
  flag_id: number;
  provider: string;
  service: string;
  service_en: string;
  period: string;
  implied_price: string;
  approved_price: string;
  entries: number;
  amount: number;
  overcharge: number;
  status: string;
}

/** The city's control of providers: approved tariffs, and providers' charges that do not match them. */
export function TariffControlPage() {
  const t = useT();
  const format = useFormat();
  const approved = useApiGet<{ items: Approved[] }>('/billing/approved-tariffs');
  const flags = useApiGet<{ items: Flag[] }>('/billing/tariff-flags');
  // Providers' charges are checked month by month; this month is the one usually asked about.
  const [period, setPeriod] = useState(kyivMonth);
  const [message, setMessage] = useState<{ color: string; text: string } | null>(null);

  async function check() {
    setMessage(null);
    try {
      const res = await api.post<{ flagged: number }>('/billing/tariff-flags/check', { period });
      setMessage({ color: res.flagged ? 'orange' : 'green', text: t({ uk: 'Невідповідностей: {n}', en: 'Mismatches: {n}' }, { n: res.flagged }) });
      flags.reload();
    } catch (e) {
      setMessage({ color: 'red', text: t(errorMessages(e)) });
    }
  }

  return (
    <>
      <PageHeader
        title={t({ uk: 'Контроль тарифів', en: 'Tariff control' })}
        subtitle={t({
          uk: 'Нарахування постачальників, ціна яких відрізняється від затвердженого тарифу на ту дату',
          en: "Providers' charges whose price differs from the tariff approved for their date",
        })}
      />
      <Paper withBorder p="md" mb="md">
        <Group align="flex-end">
          <TextInput label={t({ uk: 'Період (РРРР-ММ)', en: 'Period (YYYY-MM)' })} value={period} onChange={(e) => setPeriod(e.currentTarget.value)} />
          <Button onClick={check} disabled={!period.trim()}>
            {t({ uk: 'Перевірити', en: 'Check' })}
          </Button>
        </Group>
        {message && (
          <Alert mt="sm" color={message.color} variant="light">
            {message.text}
          </Alert>
        )}
      </Paper>
      <Stack>
        <Title order={3}>{t({ uk: 'Невідповідності', en: 'Mismatches' })}</Title>
        <DataState state={flags}>
          {(data) =>
            data.items.length === 0 ? (
              <Text c="dimmed">{t({ uk: 'Невідповідностей не знайдено', en: 'No mismatches found' })}</Text>
            ) : (
              <Table.ScrollContainer minWidth={700}>
                <Table withTableBorder striped>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t({ uk: 'Період', en: 'Period' })}</Table.Th>
                    <Table.Th>{t({ uk: 'Постачальник, послуга', en: 'Provider, service' })}</Table.Th>
                    <Table.Th ta="right">{t({ uk: 'Ціна в нарахуваннях', en: 'Price charged' })}</Table.Th>
                    <Table.Th ta="right">{t({ uk: 'Затверджена', en: 'Approved' })}</Table.Th>
                    <Table.Th ta="right">{t({ uk: 'Рядків', en: 'Entries' })}</Table.Th>
                    <Table.Th ta="right">{t({ uk: 'Переплата', en: 'Overcharge' })}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {data.items.map((f) => (
                    <Table.Tr key={f.flag_id}>
                      <Table.Td>{f.period.slice(0, 7)}</Table.Td>
                      <Table.Td>
                        {f.provider} · {t({ uk: f.service, en: f.service_en })}
                      </Table.Td>
                      <Table.Td ta="right">{decimal(f.implied_price, format.locale, 2)}</Table.Td>
                      <Table.Td ta="right">{decimal(f.approved_price, format.locale, 2)}</Table.Td>
                      <Table.Td ta="right">{format.number(f.entries)}</Table.Td>
                      <Table.Td ta="right">
                        <Badge color={f.overcharge > 0 ? 'red' : 'blue'} variant="light">
                          {money(f.overcharge, format.locale)}
                        </Badge>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
              </Table.ScrollContainer>
            )
          }
        </DataState>
        <Title order={3}>{t({ uk: 'Затверджені тарифи', en: 'Approved tariffs' })}</Title>
        <DataState state={approved}>
          {(data) => (
            <Table.ScrollContainer minWidth={640}>
              <Table withTableBorder striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t({ uk: 'Послуга', en: 'Service' })}</Table.Th>
                  <Table.Th>{t({ uk: 'Постачальник', en: 'Provider' })}</Table.Th>
                  <Table.Th ta="right">{t({ uk: 'Ціна', en: 'Price' })}</Table.Th>
                  <Table.Th>{t({ uk: 'Діє', en: 'In force' })}</Table.Th>
                  <Table.Th>{t({ uk: 'Рішення', en: 'Decision' })}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.items.map((a) => (
                  <Table.Tr key={a.approved_id}>
                    <Table.Td>{t({ uk: a.service, en: a.service_en })}</Table.Td>
                    <Table.Td>{a.provider ?? t({ uk: 'усі', en: 'all' })}</Table.Td>
                    <Table.Td ta="right">{decimal(a.price, format.locale, 2)}</Table.Td>
                    <Table.Td>
                      {format.date(a.valid_from)} — {a.valid_to ? format.date(a.valid_to) : t({ uk: 'досі', en: 'now' })}
                    </Table.Td>
                    <Table.Td>{a.decision}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            </Table.ScrollContainer>
          )}
        </DataState>
      </Stack>
    </>
  );
}
