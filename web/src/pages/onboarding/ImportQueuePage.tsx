import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { Alert, Anchor, Badge, Button, Checkbox, Group, Radio, Stack, Table, Text } from '@mantine/core';
import { api, errorMessages } from '../../api';
import { useSession } from '../../session';
import { useT } from '../../i18n';
import { useApiGet } from '../../useApiGet';
import { DataState } from '../../components/DataState';
import { PageHeader } from '../../components/PageHeader';
import type { QueueItem } from './types';
import { RowFacts } from './RowFacts';

/** What the queue's actions send, by what a person sees: the ticked rows. */
const QUEUE_LABELS = {
  rows: { uk: 'Вибрані рядки', en: 'Ticked rows' },
  rowNos: { uk: 'Вибрані рядки', en: 'Ticked rows' },
};

/**
 * The review queue of one import: each row as the file wrote it beside the candidate premises.
 * Choose a candidate (or accept the best one for every ticked row), create an address that is
 * new, or reject the row. Decisions are remembered: the next file with the same spelling matches.
 */
export function ImportQueuePage() {
  const t = useT();
  const { user } = useSession();
  const { id } = useParams();
  const queue = useApiGet<{ items: QueueItem[] }>(`/imports/${id}/queue`, { limit: 200 });
  const [chosen, setChosen] = useState<Record<number, string>>({});
  const [ticked, setTicked] = useState<Set<number>>(new Set());
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const tick = (rowNo: number, on: boolean) =>
    setTicked((s) => {
      const next = new Set(s);
      if (on) next.add(rowNo);
      else next.delete(rowNo);
      return next;
    });

  async function act(path: 'accept' | 'create' | 'reject', body: unknown) {
    setError(null);
    setNotice(null);
    try {
      const result = await api.post<Record<string, number>>(`/imports/${id}/queue/${path}`, body);
      setNotice(
        t({
          uk: `Готово: прийнято ${result.accepted ?? 0}, створено адрес ${result.created ?? 0}, відхилено ${result.rejected ?? 0}, нових рахунків ${result.accountsCreated ?? 0}`,
          en: `Done: ${result.accepted ?? 0} accepted, ${result.created ?? 0} addresses created, ${result.rejected ?? 0} rejected, ${result.accountsCreated ?? 0} new accounts`,
        }),
      );
      setTicked(new Set());
      queue.reload();
    } catch (e) {
      setError(t(errorMessages(e, QUEUE_LABELS)));
    }
  }

  const items = queue.data?.items ?? [];
  const tickedItems = items.filter((i) => ticked.has(i.rowNo));
  // Only rows with a candidate can be accepted; the others are created or rejected.
  const acceptable = tickedItems.filter((i) => i.candidates.length > 0);

  return (
    <>
      <PageHeader
        title={t({ uk: `Черга перевірки імпорту №${id}`, en: `Review queue of import #${id}` })}
        subtitle={t({ uk: 'Рядки, які не вдалося зіставити автоматично', en: 'Rows that could not be matched automatically' })}
        actions={
          <Anchor component={Link} to="/onboarding/imports">
            {t({ uk: 'До імпортів', en: 'To imports' })}
          </Anchor>
        }
      />
      {error && (
        <Alert color="red" mb="md" role="alert">
          {error}
        </Alert>
      )}
      {notice && (
        <Alert color="teal" mb="md">
          {notice}
        </Alert>
      )}
      <Group mb="md">
        <Button
          disabled={acceptable.length === 0}
          onClick={() => act('accept', { rows: acceptable.map((i) => ({ rowNo: i.rowNo, premiseId: chosen[i.rowNo] ? Number(chosen[i.rowNo]) : undefined })) })}
        >
          {t({ uk: `Прийняти вибрані (${acceptable.length})`, en: `Accept ticked (${acceptable.length})` })}
        </Button>
        {/* New addresses enter the community's register: staff create them, not a provider. */}
        {user?.role !== 'provider' && (
        <Button variant="light" disabled={!tickedItems.some((i) => i.status === 'new')} onClick={() => act('create', { rowNos: tickedItems.filter((i) => i.status === 'new').map((i) => i.rowNo) })}>
          {t({ uk: 'Створити нові адреси', en: 'Create the new addresses' })}
        </Button>
        )}
        <Button variant="default" color="red" disabled={tickedItems.length === 0} onClick={() => act('reject', { rowNos: tickedItems.map((i) => i.rowNo) })}>
          {t({ uk: 'Відхилити', en: 'Reject' })}
        </Button>
      </Group>
      <DataState state={queue}>
        {() =>
          items.length === 0 ? (
            <Text c="dimmed">{t({ uk: 'Черга порожня', en: 'The queue is empty' })}</Text>
          ) : (
            <Table withTableBorder verticalSpacing="sm">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>
                    <Checkbox
                      aria-label={t({ uk: 'Вибрати всі', en: 'Tick all' })}
                      checked={ticked.size === items.length}
                      onChange={(e) => setTicked(e.currentTarget.checked ? new Set(items.map((i) => i.rowNo)) : new Set())}
                    />
                  </Table.Th>
                  <Table.Th>{t({ uk: 'Рядок файлу', en: 'File row' })}</Table.Th>
                  <Table.Th>{t({ uk: 'Кандидати в реєстрі', en: 'Candidates in the registry' })}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((item) => (
                  <Table.Tr key={item.rowNo}>
                    <Table.Td>
                      <Checkbox aria-label={`${item.rowNo}`} checked={ticked.has(item.rowNo)} onChange={(e) => tick(item.rowNo, e.currentTarget.checked)} />
                    </Table.Td>
                    <Table.Td style={{ verticalAlign: 'top', width: '45%' }}>
                      <Stack gap={4}>
                        <Group gap="xs">
                          <Badge variant="light">№ {item.rowNo}</Badge>
                          <Badge color={item.status === 'new' ? 'blue' : 'yellow'}>{item.status === 'new' ? t({ uk: 'нова адреса', en: 'new address' }) : t({ uk: 'перевірити', en: 'review' })}</Badge>
                        </Group>
                        <Text fw={500}>{item.addressRaw}</Text>
                        <RowFacts item={item} reasonColor="dimmed" />
                      </Stack>
                    </Table.Td>
                    <Table.Td style={{ verticalAlign: 'top' }}>
                      {item.candidates.length === 0 ? (
                        <Text c="dimmed">{t({ uk: 'немає кандидатів', en: 'no candidates' })}</Text>
                      ) : (
                        <Radio.Group value={chosen[item.rowNo] ?? String(item.candidates[0].premiseId)} onChange={(v) => setChosen((c) => ({ ...c, [item.rowNo]: v }))}>
                          <Stack gap="xs">
                            {item.candidates.map((c) => (
                              <Radio
                                key={c.premiseId}
                                value={String(c.premiseId)}
                                label={`${c.address}${c.unifiedAccount ? ` · ЄР ${c.unifiedAccount}` : ''} · ${Math.round(c.confidence * 100)}%`}
                              />
                            ))}
                          </Stack>
                        </Radio.Group>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )
        }
      </DataState>
    </>
  );
}

