import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { Badge, Group, Loader, Stack, Table, Text, TextInput } from '@mantine/core';
import { api, errorMessages } from '../../api';
import { useFormat, useT } from '../../i18n';
import { ReadingStatus } from './ReadingStatus';
import type { Meter, ReadingResult } from './types';

export interface FlatOutcome {
  /** Every reading of the flat that was saved: accepted or sent to review. */
  submitted: ReadingResult[];
  /** Nothing was typed: the flat was passed over. */
  skipped: boolean;
}

/** One sending of a flat's readings, with each one's outcome (refused ones included). */
export interface Sending {
  results: Array<{ meter: Meter; values: string[]; result: ReadingResult }>;
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
 * filled; Enter in the last field (or Ctrl+Enter anywhere) submits everything typed, and
 * `onSent` reports each reading's outcome. A refused reading keeps the flat open with the cursor
 * on it; the accepted ones are kept (never sent twice). Once every reading is settled (saved, or
 * its field cleared) `onDone` is called so the desk can move to the next flat.
 */
export function MeterEntry({
  meters,
  onSent,
  onDone,
  autoFocus,
}: {
  meters: Meter[];
  onSent: (sending: Sending) => void;
  onDone: (outcome: FlatOutcome) => void;
  autoFocus: boolean;
}) {
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

  // Readings saved on this flat (accepted or sent to review): settled, never sent again.
  const saved = useRef<Map<number, ReadingResult>>(new Map());

  async function submit() {
    if (submitting) return;
    const toSend = active.filter((m) => filled(m) && !saved.current.has(m.meterId));
    const sending: Sending = { results: [] };
    let failed = false;
    setSubmitting(true);
    for (const m of toSend) {
      clearTimeout(timers.current[m.meterId]);
      try {
        const values = meterValues(m);
        const result = await api.post<ReadingResult>(`/metering/meters/${m.meterId}/readings`, { values, channel: 'call_centre' });
        sending.results.push({ meter: m, values, result });
        if (result.status !== 'rejected') saved.current.set(m.meterId, result);
        setVerdicts((v) => ({ ...v, [m.meterId]: result }));
      } catch (error) {
        setVerdicts((v) => ({ ...v, [m.meterId]: { error: t(errorMessages(error)) } }));
        failed = true;
      }
    }
    setSubmitting(false);
    if (sending.results.length > 0) onSent(sending);
    // A meter still unsettled: typed, and refused or not sent (the server failed).
    const open = active.findIndex((m) => filled(m) && !saved.current.has(m.meterId));
    if (open >= 0 || failed) {
      // Stay on this flat: the cursor goes to the reading to correct; its reason is on screen.
      const index = fields.findIndex((f) => f.meter.meterId === active[Math.max(open, 0)]!.meterId);
      inputs.current[index]?.focus();
      inputs.current[index]?.select();
      return;
    }
    onDone({ submitted: [...saved.current.values()], skipped: saved.current.size === 0 });
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
                      {r.status !== 'accepted' && <ReadingStatus size="xs" status={r.status} stored={false} title={t({ uk: r.reason_uk ?? '', en: r.reason_en ?? '' })} />}
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
        <ReadingStatus status={verdict.status} stored={verdict.readingId !== null} />
        {verdict.readingId !== null && (
          <Text size="xs" c="dimmed">
            {t({ uk: 'збережено', en: 'saved' })}
          </Text>
        )}
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
