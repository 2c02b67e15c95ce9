import { Link, useParams } from 'react-router';
import { Anchor, Badge, Breadcrumbs, Button, CopyButton, Group, Paper, Table, Text, Title, Tooltip, UnstyledButton } from '@mantine/core';
import { useFormat, useLang, useT } from '../../i18n';
import { STAFF, useSession } from '../../session';
import { useApiGet } from '../../useApiGet';
import { DataState } from '../../components/DataState';
import { InfoGrid } from '../../components/InfoGrid';
import { PageHeader } from '../../components/PageHeader';
import { apartmentLabel } from '../../address';
import { PREMISE_KIND_LABEL } from './labels';
import type { Premise } from './types';
import type { Meter } from '../metering/types';
import { MeterActions } from '../metering/MeterActions';

export function PremisePage() {
  const { id } = useParams();
  const t = useT();
  const lang = useLang();
  const format = useFormat();
  const state = useApiGet<Premise>(`/premises/${id}`);
  const { user } = useSession();
  // Staff see the premise's bill and its benefits; a provider user sees the cards of its own
  // accounts (the only ones this page lists for it).
  const seesStatements = user ? STAFF.includes(user.role) : false;
  const seesAccountCards = seesStatements || user?.role === 'provider';

  return (
    <DataState state={state}>
      {(premise) => (
        <>
          <Breadcrumbs mb="sm">
            <Anchor component={Link} to="/search">
              {t({ uk: 'Пошук адреси', en: 'Address search' })}
            </Anchor>
            <Anchor component={Link} to={`/buildings/${premise.buildingId}`}>
              {t({ uk: 'Будинок', en: 'Building' })}
            </Anchor>
            <Text>{premise.number ? t(apartmentLabel(premise.number)) : t({ uk: 'Приміщення', en: 'Premise' })}</Text>
          </Breadcrumbs>
          <PageHeader
            title={premise.address}
            subtitle={t({ uk: 'Картка приміщення', en: 'Premise card' })}
            actions={
              seesStatements && (
                <Group gap="xs">
                  <Button component={Link} to={`/billing/premises/${premise.premiseId}`} variant="light">
                    {t({ uk: 'Виписка за єдиним рахунком', en: 'Unified account statement' })}
                  </Button>
                  <Button component={Link} to={`/billing/premises/${premise.premiseId}/support`} variant="default">
                    {t({ uk: 'Пільги та субсидії', en: 'Benefits and subsidies' })}
                  </Button>
                </Group>
              )
            }
          />

          <Paper withBorder p="lg" mb="lg">
            <Group mb="lg" gap="md">
              <Text size="lg">{t({ uk: 'Єдиний рахунок', en: 'Unified account' })}:</Text>
              {premise.unifiedAccount ? (
                <CopyButton value={premise.unifiedAccount}>
                  {({ copied, copy }) => (
                    <Tooltip label={copied ? t({ uk: 'Скопійовано', en: 'Copied' }) : t({ uk: 'Натисніть, щоб скопіювати', en: 'Click to copy' })}>
                      <UnstyledButton onClick={copy}>
                        <Text size="xl" fw={700} ff="monospace" c="blue.8">
                          {premise.unifiedAccount}
                        </Text>
                      </UnstyledButton>
                    </Tooltip>
                  )}
                </CopyButton>
              ) : (
                <Text c="dimmed">{t({ uk: 'ще не присвоєно', en: 'not assigned yet' })}</Text>
              )}
            </Group>
            <InfoGrid
              items={[
                { label: t({ uk: 'Вид', en: 'Kind' }), value: t(PREMISE_KIND_LABEL[premise.kind]) },
                { label: t({ uk: 'Загальна площа', en: 'Total area' }), value: format.area(premise.totalArea) },
                { label: t({ uk: 'Опалювана площа', en: 'Heated area' }), value: format.area(premise.heatedArea) },
                { label: t({ uk: 'Кімнат', en: 'Rooms' }), value: premise.rooms },
                { label: t({ uk: 'Зареєстровано осіб цього місяця', en: 'Persons registered this month' }), value: format.number(premise.registeredPersons) },
                { label: t({ uk: 'Поштовий індекс', en: 'Postal code' }), value: premise.postalCode },
              ]}
            />
          </Paper>

          <Title order={3} mb="sm">
            {t({ uk: 'Особові рахунки', en: 'Accounts' })} ({format.number(premise.accounts.length)})
          </Title>
          <Paper withBorder>
            {premise.accounts.length === 0 ? (
              <Text p="md" c="dimmed">
                {t({ uk: 'Рахунків немає', en: 'No accounts' })}
              </Text>
            ) : (
              <Table.ScrollContainer minWidth={720}>
                <Table striped>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t({ uk: 'Послуга', en: 'Service' })}</Table.Th>
                      <Table.Th>{t({ uk: 'Постачальник', en: 'Provider' })}</Table.Th>
                      <Table.Th>{t({ uk: 'Номер рахунку', en: 'Account number' })}</Table.Th>
                      <Table.Th>{t({ uk: 'Відкрито', en: 'Opened' })}</Table.Th>
                      <Table.Th>{t({ uk: 'Закрито', en: 'Closed' })}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {premise.accounts.map((account) => (
                      <Table.Tr key={account.accountId} c={account.open ? undefined : 'dimmed'}>
                        <Table.Td fw={500}>{lang === 'uk' ? account.service.nameUk : account.service.nameEn}</Table.Td>
                        <Table.Td>{account.provider.shortName ?? account.provider.name}</Table.Td>
                        <Table.Td ff="monospace">
                          {seesAccountCards ? (
                            <Anchor component={Link} to={`/billing/accounts/${account.accountId}`} ff="monospace">
                              {account.number}
                            </Anchor>
                          ) : (
                            account.number
                          )}
                        </Table.Td>
                        <Table.Td>{format.date(account.openedOn)}</Table.Td>
                        <Table.Td>
                          {account.closedOn ? format.date(account.closedOn) : null}{' '}
                          {account.open && (
                            <Badge color="green" variant="light">
                              {t({ uk: 'діє', en: 'open' })}
                            </Badge>
                          )}
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            )}
          </Paper>

          <PremiseMeters premiseId={premise.premiseId} />
        </>
      )}
    </DataState>
  );
}

/** The premise's meters with their last reading and verification date, and the way to the desk for this flat. */
function PremiseMeters({ premiseId }: { premiseId: number }) {
  const t = useT();
  const lang = useLang();
  const format = useFormat();
  const { user } = useSession();
  const atDesk = user?.role === 'admin' || user?.role === 'operator';
  const meters = useApiGet<Meter[]>(`/metering/premises/${premiseId}/meters`);
  const today = new Date().toISOString().slice(0, 10);
  return (
    <>
      <Group justify="space-between" mt="lg" mb="sm">
        <Title order={3}>{t({ uk: 'Лічильники', en: 'Meters' })}</Title>
        {atDesk && (
          <Button component={Link} to={`/metering/desk?premise=${premiseId}`} variant="light">
            {t({ uk: 'Ввести показники', en: 'Enter readings' })}
          </Button>
        )}
      </Group>
      <DataState state={meters}>
        {(items) =>
          items.length === 0 ? (
            <Text c="dimmed">{t({ uk: 'Лічильників немає', en: 'No meters' })}</Text>
          ) : (
            <Paper withBorder>
              <Table.ScrollContainer minWidth={640}>
                <Table striped aria-label={t({ uk: 'Лічильники приміщення', en: "The premise's meters" })}>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t({ uk: 'Послуга', en: 'Service' })}</Table.Th>
                      <Table.Th>{t({ uk: 'Заводський номер', en: 'Serial' })}</Table.Th>
                      <Table.Th>{t({ uk: 'Останній показник', en: 'Last reading' })}</Table.Th>
                      <Table.Th>{t({ uk: 'Повірка до', en: 'Verified until' })}</Table.Th>
                      {atDesk && <Table.Th>{t({ uk: 'Дії', en: 'Actions' })}</Table.Th>}
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {items.map((m) => {
                      const last = [...m.readings].sort((a, b) => b.readOn.localeCompare(a.readOn))[0];
                      const expired = m.verifiedUntil !== null && m.verifiedUntil < today;
                      return (
                        <Table.Tr key={m.meterId}>
                          <Table.Td>{lang === 'uk' ? m.serviceNameUk : m.serviceNameEn}</Table.Td>
                          <Table.Td ff="monospace">{m.serial}</Table.Td>
                          <Table.Td>{last ? `${last.values.join(' / ')} ${m.unit} · ${format.date(last.readOn)}` : t({ uk: 'ще немає', en: 'none yet' })}</Table.Td>
                          <Table.Td>
                            {m.verifiedUntil ? format.date(m.verifiedUntil) : '—'}{' '}
                            {expired && (
                              <Badge color="red" variant="light">
                                {t({ uk: 'прострочено', en: 'overdue' })}
                              </Badge>
                            )}
                            {m.status === 'removed_for_verification' && (
                              <Badge color="orange" variant="light">
                                {t({ uk: 'на повірці', en: 'away for verification' })}
                              </Badge>
                            )}
                          </Table.Td>
                          {atDesk && (
                            <Table.Td>
                              <MeterActions meter={m} onChanged={meters.reload} />
                            </Table.Td>
                          )}
                        </Table.Tr>
                      );
                    })}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            </Paper>
          )
        }
      </DataState>
    </>
  );
}
