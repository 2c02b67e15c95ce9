import { Link, useNavigate } from 'react-router';
import { useState } from 'react';
import { Anchor, Button, Group, Paper, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconPlus, IconSearch } from '@tabler/icons-react';
import { useT } from '../../i18n';
import { useSession } from '../../session';
import { useApiList } from '../../useApiGet';
import { DataState } from '../../components/DataState';
import { PageHeader } from '../../components/PageHeader';
import type { Provider } from './types';
import { canEditRegistry } from './access';

export function ProvidersPage() {
  const t = useT();
  const navigate = useNavigate();
  const { user } = useSession();
  const [filter, setFilter] = useState('');
  const [q] = useDebouncedValue(filter.trim(), 250);
  const list = useApiList<Provider>('/providers', { q, limit: 100 });
  const editable = canEditRegistry(user?.role);

  return (
    <>
      <PageHeader
        title={t({ uk: 'Постачальники послуг', en: 'Service providers' })}
        subtitle={t({ uk: 'Підприємства, чиї послуги входять до єдиного рахунку', en: 'Companies whose services are on the unified bill' })}
        actions={
          editable && (
            <Button component={Link} to="/providers/new" leftSection={<IconPlus size={18} />}>
              {t({ uk: 'Додати постачальника', en: 'Add a provider' })}
            </Button>
          )
        }
      />
      <TextInput
        mb="md"
        maw={520}
        label={t({ uk: 'Знайти постачальника', en: 'Find a provider' })}
        placeholder={t({ uk: 'Назва або код ЄДРПОУ', en: 'Name or EDRPOU code' })}
        leftSection={<IconSearch size={20} />}
        value={filter}
        onChange={(event) => setFilter(event.currentTarget.value)}
      />
      <DataState state={list}>
        {() => (
          <Paper withBorder>
            {list.items.length === 0 ? (
              <Text p="md" c="dimmed">
                {t('common.empty')}
              </Text>
            ) : (
              <Table.ScrollContainer minWidth={760}>
                <Table striped>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t({ uk: 'Назва', en: 'Name' })}</Table.Th>
                      <Table.Th>{t({ uk: 'ЄДРПОУ', en: 'EDRPOU' })}</Table.Th>
                      <Table.Th>IBAN</Table.Th>
                      <Table.Th>{t({ uk: 'Телефон', en: 'Phone' })}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {list.items.map((provider) => (
                      <Table.Tr
                        key={provider.providerId}
                        style={editable ? { cursor: 'pointer' } : undefined}
                        onClick={editable ? () => navigate(`/providers/${provider.providerId}`) : undefined}
                      >
                        <Table.Td fw={500}>
                          {editable ? (
                            <Anchor component={Link} to={`/providers/${provider.providerId}`} onClick={(event) => event.stopPropagation()}>
                              {provider.name}
                            </Anchor>
                          ) : (
                            provider.name
                          )}
                        </Table.Td>
                        <Table.Td ff="monospace">{provider.edrpou}</Table.Td>
                        <Table.Td ff="monospace" fz="sm">
                          {provider.iban}
                        </Table.Td>
                        <Table.Td style={{ whiteSpace: 'nowrap' }}>{provider.phone ?? ''}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            )}
          </Paper>
        )}
      </DataState>
      {list.hasMore && (
        <Group justify="center" mt="md">
          <Button variant="default" loading={list.loadingMore} onClick={list.loadMore}>
            {t('common.loadMore')}
          </Button>
        </Group>
      )}
    </>
  );
}
