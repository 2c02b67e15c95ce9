import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { Alert, Anchor, Badge, Button, Checkbox, FileInput, Group, Paper, Progress, Select, Stack, Table, Text, Title } from '@mantine/core';
import { IconDownload, IconListCheck, IconUpload } from '@tabler/icons-react';
import { errorMessages } from '../../api';
import { useFormat, useT } from '../../i18n';
import { useApiGet } from '../../useApiGet';
import { DataState } from '../../components/DataState';
import { PageHeader } from '../../components/PageHeader';
import { useSession } from '../../session';
import { uploadFile } from './upload';
import { ImportErrors } from './ImportErrors';
import { KIND_LABELS, type FileKind, type ImportItem, type Profile, type ProviderOption } from './types';

const STATUS: Record<ImportItem['status'], { color: string; uk: string; en: string }> = {
  staging: { color: 'blue', uk: 'виконується', en: 'running' },
  staged: { color: 'gray', uk: 'перевірено', en: 'checked' },
  applied: { color: 'green', uk: 'імпортовано', en: 'imported' },
  partial: { color: 'orange', uk: 'частково, з помилками', en: 'partly, with errors' },
  unchanged: { color: 'teal', uk: 'без змін', en: 'unchanged' },
  failed: { color: 'red', uk: 'відхилено', en: 'failed' },
};

