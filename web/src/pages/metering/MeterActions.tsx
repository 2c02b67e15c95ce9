import { useState } from 'react';
import { Alert, Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { api, errorMessages } from '../../api';
import { useT } from '../../i18n';
import { DayInput } from '../billing/DayInput';
import type { Meter } from './types';

const todayInKyiv = () => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Kyiv' }).format(new Date());
const decimalText = (s: string) => s.trim().replace(/\s/g, '').replace(',', '.');

/**
 * The buttons beside a meter on the premise card: its verification (take it away, bring it back
 * with a new date, or only set the date) and its replacement (the old meter's final reading, the
 * new one's serial, verification date and initial reading), through the metering API.
 */
export function MeterActions({ meter, onChanged }: { meter: Meter; onChanged: () => void }) {
  const t = useT();
  const [open, setOpen] = useState<'verify' | 'replace' | null>(null);
  const done = () => {
    setOpen(null);
    onChanged();
  };
  return (
    <Group gap={4} wrap="nowrap">
      <Button size="compact-sm" variant="light" onClick={() => setOpen('verify')}>
        {t({ uk: 'Повірка', en: 'Verification' })}
      </Button>
      <Button size="compact-sm" variant="light" onClick={() => setOpen('replace')}>
        {t({ uk: 'Заміна', en: 'Replace' })}
      </Button>
      {open === 'verify' && <VerifyModal meter={meter} onClose={() => setOpen(null)} onDone={done} />}
      {open === 'replace' && <ReplaceModal meter={meter} onClose={() => setOpen(null)} onDone={done} />}
    </Group>
  );
}

function VerifyModal({ meter, onClose, onDone }: { meter: Meter; onClose: () => void; onDone: () => void }) {
  const t = useT();
  const [until, setUntil] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const away = meter.status === 'removed_for_verification';
  const send = async (status: 'active' | 'removed_for_verification') => {
    setError(null);
    if (status === 'active' && !until) return setError(t({ uk: 'Вкажіть, до якої дати дійсна повірка', en: 'Give the date the verification is valid until' }));
    setSaving(true);
    try {
      await api.post(`/metering/meters/${meter.meterId}/status`, { status, ...(status === 'active' ? { verifiedUntil: until } : {}) });
      onDone();
    } catch (e) {
      setError(t(errorMessages(e, { verifiedUntil: { uk: 'Повірка дійсна до', en: 'Verified until' } })));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal opened onClose={onClose} title={t({ uk: 'Повірка лічильника {s}', en: 'Verification of meter {s}' }, { s: meter.serial })}>
      <Stack>
        {away && <Text size="sm">{t({ uk: 'Лічильник знято на повірку: поки його немає, нараховується за нормою.', en: 'The meter is away for verification: until it is back, the norm is billed.' })}</Text>}
        <DayInput label={t({ uk: 'Повірка дійсна до', en: 'Verified until' })} value={until} onChange={setUntil} />
        {error && (
          <Alert color="red" variant="light" role="alert">
            {error}
          </Alert>
        )}
        <Group justify="flex-end">
          {!away && (
            <Button variant="default" loading={saving} onClick={() => void send('removed_for_verification')}>
              {t({ uk: 'Зняти на повірку', en: 'Take away for verification' })}
            </Button>
          )}
          <Button loading={saving} onClick={() => void send('active')}>
            {away ? t({ uk: 'Повернути з повірки', en: 'Back from verification' }) : t({ uk: 'Зберегти дату повірки', en: 'Save the verification date' })}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

const REPLACE_LABELS = {
  on: { uk: 'Дата заміни', en: 'Replaced on' },
  finalValues: { uk: 'Кінцевий показник старого', en: "Old meter's final reading" },
  serial: { uk: 'Заводський номер нового', en: "New meter's serial" },
  verifiedUntil: { uk: 'Повірка нового до', en: 'New meter verified until' },
  initialValues: { uk: 'Початковий показник нового', en: "New meter's initial reading" },
};

function ReplaceModal({ meter, onClose, onDone }: { meter: Meter; onClose: () => void; onDone: () => void }) {
  const t = useT();
  const zones = Array.from({ length: meter.zones }, (_, i) => i);
  const [on, setOn] = useState<string | null>(todayInKyiv());
  const [finals, setFinals] = useState<string[]>(zones.map(() => ''));
  const [serial, setSerial] = useState('');
  const [until, setUntil] = useState<string | null>(null);
  const [initials, setInitials] = useState<string[]>(zones.map(() => '0'));
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const zoneLabel = (base: { uk: string; en: string }, i: number) => (meter.zones > 1 ? `${t(base)}, ${t({ uk: 'зона {z}', en: 'zone {z}' }, { z: i + 1 })}` : t(base));

  const save = async () => {
    setError(null);
    const number = (s: string) => /^\d+([.,]\d{1,3})?$/.test(s.trim());
    // Every problem of the form at once.
    const problems = [
      !on && t({ uk: 'Вкажіть дату заміни', en: 'Give the date of the replacement' }),
      !finals.every(number) && t({ uk: 'Кінцевий показник — число, напр. 1234,5', en: 'The final reading is a number, e.g. 1234.5' }),
      !serial.trim() && t({ uk: 'Вкажіть заводський номер нового лічильника', en: "Give the new meter's serial" }),
      !initials.every(number) && t({ uk: 'Початковий показник — число, напр. 0', en: 'The initial reading is a number, e.g. 0' }),
    ].filter((p): p is string => typeof p === 'string');
    if (problems.length) return setError(problems.join('; '));
    setSaving(true);
    try {
      const r = await api.post<{ final: { status: string; message_uk: string; message_en: string } }>(`/metering/meters/${meter.meterId}/replace`, {
        on,
        finalValues: finals.map(decimalText),
        serial: serial.trim(),
        verifiedUntil: until,
        initialValues: initials.map(decimalText),
      });
      if (r.final.status === 'rejected') setError(t({ uk: r.final.message_uk, en: r.final.message_en }));
      else onDone();
    } catch (e) {
      setError(t(errorMessages(e, REPLACE_LABELS)));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal opened onClose={onClose} title={t({ uk: 'Заміна лічильника {s}', en: 'Replacing meter {s}' }, { s: meter.serial })}>
      <Stack>
        <DayInput label={t(REPLACE_LABELS.on)} value={on} onChange={setOn} />
        {zones.map((i) => (
          <TextInput key={`f${i}`} label={zoneLabel(REPLACE_LABELS.finalValues, i)} inputMode="decimal" value={finals[i]} onChange={(e) => { const v = e.currentTarget.value; setFinals((p) => p.map((x, j) => (j === i ? v : x))); }} />
        ))}
        <TextInput label={t(REPLACE_LABELS.serial)} value={serial} onChange={(e) => setSerial(e.currentTarget.value)} />
        <DayInput label={t(REPLACE_LABELS.verifiedUntil)} value={until} onChange={setUntil} clearable />
        {zones.map((i) => (
          <TextInput key={`i${i}`} label={zoneLabel(REPLACE_LABELS.initialValues, i)} inputMode="decimal" value={initials[i]} onChange={(e) => { const v = e.currentTarget.value; setInitials((p) => p.map((x, j) => (j === i ? v : x))); }} />
        ))}
        {error && (
          <Alert color="red" variant="light" role="alert">
            {error}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t({ uk: 'Скасувати', en: 'Cancel' })}
          </Button>
          <Button loading={saving} onClick={() => void save()}>
            {t({ uk: 'Замінити', en: 'Replace' })}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
