import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { Badge, Group, Loader, Stack, Table, Text, TextInput } from '@mantine/core';
import { api, errorMessages } from '../../api';
import { useFormat, useT } from '../../i18n';
import { STATUS_COLOR, STATUS_LABEL, type Meter, type ReadingResult } from './types';

export interface FlatOutcome {
  submitted: ReadingResult[];
  /** Nothing was typed: the flat was passed over. */
  skipped: boolean;
}

type Verdict = ReadingResult | 'checking' | { error: string };

const key = (meterId: number, zone: number) => `${meterId}:${zone}`;
const ZONE_NAMES = [
  { uk: 'день', en: 'day' },
  { uk: 'ніч', en: 'night' },
  { uk: 'пік', en: 'peak' },
];

/**
 * The keyboard-only entry of one premise's readings. Tab or Enter moves to the next field (the
 * next zone, then the next meter); each meter is checked by the server as soon as its fields are
 * filled; Enter in the last field (or Ctrl+Enter anywhere) submits everything typed. When every
 * reading went through, `onDone` is called so the desk can move to the next flat.
 */
export function MeterEntry({ meters, onDone, autoFocus }: { meters: Meter[]; onDone: (outcome: FlatOutcome) => void; autoFocus: boolean }) {
  const t = useT();
  const format = useFormat();
  const active = meters.filter((m) => m.status === 'active');
  const fields = active.flatMap((m) => Array.from({ length: m.zones }, (_, z) => ({ meter: m, zone: z + 1 })));
  const [values, setValues] = useState<Record<string, string>>({});
  const [verdicts, setVerdicts] = useState<Record<number, Verdict>>({});
  const [submitting, setSubmitting] = useState(false);
  const inputs = useRef<(HTMLInputElement | null)[]>([]);
  const timers = useRef<Record<number, ReturnType<typeof setTimeout>>>({});

  useEffect(() => {
    if (autoFocus) inputs.current[0]?.focus();
  }, [autoFocus]);
  useEffect(() => () => Object.values(timers.current).forEach(clearTimeout), []);

  const meterValues = (m: Meter, from = values) => Array.from({ length: m.zones }, (_, z) => (from[key(m.meterId, z + 1)] ?? '').trim().replace(',', '.'));
  const filled = (m: Meter, from = values) => meterValues(m, from).every((v) => v !== '');

  function change(m: Meter, zone: number, text: string) {
    const next = { ...values, [key(m.meterId, zone)]: text };
    setValues(next);
    clearTimeout(timers.current[m.meterId]);
    if (!filled(m, next)) {
      setVerdicts((v) => {
        const copy = { ...v };
        delete copy[m.meterId];
        return copy;
      });
      return;
    }
    const sent = meterValues(m, next);
    timers.current[m.meterId] = setTimeout(() => {
      setVerdicts((v) => ({ ...v, [m.meterId]: 'checking' }));
      api.post<ReadingResult>(`/metering/meters/${m.meterId}/readings/check`, { values: sent }).then(
        (result) => setVerdicts((v) => ({ ...v, [m.meterId]: result })),
        (error: unknown) => setVerdicts((v) => ({ ...v, [m.meterId]: { error: t(errorMessages(error)) } })),
      );
    }, 200);
  }

  async function submit() {
    if (submitting) return;
    const toSend = active.filter((m) => filled(m));
    if (toSend.length === 0) {
      onDone({ submitted: [], skipped: true });
      return;
    }
    setSubmitting(true);
    const results: ReadingResult[] = [];
    for (const m of toSend) {
      clearTimeout(timers.current[m.meterId]);
      try {
        const result = await api.post<ReadingResult>(`/metering/meters/${m.meterId}/readings`, { values: meterValues(m), channel: 'call_centre' });
        results.push(result);
        setVerdicts((v) => ({ ...v, [m.meterId]: result }));
      } catch (error) {
        setVerdicts((v) => ({ ...v, [m.meterId]: { error: t(errorMessages(error)) } }));
        setSubmitting(false);
        return;
      }
    }
    setSubmitting(false);
    const firstBad = results.findIndex((r) => r.status === 'rejected');
    if (firstBad >= 0) {
      // Stay on this flat: the cursor goes to the reading to correct; its reason is on screen.
      const index = fields.findIndex((f) => f.meter.meterId === results[firstBad]!.meterId);
      inputs.current[index]?.focus();
      inputs.current[index]?.select();
      return;
    }
    onDone({ submitted: results, skipped: false });
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>, index: number) {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    if (event.ctrlKey || event.metaKey || index === fields.length - 1) {
      void submit();
    } else {
      inputs.current[index + 1]?.focus();
      inputs.current[index + 1]?.select();
    }
  }

  if (active.length === 0) {
    return <Text c="dimmed">{t({ uk: 'У приміщенні немає діючих лічильників', en: 'The premise has no active meters' })}</Text>;
  }

  let fieldIndex = 0;
  return (
    <Table withTableBorder verticalSpacing="xs" aria-label={t({ uk: 'Лічильники', en: 'Meters' })}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t({ uk: 'Послуга, лічильник', en: 'Service, meter' })}</Table.Th>
          <Table.Th>{t({ uk: 'Останні показники', en: 'Last readings' })}</Table.Th>
          <Table.Th>{t({ uk: 'Новий показник', en: 'New reading' })}</Table.Th>
          <Table.Th>{t({ uk: 'Перевірка', en: 'Check' })}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {active.map((m) => {
          const verdict = verdicts[m.meterId];
          const lastAccepted = m.readings.find((r) => r.status === 'accepted');
          const expired = m.verifiedUntil !== null && m.verifiedUntil < new Date().toISOString().slice(0, 10);
          return (
            <Table.Tr key={m.meterId} data-testid={`meter-${m.serial}`}>
              <Table.Td>
                <Text fw={500}>{t({ uk: m.serviceNameUk, en: m.serviceNameEn })}</Text>
                <Text size="sm" c="dimmed">
                  № {m.serial} · {m.unit}
                  {m.multiplier !== '1' && Number(m.multiplier) !== 1 ? ` · ×${Number(m.multiplier)}` : ''}
                </Text>
                {expired && (
                  <Badge color="orange" variant="light" size="sm">
                    {t({ uk: `повірка до ${format.date(m.verifiedUntil)}`, en: `verified until ${format.date(m.verifiedUntil)}` })}
                  </Badge>
                )}
              </Table.Td>
              <Table.Td>
                <Stack gap={2}>
                  {m.readings.length === 0 && <Text c="dimmed" size="sm">—</Text>}
                  {m.readings.map((r) => (
                    <Group key={r.id} gap={6} wrap="nowrap">
                      <Text size="sm" ff="monospace" fw={r === lastAccepted ? 700 : 400}>
                        {r.values.join(' / ')}
                      </Text>
                      <Text size="xs" c="dimmed">
                        {format.date(r.readOn)}
                      </Text>
                      {r.status !== 'accepted' && (
                        <Badge size="xs" color={STATUS_COLOR[r.status]} variant="light" title={t({ uk: r.reason_uk ?? '', en: r.reason_en ?? '' })}>
                          {t(STATUS_LABEL[r.status])}
                        </Badge>
                      )}
                    </Group>
                  ))}
                </Stack>
              </Table.Td>
              <Table.Td>
                <Group gap="xs" wrap="nowrap">
                  {Array.from({ length: m.zones }, (_, z) => {
                    const index = fieldIndex++;
                    const label =
                      m.zones > 1
                        ? t({ uk: `${m.serviceNameUk}, ${ZONE_NAMES[z]!.uk}`, en: `${m.serviceNameEn}, ${ZONE_NAMES[z]!.en}` })
                        : t({ uk: `${m.serviceNameUk}, № ${m.serial}`, en: `${m.serviceNameEn}, no. ${m.serial}` });
                    return (
                      <TextInput
                        key={z}
                        w={m.zones > 1 ? 110 : 150}
                        ref={(el) => {
                          inputs.current[index] = el;
                        }}
                        aria-label={label}
                        placeholder={m.zones > 1 ? t(ZONE_NAMES[z]!) : ''}
                        inputMode="decimal"
                        autoComplete="off"
                        value={values[key(m.meterId, z + 1)] ?? ''}
                        onChange={(event) => change(m, z + 1, event.currentTarget.value)}
                        onKeyDown={(event) => onKeyDown(event, index)}
                        error={typeof verdict === 'object' && 'status' in verdict && verdict.status === 'rejected' && (verdict.messages[0]?.zone ?? z + 1) === z + 1}
                      />
                    );
                  })}
                </Group>
              </Table.Td>
              <Table.Td aria-live="polite" data-testid={`verdict-${m.serial}`}>
                <VerdictView verdict={verdict} unit={m.unit} />
              </Table.Td>
            </Table.Tr>
          );
        })}
      </Table.Tbody>
      <Table.Caption>
        {submitting
          ? t({ uk: 'Надсилаю…', en: 'Sending…' })
          : t({
              uk: 'Tab або Enter — наступне поле; Enter в останньому полі (або Ctrl+Enter) — надіслати й перейти до наступної квартири',
              en: 'Tab or Enter: next field; Enter in the last field (or Ctrl+Enter): submit and go to the next flat',
            })}
      </Table.Caption>
    </Table>
  );
}

