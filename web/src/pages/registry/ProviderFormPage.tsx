import { useEffect, useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { Anchor, Breadcrumbs, Button, Group, Paper, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { api } from '../../api';
import { useT } from '../../i18n';
import { useApiGet } from '../../useApiGet';
import { DataState } from '../../components/DataState';
import { FormError, saveFailureOf, type SaveFailure } from '../../components/FormError';
import { PageHeader } from '../../components/PageHeader';
import type { Provider } from './types';

type ProviderFields = Omit<Provider, 'providerId'>;
const FIELDS: Array<keyof ProviderFields> = ['name', 'shortName', 'edrpou', 'iban', 'phone', 'email', 'address'];
const EMPTY: Record<keyof ProviderFields, string> = { name: '', shortName: '', edrpou: '', iban: '', phone: '', email: '', address: '' };

/** /providers/new creates a provider; /providers/:id edits one. */
export function ProviderFormPage() {
  const { id } = useParams();
  const isNew = id === undefined || id === 'new';
  const state = useApiGet<Provider>(isNew ? null : `/providers/${id}`);
  if (isNew) return <ProviderForm provider={null} />;
  return <DataState state={state}>{(provider) => <ProviderForm provider={provider} />}</DataState>;
}

function ProviderForm({ provider }: { provider: Provider | null }) {
  const t = useT();
  const navigate = useNavigate();
  const [values, setValues] = useState(EMPTY);
  const [failure, setFailure] = useState<SaveFailure | null>(null);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    if (!provider) return;
    setValues(Object.fromEntries(FIELDS.map((field) => [field, provider[field] ?? ''])) as typeof EMPTY);
  }, [provider]);

  const set = (field: keyof ProviderFields) => (event: { currentTarget: { value: string } }) => {
    const value = event.currentTarget.value;
    setValues((previous) => ({ ...previous, [field]: value }));
  };
  const fieldError = (field: keyof ProviderFields) => (failure?.fields[field] ? t(failure.fields[field]) : undefined);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setSaving(true);
    setFailure(null);
    // Spaces typed inside codes (IBAN is often written in groups of four) are not part of them.
    const body = {
      name: values.name.trim(),
      shortName: values.shortName.trim() || null,
      edrpou: values.edrpou.replace(/\s+/g, ''),
      iban: values.iban.replace(/\s+/g, '').toUpperCase(),
      phone: values.phone.trim() || null,
      email: values.email.trim() || null,
      address: values.address.trim() || null,
    };
    try {
      if (provider) await api.patch(`/providers/${provider.providerId}`, body);
      else await api.post('/providers', body);
      notifications.show({ color: 'green', title: t('app.saved'), message: body.name });
      navigate('/providers');
    } catch (error) {
      setFailure(saveFailureOf(error, FIELDS));
      setSaving(false);
    }
  }

  const title = provider ? provider.name : t({ uk: 'Новий постачальник', en: 'New provider' });
  return (
    <>
      <Breadcrumbs mb="sm">
        <Anchor component={Link} to="/providers">
          {t({ uk: 'Постачальники послуг', en: 'Service providers' })}
        </Anchor>
        <Text>{provider ? t('common.edit') : t('common.create')}</Text>
      </Breadcrumbs>
      <PageHeader title={title} />
      <Paper withBorder p="lg" maw={900}>
        <form onSubmit={submit} noValidate>
          <Stack gap="md">
            <TextInput
              label={t({ uk: 'Повна назва', en: 'Full name' })}
              required
              value={values.name}
              onChange={set('name')}
              error={fieldError('name')}
            />
            <TextInput
              label={t({ uk: 'Коротка назва (для рахунку)', en: 'Short name (for the bill)' })}
              value={values.shortName}
              onChange={set('shortName')}
              error={fieldError('shortName')}
            />
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <TextInput
                label={t({ uk: 'Код ЄДРПОУ', en: 'EDRPOU code' })}
                description={t({ uk: '8 цифр', en: '8 digits' })}
                required
                inputMode="numeric"
                value={values.edrpou}
                onChange={set('edrpou')}
                error={fieldError('edrpou')}
              />
              <TextInput
                label="IBAN"
                description={t({ uk: 'UA і 27 цифр', en: 'UA and 27 digits' })}
                required
                value={values.iban}
                onChange={set('iban')}
                error={fieldError('iban')}
                styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
              />
              <TextInput label={t({ uk: 'Телефон', en: 'Phone' })} type="tel" value={values.phone} onChange={set('phone')} error={fieldError('phone')} />
              <TextInput label={t({ uk: 'Електронна пошта', en: 'E-mail' })} type="email" value={values.email} onChange={set('email')} error={fieldError('email')} />
            </SimpleGrid>
            <TextInput label={t({ uk: 'Адреса', en: 'Address' })} value={values.address} onChange={set('address')} error={fieldError('address')} />
            <FormError failure={failure} />
            <Group justify="flex-end">
              <Button variant="default" component={Link} to="/providers">
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
