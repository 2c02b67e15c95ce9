import { useEffect, useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { Anchor, Breadcrumbs, Button, Checkbox, Group, NumberInput, Paper, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { api } from '../../api';
import { useLang, useT } from '../../i18n';
import { useApiGet } from '../../useApiGet';
import { DataState } from '../../components/DataState';
import { FormError, saveFailureOf, type SaveFailure } from '../../components/FormError';
import { PageHeader } from '../../components/PageHeader';
import type { Service } from './types';

const FIELDS = ['code', 'nameUk', 'nameEn', 'unit', 'metered', 'sortOrder'];

/** /services/new adds a service to the catalogue; /services/:id edits one. */
export function ServiceFormPage() {
  const { id } = useParams();
  const isNew = id === undefined || id === 'new';
  const state = useApiGet<Service>(isNew ? null : `/services/${id}`);
  if (isNew) return <ServiceForm service={null} />;
  return <DataState state={state}>{(service) => <ServiceForm service={service} />}</DataState>;
}

function ServiceForm({ service }: { service: Service | null }) {
  const t = useT();
  const lang = useLang();
  const navigate = useNavigate();
  const [code, setCode] = useState('');
  const [nameUk, setNameUk] = useState('');
  const [nameEn, setNameEn] = useState('');
  const [unit, setUnit] = useState('');
  const [metered, setMetered] = useState(false);
  const [sortOrder, setSortOrder] = useState<number | string>(100);
  const [failure, setFailure] = useState<SaveFailure | null>(null);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    if (!service) return;
    setCode(service.code);
    setNameUk(service.nameUk);
    setNameEn(service.nameEn);
    setUnit(service.unit);
    setMetered(service.metered);
    setSortOrder(service.sortOrder);
  }, [service]);

  const fieldError = (field: string) => (failure?.fields[field] ? t(failure.fields[field]) : undefined);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setSaving(true);
    setFailure(null);
    const body = {
      code: code.trim(),
      nameUk: nameUk.trim(),
      nameEn: nameEn.trim(),
      unit: unit.trim(),
      metered,
      sortOrder: Number(sortOrder) || 0,
    };
    try {
      if (service) await api.patch(`/services/${service.serviceId}`, body);
      else await api.post('/services', body);
      notifications.show({ color: 'green', title: t('app.saved'), message: lang === 'uk' ? body.nameUk : body.nameEn });
      navigate('/services');
    } catch (error) {
      setFailure(saveFailureOf(error, FIELDS));
      setSaving(false);
    }
  }

  const title = service ? (lang === 'uk' ? service.nameUk : service.nameEn) : t({ uk: 'Нова послуга', en: 'New service' });
  return (
    <>
      <Breadcrumbs mb="sm">
        <Anchor component={Link} to="/services">
          {t({ uk: 'Каталог послуг', en: 'Service catalogue' })}
        </Anchor>
        <Text>{service ? t('common.edit') : t('common.create')}</Text>
      </Breadcrumbs>
      <PageHeader title={title} />
      <Paper withBorder p="lg" maw={900}>
        <form onSubmit={submit} noValidate>
          <Stack gap="md">
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <TextInput
                label={t({ uk: 'Назва українською', en: 'Name in Ukrainian' })}
                required
                value={nameUk}
                onChange={(event) => setNameUk(event.currentTarget.value)}
                error={fieldError('nameUk')}
              />
              <TextInput
                label={t({ uk: 'Назва англійською', en: 'Name in English' })}
                required
                value={nameEn}
                onChange={(event) => setNameEn(event.currentTarget.value)}
                error={fieldError('nameEn')}
              />
              <TextInput
                label={t({ uk: 'Код', en: 'Code' })}
                description={t({ uk: 'Латиницею, наприклад cold_water', en: 'Latin letters, e.g. cold_water' })}
                required
                value={code}
                onChange={(event) => setCode(event.currentTarget.value)}
                error={fieldError('code')}
                styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
              />
              <TextInput
                label={t({ uk: 'Одиниця виміру', en: 'Unit' })}
                description={t({ uk: 'Наприклад м³, кВт·год, м²', en: 'E.g. m³, kWh, m²' })}
                required
                value={unit}
                onChange={(event) => setUnit(event.currentTarget.value)}
                error={fieldError('unit')}
              />
              <NumberInput
                label={t({ uk: 'Місце в рахунку', en: 'Position on the bill' })}
                description={t({ uk: 'Менше число — вище в рахунку', en: 'A smaller number comes first' })}
                min={0}
                allowDecimal={false}
                value={sortOrder}
                onChange={setSortOrder}
                error={fieldError('sortOrder')}
              />
            </SimpleGrid>
            <Checkbox
              size="md"
              label={t({ uk: 'Облік за лічильником', en: 'Metered' })}
              checked={metered}
              onChange={(event) => setMetered(event.currentTarget.checked)}
              error={fieldError('metered')}
            />
            <FormError failure={failure} />
            <Group justify="flex-end">
              <Button variant="default" component={Link} to="/services">
                {t('common.cancel')}
              </Button>
              <Button type="submit" loading={saving}>
                {t('common.save')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Paper>
    </>
  );
}
