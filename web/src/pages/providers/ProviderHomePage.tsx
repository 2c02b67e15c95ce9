import { useState } from 'react';
import { Link } from 'react-router';
import { Anchor, Badge, Button, Card, Group, SimpleGrid, Stack, Table, Text, TextInput } from '@mantine/core';
import { useFormat, useT } from '../../i18n';
import { useApiGet } from '../../useApiGet';
import { DataState } from '../../components/DataState';
import { PageHeader } from '../../components/PageHeader';
import type { OwnAccount, ProviderHome } from '../../../../src/dashboard/provider';
import { money } from '../billing/labels';

/** A provider's home: its own figures, links to its imports and review queue, and its accounts with search. */
export function ProviderHomePage() {
  const t = useT();
  const format = useFormat();
  const home = useApiGet<ProviderHome>('/provider/home');
  const [typed, setTyped] = useState('');
  const [query, setQuery] = useState('');
  const [after, setAfter] = useState<string[]>([]);
  const accounts = useApiGet<{ items: OwnAccount[]; next: string | null }>('/provider/accounts', { q: query, after: after.at(-1), limit: 50 });

  return (
    <Stack>
      <DataState state={home}>
        {(h) => (
          <>
            <PageHeader title={h.provider.name} subtitle={t({ uk: 'ЄДРПОУ {e} · ваші рахунки, нарахування і показники', en: 'ЄДРПОУ {e} · your accounts, charges and readings' }, { e: h.provider.edrpou })} />
            <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }}>
              <Figure label={t({ uk: 'Відкритих рахунків', en: 'Open accounts' })} value={format.number(h.openAccounts)} />
              <Figure
                label={h.chargedPeriod ? t({ uk: 'Нараховано за {p}', en: 'Charged for {p}' }, { p: h.chargedPeriod.slice(0, 7) }) : t({ uk: 'Нараховано', en: 'Charged' })}
                value={money(h.charged, format.locale)}
              />
              <Figure label={t({ uk: 'Показників цього місяця', en: 'Readings this month' })} value={format.number(h.readingsThisMonth)} />
              <Figure
                label={t({ uk: 'Чекають перевірки', en: 'Waiting for review' })}
                value={format.number(h.readingsToReview + h.importRowsToReview)}
                detail={
                  <Group gap="xs">
                    <Anchor component={Link} to="/metering/review" size="sm">
                      {t({ uk: 'показники: {n}', en: 'readings: {n}' }, { n: h.readingsToReview })}
                    </Anchor>
                    <Anchor component={Link} to="/onboarding/imports" size="sm">
                      {t({ uk: 'рядки імпорту: {n}', en: 'import rows: {n}' }, { n: h.importRowsToReview })}
                    </Anchor>
                  </Group>
                }
              />
            </SimpleGrid>
          </>
        )}
      </DataState>
      <Card withBorder>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            setAfter([]);
            setQuery(typed.trim());
          }}
        >
          <Group align="flex-end">
            <TextInput
              label={t({ uk: 'Пошук рахунку: номер, адреса або єдиний рахунок', en: 'Find an account: number, address or unified account' })}
              value={typed}
              onChange={(e) => setTyped(e.currentTarget.value)}
              style={{ flexGrow: 1 }}
            />
            <Button type="submit">{t({ uk: 'Знайти', en: 'Find' })}</Button>
          </Group>
        </form>
      </Card>
      <DataState state={accounts}>
        {(data) =>
          data.items.length === 0 ? (
            <Text c="dimmed">{t({ uk: 'Рахунків не знайдено.', en: 'No accounts found.' })}</Text>
          ) : (
            <>
              <Table.ScrollContainer minWidth={640}>
                <Table striped aria-label={t({ uk: 'Ваші особові рахунки', en: 'Your accounts' })}>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t({ uk: 'Рахунок', en: 'Account' })}</Table.Th>
                      <Table.Th>{t({ uk: 'Послуга', en: 'Service' })}</Table.Th>
                      <Table.Th>{t({ uk: 'Адреса', en: 'Address' })}</Table.Th>
                      <Table.Th>{t({ uk: 'Єдиний рахунок', en: 'Unified account' })}</Table.Th>
                      <Table.Th ta="right">{t({ uk: 'Сальдо', en: 'Balance' })}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {data.items.map((a) => (
                      <Table.Tr key={a.accountId}>
                        <Table.Td>
                          <Anchor component={Link} to={`/billing/accounts/${a.accountId}`}>
                            {a.number}
                          </Anchor>{' '}
                          {!a.open && <Badge color="gray">{t({ uk: 'закрито', en: 'closed' })}</Badge>}
                        </Table.Td>
                        <Table.Td>{t({ uk: a.serviceUk, en: a.serviceEn })}</Table.Td>
                        <Table.Td>{a.address}</Table.Td>
                        <Table.Td>{a.unifiedAccount ?? '—'}</Table.Td>
                        <Table.Td ta="right">{money(a.balance, format.locale)}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
              <Group>
                <Button variant="default" disabled={after.length === 0} onClick={() => setAfter(after.slice(0, -1))}>
                  {t({ uk: 'Попередні', en: 'Previous' })}
                </Button>
                <Button variant="default" disabled={!data.next} onClick={() => data.next && setAfter([...after, data.next])}>
                  {t({ uk: 'Наступні', en: 'Next' })}
                </Button>
              </Group>
            </>
          )
        }
      </DataState>
    </Stack>
  );
}

function Figure({ label, value, detail }: { label: string; value: string; detail?: React.ReactNode }) {
  return (
    <Card withBorder>
      <Text size="sm" c="dimmed">
        {label}
      </Text>
      <Text fw={700} fz="xl">
        {value}
      </Text>
      {detail}
    </Card>
  );
}
