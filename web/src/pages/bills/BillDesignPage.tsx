import { useEffect, useState } from 'react';
import { ActionIcon, Alert, Button, Checkbox, ColorInput, FileButton, Grid, Group, NumberInput, Paper, SegmentedControl, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconArrowDown, IconArrowUp } from '@tabler/icons-react';
import { api, errorMessages, requestBlob } from '../../api';
import { useT, type Bilingual } from '../../i18n';
import { useApiGet, useApiList } from '../../useApiGet';
import { DataState } from '../../components/DataState';
import { PageHeader } from '../../components/PageHeader';
import type { PeriodRow } from '../billing/types';
import type { Service } from '../registry/types';

/** The design as GET/PUT /api/bills/design carry it (src/bills/routes.ts). */
export interface BillDesignForm {
  recipientName: string;
  collectingIban: string;
  recipientCode: string;
  locality: string;
  qrFormat: '002' | '003';
  qrEncoding: 1 | 2;
  primaryColor: string;
  accentColor: string;
  serviceOrder: string[];
  sections: string[];
  contacts: string[];
  footer: string;
  news: string;
  debtThreshold: number;
}
type DesignView = BillDesignForm & { hasLogo: boolean; configured: boolean };

/** The design form's fields by their labels: a refusal names them so. */
const LABELS = {
  recipientName: { uk: 'Отримувач', en: 'Recipient' },
  collectingIban: { uk: 'IBAN збору платежів', en: 'Collecting IBAN' },
  recipientCode: { uk: 'ЄДРПОУ отримувача', en: "Recipient's ЄДРПОУ" },
  locality: { uk: 'Населений пункт', en: 'Locality' },
  qrFormat: { uk: 'Формат QR НБУ', en: 'NBU QR format' },
  primaryColor: { uk: 'Основний колір', en: 'Primary colour' },
  accentColor: { uk: 'Додатковий колір', en: 'Accent colour' },
  sections: { uk: 'Розділи рахунку', en: 'Sections shown' },
  contacts: { uk: 'Контакти (по рядку: гаряча лінія, адреса порталу)', en: 'Contact lines (one a line: hotline, portal address)' },
  footer: { uk: 'Нижній колонтитул', en: 'Footer' },
  news: { uk: 'Новини громади', en: 'Community news' },
  debtThreshold: { uk: 'Нагадування про борг понад, грн', en: 'Debt reminder above, UAH' },
  serviceOrder: { uk: 'Порядок послуг', en: 'Order of services' },
  qrEncoding: { uk: 'Кодування QR', en: 'QR encoding' },
} satisfies Record<keyof BillDesignForm, Bilingual>;

const SECTIONS = [
  { value: 'meters', label: { uk: 'Лічильники', en: 'Meters' } },
  { value: 'readingBoxes', label: { uk: 'Клітинки для нових показників', en: 'Boxes for the next readings' } },
  { value: 'notices', label: { uk: 'Оголошення постачальників', en: 'Provider notices' } },
  { value: 'news', label: { uk: 'Новини громади', en: 'Community news' } },
  { value: 'debtReminder', label: { uk: 'Нагадування про борг', en: 'Debt reminder' } },
] as const;

/** The administrator designs the community's bill and sees a real premise's bill under it at once. */
export function BillDesignPage() {
  const t = useT();
  const design = useApiGet<DesignView>('/bills/design');
  return (
    <Stack>
      <PageHeader
        title={t({ uk: 'Дизайн рахунку', en: 'Bill design' })}
        subtitle={t({ uk: 'Логотип, кольори, порядок послуг, розділи, контакти й QR — з живим переглядом рахунку справжнього приміщення', en: "Logo, colours, order of services, sections, contacts and QR — with a live preview of a real premise's bill" })}
      />
      <DataState state={design}>{(saved) => <DesignEditor saved={saved} onSaved={design.reload} />}</DataState>
    </Stack>
  );
}

