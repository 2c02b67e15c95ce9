import { useMemo, useState } from 'react';
import { Alert, Badge, Button, Group, Modal, Paper, Select, Stack, Switch, Table, Text, TextInput, Title } from '@mantine/core';
import { api, ApiError, errorMessages } from '../../api';
import { useFormat, useT } from '../../i18n';
import { useSession } from '../../session';
import { useApiGet } from '../../useApiGet';
import { DataState } from '../../components/DataState';
import { PageHeader } from '../../components/PageHeader';
import { CONSUMER_CATEGORY_LABELS, decimal, label, METHOD_LABELS } from './labels';
import { DayInput } from './DayInput';
import type { Tariff } from './types';

/** Tariffs per provider and service with their history; operators add a new price from a date. */
export function TariffsPage() {
  const t = useT();
  const format = useFormat();
  const { user } = useSession();
  const [current, setCurrent] = useState(false);
  const state = useApiGet<{ items: Tariff[] }>('/billing/tariffs', { current });
  const [editing, setEditing] = useState<Tariff | null>(null);
  const canEdit = user?.role === 'admin' || user?.role === 'operator';

  // One group per provider, service and scope; its tariffs newest first (the API's order).
  const groups = useMemo(() => {
    const map = new Map<string, Tariff[]>();
    for (const tariff of state.data?.items ?? []) {
      const key = [tariff.service_id, tariff.provider_id, tariff.building_id ?? '', tariff.consumer_category ?? ''].join('/');
      map.set(key, [...(map.get(key) ?? []), tariff]);
    }
    return [...map.values()];
  }, [state.data]);

  const describe = (x: Tariff) => {
    const parts: string[] = [];
    const d = (v: string) => decimal(v, format.locale);
    if (x.zone_coefficients?.length) parts.push(t({ uk: 'зони ×{z}', en: 'zones ×{z}' }, { z: x.zone_coefficients.map(d).join(' / ') }));
    if (x.tiers.length) parts.push(x.tiers.map((tier) => `${d(tier.from)}–${tier.to ? d(tier.to) : '∞'}: ${decimal(tier.price, format.locale, 2)}`).join('; '));
    if (x.norm_per_person) parts.push(t({ uk: 'норма {n} на особу', en: 'norm {n} a person' }, { n: d(x.norm_per_person) }));
    if (x.subscriber_fee) parts.push(t({ uk: '+ абонплата {f}', en: '+ fee {f}' }, { f: decimal(x.subscriber_fee, format.locale, 2) }));
    return parts.join(', ');
  };

  return (
    <>
      <PageHeader
        title={t({ uk: 'Тарифи', en: 'Tariffs' })}
        subtitle={t({ uk: 'Ціни з ПДВ за одиницю; нова ціна діє з дати, попередня залишається в історії', en: 'Prices per unit, VAT included; a new price applies from its date, the old one stays in the history' })}
        actions={<Switch label={t({ uk: 'Лише чинні', en: 'Current only' })} checked={current} onChange={(e) => setCurrent(e.currentTarget.checked)} />}
      />
      <DataState state={state}>
        {() =>
          groups.length === 0 ? (
            <Text c="dimmed">{t({ uk: 'Тарифів ще немає', en: 'No tariffs yet' })}</Text>
          ) : (
            <Stack>
              {groups.map((history) => {
                const head = history[0];
                return (
                  <Paper key={head.tariff_id} withBorder p="md">
                    <Group justify="space-between" align="flex-start" wrap="nowrap" mb="xs">
                      <div style={{ minWidth: 0, overflowWrap: 'anywhere' }}>
                        <Title order={4}>{t({ uk: head.service, en: head.service_en })}</Title>
                        <Text c="dimmed" size="sm">
                          {head.provider}
                          {head.consumer_category ? ` · ${t({ uk: 'категорія', en: 'category' })} «${t(label(CONSUMER_CATEGORY_LABELS, head.consumer_category))}»` : ''}
                          {head.building_id ? ` · ${t({ uk: 'будинок', en: 'building' })} #${head.building_id}` : ''}
                        </Text>
                      </div>
                      {canEdit && (
                        <Button variant="light" style={{ flexShrink: 0 }} onClick={() => setEditing(head)}>
                          {t({ uk: 'Нова ціна', en: 'New price' })}
                        </Button>
                      )}
                    </Group>
                    <Table.ScrollContainer minWidth={460}>
                      <Table verticalSpacing={4}>
                      <Table.Thead>
                        <Table.Tr>
                          <Table.Th>{t({ uk: 'Діє', en: 'In force' })}</Table.Th>
                          <Table.Th>{t({ uk: 'Спосіб', en: 'Method' })}</Table.Th>
                          <Table.Th ta="right">{t({ uk: 'Ціна', en: 'Price' })}</Table.Th>
                          <Table.Th>{t({ uk: 'Умови', en: 'Terms' })}</Table.Th>
                        </Table.Tr>
                      </Table.Thead>
                      <Table.Tbody>
                        {history.map((x, i) => (
                          <Table.Tr key={x.tariff_id} c={i === 0 && !x.valid_to ? undefined : 'dimmed'}>
                            <Table.Td>
                              {format.date(x.valid_from)} — {x.valid_to ? format.date(x.valid_to) : t({ uk: 'досі', en: 'now' })}
                              {i === 0 && !x.valid_to && (
                                <Badge ml="xs" size="sm" variant="light" color="green">
                                  {t({ uk: 'чинний', en: 'current' })}
                                </Badge>
                              )}
                            </Table.Td>
                            <Table.Td>{t(label(METHOD_LABELS, x.method))}</Table.Td>
                            <Table.Td ta="right">
                              {decimal(x.price, format.locale, 2)} ₴/{x.unit}
                            </Table.Td>
                            <Table.Td>{describe(x)}</Table.Td>
                          </Table.Tr>
                        ))}
                      </Table.Tbody>
                    </Table>
                    </Table.ScrollContainer>
                  </Paper>
                );
              })}
            </Stack>
          )
        }
      </DataState>
      {editing && (
        <NewPriceModal
          base={editing}
          onClose={(saved) => {
            setEditing(null);
            if (saved) state.reload();
          }}
        />
      )}
    </>
  );
}