/** Imports of provider files: start one (or a dry run), follow its progress, read its counters, open its queue. */
export function ImportsPage() {
  const t = useT();
  const format = useFormat();
  const { user } = useSession();
  const ownFiles = user?.role === 'provider';
  const imports = useApiGet<{ items: ImportItem[] }>('/imports', { limit: 50 });
  const running = imports.data?.items.some((i) => i.status === 'staging') ?? false;
  const reload = imports.reload;
  // While something runs, its progress and counters are worth refreshing.
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(reload, 2000);
    return () => clearInterval(timer);
  }, [running, reload]);

  return (
    <>
      <PageHeader
        title={ownFiles ? t({ uk: 'Імпорт власних файлів', en: 'Import of own files' }) : t({ uk: 'Імпорт даних постачальників', en: 'Provider data imports' })}
        subtitle={
          ownFiles
            ? t({ uk: 'CSV, XLSX, DBF: ваші особові рахунки, нарахування, показники', en: 'CSV, XLSX, DBF: your accounts, charges, readings' })
            : t({ uk: 'CSV, XLSX, DBF: адреси, рахунки, нарахування, оплати', en: 'CSV, XLSX, DBF: addresses, accounts, charges, payments' })
        }
        actions={
          !ownFiles && (
            <Button component={Link} to="/onboarding/profiles/new" variant="default">
              {t({ uk: 'Новий профіль імпорту', en: 'New import profile' })}
            </Button>
          )
        }
      />
      <NewImport onStarted={reload} ownFiles={ownFiles} />
      <Title order={3} mt="xl" mb="sm">
        {t({ uk: 'Останні імпорти', en: 'Recent imports' })}
      </Title>
      <DataState state={imports}>
        {(data) =>
          data.items.length === 0 ? (
            <Text c="dimmed">{t('common.empty')}</Text>
          ) : (
            <Table withTableBorder striped verticalSpacing="sm">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>№</Table.Th>
                  <Table.Th>{t({ uk: 'Файл', en: 'File' })}</Table.Th>
                  {/* Wide enough for «імпортовано» and «пробний прогін» whole: a badge cuts its text short. */}
                  <Table.Th miw={150}>{t({ uk: 'Стан', en: 'Status' })}</Table.Th>
                  <Table.Th>{t({ uk: 'Рядки', en: 'Rows' })}</Table.Th>
                  <Table.Th>{t({ uk: 'Звіт', en: 'Report' })}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.items.map((item) => {
                  const status = STATUS[item.status];
                  const c = item.counters;
                  const open = (c.review ?? 0) + (c.new ?? 0);
                  return (
                    <Table.Tr key={item.importId}>
                      <Table.Td>{item.importId}</Table.Td>
                      <Table.Td>
                        <Text fw={500}>{item.fileName}</Text>
                        <Text size="sm" c="dimmed">
                          {t(KIND_LABELS[item.kind])}
                          {item.providerName ? ` · ${item.providerName}` : ''} · {format.date(item.createdAt)}
                          {item.format ? ` · ${item.format.toUpperCase()}${item.encoding ? ` ${item.encoding}` : ''}` : ''}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Group gap={4}>
                          <Badge color={status.color}>{t(status)}</Badge>
                          {item.dryRun && <Badge variant="outline">{t({ uk: 'пробний прогін', en: 'dry run' })}</Badge>}
                        </Group>
                        {item.status === 'staging' && (
                          <Stack gap={2} mt={4}>
                            <Progress value={100} animated size="sm" />
                            <Text size="xs" c="dimmed">
                              {item.message ?? ''}
                            </Text>
                          </Stack>
                        )}
                        {item.status === 'failed' && item.error && (
                          <Text size="sm" c="red">
                            {t({ uk: item.error.message_uk ?? '', en: item.error.message_en ?? '' })}
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td>
                        {c.rows !== undefined && (
                          <Group gap={4}>
                            <Badge color="green" variant="light">
                              {t({ uk: 'зіставлено', en: 'matched' })} {format.number(c.matched ?? 0)}
                            </Badge>
                            {open > 0 && (
                              <Badge color="yellow" variant="light">
                                {t({ uk: 'на перевірку', en: 'to review' })} {format.number(open)}
                              </Badge>
                            )}
                            {(c.error ?? 0) > 0 && (
                              <Badge color="red" variant="light">
                                {t({ uk: 'помилки', en: 'errors' })} {format.number(c.error)}
                              </Badge>
                            )}
                          </Group>
                        )}
                        {(c.error ?? 0) > 0 && item.status !== 'unchanged' && <ImportErrors importId={item.importId} />}
                        {open > 0 && (item.status === 'applied' || item.status === 'partial') && (
                          <Anchor component={Link} to={`/onboarding/imports/${item.importId}/queue`} size="sm">
                            <Group gap={4} mt={4}>
                              <IconListCheck size={16} />
                              {t({ uk: 'Черга перевірки', en: 'Review queue' })}
                            </Group>
                          </Anchor>
                        )}
                      </Table.Td>
                      <Table.Td>
                        {c.rows !== undefined && (
                          <Group gap="xs">
                            {(['csv', 'xlsx'] as const).map((ext) => (
                              <Anchor key={ext} href={`/api/imports/${item.importId}/report.${ext}`} size="sm">
                                <Group gap={2}>
                                  <IconDownload size={14} />
                                  {ext.toUpperCase()}
                                </Group>
                              </Anchor>
                            ))}
                            {(c.error ?? 0) > 0 && (
                              <Anchor href={`/api/imports/${item.importId}/report.csv?status=error`} size="sm">
                                {t({ uk: 'лише помилки', en: 'errors only' })}
                              </Anchor>
                            )}
                          </Group>
                        )}
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          )
        }
      </DataState>
    </>
  );
}

/** What a provider user sends for itself (the server allows it these only). */
const PROVIDER_KINDS: FileKind[] = ['accounts', 'charges', 'readings'];

/** Choose provider, kind, profile and file; import or dry-run it. A provider user imports for itself only. */
function NewImport({ onStarted, ownFiles }: { onStarted: () => void; ownFiles: boolean }) {
  const t = useT();
  const providers = useApiGet<{ items: ProviderOption[] }>('/providers', { limit: 200 });
  const profiles = useApiGet<{ items: Profile[] }>('/import-profiles');
  const [kind, setKind] = useState<FileKind>('accounts');
  const [providerId, setProviderId] = useState<string | null>(null);
  const [profile, setProfile] = useState<string | null>(null);
  const [file, setFile] = useState<File | null>(null);
  const [dryRun, setDryRun] = useState(true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const matchingProfiles = (profiles.data?.items ?? []).filter((p) => p.kind === kind && (ownFiles || p.providerId === null || String(p.providerId) === providerId));
  const kinds = ownFiles ? PROVIDER_KINDS : (Object.keys(KIND_LABELS) as FileKind[]);
  const ownName = ownFiles ? providers.data?.items[0]?.name : undefined;

  async function start() {
    if (!file) return;
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      const answer = await uploadFile<{ status: string; message: { uk: string; en: string } | null }>('/imports', file, {
        kind,
        providerId: ownFiles ? undefined : (providerId ?? undefined),
        fileName: file.name,
        profile: profile ?? undefined,
        dryRun,
      });
      if (answer.message) setNotice(t(answer.message));
      onStarted();
    } catch (e) {
      setError(t(errorMessages(e)));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Paper withBorder p="md">
      <Stack>
        <Group grow align="flex-end">
          <Select
            label={t({ uk: 'Вид файлу', en: 'File kind' })}
            data={kinds.map((k) => ({ value: k, label: t(KIND_LABELS[k]) }))}
            value={kind}
            onChange={(v) => v && setKind(v as FileKind)}
            allowDeselect={false}
          />
          {ownFiles ? (
            <Stack gap={0}>
              <Text size="sm" fw={500}>
                {t({ uk: 'Постачальник', en: 'Provider' })}
              </Text>
              <Text data-testid="own-provider">{ownName ?? '…'}</Text>
            </Stack>
          ) : (
            <Select
              label={t({ uk: 'Постачальник', en: 'Provider' })}
              placeholder={kind === 'addresses' ? t({ uk: 'не потрібен', en: 'not needed' }) : undefined}
              data={(providers.data?.items ?? []).map((p) => ({ value: String(p.providerId), label: `${p.name} (${p.edrpou})` }))}
              value={providerId}
              onChange={setProviderId}
              searchable
              clearable
            />
          )}
          <Select
            label={t({ uk: 'Профіль', en: 'Profile' })}
            placeholder={t({ uk: 'за назвами стовпців', en: 'by column titles' })}
            data={matchingProfiles.map((p) => p.name)}
            value={profile}
            onChange={setProfile}
            clearable
          />
        </Group>
        <FileInput
          label={t({ uk: 'Файл (CSV, XLSX, DBF)', en: 'File (CSV, XLSX, DBF)' })}
          accept=".csv,.txt,.xlsx,.dbf"
          value={file}
          onChange={setFile}
          leftSection={<IconUpload size={16} />}
          clearable
        />
        <Group justify="space-between">
          <Checkbox
            label={t({ uk: 'Пробний прогін: лише зіставити й показати звіт, нічого не змінювати', en: 'Dry run: match and report only, change nothing' })}
            checked={dryRun}
            onChange={(e) => setDryRun(e.currentTarget.checked)}
          />
          <Button onClick={start} loading={busy} disabled={!file || (!ownFiles && kind !== 'addresses' && !providerId)}>
            {dryRun ? t({ uk: 'Перевірити файл', en: 'Check the file' }) : t({ uk: 'Імпортувати', en: 'Import' })}
          </Button>
        </Group>
        {notice && <Alert color="teal">{notice}</Alert>}
        {error && (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        )}
      </Stack>
    </Paper>
  );
}
