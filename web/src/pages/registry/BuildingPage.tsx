import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { Anchor, Badge, Breadcrumbs, Group, Paper, Table, Text, TextInput, Title } from '@mantine/core';
import { IconSearch } from '@tabler/icons-react';
import { useFormat, useT } from '../../i18n';
import { useApiGet } from '../../useApiGet';
import { DataState } from '../../components/DataState';
import { InfoGrid } from '../../components/InfoGrid';
import { PageHeader } from '../../components/PageHeader';
import { apartmentLabel } from '../../address';
import { MANAGEMENT_LABEL, PREMISE_KIND_LABEL } from './labels';
import type { Building, BuildingPremise } from './types';

// Above this many premises the card offers a box to find an apartment by its number.
const FILTER_FROM = 20;

function matchesNumber(premise: BuildingPremise, typed: string): boolean {
  const wanted = typed.trim().toLowerCase();
  return wanted === '' || (premise.number ?? '').toLowerCase().startsWith(wanted) || (premise.unifiedAccount ?? '').startsWith(wanted);
}

export function BuildingPage() {
  const { id } = useParams();
  const t = useT();
  const format = useFormat();
  const navigate = useNavigate();
  const state = useApiGet<Building>(`/buildings/${id}`);
  const [apartment, setApartment] = useState('');

  return (
    <DataState state={state}>
      {(building) => (
        <>
          <Breadcrumbs mb="sm">
            <Anchor component={Link} to="/search">
              {t({ uk: 'Пошук адреси', en: 'Address search' })}
            </Anchor>
            <Text>{t({ uk: 'Будинок', en: 'Building' })}</Text>
          </Breadcrumbs>
          <PageHeader title={building.address} subtitle={t({ uk: 'Картка будинку', en: 'Building card' })} />
          <Paper withBorder p="lg" mb="lg">
            <InfoGrid
              items={[
                { label: t({ uk: 'Поштовий індекс', en: 'Postal code' }), value: building.postalCode },
                { label: t({ uk: 'Поверхів', en: 'Floors' }), value: building.floors },
                { label: t({ uk: 'Загальна площа', en: 'Total area' }), value: format.area(building.totalArea) },
                {
                  label: t({ uk: 'Управління', en: 'Management' }),
                  value: [t(MANAGEMENT_LABEL[building.management]), building.managementName].filter(Boolean).join(': '),
                },
              ]}
            />
          </Paper>
          <Group justify="space-between" align="flex-end" mb="sm">
            <Title order={3}>
              {t({ uk: 'Приміщення', en: 'Premises' })} ({format.number(building.premises.length)})
            </Title>
            {building.premises.length > FILTER_FROM && (
              <TextInput
                w={320}
                label={t({ uk: 'Знайти квартиру', en: 'Find an apartment' })}
                placeholder={t({ uk: 'Кв. або єдиний рахунок', en: 'Apt or unified account' })}
                leftSection={<IconSearch size={18} />}
                value={apartment}
                onChange={(event) => setApartment(event.currentTarget.value)}
              />
            )}
          </Group>
          <Paper withBorder>
            {building.premises.length === 0 ? (
              <Text p="md" c="dimmed">
                {t({ uk: 'У будинку немає приміщень у реєстрі', en: 'No premises of this building are in the registry' })}
              </Text>
            ) : (
              <Table.ScrollContainer minWidth={640}>
                <Table striped>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t({ uk: 'Приміщення', en: 'Premise' })}</Table.Th>
                      <Table.Th>{t({ uk: 'Вид', en: 'Kind' })}</Table.Th>
                      <Table.Th ta="right">{t({ uk: 'Загальна площа', en: 'Total area' })}</Table.Th>
                      <Table.Th ta="right">{t({ uk: 'Кімнат', en: 'Rooms' })}</Table.Th>
                      <Table.Th ta="right">{t({ uk: 'Рахунків', en: 'Accounts' })}</Table.Th>
                      <Table.Th>{t({ uk: 'Єдиний рахунок', en: 'Unified account' })}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {building.premises.filter((premise) => matchesNumber(premise, apartment)).map((premise) => (
                      <Table.Tr key={premise.premiseId} style={{ cursor: 'pointer' }} onClick={() => navigate(`/premises/${premise.premiseId}`)}>
                        <Table.Td>
                          <Anchor component={Link} to={`/premises/${premise.premiseId}`} fw={600} onClick={(event) => event.stopPropagation()}>
                            {premise.number ? t(apartmentLabel(premise.number)) : t({ uk: 'будинок цілком', en: 'whole building' })}
                          </Anchor>
                        </Table.Td>
                        <Table.Td>
                          <Badge variant="light" color={premise.kind === 'residential' ? 'blue' : 'grape'}>
                            {t(PREMISE_KIND_LABEL[premise.kind])}
                          </Badge>
                        </Table.Td>
                        <Table.Td ta="right">{format.area(premise.totalArea)}</Table.Td>
                        <Table.Td ta="right">{premise.rooms ?? ''}</Table.Td>
                        <Table.Td ta="right">{format.number(premise.accountCount)}</Table.Td>
                        <Table.Td ff="monospace">{premise.unifiedAccount ?? ''}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            )}
          </Paper>
        </>
      )}
    </DataState>
  );
}