function DesignEditor({ saved, onSaved }: { saved: DesignView; onSaved: () => void }) {
  const t = useT();
  const { hasLogo, configured, ...initial } = saved;
  const [form, setForm] = useState<BillDesignForm>(initial);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const services = useApiList<Service>('/services', { limit: 200 });
  const set = <K extends keyof BillDesignForm>(key: K, value: BillDesignForm[K]) => setForm((f) => ({ ...f, [key]: value }));

  // Every service in the printed order: the design's order first, the rest in their own order.
  const codes = [...form.serviceOrder, ...services.items.map((s) => s.code).filter((c) => !form.serviceOrder.includes(c))];
  const nameOf = (code: string) => {
    const s = services.items.find((x) => x.code === code);
    return s ? t({ uk: s.nameUk, en: s.nameEn }) : code;
  };
  const move = (i: number, by: number) => {
    const next = [...codes];
    [next[i], next[i + by]] = [next[i + by]!, next[i]!];
    set('serviceOrder', next);
  };

  async function save() {
    setBusy(true);
    setMessage(null);
    try {
      await api.put('/bills/design', form);
      setMessage({ ok: true, text: t({ uk: 'Дизайн збережено', en: 'Design saved' }) });
      onSaved();
    } catch (e) {
      setMessage({ ok: false, text: t(errorMessages(e, LABELS)) });
    } finally {
      setBusy(false);
    }
  }

  async function uploadLogo(file: File | null) {
    if (!file) return;
    setMessage(null);
    try {
      await requestBlob('PUT', '/bills/design/logo', file, file.type === 'image/jpeg' ? 'image/jpeg' : 'image/png');
      setMessage({ ok: true, text: t({ uk: 'Логотип завантажено', en: 'Logo uploaded' }) });
      onSaved();
    } catch (e) {
      setMessage({ ok: false, text: t(errorMessages(e)) });
    }
  }

  return (
    <Grid>
      <Grid.Col span={{ base: 12, md: 5 }}>
        <Stack component="form" aria-label={t({ uk: 'Дизайн рахунку', en: 'Bill design' })} onSubmit={(e) => { e.preventDefault(); void save(); }}>
          <Paper withBorder p="md">
            <Stack gap="sm">
              <Title order={4}>{t({ uk: 'Отримувач платежів', en: 'Payee' })}</Title>
              <TextInput label={t(LABELS.recipientName)} value={form.recipientName} onChange={(e) => set('recipientName', e.currentTarget.value)} />
              <TextInput label={t(LABELS.collectingIban)} value={form.collectingIban} onChange={(e) => set('collectingIban', e.currentTarget.value)} />
              <TextInput label={t(LABELS.recipientCode)} value={form.recipientCode} onChange={(e) => set('recipientCode', e.currentTarget.value)} />
              <TextInput label={t(LABELS.locality)} value={form.locality} onChange={(e) => set('locality', e.currentTarget.value)} />
              <Text size="sm" fw={500}>{t(LABELS.qrFormat)}</Text>
              <SegmentedControl aria-label={t(LABELS.qrFormat)} value={form.qrFormat} onChange={(v) => set('qrFormat', v as '002' | '003')} data={[{ value: '002', label: '002' }, { value: '003', label: '003' }]} />
            </Stack>
          </Paper>
          <Paper withBorder p="md">
            <Stack gap="sm">
              <Title order={4}>{t({ uk: 'Вигляд', en: 'Look' })}</Title>
              <Group>
                <Text size="sm">{hasLogo ? t({ uk: 'Логотип є', en: 'Logo set' }) : t({ uk: 'Логотипа немає', en: 'No logo' })}</Text>
                <FileButton onChange={(f) => void uploadLogo(f)} accept="image/png,image/jpeg">
                  {(props) => <Button variant="light" size="xs" disabled={!configured} {...props}>{t({ uk: 'Завантажити логотип (PNG/JPEG, ≤ 1 МБ)', en: 'Upload logo (PNG/JPEG, ≤ 1 MB)' })}</Button>}
                </FileButton>
              </Group>
              <ColorInput label={t(LABELS.primaryColor)} value={form.primaryColor} onChange={(v) => set('primaryColor', v)} format="hex" />
              <ColorInput label={t(LABELS.accentColor)} value={form.accentColor} onChange={(v) => set('accentColor', v)} format="hex" />
              <Checkbox.Group label={t(LABELS.sections)} value={form.sections} onChange={(v) => set('sections', v)}>
                <Stack gap={4} mt={4}>
                  {SECTIONS.map((s) => <Checkbox key={s.value} value={s.value} label={t(s.label)} />)}
                </Stack>
              </Checkbox.Group>
              <Text size="sm" fw={500}>{t({ uk: 'Порядок послуг', en: 'Order of services' })}</Text>
              <Stack gap={2}>
                {codes.map((code, i) => (
                  <Group key={code} gap="xs" wrap="nowrap">
                    <ActionIcon variant="subtle" disabled={i === 0} onClick={() => move(i, -1)} aria-label={t({ uk: `Вище: ${nameOf(code)}`, en: `Up: ${nameOf(code)}` })}><IconArrowUp size={16} /></ActionIcon>
                    <ActionIcon variant="subtle" disabled={i === codes.length - 1} onClick={() => move(i, 1)} aria-label={t({ uk: `Нижче: ${nameOf(code)}`, en: `Down: ${nameOf(code)}` })}><IconArrowDown size={16} /></ActionIcon>
                    <Text size="sm">{nameOf(code)}</Text>
                  </Group>
                ))}
              </Stack>
            </Stack>
          </Paper>
          <Paper withBorder p="md">
            <Stack gap="sm">
              <Title order={4}>{t({ uk: 'Тексти', en: 'Texts' })}</Title>
              <Textarea label={t(LABELS.contacts)} autosize minRows={2} value={form.contacts.join('\n')}
                onChange={(e) => set('contacts', e.currentTarget.value.split('\n').slice(0, 6))} />
              <Textarea label={t(LABELS.footer)} autosize minRows={2} value={form.footer} onChange={(e) => set('footer', e.currentTarget.value)} />
              <Textarea label={t(LABELS.news)} autosize minRows={2} value={form.news} onChange={(e) => set('news', e.currentTarget.value)} />
              <NumberInput label={t(LABELS.debtThreshold)} min={0} value={form.debtThreshold / 100} onChange={(v) => set('debtThreshold', Math.round(Number(v || 0) * 100))} />
            </Stack>
          </Paper>
          {message && <Alert color={message.ok ? 'green' : 'red'} role={message.ok ? 'status' : 'alert'}>{message.text}</Alert>}
          <Button type="submit" loading={busy}>{t({ uk: 'Зберегти дизайн', en: 'Save design' })}</Button>
        </Stack>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 7 }}>
        <LivePreview design={form} />
      </Grid.Col>
    </Grid>
  );
}

