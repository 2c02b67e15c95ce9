import { useState } from 'react';
import { Alert, Badge, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { api, errorMessages } from '../../api';
import { useFormat, useT } from '../../i18n';
import { useApiGet } from '../../useApiGet';
import { DataState } from '../../components/DataState';
import type { QueueItem } from '../onboarding/types';
import { RowFacts } from '../onboarding/RowFacts';

type Hold = QueueItem & { importId: number; fileName: string; providerName: string | null; importedAt: string };
const holdKey = (hold: Hold) => `${hold.importId}:${hold.rowNo}`;

/**
 * Providers' charges priced above the approved tariff and held for the community's decision
 * (the 'hold' choice): the city or an administrator accepts one (it is posted) or rejects it.
 */
export function TariffHolds() {
  const t = useT();
  const format = useFormat();
  const holds = useApiGet<{ items: Hold[] }>('/imports/tariff-holds');
  const [busy, setBusy] = useState<string | null>(null);
  const [message, setMessage] = useState<{ color: string; text: string } | null>(null);

  async function decide(hold: Hold, decision: 'accept' | 'reject') {
    setBusy(holdKey(hold));
    setMessage(null);
    try {
      if (decision === 'accept') await api.post(`/imports/${hold.importId}/queue/accept`, { rows: [{ rowNo: hold.rowNo }] });
      else await api.post(`/imports/${hold.importId}/queue/reject`, { rowNos: [hold.rowNo] });
      setMessage({
        color: 'green',
        text:
          decision === 'accept'
            ? t({ uk: 'Нарахування прийнято й проведено', en: 'The charge is accepted and posted' })
            : t({ uk: 'Нарахування відхилено: до боргів мешканців воно не потрапить', en: "The charge is rejected: it will not reach residents' debts" }),
      });
      holds.reload();
    } catch (e) {
      setMessage({ color: 'red', text: t(errorMessages(e)) });
    } finally {
      setBusy(null);
    }
  }

  return (
    <Stack gap="sm">
      <Title order={3}>{t({ uk: 'Нарахування понад тариф, що чекають рішення', en: 'Charges above the tariff awaiting a decision' })}</Title>
      {message && (
        <Alert color={message.color} variant="light" role={message.color === 'red' ? 'alert' : 'status'}>
          {message.text}
        </Alert>
      )}
      <DataState state={holds}>
        {(data) =>
          data.items.length === 0 ? (
            <Text c="dimmed">{t({ uk: 'Затриманих нарахувань немає', en: 'No charges are held' })}</Text>
          ) : (
            data.items.map((hold) => {
              const key = holdKey(hold);
              return (
                <Paper key={key} withBorder p="sm" aria-label={t({ uk: `Рядок ${hold.rowNo} файлу ${hold.fileName}`, en: `Row ${hold.rowNo} of ${hold.fileName}` })}>
                  <Stack gap={4}>
                    <Group gap="xs" wrap="wrap">
                      <Badge color="orange" variant="light">
                        {t({ uk: 'чекає рішення', en: 'awaits a decision' })}
                      </Badge>
                      <Text fw={500}>{hold.providerName ?? '—'}</Text>
                      <Text size="sm" c="dimmed">
                        {hold.fileName}, {t({ uk: 'рядок', en: 'row' })} {hold.rowNo} · {format.dateTime(hold.importedAt)}
                      </Text>
                    </Group>
                    {hold.candidates[0] && <Text>{hold.candidates[0].address}</Text>}
                    <RowFacts item={hold} reasonColor="orange.8" />
                    <Group gap="xs" mt={4}>
                      <Button size="xs" loading={busy === key} disabled={busy !== null} onClick={() => void decide(hold, 'accept')}>
                        {t({ uk: 'Прийняти', en: 'Accept' })}
                      </Button>
                      <Button size="xs" variant="light" color="red" disabled={busy !== null} onClick={() => void decide(hold, 'reject')}>
                        {t({ uk: 'Відхилити', en: 'Reject' })}
                      </Button>
                    </Group>
                  </Stack>
                </Paper>
              );
            })
          )
        }
      </DataState>
    </Stack>
  );
}
