import { Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { BarChart } from '@mantine/charts';
import { IconBuilding, IconBriefcase, IconCategory, IconDoor, IconFileInvoice, IconUsers } from '@tabler/icons-react';
import type { Icon } from '@tabler/icons-react';
import { useFormat, useLang, useT, type Bilingual } from '../i18n';
import { useApiGet } from '../useApiGet';
import { DataState } from '../components/DataState';
import { PageHeader } from '../components/PageHeader';
import { AddressSearch } from './registry/AddressSearch';

interface Dashboard {
  today: string;
  counts: {
    buildings: number;
    premises: number;
    registeredPersons: number;
    openAccounts: number;
    providers: number;
    services: number;
  };
  accountsByService: Array<{ serviceId: number; code: string; nameUk: string; nameEn: string; openAccounts: number }>;
}

const COUNT_CARDS: Array<{ key: keyof Dashboard['counts']; label: Bilingual; icon: Icon }> = [
  { key: 'buildings', label: { uk: 'Будинків', en: 'Buildings' }, icon: IconBuilding },
  { key: 'premises', label: { uk: 'Приміщень', en: 'Premises' }, icon: IconDoor },
  { key: 'registeredPersons', label: { uk: 'Зареєстрованих осіб', en: 'Registered persons' }, icon: IconUsers },
  { key: 'openAccounts', label: { uk: 'Діючих особових рахунків', en: 'Open accounts' }, icon: IconFileInvoice },
  { key: 'providers', label: { uk: 'Постачальників', en: 'Providers' }, icon: IconBriefcase },
  { key: 'services', label: { uk: 'Послуг у каталозі', en: 'Services in the catalogue' }, icon: IconCategory },
];

/** The staff home: find an address first (the most common task), then the registry in figures. */
export function DashboardPage() {
  const t = useT();
  const lang = useLang();
  const format = useFormat();
  const state = useApiGet<Dashboard>('/dashboard');

  return (
    <Stack gap="lg">
      <PageHeader title={t({ uk: 'Огляд громади', en: 'Community overview' })} />
      <Paper withBorder p="lg">
        <AddressSearch />
      </Paper>
      <DataState state={state}>
        {(dashboard) => (
          <>
            <SimpleGrid cols={{ base: 1, xs: 2, md: 3 }}>
              {COUNT_CARDS.map((card) => {
                const CardIcon = card.icon;
                return (
                  <Paper withBorder p="lg" key={card.key}>
                    <Stack gap={4}>
                      <CardIcon size={28} color="var(--mantine-color-blue-7)" />
                      <Text size="xl" fw={700} fz={30} lh={1.2}>
                        {format.number(dashboard.counts[card.key])}
                      </Text>
                      <Text c="dimmed">{t(card.label)}</Text>
                    </Stack>
                  </Paper>
                );
              })}
            </SimpleGrid>
            {dashboard.accountsByService.length > 0 && (
              <Paper withBorder p="lg">
                <Title order={3} mb="md">
                  {t({ uk: 'Діючі рахунки за послугами', en: 'Open accounts by service' })}
                </Title>
                <BarChart
                  h={Math.max(240, dashboard.accountsByService.length * 40)}
                  data={dashboard.accountsByService.map((row) => ({ service: lang === 'uk' ? row.nameUk : row.nameEn, openAccounts: row.openAccounts }))}
                  dataKey="service"
                  orientation="vertical"
                  yAxisProps={{ width: 210 }}
                  series={[{ name: 'openAccounts', label: t({ uk: 'Рахунків', en: 'Accounts' }), color: 'blue.6' }]}
                  valueFormatter={(value) => format.number(value)}
                  withBarValueLabel
                  barChartProps={{ margin: { right: 48 } }}
                  gridAxis="x"
                />
              </Paper>
            )}
          </>
        )}
      </DataState>
    </Stack>
  );
}
