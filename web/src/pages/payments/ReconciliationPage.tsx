import { useState } from 'react';
import { Badge, Button, FileInput, Group, Select, Stack, Table, Text } from '@mantine/core';
import { useFormat, useT } from '../../i18n';
import { useSession } from '../../session';
import { useApiGet } from '../../useApiGet';
import { DataState } from '../../components/DataState';
import { FormCard, useSubmission } from '../../components/FormCard';
import { PageHeader } from '../../components/PageHeader';
import { uploadFile } from '../onboarding/upload';
import type { AgentView } from '../../../../src/payments/agents';
import type { listRegistries } from '../../../../src/payments/registry';
import type { RegistryFlag } from '../../../../src/payments/tables';
import { DayInput } from '../billing/DayInput';
import { money } from '../billing/labels';

type RegistryRow = Awaited<ReturnType<typeof listRegistries>>[number];

const PROBLEMS: Record<RegistryFlag['problem'], { uk: string; en: string }> = {
  amount_differs: { uk: 'сума інша', en: 'amount differs' },
  household_differs: { uk: 'інший єдиний рахунок', en: 'another household' },
  cancelled_in_api: { uk: 'платіж скасовано', en: 'the payment was cancelled' },
  missing_in_file: { uk: 'немає у файлі', en: 'missing from the file' },
};

/**
 * Reconciliation per agent and day: the agent's registry file against what came by API — matched,
 * posted now (the API never had it), amounts that differ and payments missing from the file are
 * flagged for a person to look at.
 */
export function ReconciliationPage() {
  const t = useT();
  const format = useFormat();
  const { user } = useSession();
  const canImport = user?.role === 'admin' || user?.role === 'operator';
  const registries = useApiGet<{ items: RegistryRow[] }>('/payments/registries', { days: 31 });
  const agents = useApiGet<{ items: AgentView[] }>(canImport ? '/payments/agents' : null);
  const [agentId, setAgentId] = useState<string | null>(null);
  const [day, setDay] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const upload = useSubmission();

  const send = () =>
    upload.submit(async () => {
      if (!file || !agentId) return;
      const r = await uploadFile<RegistryRow>(`/payments/agents/${agentId}/registries/${day}`, file, { fileName: file.name });
      upload.succeed(
        t(
          { uk: 'Рядків {n}: збіглися {m}, проведено зараз {p}, розбіжностей {d}', en: '{n} rows: {m} matched, {p} posted now, {d} differences' },
          { n: r.rows, m: r.matched, p: r.posted, d: r.flags.length },
        ),
      );
      registries.reload();
    });

  return (
    <Stack>
      <PageHeader
        title={t({ uk: 'Звірка реєстрів агентів', en: 'Agent registry reconciliation' })}
        subtitle={t({ uk: 'Денний реєстр агента проти платежів, що надійшли через API', en: "An agent's daily registry against the payments that came by API" })}
      />
      {canImport && (
        <FormCard title={t({ uk: 'Завантажити реєстр', en: 'Upload a registry' })} onSubmit={() => void send()} message={upload.message}>
          <Group align="flex-end">
            <Select
              label={t({ uk: 'Агент', en: 'Agent' })}
              data={(agents.data?.items ?? []).map((a) => ({ value: String(a.agentId), label: `${a.name} (${a.code})` }))}
              value={agentId}
              onChange={setAgentId}
              required
            />
            <DayInput label={t({ uk: 'Операційний день', en: 'Business day' })} value={day || null} onChange={(v) => setDay(v ?? '')} required />
            <FileInput label={t({ uk: 'Файл (DBF або CSV)', en: 'File (DBF or CSV)' })} value={file} onChange={setFile} accept=".dbf,.csv,.txt" required style={{ flexGrow: 1 }} />
            <Button type="submit" loading={upload.saving} disabled={!file || !agentId || !/^\d{4}-\d{2}-\d{2}$/.test(day)}>
              {t({ uk: 'Звірити', en: 'Reconcile' })}
            </Button>
          </Group>
        </FormCard>
      )}
      <DataState state={registries}>
        {(data) =>
          data.items.length === 0 ? (
            <Text c="dimmed">{t({ uk: 'За останній місяць реєстрів не завантажували.', en: 'No registries uploaded in the last month.' })}</Text>
          ) : (
            <Table.ScrollContainer minWidth={760}>
              <Table striped aria-label={t({ uk: 'Реєстри агентів', en: 'Agent registries' })}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t({ uk: 'День', en: 'Day' })}</Table.Th>
                    <Table.Th>{t({ uk: 'Агент', en: 'Agent' })}</Table.Th>
                    <Table.Th ta="right">{t({ uk: 'Рядків', en: 'Rows' })}</Table.Th>
                    <Table.Th ta="right">{t({ uk: 'Сума', en: 'Total' })}</Table.Th>
                    <Table.Th>{t({ uk: 'Звірка', en: 'Reconciliation' })}</Table.Th>
                    <Table.Th>{t({ uk: 'Що перевірити', en: 'To look at' })}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {data.items.map((r) => (
                    <Table.Tr key={`${r.agentId}-${r.businessDate}`}>
                      <Table.Td>{format.date(r.businessDate)}</Table.Td>
                      <Table.Td>
                        {r.agentName}
                        <Text size="xs" c="dimmed">{r.fileName}</Text>
                      </Table.Td>
                      <Table.Td ta="right">{format.number(r.rows)}</Table.Td>
                      <Table.Td ta="right">{money(r.total, format.locale)}</Table.Td>
                      <Table.Td>
                        <Group gap={4}>
                          <Badge color="green" variant="light">{t({ uk: 'збіглися', en: 'matched' })} {r.matched}</Badge>
                          {r.posted > 0 && <Badge color="blue" variant="light">{t({ uk: 'проведено', en: 'posted' })} {r.posted}</Badge>}
                          {r.flags.length > 0 && <Badge color="red" variant="light">{t({ uk: 'розбіжності', en: 'differences' })} {r.flags.length}</Badge>}
                        </Group>
                      </Table.Td>
                      <Table.Td>
                        {r.flags.slice(0, 5).map((f) => (
                          <Text size="xs" key={`${f.problem}-${f.txnId}`}>
                            {f.txnId}: {t(PROBLEMS[f.problem])}
                            {f.apiAmount !== null ? ` · API ${money(f.apiAmount, format.locale)}` : ''}
                            {f.fileAmount !== null ? ` · ${t({ uk: 'файл', en: 'file' })} ${money(f.fileAmount, format.locale)}` : ''}
                          </Text>
                        ))}
                        {r.flags.length > 5 && <Text size="xs" c="dimmed">… {r.flags.length - 5}</Text>}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )
        }
      </DataState>
    </Stack>
  );
}
