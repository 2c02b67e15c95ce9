import { useState } from 'react';
import { useNavigate } from 'react-router';
import { Alert, Button, Code, FileInput, Group, Paper, ScrollArea, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { api, errorMessages } from '../../api';
import { useT, type Bilingual } from '../../i18n';
import { useApiGet } from '../../useApiGet';
import { PageHeader } from '../../components/PageHeader';
import { uploadFile } from './upload';
import { KIND_LABELS, type FileKind, type Preview, type ProviderOption } from './types';

/** The profile form's fields by their labels, so that a refusal names them so (the upload's too). */
const LABELS = {
  name: { uk: 'Назва профілю', en: 'Profile name' },
  providerId: { uk: 'Постачальник', en: 'Provider' },
  kind: { uk: 'Вид файлу', en: 'File kind' },
  encoding: { uk: 'Кодування', en: 'Encoding' },
  fileName: { uk: 'Зразок файлу', en: 'Sample file' },
  'settings.kind': { uk: 'Вид файлу', en: 'File kind' },
  'settings.encoding': { uk: 'Кодування', en: 'Encoding' },
  'settings.columns': { uk: 'Стовпці файлу', en: 'File columns' },
  'settings.decimalSeparator': { uk: 'Десятковий роздільник', en: 'Decimal separator' },
  'settings.dateFormat': { uk: 'Формат дати', en: 'Date format' },
  'settings.defaultService': { uk: 'Послуга за замовчуванням', en: 'Default service' },
} satisfies Record<string, Bilingual>;

/**
 * A new import profile: the operator picks a sample file, sees its first rows, and tells which
 * column holds which field (the page suggests a mapping from the column titles), plus how the
 * file writes numbers and dates. Saved under a name and reused by the web app and the CLI.
 */
export function ProfilePage() {
  const t = useT();
  const navigate = useNavigate();
  const providers = useApiGet<{ items: ProviderOption[] }>('/providers', { limit: 200 });
  const services = useApiGet<{ items: ServiceOption[] }>('/services');
  const [kind, setKind] = useState<FileKind>('accounts');
  const [providerId, setProviderId] = useState<string | null>(null);
  const [file, setFile] = useState<File | null>(null);
  const [encoding, setEncoding] = useState<string | null>(null);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [columns, setColumns] = useState<Record<string, string>>({});
  const [decimalSeparator, setDecimalSeparator] = useState<string>(',');
  const [dateFormat, setDateFormat] = useState<string>('DD.MM.YYYY');
  const [defaultService, setDefaultService] = useState('');
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  // Each column of the mapping by its own label (`settings.columns.amount` → «Сума»).
  const labels: Record<string, Bilingual> = {
    ...LABELS,
    ...Object.fromEntries((preview?.fields ?? []).map((f) => [`settings.columns.${f.name}`, { uk: f.labelUk, en: f.labelEn }])),
  };

  async function load() {
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      const answer = await uploadFile<Preview>('/imports/preview', file, { kind, fileName: file.name, encoding: encoding ?? undefined });
      setPreview(answer);
      setColumns(answer.suggested);
    } catch (e) {
      setError(t(errorMessages(e, labels)));
    } finally {
      setBusy(false);
    }
  }

  async function save() {
    setBusy(true);
    setError(null);
    try {
      await api.post('/import-profiles', {
        name,
        providerId: providerId ? Number(providerId) : null,
        settings: {
          kind,
          format: preview?.format,
          encoding: preview?.encoding ?? undefined,
          delimiter: preview?.delimiter ?? undefined,
          columns,
          decimalSeparator,
          dateFormat,
          ...(defaultService ? { defaultService } : {}),
        },
      });
      navigate('/onboarding/imports');
    } catch (e) {
      setError(t(errorMessages(e, labels)));
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <PageHeader title={t({ uk: 'Новий профіль імпорту', en: 'New import profile' })} subtitle={t({ uk: 'Покажіть зразок файлу та вкажіть, що в якому стовпці', en: 'Show a sample file and say which column holds what' })} />
      <Paper withBorder p="md" mb="md">
        <Stack>
          <Group grow align="flex-end">
            <Select
              label={t(LABELS.kind)}
              data={(Object.keys(KIND_LABELS) as FileKind[]).map((k) => ({ value: k, label: t(KIND_LABELS[k]) }))}
              value={kind}
              onChange={(v) => v && setKind(v as FileKind)}
              allowDeselect={false}
            />
            <Select
              label={t(LABELS.providerId)}
              data={(providers.data?.items ?? []).map((p) => ({ value: String(p.providerId), label: p.name }))}
              value={providerId}
              onChange={setProviderId}
              searchable
              clearable
            />
            <Select
              label={t(LABELS.encoding)}
              placeholder={t({ uk: 'визначити самим', en: 'detect' })}
              data={['utf-8', 'windows-1251', 'cp866', 'cp1125', 'utf-16le', 'utf-16be']}
              value={encoding}
              onChange={setEncoding}
              clearable
            />
          </Group>
          <Group align="flex-end" grow>
            <FileInput label={t(LABELS.fileName)} accept=".csv,.txt,.xlsx,.dbf" value={file} onChange={setFile} />
            <Button onClick={load} loading={busy} disabled={!file} style={{ flexGrow: 0 }}>
              {t({ uk: 'Показати перші рядки', en: 'Show the first rows' })}
            </Button>
          </Group>
        </Stack>
      </Paper>
      {error && (
        <Alert color="red" mb="md" role="alert">
          {error}
        </Alert>
      )}
      {preview && (
        <Stack>
          <Text size="sm" c="dimmed">
            {preview.format.toUpperCase()} {preview.encoding ?? ''} {preview.delimiter ? `«${preview.delimiter === '\t' ? 'TAB' : preview.delimiter}»` : ''}
          </Text>
          <ScrollArea>
            <Table withTableBorder striped>
              <Table.Thead>
                <Table.Tr>
                  {preview.headers.map((h) => (
                    <Table.Th key={h}>{h}</Table.Th>
                  ))}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {preview.rows.slice(0, 10).map((row, i) => (
                  <Table.Tr key={i}>
                    {preview.headers.map((h, j) => (
                      <Table.Td key={h}>{row[j] ?? ''}</Table.Td>
                    ))}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollArea>
          <Paper withBorder p="md">
            <Stack gap="xs">
              {preview.fields.map((f) => (
                <Select
                  key={f.name}
                  label={`${t({ uk: f.labelUk, en: f.labelEn })}${f.required ? ' *' : ''}`}
                  placeholder={t({ uk: 'немає у файлі', en: 'not in the file' })}
                  data={preview.headers}
                  value={columns[f.name] ?? null}
                  onChange={(v) =>
                    setColumns((c) => {
                      const next = { ...c };
                      if (v) next[f.name] = v;
                      else delete next[f.name];
                      return next;
                    })
                  }
                  clearable
                />
              ))}
              <Group grow>
                <Select label={t(LABELS['settings.decimalSeparator'])} data={[',', '.']} value={decimalSeparator} onChange={(v) => v && setDecimalSeparator(v)} />
                <Select label={t(LABELS['settings.dateFormat'])} data={['DD.MM.YYYY', 'YYYY-MM-DD', 'DD/MM/YYYY', 'YYYYMMDD']} value={dateFormat} onChange={(v) => v && setDateFormat(v)} />
                <Select
                  label={t(LABELS['settings.defaultService'])}
                  data={(services.data?.items ?? []).map((s) => ({ value: s.code, label: `${t({ uk: s.nameUk, en: s.nameEn })} (${s.code})` }))}
                  value={defaultService || null}
                  onChange={(v) => setDefaultService(v ?? '')}
                  clearable
                  searchable
                />
              </Group>
              {kind !== 'addresses' && <AcceptedServices items={services.data?.items ?? []} />}
              <Group align="flex-end">
                <TextInput label={t(LABELS.name)} value={name} onChange={(e) => setName(e.currentTarget.value)} style={{ flexGrow: 1 }} />
                <Button onClick={save} loading={busy} disabled={!name}>
                  {t('common.save')}
                </Button>
              </Group>
            </Stack>
          </Paper>
        </Stack>
      )}
    </>
  );
}

interface ServiceOption {
  code: string;
  nameUk: string;
  nameEn: string;
}

/** What the service column may say: the code, or the name in either language (onboarding/service-names.ts). */
function AcceptedServices({ items }: { items: ServiceOption[] }) {
  const t = useT();
  return (
    <Stack gap={4}>
      <Text size="sm" fw={500}>
        {t({ uk: 'Стовпець послуги приймає код або назву українською чи англійською', en: 'The service column takes the code or the name in Ukrainian or English' })}
      </Text>
      <Text size="sm" c="dimmed">
        {t({ uk: 'Великі й малі літери, апостроф і пробіли не важать.', en: 'Case, apostrophes and spacing do not matter.' })}
      </Text>
      <Table withTableBorder>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t({ uk: 'Код', en: 'Code' })}</Table.Th>
            <Table.Th>{t({ uk: 'Назва українською', en: 'Name in Ukrainian' })}</Table.Th>
            <Table.Th>{t({ uk: 'Назва англійською', en: 'Name in English' })}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((s) => (
            <Table.Tr key={s.code}>
              <Table.Td>
                <Code>{s.code}</Code>
              </Table.Td>
              <Table.Td>{s.nameUk}</Table.Td>
              <Table.Td>{s.nameEn}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}