function VerdictView({ verdict, unit }: { verdict: Verdict | undefined; unit: string }) {
  const t = useT();
  const format = useFormat();
  if (verdict === undefined) return null;
  if (verdict === 'checking') return <Loader size="xs" />;
  if ('error' in verdict) {
    return (
      <Text c="red" size="sm" role="alert">
        {verdict.error}
      </Text>
    );
  }
  const volume = verdict.volumes.filter((v): v is string => v !== null);
  return (
    <Stack gap={2}>
      <Group gap={6}>
        <Badge color={STATUS_COLOR[verdict.status]} variant={verdict.readingId ? 'filled' : 'light'}>
          {t(STATUS_LABEL[verdict.status])}
          {verdict.readingId ? ' ✓' : ''}
        </Badge>
        {volume.length > 0 && verdict.status !== 'rejected' && (
          <Text size="sm">
            +{volume.map((v) => Number(v).toLocaleString(format.locale, { maximumFractionDigits: 3 })).join(' / ')} {unit}
          </Text>
        )}
      </Group>
      {verdict.messages.map((m, i) => (
        <Text key={i} size="xs" c={m.level === 'reject' ? 'red' : m.level === 'review' ? 'orange' : 'dimmed'}>
          {t({ uk: m.uk, en: m.en })}
        </Text>
      ))}
      {verdict.duplicate && <Text size="xs" c="dimmed">{t({ uk: verdict.message_uk, en: verdict.message_en })}</Text>}
    </Stack>
  );
}
