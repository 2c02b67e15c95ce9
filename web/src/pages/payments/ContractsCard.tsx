import { useState } from 'react';
import { Button, Group, NumberInput, Paper, SegmentedControl, Select, Stack, Table, Text } from '@mantine/core';
import { api } from '../../api';
import { useFormat, useT } from '../../i18n';
import { useApiGet } from '../../useApiGet';
import { DataState } from '../../components/DataState';
import { FormCard, useSubmission } from '../../components/FormCard';
import { money } from '../billing/labels';
import { DayInput } from '../billing/DayInput';
import { kyivToday } from '../../../../src/shared/period';
import type { listContracts } from '../../../../src/payments/settlement';

type Contract = Awaited<ReturnType<typeof listContracts>>[number];

/**
 * The commission contracts of the settlement (per provider, for one agent or for all): staff see
 * them; an administrator adds one, in force from today or a later day, replacing the same agent's
 * earlier one from then. A day already over keeps the terms it was paid under.
 */
export function ContractsCard({ canAdd }: { canAdd: boolean }) {
  const t = useT();
  const format = useFormat();
  const contracts = useApiGet<{ items: Contract[] }>('/payments/settlement/contracts');
  const providers = useApiGet<{ items: Array<{ providerId: number; name: string }> }>(canAdd ? '/providers' : null, { limit: 200 });
  const agents = useApiGet<{ items: Array<{ agentId: number; name: string }> }>(canAdd ? '/payments/agents' : null);
  const [providerId, setProviderId] = useState<string | null>(null);
  const [agentId, setAgentId] = useState<string | null>(null);
  const [kind, setKind] = useState<'percent' | 'fixed'>('percent');
  const [value, setValue] = useState<number | string>('');
  const [validFrom, setValidFrom] = useState<string>(kyivToday());
  const added = useSubmission({
    providerId: { uk: 'Постачальник', en: 'Provider' },
    agentId: { uk: 'Агент', en: 'Agent' },
    percent: { uk: 'Відсоток', en: 'Percent' },
    fixed: { uk: 'Сума за платіж', en: 'Sum per payment' },
    validFrom: { uk: 'Діє з', en: 'In force from' },
  });

  const terms = (c: Contract) =>
    c.percent !== null
      ? `${new Intl.NumberFormat(format.locale, { maximumFractionDigits: 3 }).format(Number(c.percent))} %`
      : t({ uk: '{a} за платіж', en: '{a} per payment' }, { a: money(c.fixed ?? 0, format.locale) });

  const add = () =>
    added.submit(async () => {
      const amount = Number(value);
      await api.post('/payments/settlement/contracts', {
        providerId: Number(providerId),
        agentId: agentId ? Number(agentId) : null,
        ...(kind === 'percent' ? { percent: String(amount) } : { fixed: Math.round(amount * 100) }),
        validFrom,
      });
      added.succeed(t({ uk: 'Договір додано: діє з {d}', en: 'Contract added: in force from {d}' }, { d: format.date(validFrom) }));
      setValue('');
      contracts.reload();
    });

  return (
    <Stack>
      <Paper withBorder p="md">
        <Text fw={600} mb="xs">
          {t({ uk: 'Договори комісії', en: 'Commission contracts' })}
        </Text>
        <DataState state={contracts}>
          {(data) =>
            data.items.length === 0 ? (
              <Text c="dimmed" size="sm">
                {t({ uk: 'Договорів немає: комісія не утримується.', en: 'No contracts: no commission is taken.' })}
              </Text>
            ) : (
              <Table.ScrollContainer minWidth={560}>
                <Table aria-label={t({ uk: 'Договори комісії', en: 'Commission contracts' })}>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t({ uk: 'Постачальник', en: 'Provider' })}</Table.Th>
                      <Table.Th>{t({ uk: 'Агент', en: 'Agent' })}</Table.Th>
                      <Table.Th ta="right">{t({ uk: 'Комісія', en: 'Commission' })}</Table.Th>
                      <Table.Th>{t({ uk: 'Діє з', en: 'In force from' })}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {data.items.map((c) => (
                      <Table.Tr key={c.contractId}>
                        <Table.Td>{c.provider}</Table.Td>
                        <Table.Td>{c.agent ?? t({ uk: 'усі агенти', en: 'all agents' })}</Table.Td>
                        <Table.Td ta="right">{terms(c)}</Table.Td>
                        <Table.Td>{format.date(c.validFrom)}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            )
          }
        </DataState>
      </Paper>
      {canAdd && (
        <FormCard title={t({ uk: 'Новий договір комісії', en: 'New commission contract' })} onSubmit={() => void add()} message={added.message}>
          <Group align="flex-end">
            <Select
              label={t({ uk: 'Постачальник', en: 'Provider' })}
              data={(providers.data?.items ?? []).map((p) => ({ value: String(p.providerId), label: p.name }))}
              value={providerId}
              onChange={setProviderId}
              searchable
              required
              w={260}
            />
            <Select
              label={t({ uk: 'Агент', en: 'Agent' })}
              placeholder={t({ uk: 'усі агенти', en: 'all agents' })}
              data={(agents.data?.items ?? []).map((a) => ({ value: String(a.agentId), label: a.name }))}
              value={agentId}
              onChange={setAgentId}
              clearable
              w={200}
            />
            <SegmentedControl
              aria-label={t({ uk: 'Вид комісії', en: 'Kind of commission' })}
              value={kind}
              onChange={(v) => setKind(v as 'percent' | 'fixed')}
              data={[
                { value: 'percent', label: t({ uk: 'Відсоток', en: 'Percent' }) },
                { value: 'fixed', label: t({ uk: 'Сума за платіж', en: 'Sum per payment' }) },
              ]}
            />
            <NumberInput
              label={kind === 'percent' ? t({ uk: 'Відсоток', en: 'Percent' }) : t({ uk: 'Сума за платіж, грн', en: 'Sum per payment, UAH' })}
              value={value}
              onChange={setValue}
              min={0}
              max={kind === 'percent' ? 99.999 : undefined}
              decimalScale={kind === 'percent' ? 3 : 2}
              required
              w={150}
            />
            <DayInput label={t({ uk: 'Діє з', en: 'In force from' })} value={validFrom || null} onChange={(v) => setValidFrom(v ?? '')} minDate={kyivToday()} required />
            <Button type="submit" loading={added.saving} disabled={!providerId || value === '' || !validFrom}>
              {t({ uk: 'Додати договір', en: 'Add the contract' })}
            </Button>
          </Group>
        </FormCard>
      )}
    </Stack>
  );
}
