import { Link, useNavigate } from 'react-router';
import { Anchor, Button, Group, Paper, Table, Text } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { useLang, useT } from '../../i18n';
import { useSession } from '../../session';
import { useApiList } from '../../useApiGet';
import { DataState } from '../../components/DataState';
import { PageHeader } from '../../components/PageHeader';
import { canEditRegistry } from './access';
import type { Service } from './types';

export function ServicesPage() {
  const t = useT();
  const lang = useLang();
  const navigate = useNavigate();
  const { user } = useSession();
  const list = useApiList<Service>('/services', { limit: 200 });
  const editable = canEditRegistry(user?.role);

  return (
    <>
      <PageHeader
        title={t({ uk: 'Каталог послуг', en: 'Service catalogue' })}
        subtitle={t({ uk: 'Послуги в порядку, в якому вони стоять у єдиному рахунку', en: 'Services in the order they appear on the unified bill' })}
        actions={
          editable && (
            <Button component={Link} to="/services/new" leftSection={<IconPlus size={18} />}>
              {t({ uk: 'Додати послугу', en: 'Add a service' })}
            </Button>
          )
        }
      />
      <DataState state={list}>
        {() => (
          <Paper withBorder>
            {list.items.length === 0 ? (
              <Text p="md" c="dimmed">
                {t('common.empty')}
              </Text>
            ) : (
              <Table.ScrollContainer minWidth={720}>
                <Table striped>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t({ uk: 'Назва', en: 'Name' })}</Table.Th>
                      <Table.Th>{t({ uk: 'Англійською', en: 'In Ukrainian' })}</Table.Th>
                      <Table.Th>{t({ uk: 'Код', en: 'Code' })}</Table.Th>
                      <Table.Th>{t({ uk: 'Одиниця', en: 'Unit' })}</Table.Th>
                      <Table.Th>{t({ uk: 'Облік', en: 'Metering' })}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {list.items.map((service) => {
                      const [first, second] = lang === 'uk' ? [service.nameUk, service.nameEn] : [service.nameEn, service.nameUk];
                      return (
                        <Table.Tr
                          key={service.serviceId}
                          style={editable ? { cursor: 'pointer' } : undefined}
                          onClick={editable ? () => navigate(`/services/${service.serviceId}`) : undefined}
                        >
                          <Table.Td fw={500}>
                            {editable ? (
                              <Anchor component={Link} to={`/services/${service.serviceId}`} onClick={(event) => event.stopPropagation()}>
                                {first}
                              </Anchor>
                            ) : (
                              first
                            )}
                          </Table.Td>
                          <Table.Td c="dimmed">{second}</Table.Td>
                          <Table.Td ff="monospace">{service.code}</Table.Td>
                          <Table.Td>{service.unit}</Table.Td>
                          <Table.Td style={{ whiteSpace: 'nowrap' }}>
                            <Text c={service.metered ? 'teal.8' : 'dimmed'}>
                              {service.metered ? t({ uk: 'за лічильником', en: 'metered' }) : t({ uk: 'без лічильника', en: 'unmetered' })}
                            </Text>
                          </Table.Td>
                        </Table.Tr>
                      );
                    })}
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
