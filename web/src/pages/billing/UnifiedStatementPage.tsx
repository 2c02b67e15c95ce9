import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { Anchor, Group, Select, Table, Text, Title } from '@mantine/core';
import { useFormat, useT } from '../../i18n';
import { useApiGet } from '../../useApiGet';
import { DataState } from '../../components/DataState';
import { PageHeader } from '../../components/PageHeader';
import { money } from './labels';
import type { StatementRow } from './types';
import type { Premise } from '../registry/types';

interface UnifiedStatement {
  period: string;
  periods: StatementRow[];
  lines: Array<StatementRow & { account_id: number; number: string; provider: string; service: string; service_en: string }>;
}

/** The periods to choose from, newest first: those with entries, and the one shown. */
function periodChoices(data: UnifiedStatement): string[] {
  const all = new Set([data.period, ...data.periods.map((p) => p.period)]);
  return [...all].sort().reverse();
}

/** The unified account of a premise: every personal account together, by period and by service. */
/** The sum of the per-service lines, column by column: the table's total row. */
function totalOf(lines: StatementRow[], period: string): StatementRow {
  const sum = (k: Exclude<keyof StatementRow, 'period'>) => lines.reduce((s, l) => s + l[k], 0);
  return {
    period,
    opening: sum('opening'),
    charged: sum('charged'),
    recalculations: sum('recalculations'),
    benefits: sum('benefits'),
    subsidies: sum('subsidies'),
    penalties: sum('penalties'),
    adjustments: sum('adjustments'),
    paid: sum('paid'),
    closing: sum('closing'),
  };
}

export function UnifiedStatementPage() {
  const t = useT();
  const format = useFormat();
  const { id } = useParams();
  const [period, setPeriod] = useState<string | null>(null);
  const state = useApiGet<UnifiedStatement>(`/billing/premises/${id}/statement`, { period: period ?? undefined });
  // The address and the unified account number, for the header (what the resident on the phone quotes).
  const premise = useApiGet<Premise>(`/premises/${id}`);
  const m = (k: number) => money(k, format.locale);
  const columns = (r: StatementRow) => [r.opening, r.charged + r.recalculations, r.benefits + r.subsidies, r.penalties + r.adjustments, -r.paid, r.closing];
  const head = [
    t({ uk: 'На початок', en: 'Opening' }),
    t({ uk: 'Нараховано', en: 'Charged' }),
    t({ uk: 'Пільги, субсидії', en: 'Benefits, subsidies' }),
    t({ uk: 'Пеня, коригування', en: 'Penalty, adjustments' }),
    t({ uk: 'Сплачено', en: 'Paid' }),
    t({ uk: 'До сплати', en: 'To pay' }),
  ];
  // Both tables (by service, by period) show the same figures after their first column.
  const headCells = head.map((h) => (
    <Table.Th key={h} ta="right">
      {h}
    </Table.Th>
  ));
  const figureCells = (r: StatementRow) =>
    columns(r).map((v, i) => (
      <Table.Td key={i} ta="right" fw={i === 5 ? 600 : undefined}>
        {m(v)}
      </Table.Td>
    ));

  return (
    <DataState state={state}>
      {(data) => (
        <>
          <PageHeader
            title={t({ uk: 'Єдиний рахунок: виписка', en: 'Unified account statement' })}
            subtitle={
              <Anchor component={Link} to={`/premises/${id}`}>
                {premise.data
                  ? `${premise.data.address}${premise.data.unifiedAccount ? ` · ${t({ uk: 'ЄР', en: 'UA' })} ${premise.data.unifiedAccount}` : ''}`
                  : t({ uk: 'Картка приміщення', en: 'Premise card' })}
              </Anchor>
            }
            actions={
              <Select
                label={t({ uk: 'Період', en: 'Period' })}
                data={periodChoices(data).map((p) => ({ value: p, label: p.slice(0, 7) }))}
                value={period ?? data.period}
                onChange={setPeriod}
                allowDeselect={false}
              />
            }
          />
          <Title order={3} mb="xs">
            {t({ uk: 'За послугами, {p}', en: 'By service, {p}' }, { p: data.period.slice(0, 7) })}
          </Title>
          {data.lines.length === 0 ? (
            <Text c="dimmed" mb="lg">
              {t({ uk: 'За {p} записів немає: нарахування з’являються тут, коли період закрито.', en: 'Nothing for {p}: charges appear here once the period is closed.' }, { p: data.period.slice(0, 7) })}
            </Text>
          ) : (
            <Table withTableBorder striped mb="lg">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t({ uk: 'Послуга', en: 'Service' })}</Table.Th>
                  {headCells}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.lines.map((l) => (
                  <Table.Tr key={l.account_id}>
                    <Table.Td>
                      <Anchor component={Link} to={`/billing/accounts/${l.account_id}`}>
                        {t({ uk: l.service, en: l.service_en })}
                      </Anchor>{' '}
                      · {l.provider} · {l.number}
                    </Table.Td>
                    {figureCells(l)}
                  </Table.Tr>
                ))}
              </Table.Tbody>
              <Table.Tfoot>
                <Table.Tr>
                  <Table.Th>{t({ uk: 'Разом', en: 'Total' })}</Table.Th>
                  {columns(totalOf(data.lines, data.period)).map((v, i) => (
                    <Table.Th key={i} ta="right">
                      {m(v)}
                    </Table.Th>
                  ))}
                </Table.Tr>
              </Table.Tfoot>
            </Table>
          )}
          {data.lines.some((l) => l.penalties !== 0) && (
            <Text size="sm" c="dimmed" mb="lg" role="note">
              {t({
                uk: 'У цьому періоді є пеня: рядки пені за прострочений борг попереднього місяця нараховано окремо від послуг.',
                en: "This period has penalties: the penalty on last month's overdue debt is charged apart from the services.",
              })}
            </Text>
          )}
          <Group mb="xs">
            <Title order={3}>{t({ uk: 'За періодами', en: 'By period' })}</Title>
          </Group>
          {data.periods.length === 0 ? (
            <Text c="dimmed">{t({ uk: 'Записів за жоден період ще немає.', en: 'No period has entries yet.' })}</Text>
          ) : (
            <Table withTableBorder striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t({ uk: 'Період', en: 'Period' })}</Table.Th>
                  {headCells}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {[...data.periods].reverse().map((r) => (
                  <Table.Tr key={r.period}>
                    <Table.Td>{r.period.slice(0, 7)}</Table.Td>
                    {figureCells(r)}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </>
      )}
    </DataState>
  );
}
