import { useState } from 'react';
import { Alert, Anchor, Badge, Button, Group, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { api, errorMessages } from '../../api';
import { useFormat, useT } from '../../i18n';
import { useSession } from '../../session';
import { useApiGet } from '../../useApiGet';
import { DataState } from '../../components/DataState';
import { JobProgress } from '../../components/JobProgress';
import { PageHeader } from '../../components/PageHeader';
import type { PeriodRow } from '../billing/types';

interface PrintRunSummary {
  printed: number;
  skipped: number;
  batches: number;
  routes: number;
}
interface PrintRun {
  printRunId: number;
  period: string;
  status: 'running' | 'done' | 'failed';
  jobId: number | null;
  summary: PrintRunSummary | null;
  createdAt: string;
}
interface PrintFile {
  name: string;
  kind: 'batch' | 'manifest_csv' | 'manifest_pdf' | 'skipped_csv';
  bills: number;
  sha256: string;
  size: number;
}

const STATUS = {
  running: { uk: 'друкується', en: 'running', color: 'blue' },
  done: { uk: 'готово', en: 'done', color: 'green' },
  failed: { uk: 'помилка', en: 'failed', color: 'red' },
} as const;
const KIND = {
  batch: { uk: 'Пакет рахунків (PDF)', en: 'Batch of bills (PDF)' },
  manifest_csv: { uk: 'Маніфест маршрутів (CSV)', en: 'Route manifest (CSV)' },
  manifest_pdf: { uk: 'Маніфест маршрутів (PDF)', en: 'Route manifest (PDF)' },
  skipped_csv: { uk: 'Не надруковано, з причиною (CSV)', en: 'Not printed, with the reason (CSV)' },
} as const;

/** Print runs of closed periods: start one, follow its progress, download its batches and manifests. */
export function PrintRunsPage() {
  const t = useT();
  const format = useFormat();
  const { user } = useSession();
  const canRun = user?.role === 'admin' || user?.role === 'operator';
  const runs = useApiGet<{ items: PrintRun[] }>('/bills/print-runs');
  const periods = useApiGet<{ items: PeriodRow[] }>('/billing/periods');
  const [typed, setTyped] = useState<string | null>(null);
  const month = typed ?? periods.data?.items.find((p) => p.status === 'closed')?.period.slice(0, 7) ?? '';
  const [jobId, setJobId] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState<number | null>(null);

  async function start() {
    setError(null);
    try {
      const res = await api.post<{ jobId: number }>('/bills/print-runs', { period: month });
      setJobId(res.jobId);
      setSelected(null);
    } catch (e) {
      setError(t(errorMessages(e)));
    }
  }

  const shown = selected ?? runs.data?.items[0]?.printRunId ?? null;
  return (
    <Stack>
      <PageHeader
        title={t({ uk: 'Друк рахунків', en: 'Print runs' })}
        subtitle={t({ uk: 'Паперові рахунки закритого періоду пакетами по маршрутах доставки, з маніфестами', en: 'The paper bills of a closed period in batches by delivery route, with manifests' })}
      />
      {canRun && (
        <Paper withBorder p="md">
          <Group align="flex-end">
            <TextInput label={t({ uk: 'Закритий період (РРРР-ММ)', en: 'Closed period (YYYY-MM)' })} placeholder="2026-11" value={month} onChange={(e) => setTyped(e.currentTarget.value)} />
            <Button onClick={() => void start()} disabled={!/^\d{4}-\d{2}$/.test(month)}>
              {t({ uk: 'Почати друк', en: 'Start the print run' })}
            </Button>
          </Group>
        </Paper>
      )}
      {error && <Alert color="red" role="alert">{error}</Alert>}
      {jobId !== null && <JobProgress jobId={jobId} onFinished={() => runs.reload()} />}
      <DataState state={runs}>
        {(data) =>
          data.items.length === 0 ? (
            <Text c="dimmed">{t({ uk: 'Ще не було жодного друку.', en: 'No print run yet.' })}</Text>
          ) : (
            <Table.ScrollContainer minWidth={520}>
              <Table withTableBorder>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t({ uk: 'Друк', en: 'Run' })}</Table.Th>
                    <Table.Th>{t({ uk: 'Період', en: 'Period' })}</Table.Th>
                    <Table.Th>{t({ uk: 'Стан', en: 'Status' })}</Table.Th>
                    <Table.Th ta="right">{t({ uk: 'Рахунків', en: 'Bills' })}</Table.Th>
                    <Table.Th ta="right">{t({ uk: 'Пропущено', en: 'Skipped' })}</Table.Th>
                    <Table.Th />
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {data.items.map((r) => (
                    <Table.Tr key={r.printRunId}>
                      <Table.Td>№{r.printRunId} · {format.date(r.createdAt.slice(0, 10))}</Table.Td>
                      <Table.Td>{r.period.slice(0, 7)}</Table.Td>
                      <Table.Td><Badge color={STATUS[r.status].color} variant="light">{t(STATUS[r.status])}</Badge></Table.Td>
                      <Table.Td ta="right">{r.summary ? format.number(r.summary.printed) : ''}</Table.Td>
                      <Table.Td ta="right">{r.summary ? format.number(r.summary.skipped) : ''}</Table.Td>
                      <Table.Td>
                        <Button size="xs" variant="subtle" onClick={() => setSelected(r.printRunId)}>{t({ uk: 'Файли', en: 'Files' })}</Button>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )
        }
      </DataState>
      {shown !== null && <RunFiles key={`${shown}-${jobId}`} printRunId={shown} />}
    </Stack>
  );
}

function RunFiles({ printRunId }: { printRunId: number }) {
  const t = useT();
  const format = useFormat();
  const run = useApiGet<{ period: string; status: string; files: PrintFile[] }>(`/bills/print-runs/${printRunId}`);
  return (
    <DataState state={run}>
      {(data) => (
        <Stack gap="xs">
          <Title order={4}>{t({ uk: 'Файли друку №{n} за {p}', en: 'Files of print run {n} for {p}' }, { n: printRunId, p: data.period.slice(0, 7) })}</Title>
          {data.files.length === 0 ? (
            <Text c="dimmed">{t({ uk: 'Файлів ще немає', en: 'No files yet' })}</Text>
          ) : (
            <Table.ScrollContainer minWidth={520}>
              <Table striped aria-label={t({ uk: 'Файли друку', en: 'Print files' })}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t({ uk: 'Файл', en: 'File' })}</Table.Th>
                    <Table.Th>{t({ uk: 'Що це', en: 'What' })}</Table.Th>
                    <Table.Th ta="right">{t({ uk: 'Рахунків', en: 'Bills' })}</Table.Th>
                    <Table.Th ta="right">{t({ uk: 'Розмір, КБ', en: 'Size, KB' })}</Table.Th>
                    <Table.Th>SHA-256</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {data.files.map((f) => (
                    <Table.Tr key={f.name}>
                      <Table.Td><Anchor href={`/api/bills/print-runs/${printRunId}/files/${f.name}`} download={f.name}>{f.name}</Anchor></Table.Td>
                      <Table.Td>{t(KIND[f.kind])}</Table.Td>
                      <Table.Td ta="right">{format.number(f.bills)}</Table.Td>
                      <Table.Td ta="right">{format.number(Math.ceil(f.size / 1024))}</Table.Td>
                      <Table.Td><Text size="xs" ff="monospace" title={f.sha256}>{f.sha256.slice(0, 16)}…</Text></Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
        </Stack>
      )}
    </DataState>
  );
}
