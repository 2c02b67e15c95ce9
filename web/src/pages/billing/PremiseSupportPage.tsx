import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { Anchor, Button, Group, NumberInput, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { api } from '../../api';
import { useFormat, useLang, useT, type Bilingual } from '../../i18n';
import { useSession } from '../../session';
import { useApiGet } from '../../useApiGet';
import { DataState } from '../../components/DataState';
import { PageHeader } from '../../components/PageHeader';
import { FormCard, useSubmission } from '../../components/FormCard';
import type { Premise, PremiseAccount } from '../registry/types';
import { DayInput } from './DayInput';

/** The problems found (false where none), joined into one message, or null. */
function allProblems(found: Array<Bilingual | false>): Bilingual | null {
  const list = found.filter((p): p is Bilingual => p !== false);
  return list.length ? { uk: list.map((p) => p.uk).join('; '), en: list.map((p) => p.en).join('; ') } : null;
}
import { label, money } from './labels';

/** Shapes of GET /billing/premises/:id/support and /persons (src/billing/service.ts). */
interface Support {
  benefits: Array<{ grant_id: number; person_id: number; last_name: string; first_name: string; patronymic: string | null; service_id: number | null; category: string; percent: string; valid_from: string; valid_to: string | null }>;
  subsidies: Array<{ award_id: number; account_id: number; number: string; monthly_amount: number; mode: string; valid_from: string; valid_to: string | null }>;
}
interface Person {
  person_id: number;
  last_name: string;
  first_name: string;
  patronymic: string | null;
  registered_from: string;
  registered_to: string | null;
}

const MODE_LABELS: Record<string, Bilingual> = {
  credited: { uk: 'Зараховується на рахунок', en: 'Credited to the account' },
  monetised: { uk: 'Монетизована (виплата мешканцю)', en: 'Monetised (paid to the resident)' },
};

const fullName = (p: { last_name: string; first_name: string; patronymic?: string | null }) => [p.last_name, p.first_name, p.patronymic].filter(Boolean).join(' ');

/** A premise's benefits (per registered person) and subsidies (per account), with forms to add them. */
export function PremiseSupportPage() {
  const t = useT();
  const lang = useLang();
  const format = useFormat();
  const { id } = useParams();
  const { user } = useSession();
  const premise = useApiGet<Premise>(`/premises/${id}`);
  const persons = useApiGet<{ items: Person[] }>(`/billing/premises/${id}/persons`);
  const support = useApiGet<Support>(`/billing/premises/${id}/support`);
  const canEdit = user?.role === 'admin' || user?.role === 'operator';
  const m = (k: number) => money(k, format.locale);
  const period = (from: string, to: string | null) => `${format.date(from)} – ${to ? format.date(to) : t({ uk: 'безстроково', en: 'open-ended' })}`;

  return (
    <DataState state={premise}>
      {(p) => {
        const serviceName = (serviceId: number | null) => {
          if (serviceId === null) return t({ uk: 'усі послуги', en: 'all services' });
          const service = p.accounts.find((a) => a.service.serviceId === serviceId)?.service;
          return service ? (lang === 'uk' ? service.nameUk : service.nameEn) : `#${serviceId}`;
        };
        const accountLabel = (a: PremiseAccount) => `${lang === 'uk' ? a.service.nameUk : a.service.nameEn} · ${a.provider.shortName ?? a.provider.name} · ${a.number}`;
        return (
          <>
            <PageHeader
              title={t({ uk: 'Пільги та субсидії', en: 'Benefits and subsidies' })}
              subtitle={
                <>
                  <Anchor component={Link} to={`/premises/${p.premiseId}`}>
                    {p.address}
                  </Anchor>
                  {' · '}
                  <Anchor component={Link} to={`/billing/premises/${p.premiseId}`}>
                    {t({ uk: 'Виписка ЄР', en: 'Unified statement' })}
                  </Anchor>
                </>
              }
            />
            <DataState state={support}>
              {(s) => (
                <>
                  <Title order={3} mb="xs">
                    {t({ uk: 'Пільги', en: 'Benefits' })}
                  </Title>
                  <Table withTableBorder striped mb="lg" aria-label={t({ uk: 'Пільги', en: 'Benefits' })}>
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>{t({ uk: 'Особа', en: 'Person' })}</Table.Th>
                        <Table.Th>{t({ uk: 'Категорія', en: 'Category' })}</Table.Th>
                        <Table.Th>{t({ uk: 'Послуга', en: 'Service' })}</Table.Th>
                        <Table.Th ta="right">{t({ uk: 'Відсоток', en: 'Percent' })}</Table.Th>
                        <Table.Th>{t({ uk: 'Діє', en: 'Valid' })}</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {s.benefits.length === 0 && (
                        <Table.Tr>
                          <Table.Td colSpan={5} c="dimmed">
                            {t({ uk: 'Пільг немає', en: 'No benefits' })}
                          </Table.Td>
                        </Table.Tr>
                      )}
                      {s.benefits.map((b) => (
                        <Table.Tr key={b.grant_id}>
                          <Table.Td>{fullName(b)}</Table.Td>
                          <Table.Td>{b.category}</Table.Td>
                          <Table.Td>{serviceName(b.service_id)}</Table.Td>
                          <Table.Td ta="right">{format.number(b.percent, 2)} %</Table.Td>
                          <Table.Td>{period(b.valid_from, b.valid_to)}</Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>

                  <Title order={3} mb="xs">
                    {t({ uk: 'Субсидії', en: 'Subsidies' })}
                  </Title>
                  <Table withTableBorder striped mb="lg" aria-label={t({ uk: 'Субсидії', en: 'Subsidies' })}>
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>{t({ uk: 'Особовий рахунок', en: 'Account' })}</Table.Th>
                        <Table.Th ta="right">{t({ uk: 'Щомісяця', en: 'Monthly' })}</Table.Th>
                        <Table.Th>{t({ uk: 'Вид', en: 'Mode' })}</Table.Th>
                        <Table.Th>{t({ uk: 'Діє', en: 'Valid' })}</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {s.subsidies.length === 0 && (
                        <Table.Tr>
                          <Table.Td colSpan={4} c="dimmed">
                            {t({ uk: 'Субсидій немає', en: 'No subsidies' })}
                          </Table.Td>
                        </Table.Tr>
                      )}
                      {s.subsidies.map((a) => {
                        const account = p.accounts.find((x) => x.accountId === a.account_id);
                        return (
                          <Table.Tr key={a.award_id}>
                            <Table.Td>
                              <Anchor component={Link} to={`/billing/accounts/${a.account_id}`}>
                                {account ? accountLabel(account) : a.number}
                              </Anchor>
                            </Table.Td>
                            <Table.Td ta="right">{m(a.monthly_amount)}</Table.Td>
                            <Table.Td>{t(label(MODE_LABELS, a.mode))}</Table.Td>
                            <Table.Td>{period(a.valid_from, a.valid_to)}</Table.Td>
                          </Table.Tr>
                        );
                      })}
                    </Table.Tbody>
                  </Table>
                </>
              )}
            </DataState>

            {canEdit && (
              <SimpleGrid cols={{ base: 1, md: 2 }}>
                <DataState state={persons}>
                  {(list) => <BenefitForm premiseId={p.premiseId} persons={list.items} accounts={p.accounts} onSaved={support.reload} />}
                </DataState>
                <SubsidyForm accounts={p.accounts.filter((a) => a.open)} accountLabel={accountLabel} onSaved={support.reload} />
              </SimpleGrid>
            )}
          </>
        );
      }}
    </DataState>
  );
}

/** Percent as the API takes it: a decimal string with a dot. */
const decimalText = (value: number) => String(Number(value.toFixed(2)));

function BenefitForm({ premiseId, persons, accounts, onSaved }: { premiseId: number; persons: Person[]; accounts: PremiseAccount[]; onSaved: () => void }) {
  const t = useT();
  const lang = useLang();
  const format = useFormat();
  const [personId, setPersonId] = useState<string | null>(null);
  const [serviceId, setServiceId] = useState<string | null>(null);
  const [category, setCategory] = useState('');
  const [percent, setPercent] = useState<number | string>('');
  const [validFrom, setValidFrom] = useState<string | null>(null);
  const [validTo, setValidTo] = useState<string | null>(null);
  const { message, saving, submit, fail } = useSubmission();

  // The services of the premise's accounts, once each: a benefit may cover one or all of them.
  const services = [...new Map(accounts.map((a) => [a.service.serviceId, a.service])).values()];

  const save = () =>
    submit(async () => {
      const pct = typeof percent === 'number' ? percent : NaN;
      // Every problem of the form at once, not one per try.
      const problems = allProblems([
        !personId && { uk: 'Оберіть особу', en: 'Choose the person' },
        category.trim().length < 2 && { uk: 'Вкажіть категорію пільги', en: 'Give the benefit category' },
        !(pct > 0 && pct <= 100) && { uk: 'Відсоток пільги — від 0 до 100', en: 'A benefit percent is between 0 and 100' },
        !validFrom && { uk: 'Вкажіть, з якої дати діє пільга', en: 'Give the date the benefit starts' },
        !!validFrom && !!validTo && validTo < validFrom && { uk: 'Дата закінчення раніша за дату початку', en: 'The end date is before the start date' },
      ]);
      if (problems) return fail(t(problems));
      await api.post('/billing/benefits', {
        personId: Number(personId),
        premiseId,
        serviceId: serviceId ? Number(serviceId) : null,
        category: category.trim(),
        percent: decimalText(pct),
        validFrom,
        validTo,
      });
      notifications.show({ color: 'green', title: t({ uk: 'Пільгу надано', en: 'Benefit granted' }), message: category.trim() });
      setCategory('');
      setPercent('');
      setValidTo(null);
      onSaved();
    });

  return (
    <FormCard title={t({ uk: 'Надати пільгу', en: 'Grant a benefit' })} onSubmit={save} message={message}>
      <Stack gap="sm">
        <Select
          label={t({ uk: 'Особа (зареєстрована в приміщенні)', en: 'Person (registered at the premise)' })}
          placeholder={persons.length ? undefined : t({ uk: 'Нікого не зареєстровано', en: 'Nobody is registered' })}
          data={persons.map((p) => ({
            value: String(p.person_id),
            label: p.registered_to ? `${fullName(p)} (${t({ uk: 'знято з реєстрації', en: 'deregistered' })} ${format.date(p.registered_to)})` : fullName(p),
          }))}
          value={personId}
          onChange={setPersonId}
        />
        <TextInput label={t({ uk: 'Категорія пільговика', en: 'Beneficiary category' })} placeholder={t({ uk: 'напр. ветеран праці', en: 'e.g. labour veteran' })} value={category} onChange={(e) => setCategory(e.currentTarget.value)} />
        <Group grow align="flex-start">
          <Select
            label={t({ uk: 'Послуга', en: 'Service' })}
            placeholder={t({ uk: 'усі послуги', en: 'all services' })}
            data={services.map((s) => ({ value: String(s.serviceId), label: lang === 'uk' ? s.nameUk : s.nameEn }))}
            value={serviceId}
            onChange={setServiceId}
            clearable
          />
          <NumberInput label={t({ uk: 'Відсоток знижки', en: 'Discount, %' })} min={0} max={100} decimalScale={2} allowNegative={false} value={percent} onChange={setPercent} />
        </Group>
        <Text size="sm" c="dimmed">
          {t({
            uk: 'Знижка діє в межах соціальної норми споживання, заданої в тарифі послуги.',
            en: "The discount applies within the social norm of consumption set in the service's tariff.",
          })}
        </Text>
        <Group grow align="flex-start">
          <DayInput label={t({ uk: 'Діє з', en: 'Valid from' })} value={validFrom} onChange={setValidFrom} />
          <DayInput label={t({ uk: 'Діє до (необов’язково)', en: 'Valid to (optional)' })} value={validTo} onChange={setValidTo} clearable />
        </Group>
        <Group justify="flex-end">
          <Button type="submit" loading={saving}>
            {t({ uk: 'Надати пільгу', en: 'Grant the benefit' })}
          </Button>
        </Group>
      </Stack>
    </FormCard>
  );
}

function SubsidyForm({ accounts, accountLabel, onSaved }: { accounts: PremiseAccount[]; accountLabel: (a: PremiseAccount) => string; onSaved: () => void }) {
  const t = useT();
  const lang = useLang();
  const [accountId, setAccountId] = useState<string | null>(null);
  const [amount, setAmount] = useState<number | string>('');
  const [mode, setMode] = useState<string | null>('credited');
  const [validFrom, setValidFrom] = useState<string | null>(null);
  const [validTo, setValidTo] = useState<string | null>(null);
  const { message, saving, submit, fail } = useSubmission();

  const save = () =>
    submit(async () => {
      // Entered in hryvnias, stored in whole kopecks.
      const kopecks = typeof amount === 'number' ? Math.round(amount * 100) : NaN;
      const problems = allProblems([
        !accountId && { uk: 'Оберіть особовий рахунок', en: 'Choose the account' },
        (!Number.isSafeInteger(kopecks) || kopecks <= 0) && { uk: 'Сума субсидії — додатне число в гривнях, напр. 500,00', en: 'The subsidy is a positive amount in hryvnias, e.g. 500.00' },
        !validFrom && { uk: 'Вкажіть, з якої дати діє субсидія', en: 'Give the date the subsidy starts' },
        !!validFrom && !!validTo && validTo < validFrom && { uk: 'Дата закінчення раніша за дату початку', en: 'The end date is before the start date' },
      ]);
      if (problems) return fail(t(problems));
      await api.post('/billing/subsidies', { accountId: Number(accountId), monthlyAmount: kopecks, mode, validFrom, validTo });
      notifications.show({ color: 'green', title: t({ uk: 'Субсидію призначено', en: 'Subsidy awarded' }), message: accountLabel(accounts.find((a) => String(a.accountId) === accountId)!) });
      setAmount('');
      setValidTo(null);
      onSaved();
    });

  return (
    <FormCard title={t({ uk: 'Призначити субсидію', en: 'Award a subsidy' })} onSubmit={save} message={message}>
      <Stack gap="sm">
        <Select
          label={t({ uk: 'Особовий рахунок', en: 'Account' })}
          data={accounts.map((a) => ({ value: String(a.accountId), label: accountLabel(a) }))}
          value={accountId}
          onChange={setAccountId}
          searchable
        />
        <NumberInput
          label={t({ uk: 'Сума на місяць, ₴', en: 'Monthly amount, ₴' })}
          placeholder={lang === 'uk' ? '500,00' : '500.00'}
          min={0}
          decimalScale={2}
          decimalSeparator={lang === 'uk' ? ',' : '.'}
          allowNegative={false}
          value={amount}
          onChange={setAmount}
        />
        <Select
          label={t({ uk: 'Вид субсидії', en: 'Subsidy mode' })}
          data={Object.entries(MODE_LABELS).map(([value, text]) => ({ value, label: t(text) }))}
          value={mode}
          onChange={setMode}
          allowDeselect={false}
        />
        <Group grow align="flex-start">
          <DayInput label={t({ uk: 'Діє з', en: 'Valid from' })} value={validFrom} onChange={setValidFrom} />
          <DayInput label={t({ uk: 'Діє до (необов’язково)', en: 'Valid to (optional)' })} value={validTo} onChange={setValidTo} clearable />
        </Group>
        <Group justify="flex-end">
          <Button type="submit" loading={saving}>
            {t({ uk: 'Призначити субсидію', en: 'Award the subsidy' })}
          </Button>
        </Group>
      </Stack>
    </FormCard>
  );
}
