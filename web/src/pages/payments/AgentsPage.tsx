import { useState } from 'react';
import { Alert, Badge, Button, Code, Group, NumberInput, Stack, Table, Text, TextInput } from '@mantine/core';
import { api } from '../../api';
import { useFormat, useT } from '../../i18n';
import { useSession } from '../../session';
import { useApiGet } from '../../useApiGet';
import { DataState } from '../../components/DataState';
import { FormCard, useSubmission } from '../../components/FormCard';
import { PageHeader } from '../../components/PageHeader';
import type { AgentView } from '../../../../src/payments/agents';
import { money } from '../billing/labels';
import { EditAgentDialog, RetireKeyDialog } from './AgentDialogs';

/**
 * Payment agents (banks, the post, terminals, acquirers) and their API keys: an administrator
 * adds an agent and issues a key; the secret is shown once, here, and never again.
 */
export function AgentsPage() {
  const t = useT();
  const format = useFormat();
  const { user } = useSession();
  const isAdmin = user?.role === 'admin';
  const agents = useApiGet<{ items: AgentView[] }>('/payments/agents');
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [limitUah, setLimitUah] = useState<number | string>(14999);
  const created = useSubmission({
    code: { uk: 'Код (латиниця)', en: 'Code (Latin)' },
    name: { uk: 'Назва', en: 'Name' },
    maxAmount: { uk: 'Ліміт платежу, грн', en: 'Payment limit, UAH' },
  });
  const [secret, setSecret] = useState<{ agent: string; keyId: string; secret: string } | null>(null);
  const [keyError, setKeyError] = useState<string | null>(null);
  const [editing, setEditing] = useState<AgentView | null>(null);
  const [retiring, setRetiring] = useState<{ agent: AgentView; keyId: string } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const inForce = (k: AgentView['keys'][number]) => !k.validUntil || new Date(k.validUntil).getTime() > Date.now();

  const addAgent = () =>
    created.submit(async () => {
      await api.post('/payments/agents', { code: code.trim(), name: name.trim(), maxAmount: Math.round(Number(limitUah) * 100) });
      created.succeed(t({ uk: 'Агента {c} додано', en: 'Agent {c} added' }, { c: code.trim() }));
      setCode('');
      setName('');
      agents.reload();
    });

  async function issueKey(a: AgentView) {
    setKeyError(null);
    try {
      // A new key; the previous one stays valid for a day, so the agent can switch over.
      const k = await api.post<{ keyId: string; secret: string }>(`/payments/agents/${a.agentId}/keys`, { overlapHours: 24 });
      setSecret({ agent: a.code, ...k });
      agents.reload();
    } catch (e) {
      setKeyError(String((e as Error).message));
    }
  }

  return (
    <Stack>
      <PageHeader
        title={t({ uk: 'Платіжні агенти', en: 'Payment agents' })}
        subtitle={t({ uk: 'Банки, пошта, термінали, еквайри: їхні ключі API і ліміти', en: 'Banks, the post, terminals, acquirers: their API keys and limits' })}
      />
      {secret && (
        <Alert color="yellow" role="status" title={t({ uk: 'Новий ключ — збережіть секрет зараз', en: 'A new key — save the secret now' })} withCloseButton onClose={() => setSecret(null)}>
          <Text size="sm">
            {t({ uk: 'Агент {a}, ключ', en: 'Agent {a}, key' }, { a: secret.agent })} <Code>{secret.keyId}</Code>
          </Text>
          <Text size="sm">
            {t({ uk: 'Секрет (показано лише раз):', en: 'Secret (shown once only):' })} <Code data-testid="agent-secret">{secret.secret}</Code>
          </Text>
        </Alert>
      )}
      {keyError && <Alert color="red">{keyError}</Alert>}
      {notice && (
        <Alert color="green" role="status" withCloseButton onClose={() => setNotice(null)}>
          {notice}
        </Alert>
      )}
      {editing && (
        <EditAgentDialog
          agent={editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setNotice(t({ uk: 'Агента {c} змінено', en: 'Agent {c} changed' }, { c: editing.code }));
            setEditing(null);
            agents.reload();
          }}
        />
      )}
      {retiring && (
        <RetireKeyDialog
          agent={retiring.agent}
          keyId={retiring.keyId}
          onClose={() => setRetiring(null)}
          onRetired={() => {
            setNotice(t({ uk: 'Ключ {k} відкликано', en: 'Key {k} retired' }, { k: retiring.keyId }));
            setRetiring(null);
            agents.reload();
          }}
        />
      )}
      <DataState state={agents}>
        {(data) =>
          data.items.length === 0 ? (
            <Text c="dimmed">{t({ uk: 'Агентів ще немає.', en: 'No agents yet.' })}</Text>
          ) : (
            <Table.ScrollContainer minWidth={860}>
              <Table striped aria-label={t({ uk: 'Платіжні агенти', en: 'Payment agents' })}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t({ uk: 'Код', en: 'Code' })}</Table.Th>
                    <Table.Th>{t({ uk: 'Назва', en: 'Name' })}</Table.Th>
                    <Table.Th ta="right">{t({ uk: 'Ліміт платежу', en: 'Payment limit' })}</Table.Th>
                    <Table.Th>{t({ uk: 'Ключі', en: 'Keys' })}</Table.Th>
                    {isAdmin && <Table.Th />}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {data.items.map((a) => (
                    <Table.Tr key={a.agentId}>
                      <Table.Td>
                        <Code>{a.code}</Code> {!a.active && <Badge color="gray">{t({ uk: 'вимкнено', en: 'off' })}</Badge>}
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{a.name}</Text>
                        {a.ipAllow && (
                          <Text size="xs" c="dimmed">
                            {t({ uk: 'лише з {ips}', en: 'only from {ips}' }, { ips: a.ipAllow.join(', ') })}
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td ta="right">{money(a.maxAmount, format.locale)}</Table.Td>
                      <Table.Td>
                        {a.keys.length === 0 ? (
                          <Text size="sm" c="dimmed">{t({ uk: 'немає', en: 'none' })}</Text>
                        ) : (
                          a.keys.map((k) => (
                            <Group key={k.keyId} gap={4} align="baseline">
                              <Text size="sm" c={inForce(k) ? undefined : 'dimmed'}>
                                <Code>{k.keyId}</Code> {t({ uk: 'з', en: 'from' })} {format.dateTime(k.validFrom)}
                                {k.validUntil ? ` ${t({ uk: 'до', en: 'until' })} ${format.dateTime(k.validUntil)}` : ''}
                              </Text>
                              {isAdmin && inForce(k) && (
                                <Button size="compact-xs" variant="subtle" color="red" onClick={() => setRetiring({ agent: a, keyId: k.keyId })}>
                                  {t({ uk: 'Відкликати', en: 'Retire' })}
                                </Button>
                              )}
                            </Group>
                          ))
                        )}
                      </Table.Td>
                      {isAdmin && (
                        <Table.Td>
                          <Group gap="xs" wrap="nowrap">
                            <Button size="xs" variant="light" onClick={() => void issueKey(a)}>
                              {t({ uk: 'Новий ключ', en: 'New key' })}
                            </Button>
                            <Button size="xs" variant="default" onClick={() => setEditing(a)}>
                              {t({ uk: 'Змінити…', en: 'Change…' })}
                            </Button>
                          </Group>
                        </Table.Td>
                      )}
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )
        }
      </DataState>
      {isAdmin && (
        <FormCard title={t({ uk: 'Новий агент', en: 'New agent' })} onSubmit={() => void addAgent()} message={created.message}>
          <Group align="flex-end">
            <TextInput label={t({ uk: 'Код (латиниця)', en: 'Code (Latin)' })} value={code} onChange={(e) => setCode(e.currentTarget.value)} required />
            <TextInput label={t({ uk: 'Назва', en: 'Name' })} value={name} onChange={(e) => setName(e.currentTarget.value)} required style={{ flexGrow: 1 }} />
            <NumberInput label={t({ uk: 'Ліміт платежу, грн', en: 'Payment limit, UAH' })} value={limitUah} onChange={setLimitUah} min={1} decimalScale={2} />
            <Button type="submit" loading={created.saving} disabled={!code.trim() || !name.trim()}>
              {t({ uk: 'Додати', en: 'Add' })}
            </Button>
          </Group>
        </FormCard>
      )}
    </Stack>
  );
}
