import { useState } from 'react';
import { Alert, Badge, Button, Group, Paper, Radio, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { api, errorMessages } from '../../api';
import { useFormat, useLang, useT } from '../../i18n';
import { useSession } from '../../session';
import { FormCard, useSubmission } from '../../components/FormCard';
import { DayInput } from './DayInput';
import { useApiGet } from '../../useApiGet';
import { DataState } from '../../components/DataState';
import { PageHeader } from '../../components/PageHeader';
import { decimal, kyivMonth, money } from './labels';
import { TariffHolds } from './TariffHolds';

interface Approved {
  approved_id: number;
  service: string;
  service_en: string;
  provider: string | null;
  price: string;
  valid_from: string;
  valid_to: string | null;
  decision: string;
}

interface Flag {
  flag_id: number;
  provider: string;
  service: string;
  service_en: string;
  period: string;
  implied_price: string;
  approved_price: string;
  entries: number;
  amount: number;
  overcharge: number;
  status: string;
}

/** The city's control of providers: approved tariffs, and providers' charges that do not match them. */
export function TariffControlPage() {
  const t = useT();
  const format = useFormat();
  const approved = useApiGet<{ items: Approved[] }>('/billing/approved-tariffs');
  const flags = useApiGet<{ items: Flag[] }>('/billing/tariff-flags');
  // Providers' charges are checked month by month; this month is the one usually asked about.
  const [period, setPeriod] = useState(kyivMonth);
  const [message, setMessage] = useState<{ color: string; text: string } | null>(null);
  const { user } = useSession();
  const canRegister = user?.role === 'admin' || user?.role === 'city';
  const isAdmin = user?.role === 'admin';

  async function check() {
    setMessage(null);
    try {
      const res = await api.post<{ flagged: number }>('/billing/tariff-flags/check', { period });
      setMessage({ color: res.flagged ? 'orange' : 'green', text: t({ uk: 'Невідповідностей: {n}', en: 'Mismatches: {n}' }, { n: res.flagged }) });
      flags.reload();
    } catch (e) {
      setMessage({ color: 'red', text: t(errorMessages(e)) });
    }
  }

  return (
    <>
      <PageHeader
        title={t({ uk: 'Контроль тарифів', en: 'Tariff control' })}
        subtitle={t({
          uk: 'Нарахування постачальників, ціна яких відрізняється від затвердженого тарифу на ту дату',
          en: "Providers' charges whose price differs from the tariff approved for their date",
        })}
      />
      <Paper withBorder p="md" mb="md">
        <Group align="flex-end">
          <TextInput label={t({ uk: 'Період (РРРР-ММ)', en: 'Period (YYYY-MM)' })} value={period} onChange={(e) => setPeriod(e.currentTarget.value)} />
          <Button onClick={check} disabled={!period.trim()}>
            {t({ uk: 'Перевірити', en: 'Check' })}
          </Button>
        </Group>
        {message && (
          <Alert mt="sm" color={message.color} variant="light">
            {message.text}
          </Alert>
        )}
      </Paper>
      <Stack>
        {canRegister && <TariffHolds />}
        <Title order={3}>{t({ uk: 'Невідповідності', en: 'Mismatches' })}</Title>
        <DataState state={flags}>
          {(data) =>
            data.items.length === 0 ? (
              <Text c="dimmed">{t({ uk: 'Невідповідностей не знайдено', en: 'No mismatches found' })}</Text>
            ) : (
              <Table.ScrollContainer minWidth={700}>
                <Table withTableBorder striped>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t({ uk: 'Період', en: 'Period' })}</Table.Th>
                    <Table.Th>{t({ uk: 'Постачальник, послуга', en: 'Provider, service' })}</Table.Th>
                    <Table.Th ta="right">{t({ uk: 'Ціна в нарахуваннях', en: 'Price charged' })}</Table.Th>
                    <Table.Th ta="right">{t({ uk: 'Затверджена', en: 'Approved' })}</Table.Th>
                    <Table.Th ta="right">{t({ uk: 'Рядків', en: 'Entries' })}</Table.Th>
                    <Table.Th ta="right">{t({ uk: 'Переплата', en: 'Overcharge' })}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {data.items.map((f) => (
                    <Table.Tr key={f.flag_id}>
                      <Table.Td>{f.period.slice(0, 7)}</Table.Td>
                      <Table.Td>
                        {f.provider} · {t({ uk: f.service, en: f.service_en })}
                      </Table.Td>
                      <Table.Td ta="right">{decimal(f.implied_price, format.locale, 2)}</Table.Td>
                      <Table.Td ta="right">{decimal(f.approved_price, format.locale, 2)}</Table.Td>
                      <Table.Td ta="right">{format.number(f.entries)}</Table.Td>
                      <Table.Td ta="right">
                        <Badge color={f.overcharge > 0 ? 'red' : 'blue'} variant="light">
                          {money(f.overcharge, format.locale)}
                        </Badge>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
              </Table.ScrollContainer>
            )
          }
        </DataState>
        <Title order={3}>{t({ uk: 'Затверджені тарифи', en: 'Approved tariffs' })}</Title>
        {canRegister && <ApprovedTariffForm onSaved={approved.reload} />}
        {isAdmin && <ExcessChoice />}
        <DataState state={approved}>
          {(data) => (
            <Table.ScrollContainer minWidth={640}>
              <Table withTableBorder striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t({ uk: 'Послуга', en: 'Service' })}</Table.Th>
                  <Table.Th>{t({ uk: 'Постачальник', en: 'Provider' })}</Table.Th>
                  <Table.Th ta="right">{t({ uk: 'Ціна', en: 'Price' })}</Table.Th>
                  <Table.Th>{t({ uk: 'Діє', en: 'In force' })}</Table.Th>
                  <Table.Th>{t({ uk: 'Рішення', en: 'Decision' })}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.items.map((a) => (
                  <Table.Tr key={a.approved_id}>
                    <Table.Td>{t({ uk: a.service, en: a.service_en })}</Table.Td>
                    <Table.Td>{a.provider ?? t({ uk: 'усі', en: 'all' })}</Table.Td>
                    <Table.Td ta="right">{decimal(a.price, format.locale, 2)}</Table.Td>
                    <Table.Td>
                      {format.date(a.valid_from)} — {a.valid_to ? format.date(a.valid_to) : t({ uk: 'досі', en: 'now' })}
                    </Table.Td>
                    <Table.Td>{a.decision}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            </Table.ScrollContainer>
          )}
        </DataState>
      </Stack>
    </>
  );
}

const APPROVED_LABELS = {
  serviceId: { uk: 'Послуга', en: 'Service' },
  providerId: { uk: 'Постачальник (порожньо — усі)', en: 'Provider (empty: all)' },
  price: { uk: 'Затверджена ціна, ₴ за одиницю', en: 'Approved price, ₴ per unit' },
  validFrom: { uk: 'Діє з', en: 'In force from' },
  validTo: { uk: 'Діє до (необов’язково)', en: 'In force to (optional)' },
  decision: { uk: 'Рішення (номер, дата)', en: 'Decision (number, date)' },
};

/** The city registers a tariff it approved (POST /billing/approved-tariffs, admin or city). */
function ApprovedTariffForm({ onSaved }: { onSaved: () => void }) {
  const t = useT();
  const lang = useLang();
  const services = useApiGet<{ items: Array<{ serviceId: number; nameUk: string; nameEn: string }> }>('/services');
  const providers = useApiGet<{ items: Array<{ providerId: number; name: string }> }>('/providers', { limit: 200 });
  const [serviceId, setServiceId] = useState<string | null>(null);
  const [providerId, setProviderId] = useState<string | null>(null);
  const [price, setPrice] = useState('');
  const [validFrom, setValidFrom] = useState<string | null>(null);
  const [validTo, setValidTo] = useState<string | null>(null);
  const [decision, setDecision] = useState('');
  const { message, saving, submit, fail, succeed } = useSubmission(APPROVED_LABELS);

  const save = () =>
    submit(async () => {
      const decimalPrice = price.trim().replace(/\s/g, '').replace(',', '.');
      // Every problem of the form at once.
      const problems = [
        !serviceId && t({ uk: 'Оберіть послугу', en: 'Choose the service' }),
        !(Number(decimalPrice) > 0) && t({ uk: 'Ціна — додатне число, напр. 29,988', en: 'The price is a positive number, e.g. 29.988' }),
        !validFrom && t({ uk: 'Вкажіть, з якої дати діє тариф', en: 'Give the date the tariff is in force from' }),
        !!validFrom && !!validTo && validTo < validFrom && t({ uk: 'Дата закінчення раніша за дату початку', en: 'The end date is before the start date' }),
        decision.trim().length < 3 && t({ uk: 'Вкажіть рішення (номер і дату)', en: 'Give the decision (number and date)' }),
      ].filter((p): p is string => typeof p === 'string');
      if (problems.length) return fail(problems.join('; '));
      await api.post('/billing/approved-tariffs', {
        serviceId: Number(serviceId),
        providerId: providerId ? Number(providerId) : null,
        price: decimalPrice,
        validFrom,
        validTo,
        decision: decision.trim(),
      });
      succeed(t({ uk: 'Тариф зареєстровано', en: 'Tariff registered' }));
      setPrice('');
      setDecision('');
      onSaved();
    });

  return (
    <FormCard title={t({ uk: 'Зареєструвати затверджений тариф', en: 'Register an approved tariff' })} onSubmit={save} message={message}>
      <Group align="flex-start" wrap="wrap">
        <Select
          w={260}
          label={t(APPROVED_LABELS.serviceId)}
          data={(services.data?.items ?? []).map((s) => ({ value: String(s.serviceId), label: lang === 'uk' ? s.nameUk : s.nameEn }))}
          value={serviceId}
          onChange={setServiceId}
          searchable
        />
        <Select
          w={260}
          label={t(APPROVED_LABELS.providerId)}
          data={(providers.data?.items ?? []).map((p) => ({ value: String(p.providerId), label: p.name }))}
          value={providerId}
          onChange={setProviderId}
          clearable
          searchable
        />
        <TextInput w={200} label={t(APPROVED_LABELS.price)} placeholder="29,988" value={price} onChange={(e) => setPrice(e.currentTarget.value)} />
        <DayInput w={170} label={t(APPROVED_LABELS.validFrom)} value={validFrom} onChange={setValidFrom} />
        <DayInput w={190} label={t(APPROVED_LABELS.validTo)} value={validTo} onChange={setValidTo} clearable />
        <TextInput w={260} label={t(APPROVED_LABELS.decision)} placeholder={t({ uk: '№ 412 від 18.12.2025', en: 'No. 412 of 18.12.2025' })} value={decision} onChange={(e) => setDecision(e.currentTarget.value)} />
      </Group>
      <Group justify="flex-end" mt="sm">
        <Button type="submit" loading={saving}>
          {t({ uk: 'Зареєструвати', en: 'Register' })}
        </Button>
      </Group>
    </FormCard>
  );
}

/** The community's choice for a provider's charge priced above the approved tariff (administrator). */
function ExcessChoice() {
  const t = useT();
  const settings = useApiGet<{ tariffExcess: 'flag' | 'hold' }>('/billing/settings');
  const [error, setError] = useState<string | null>(null);
  const choose = async (value: string) => {
    setError(null);
    try {
      await api.put('/billing/settings', { tariffExcess: value });
      settings.reload();
    } catch (e) {
      setError(t(errorMessages(e)));
    }
  };
  return (
    <Paper withBorder p="md">
      {settings.data && (
        <Radio.Group
          label={t({ uk: 'Нарахування постачальника з ціною понад затверджений тариф', en: "A provider's charge priced above the approved tariff" })}
          value={settings.data.tariffExcess}
          onChange={(v) => void choose(v)}
        >
          <Stack gap={6} mt={6}>
            <Radio value="flag" label={t({ uk: 'Провести й позначити', en: 'Post and flag' })} />
            <Radio value="hold" label={t({ uk: 'Затримати до рішення', en: 'Hold for a decision' })} />
          </Stack>
        </Radio.Group>
      )}
      <Text size="sm" c="dimmed" mt="xs">
        {t({
          uk: 'Затримані рядки чекають у черзі перевірки імпорту й не потрапляють до боргів мешканців, доки їх не прийнято.',
          en: "Held rows wait in the import's review queue and do not reach residents' debts until accepted.",
        })}
      </Text>
      {error && (
        <Alert mt="sm" color="red" variant="light">
          {error}
        </Alert>
      )}
    </Paper>
  );
}
