import { Fragment, useState } from 'react';
import { Link } from 'react-router';
import { Alert, Button, Group, Stack, Table, Text, TextInput } from '@mantine/core';
import { api, errorMessages } from '../../api';
import { useFormat, useT } from '../../i18n';
import { useApiList } from '../../useApiGet';
import { DataState } from '../../components/DataState';
import { PageHeader } from '../../components/PageHeader';
import { ConsumptionChart } from './ConsumptionChart';
import { READING_CHANNEL_LABELS, type ReviewItem } from './types';

const values = (r: { value1: string; value2: string | null; value3: string | null }) =>
  [r.value1, r.value2, r.value3].filter((v): v is string => v !== null).map((v) => String(Number(v))).join(' / ');

const REASON_LABEL = { uk: 'Причина відхилення', en: 'Reason to reject' };

/** Readings held back from billing (implausible consumption): accept them, or reject saying why. */
export function ReviewQueuePage() {
  const t = useT();
  const format = useFormat();
  const list = useApiList<ReviewItem>('/metering/review');
  const [reasons, setReasons] = useState<Record<number, string>>({});
  const [done, setDone] = useState<Record<number, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [opened, setOpened] = useState<number | null>(null);

  async function decide(item: ReviewItem, accept: boolean) {
    setError(null);
    try {
      if (accept) await api.post(`/metering/review/${item.reading_id}/accept`);
      else await api.post(`/metering/review/${item.reading_id}/reject`, { reason: reasons[item.reading_id] ?? '' });
      setDone((d) => ({ ...d, [item.reading_id]: accept ? t({ uk: 'прийнято', en: 'accepted' }) : t({ uk: 'відхилено', en: 'rejected' }) }));
    } catch (e) {
      setError(t(errorMessages(e, { reason: REASON_LABEL })));
    }
  }

  return (
    <>
      <PageHeader
        title={t({ uk: 'Показники на перевірці', en: 'Readings in review' })}
        subtitle={t({ uk: 'Споживання поза правдоподібною межею не йде в нарахування, доки його не перевірять', en: 'Consumption beyond the plausible bound is not billed until checked' })}
        actions={
          <Button variant="default" onClick={list.reload}>
            {t({ uk: 'Оновити', en: 'Refresh' })}
          </Button>
        }
      />
      {error && (
        <Alert color="red" mb="md" role="alert">
          {error}
        </Alert>
      )}
      <DataState state={list}>
        {() =>
          list.items.length === 0 ? (
            <Text c="dimmed">{t({ uk: 'Черга порожня', en: 'The queue is empty' })}</Text>
          ) : (
            <Stack>
              <Table withTableBorder striped verticalSpacing="sm">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t({ uk: 'Приміщення, послуга', en: 'Premise, service' })}</Table.Th>
                    <Table.Th>{t({ uk: 'Попередній', en: 'Previous' })}</Table.Th>
                    <Table.Th>{t({ uk: 'Поданий', en: 'Submitted' })}</Table.Th>
                    <Table.Th>{t({ uk: 'Чому на перевірці', en: 'Why in review' })}</Table.Th>
                    <Table.Th>{t({ uk: 'Рішення', en: 'Decision' })}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {list.items.map((item) => (
                    <Fragment key={item.reading_id}>
                      <Table.Tr data-testid={`review-${item.reading_id}`}>
                        <Table.Td>
                          {item.premise_id ? (
                            <Link to={`/metering/desk?premise=${item.premise_id}&building=${item.building_id}`}>
                              {item.address}
                            </Link>
                          ) : (
                            <>
                              {item.address} · {t({ uk: 'будинковий', en: 'building meter' })}
                            </>
                          )}
                          <Text size="sm">{t({ uk: item.service_name_uk, en: item.service_name_en })}</Text>
                          <Text size="xs" c="dimmed">
                            № {item.serial} · {t(READING_CHANNEL_LABELS[item.channel] ?? { uk: item.channel, en: item.channel })}
                          </Text>
                          <Button size="compact-xs" variant="subtle" onClick={() => setOpened(opened === item.reading_id ? null : item.reading_id)}>
                            {opened === item.reading_id ? t({ uk: 'Сховати історію', en: 'Hide history' }) : t({ uk: 'Історія споживання', en: 'Consumption history' })}
                          </Button>
                        </Table.Td>
                        <Table.Td>
                          {item.previous ? (
                            <>
                              <Text ff="monospace">{values(item.previous)}</Text>
                              <Text size="xs" c="dimmed">
                                {format.date(item.previous.read_on)}
                              </Text>
                            </>
                          ) : (
                            '—'
                          )}
                        </Table.Td>
                        <Table.Td>
                          <Text ff="monospace" fw={700}>
                            {values(item)}
                          </Text>
                          <Text size="xs" c="dimmed">
                            {format.date(item.read_on)}
                          </Text>
                        </Table.Td>
                        <Table.Td maw={320}>
                          <Text size="sm">{t({ uk: item.reason_uk ?? '', en: item.reason_en ?? '' })}</Text>
                        </Table.Td>
                        <Table.Td>
                          {done[item.reading_id] ? (
                            <Text fw={500}>{done[item.reading_id]}</Text>
                          ) : (
                            <Group gap="xs" wrap="nowrap">
                              <Button size="xs" color="green" onClick={() => void decide(item, true)}>
                                {t({ uk: 'Прийняти', en: 'Accept' })}
                              </Button>
                              <TextInput
                                size="xs"
                                w={160}
                                aria-label={t(REASON_LABEL)}
                                placeholder={t({ uk: 'причина…', en: 'reason…' })}
                                value={reasons[item.reading_id] ?? ''}
                                onChange={(e) => setReasons((r) => ({ ...r, [item.reading_id]: e.currentTarget.value }))}
                                onKeyDown={(e) => {
                                  if (e.key === 'Enter') void decide(item, false);
                                }}
                              />
                              <Button size="xs" color="red" variant="light" onClick={() => void decide(item, false)}>
                                {t({ uk: 'Відхилити', en: 'Reject' })}
                              </Button>
                            </Group>
                          )}
                        </Table.Td>
                      </Table.Tr>
                      {opened === item.reading_id && (
                        <Table.Tr>
                          <Table.Td colSpan={5}>
                            <ConsumptionChart meterId={item.meter_id} unit={item.unit} />
                          </Table.Td>
                        </Table.Tr>
                      )}
                    </Fragment>
                  ))}
                </Table.Tbody>
              </Table>
              {list.hasMore && (
                <Button variant="default" loading={list.loadingMore} onClick={list.loadMore}>
                  {t({ uk: 'Показати ще', en: 'Show more' })}
                </Button>
              )}
            </Stack>
          )
        }
      </DataState>
    </>
  );
}
