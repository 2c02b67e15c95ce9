import { useState } from 'react';
import { Anchor, Button, Group, NumberInput, Stack, Table, Text, TextInput } from '@mantine/core';
import type { BillModel } from '../../../../src/bills/model';
import { useFormat, useT } from '../../i18n';
import { useApiGet } from '../../useApiGet';
import { DataState } from '../../components/DataState';
import { PageHeader } from '../../components/PageHeader';
import { money } from '../billing/labels';

/** Any premise's bill for a closed period: its figures, the PDF shown in the page and a download link. */
export function BillPreviewPage() {
  const t = useT();
  const format = useFormat();
  const [premiseId, setPremiseId] = useState<number | string>('');
  const [month, setMonth] = useState('');
  const [shown, setShown] = useState<{ premiseId: number; period: string } | null>(null);
  const state = useApiGet<BillModel>(shown ? `/bills/premises/${shown.premiseId}` : null, shown ? { period: shown.period } : undefined);
  const pdfUrl = shown ? `/api/bills/premises/${shown.premiseId}/pdf?period=${shown.period}` : '';
  const m = (k: number) => money(k, format.locale);

  return (
    <Stack>
      <PageHeader title={t({ uk: 'Перегляд рахунку', en: 'Bill preview' })} subtitle={t({ uk: 'Єдиний рахунок приміщення за закритий період', en: "A premise's unified bill for a closed period" })} />
      <Group align="end">
        <NumberInput label={t({ uk: 'Приміщення (id)', en: 'Premise (id)' })} value={premiseId} onChange={setPremiseId} min={1} data-testid="bill-premise" />
        <TextInput label={t({ uk: 'Місяць (РРРР-ММ)', en: 'Month (YYYY-MM)' })} value={month} onChange={(e) => setMonth(e.currentTarget.value)} placeholder="2026-11" data-testid="bill-month" />
        <Button onClick={() => Number(premiseId) > 0 && /^\d{4}-\d{2}$/.test(month) && setShown({ premiseId: Number(premiseId), period: `${month}-01` })}>
          {t({ uk: 'Показати', en: 'Show' })}
        </Button>
      </Group>
      {shown && (
        <DataState state={state}>
          {(bill) => (
            <Stack>
              <Group>
                <Text fw={600}>{bill.addressee.name}</Text>
                <Text>{bill.addressee.lines.join(', ')}</Text>
                <Text>{t({ uk: 'ЄР', en: 'Account' })} {bill.unifiedAccount}</Text>
                <Text fw={700} data-testid="bill-to-pay">{t({ uk: 'До сплати', en: 'To pay' })}: {m(bill.toPay)}</Text>
                {bill.advance > 0 && <Text>{t({ uk: 'Аванс', en: 'Advance' })}: {m(bill.advance)}</Text>}
                <Anchor href={pdfUrl} download data-testid="bill-download">{t({ uk: 'Завантажити PDF', en: 'Download PDF' })}</Anchor>
              </Group>
              <Table striped>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t({ uk: 'Послуга', en: 'Service' })}</Table.Th>
                    <Table.Th ta="right">{t({ uk: 'Нараховано', en: 'Charged' })}</Table.Th>
                    <Table.Th ta="right">{t({ uk: 'Оплачено', en: 'Paid' })}</Table.Th>
                    <Table.Th ta="right">{t({ uk: 'До сплати', en: 'To pay' })}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {bill.services.map((s) => (
                    <Table.Tr key={s.accountId}>
                      <Table.Td>{t({ uk: s.service, en: s.serviceEn })} · {s.provider.name}</Table.Td>
                      <Table.Td ta="right">{m(s.charged)}</Table.Td>
                      <Table.Td ta="right">{m(-s.paid)}</Table.Td>
                      <Table.Td ta="right">{m(s.toPay)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
              <iframe title="bill" src={pdfUrl} style={{ width: '100%', height: 900, border: '1px solid #ddd' }} />
            </Stack>
          )}
        </DataState>
      )}
    </Stack>
  );
}
