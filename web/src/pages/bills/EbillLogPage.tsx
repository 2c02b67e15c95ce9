import { useState } from 'react';
import { Alert, Badge, Button, Group, Paper, Stack, Table, Text, TextInput } from '@mantine/core';
import { api, errorMessages } from '../../api';
import { useFormat, useT } from '../../i18n';
import { useSession } from '../../session';
import { useApiGet } from '../../useApiGet';
import { DataState } from '../../components/DataState';
import { PageHeader } from '../../components/PageHeader';
import type { PeriodRow } from '../billing/types';

interface EmailRow {
  email_id: number;
  premise_id: number;
  address: string;
  status: 'sent' | 'failed';
  attempts: number;
  error: string | null;
  sent_at: string;
}

/** What went by e-mail in a period, to whom, and what failed with the server's reason. */
export function EbillLogPage() {
  const t = useT();
  const format = useFormat();
  const { user } = useSession();
  const canSend = user?.role === 'admin' || user?.role === 'operator';
  const periods = useApiGet<{ items: PeriodRow[] }>('/billing/periods');
  const [typed, setTyped] = useState<string | null>(null);
  const month = typed ?? periods.data?.items.find((p) => p.status === 'closed')?.period.slice(0, 7) ?? '';
  const valid = /^\d{4}-\d{2}$/.test(month);
  const log = useApiGet<{ items: EmailRow[] }>(valid ? '/bills/ebills' : null, { period: `${month}-01` });
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  async function send() {
    setBusy(true);
    setResult(null);
    try {
      const r = await api.post<{ sent: number; failed: number }>('/bills/ebills', { period: `${month}-01` });
      setResult({ ok: r.failed === 0, text: t({ uk: 'Надіслано: {s}, не вдалося: {f}', en: 'Sent: {s}, failed: {f}' }, { s: r.sent, f: r.failed }) });
      log.reload();
    } catch (e) {
      setResult({ ok: false, text: t(errorMessages(e)) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <Stack>
      <PageHeader title={t({ uk: 'Електронні рахунки', en: 'E-bills' })} subtitle={t({ uk: 'Кому і коли надіслано рахунок e-mail, і що не вдалося з причиною', en: 'Who was sent the bill by e-mail and when, and what failed with the reason' })} />
      <Paper withBorder p="md">
        <Group align="flex-end">
          <TextInput label={t({ uk: 'Закритий період (РРРР-ММ)', en: 'Closed period (YYYY-MM)' })} placeholder="2026-11" value={month} onChange={(e) => setTyped(e.currentTarget.value)} />
          {canSend && (
            <Button onClick={() => void send()} loading={busy} disabled={!valid}>
              {t({ uk: 'Надіслати е-рахунки', en: 'Send e-bills' })}
            </Button>
          )}
        </Group>
      </Paper>
      {result && <Alert color={result.ok ? 'green' : 'orange'} role="status">{result.text}</Alert>}
      {valid && (
        <DataState state={log}>
          {(data) => {
            const failed = data.items.filter((r) => r.status === 'failed').length;
            return data.items.length === 0 ? (
              <Text c="dimmed">{t({ uk: 'За цей період е-рахунків ще не надсилали.', en: 'No e-bills have been sent for this period.' })}</Text>
            ) : (
              <Stack gap="xs">
                <Text>{t({ uk: 'Надіслано {s}, не вдалося {f}', en: '{s} sent, {f} failed' }, { s: data.items.length - failed, f: failed })}</Text>
                <Table.ScrollContainer minWidth={560}>
                  <Table striped aria-label={t({ uk: 'Журнал е-рахунків', en: 'E-bill log' })}>
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>{t({ uk: 'Коли', en: 'When' })}</Table.Th>
                        <Table.Th>{t({ uk: 'Приміщення', en: 'Premise' })}</Table.Th>
                        <Table.Th>E-mail</Table.Th>
                        <Table.Th>{t({ uk: 'Стан', en: 'Status' })}</Table.Th>
                        <Table.Th ta="right">{t({ uk: 'Спроб', en: 'Attempts' })}</Table.Th>
                        <Table.Th>{t({ uk: 'Причина', en: 'Reason' })}</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {data.items.map((r) => (
                        <Table.Tr key={r.email_id}>
                          <Table.Td>{format.dateTime(r.sent_at)}</Table.Td>
                          <Table.Td>{r.premise_id}</Table.Td>
                          <Table.Td>{r.address}</Table.Td>
                          <Table.Td>
                            <Badge color={r.status === 'sent' ? 'green' : 'red'} variant="light">
                              {r.status === 'sent' ? t({ uk: 'надіслано', en: 'sent' }) : t({ uk: 'не вдалося', en: 'failed' })}
                            </Badge>
                          </Table.Td>
                          <Table.Td ta="right">{r.attempts}</Table.Td>
                          <Table.Td>{r.error ?? ''}</Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </Table.ScrollContainer>
              </Stack>
            );
          }}
        </DataState>
      )}
    </Stack>
  );
}
