import { useState } from 'react';
import { Badge, Button, Group, Paper, Select, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { api } from '../../api';
import { useT } from '../../i18n';
import { useSession } from '../../session';
import { useApiGet } from '../../useApiGet';
import { DataState } from '../../components/DataState';
import { FormCard, useSubmission } from '../../components/FormCard';
import { PageHeader } from '../../components/PageHeader';
import type { NoticeRow } from '../../../../src/bills/repo';
import { kyivMonth } from '../billing/labels';

const COMMUNITY = 'community';

/**
 * Notices printed on the bills: a provider's notice (on its own lines' part of the bill) or the
 * community's news (on every bill), for a range of months, in Ukrainian and English.
 */
export function NoticesPage() {
  const t = useT();
  const { user } = useSession();
  const ownProvider = user?.role === 'provider' ? user.providerId : null;
  const [month, setMonth] = useState(kyivMonth());
  const valid = /^\d{4}-\d{2}$/.test(month);
  const notices = useApiGet<{ items: NoticeRow[] }>(valid ? '/bills/notices' : null, { period: `${month}-01` });
  const providers = useApiGet<{ items: Array<{ providerId: number; name: string }> }>(ownProvider === null ? '/providers' : null, { limit: 200 });
  const [whose, setWhose] = useState<string>(COMMUNITY);
  const [from, setFrom] = useState(kyivMonth());
  const [to, setTo] = useState(kyivMonth());
  const [textUk, setTextUk] = useState('');
  const [textEn, setTextEn] = useState('');
  const adding = useSubmission({
    providerId: { uk: 'Чиє', en: 'Whose' },
    periodFrom: { uk: 'З місяця (РРРР-ММ)', en: 'From month (YYYY-MM)' },
    periodTo: { uk: 'До місяця (РРРР-ММ)', en: 'To month (YYYY-MM)' },
    textUk: { uk: 'Текст українською', en: 'Text in Ukrainian' },
    textEn: { uk: 'Текст англійською', en: 'Text in English' },
  });
  const canWrite = user?.role === 'admin' || user?.role === 'operator' || user?.role === 'provider';

  const add = () =>
    adding.submit(async () => {
      const providerId = ownProvider ?? (whose === COMMUNITY ? null : Number(whose));
      await api.post('/bills/notices', { providerId, periodFrom: from, periodTo: to, textUk, textEn });
      adding.succeed(t({ uk: 'Оголошення додано: його надрукують на рахунках {f} — {to}', en: 'Notice added: it prints on the bills of {f} — {to}' }, { f: from, to }));
      setTextUk('');
      setTextEn('');
      notices.reload();
    });

  async function remove(n: NoticeRow) {
    await api.delete(`/bills/notices/${n.noticeId}`);
    notices.reload();
  }

  return (
    <Stack>
      <PageHeader
        title={t({ uk: 'Оголошення на рахунках', en: 'Notices on the bills' })}
        subtitle={t({ uk: 'Оголошення постачальника — біля його послуг; новини громади — на кожному рахунку', en: "A provider's notice prints by its services; the community's news on every bill" })}
      />
      {canWrite && (
        <FormCard title={t({ uk: 'Нове оголошення', en: 'New notice' })} onSubmit={() => void add()} message={adding.message}>
          <Stack>
            {ownProvider === null && (
              <Select
                label={t({ uk: 'Чиє', en: 'Whose' })}
                data={[{ value: COMMUNITY, label: t({ uk: 'Новини громади (на всіх рахунках)', en: "The community's news (on every bill)" }) }, ...(providers.data?.items ?? []).map((p) => ({ value: String(p.providerId), label: p.name }))]}
                value={whose}
                onChange={(v) => setWhose(v ?? COMMUNITY)}
                allowDeselect={false}
                searchable
              />
            )}
            <Group grow>
              <TextInput label={t({ uk: 'З місяця (РРРР-ММ)', en: 'From month (YYYY-MM)' })} value={from} onChange={(e) => setFrom(e.currentTarget.value)} />
              <TextInput label={t({ uk: 'До місяця (РРРР-ММ)', en: 'To month (YYYY-MM)' })} value={to} onChange={(e) => setTo(e.currentTarget.value)} />
            </Group>
            <Textarea label={t({ uk: 'Текст українською', en: 'Text in Ukrainian' })} value={textUk} onChange={(e) => setTextUk(e.currentTarget.value)} maxLength={500} autosize minRows={2} />
            <Textarea label={t({ uk: 'Текст англійською', en: 'Text in English' })} value={textEn} onChange={(e) => setTextEn(e.currentTarget.value)} maxLength={500} autosize minRows={2} />
            <Group>
              <Button type="submit" loading={adding.saving}>
                {t({ uk: 'Додати оголошення', en: 'Add the notice' })}
              </Button>
            </Group>
          </Stack>
        </FormCard>
      )}
      <Paper withBorder p="md">
        <TextInput label={t({ uk: 'Місяць рахунків (РРРР-ММ)', en: 'Month of the bills (YYYY-MM)' })} value={month} onChange={(e) => setMonth(e.currentTarget.value)} maw={260} />
      </Paper>
      {valid && (
        <DataState state={notices}>
          {(data) =>
            data.items.length === 0 ? (
              <Text c="dimmed">{t({ uk: 'На рахунках за {m} оголошень немає.', en: 'No notices on the bills of {m}.' }, { m: month })}</Text>
            ) : (
              <Stack gap="xs" aria-label={t({ uk: 'Оголошення місяця', en: "The month's notices" })} role="list">
                {data.items.map((n) => (
                  <Paper key={n.noticeId} withBorder p="sm" role="listitem">
                    <Group justify="space-between" align="flex-start" wrap="nowrap">
                      <Stack gap={4} style={{ minWidth: 0 }}>
                        <Group gap="xs">
                          <Badge variant="light" color={n.providerId === null ? 'teal' : 'blue'}>
                            {n.providerId === null ? t({ uk: 'громада', en: 'community' }) : n.provider}
                          </Badge>
                          <Text size="sm" c="dimmed">
                            {n.periodFrom.slice(0, 7)} — {n.periodTo.slice(0, 7)}
                          </Text>
                        </Group>
                        <Text>{t({ uk: n.textUk, en: n.textEn })}</Text>
                      </Stack>
                      {canWrite && (
                        <Button size="xs" variant="light" color="red" onClick={() => void remove(n)}>
                          {t({ uk: 'Видалити', en: 'Delete' })}
                        </Button>
                      )}
                    </Group>
                  </Paper>
                ))}
              </Stack>
            )
          }
        </DataState>
      )}
    </Stack>
  );
}