/** A real premise's bill of a closed period, rendered by the server under the unsaved design. */
function LivePreview({ design }: { design: BillDesignForm }) {
  const t = useT();
  const periods = useApiGet<{ items: PeriodRow[] }>('/billing/periods');
  const closed = periods.data?.items.filter((p) => p.status === 'closed') ?? [];
  const [premiseId, setPremiseId] = useState<number | string>(1);
  const [typedMonth, setTypedMonth] = useState<string | null>(null);
  const month = typedMonth ?? closed[0]?.period.slice(0, 7) ?? '';
  const [request] = useDebouncedValue(JSON.stringify({ premiseId: Number(premiseId), period: month, design }), 500);
  const [pdf, setPdf] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const body = JSON.parse(request) as { premiseId: number; period: string; design: BillDesignForm };
    if (!(body.premiseId > 0) || !/^\d{4}-\d{2}$/.test(body.period)) return;
    let current = true;
    requestBlob('POST', '/bills/design/preview', body).then(
      (blob) => {
        if (!current) return;
        setError(null);
        setPdf((old) => {
          if (old) URL.revokeObjectURL(old);
          return URL.createObjectURL(blob);
        });
      },
      (e: unknown) => current && setError(t(errorMessages(e))),
    );
    return () => {
      current = false;
    };
  }, [request, t]);

  return (
    <Stack>
      <Title order={4}>{t({ uk: 'Живий перегляд', en: 'Live preview' })}</Title>
      <Group align="end">
        <NumberInput label={t({ uk: 'Приміщення (id)', en: 'Premise (id)' })} value={premiseId} onChange={setPremiseId} min={1} w={160} />
        <TextInput label={t({ uk: 'Закритий місяць (РРРР-ММ)', en: 'Closed month (YYYY-MM)' })} value={month} onChange={(e) => setTypedMonth(e.currentTarget.value)} placeholder="2026-11" w={200} />
      </Group>
      {error && <Alert color="red" role="alert">{error}</Alert>}
      {pdf ? (
        <iframe title={t({ uk: 'Перегляд рахунку', en: 'Bill preview' })} src={pdf} data-testid="design-preview" style={{ width: '100%', height: 900, border: '1px solid #ddd' }} />
      ) : (
        !error && <Text c="dimmed">{t({ uk: 'Вкажіть приміщення і закритий місяць', en: 'Give a premise and a closed month' })}</Text>
      )}
    </Stack>
  );
}
