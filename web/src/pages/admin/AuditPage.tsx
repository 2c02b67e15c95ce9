import { useState } from 'react';
import { Button, Code, Group, Paper, Select, Stack, Table, Text } from '@mantine/core';
import { useFormat, useT } from '../../i18n';
import { useApiGet, useApiList } from '../../useApiGet';
import { DataState } from '../../components/DataState';
import { PageHeader } from '../../components/PageHeader';
import { useSession } from '../../session';
import { DayInput } from '../billing/DayInput';
import { AUDIT_ACTIONS, AUDIT_ENTITIES, changedFields } from './audit-labels';
import type { AuditEntry } from '../../../../src/auth/service';
import type { User } from './types';


/** The audit log (admin, city), newest first, filtered by what, which action, who and which days. */
export function AuditPage() {
  const t = useT();
  const format = useFormat();
  const { user } = useSession();
  const [entity, setEntity] = useState<string | null>(null);
  const [action, setAction] = useState<string | null>(null);
  const [userId, setUserId] = useState<string | null>(null);
  const [from, setFrom] = useState<string | null>(null);
  const [to, setTo] = useState<string | null>(null);
  const [open, setOpen] = useState<number | null>(null);
  // Only an administrator may list the users; the city filters by the rest.
  const users = useApiGet<User[]>(user?.role === 'admin' ? '/users' : null);
  const query = { limit: 50, ...(entity ? { entity } : {}), ...(action ? { action } : {}), ...(userId ? { userId } : {}), ...(from ? { from } : {}), ...(to ? { to } : {}) };
  const list = useApiList<AuditEntry>('/audit', query);
  const word = (map: typeof AUDIT_ACTIONS, code: string) => (map[code] ? t(map[code]) : code);

  return (
    <>
      <PageHeader
        title={t({ uk: 'Журнал дій', en: 'Audit log' })}
        subtitle={t({ uk: 'Хто що змінив і коли, найновіше спершу', en: 'Who changed what and when, newest first' })}
      />
      <Paper withBorder p="md" mb="md" component="form" aria-label={t({ uk: 'Фільтри журналу', en: 'Log filters' })}>
        <Group align="flex-end" wrap="wrap">
          <Select
            w={240}
            label={t({ uk: 'Що', en: 'What' })}
            data={Object.entries(AUDIT_ENTITIES).map(([value, label]) => ({ value, label: t(label) }))}
            value={entity}
            onChange={setEntity}
            clearable
            searchable
          />
          <Select
            w={240}
            label={t({ uk: 'Дія', en: 'Action' })}
            data={Object.entries(AUDIT_ACTIONS).map(([value, label]) => ({ value, label: t(label) }))}
            value={action}
            onChange={setAction}
            clearable
            searchable
          />
          {user?.role === 'admin' && (
            <Select
              w={240}
              label={t({ uk: 'Хто', en: 'Who' })}
              data={(users.data ?? []).map((u) => ({ value: String(u.userId), label: `${u.displayName} (${u.login})` }))}
              value={userId}
              onChange={setUserId}
              clearable
              searchable
            />
          )}
          <DayInput w={160} label={t({ uk: 'З дня', en: 'From' })} value={from} onChange={setFrom} clearable />
          <DayInput w={160} label={t({ uk: 'По день', en: 'To' })} value={to} onChange={setTo} clearable />
        </Group>
      </Paper>
      <DataState state={list}>
        {() =>
          list.items.length === 0 ? (
            <Text c="dimmed">{t({ uk: 'Записів немає', en: 'No entries' })}</Text>
          ) : (
            <Stack>
              <Table.ScrollContainer minWidth={720}>
                <Table striped withTableBorder aria-label={t({ uk: 'Журнал дій', en: 'Audit log' })}>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t({ uk: 'Коли', en: 'When' })}</Table.Th>
                      <Table.Th>{t({ uk: 'Хто', en: 'Who' })}</Table.Th>
                      <Table.Th>{t({ uk: 'Дія', en: 'Action' })}</Table.Th>
                      <Table.Th>{t({ uk: 'Що', en: 'What' })}</Table.Th>
                      <Table.Th>{t({ uk: 'Змінено', en: 'Changed' })}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {list.items.map((e) => {
                      const fields = changedFields(e.before, e.after);
                      return (
                        <Table.Tr key={e.auditId}>
                          <Table.Td>{format.dateTime(e.at)}</Table.Td>
                          <Table.Td>{e.userLogin ?? t({ uk: 'система', en: 'system' })}</Table.Td>
                          <Table.Td>{word(AUDIT_ACTIONS, e.action)}</Table.Td>
                          <Table.Td>
                            {word(AUDIT_ENTITIES, e.entity)}
                            {e.entityId ? ` №${e.entityId}` : ''}
                          </Table.Td>
                          <Table.Td>
                            {fields.length === 0 ? (
                              '—'
                            ) : (
                              <Button variant="subtle" size="compact-sm" onClick={() => setOpen(open === e.auditId ? null : e.auditId)} aria-expanded={open === e.auditId}>
                                {t({ uk: 'полів: {n}', en: 'fields: {n}' }, { n: fields.length })}
                              </Button>
                            )}
                            {open === e.auditId && (
                              <Stack gap={2} mt={4}>
                                {fields.map((f) => (
                                  <Text key={f} size="xs">
                                    <Code>{f}</Code>: {shortValue((e.before as Record<string, unknown> | null)?.[f])} → {shortValue((e.after as Record<string, unknown> | null)?.[f])}
                                  </Text>
                                ))}
                              </Stack>
                            )}
                          </Table.Td>
                        </Table.Tr>
                      );
                    })}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
              {list.hasMore && (
                <Button variant="default" onClick={list.loadMore} loading={list.loadingMore} style={{ alignSelf: 'flex-start' }}>
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

/** A value of a changed field, short: text as it is, anything else as compact JSON cut to 80 characters. */
function shortValue(v: unknown): string {
  if (v === undefined || v === null) return '—';
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > 80 ? `${s.slice(0, 79)}…` : s;
}