function NewPriceModal({ base, onClose }: { base: Tariff; onClose: (saved: boolean) => void }) {
  const t = useT();
  const [price, setPrice] = useState(String(Number(base.price)));
  const [validFrom, setValidFrom] = useState('');
  const [method, setMethod] = useState(base.method);
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [saving, setSaving] = useState(false);

  async function save() {
    setSaving(true);
    setError(null);
    setFieldErrors({});
    try {
      await api.post('/billing/tariffs', {
        providerId: base.provider_id,
        serviceId: base.service_id,
        buildingId: base.building_id,
        consumerCategory: base.consumer_category,
        method,
        price: price.trim().replace(',', '.'),
        unit: base.unit,
        validFrom,
        zoneCoefficients: base.zone_coefficients,
        tiers: base.tiers.length ? base.tiers.map((x, i) => (i === base.tiers.length - 1 && !x.to ? { ...x, price: price.trim().replace(',', '.') } : x)) : null,
        normPerPerson: base.norm_per_person,
        subscriberFee: base.subscriber_fee,
      });
      onClose(true);
    } catch (e) {
      // An error beside its field is shown there only (once); the rest above the buttons, by label.
      const shown = e instanceof ApiError ? Object.entries(e.fieldErrors()).filter(([k]) => k === 'price' || k === 'validFrom') : [];
      setFieldErrors(Object.fromEntries(shown.map(([k, v]) => [k, t(v)])));
      setError(shown.length ? null : t(errorMessages(e, { price: { uk: 'Ціна', en: 'Price' }, validFrom: { uk: 'Діє з', en: 'Valid from' }, method: { uk: 'Спосіб нарахування', en: 'Method' } })));
    } finally {
      setSaving(false);
    }
  }

  return (
    <Modal opened onClose={() => onClose(false)} title={`${t({ uk: base.service, en: base.service_en })} — ${base.provider}`}>
      <Stack>
        <Select
          label={t({ uk: 'Спосіб нарахування', en: 'Method' })}
          data={Object.keys(METHOD_LABELS)
            .filter((m) => !['recalculation', 'benefit', 'subsidy', 'penalty', 'building_distribution'].includes(m))
            .map((m) => ({ value: m, label: t(label(METHOD_LABELS, m)) }))}
          value={method}
          onChange={(v) => v && setMethod(v)}
        />
        <TextInput label={t({ uk: 'Ціна, ₴ за {unit}', en: 'Price, ₴ per {unit}' }, { unit: base.unit })} value={price} onChange={(e) => setPrice(e.currentTarget.value)} error={fieldErrors.price} />
        <DayInput label={t({ uk: 'Діє з', en: 'Valid from' })} value={validFrom || null} onChange={(v) => setValidFrom(v ?? '')} error={fieldErrors.validFrom} />
        {error && <Alert color="red">{error}</Alert>}
        <Group justify="flex-end">
          <Button variant="default" onClick={() => onClose(false)}>
            {t({ uk: 'Скасувати', en: 'Cancel' })}
          </Button>
          <Button loading={saving} onClick={save} disabled={!validFrom}>
            {t({ uk: 'Зберегти', en: 'Save' })}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
