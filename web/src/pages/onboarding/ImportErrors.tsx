import { useState } from 'react';
import { Alert, Button, Table, Text } from '@mantine/core';
import { useT } from '../../i18n';

interface ErrorRow {
  rowNo: string;
  account: string;
  reasonUk: string;
  reasonEn: string;
}

/** One semicolon CSV line as the report writes it (quotes doubled inside quoted cells). */
function parseCsvLine(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted && ch === '"' && line[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (ch === '"') {
      quoted = !quoted;
    } else if (ch === ';' && !quoted) {
      cells.push(cell);
      cell = '';
    } else {
      cell += ch;
    }
  }
  cells.push(cell);
  return cells;
}

/** Splits CSV text into records, keeping line breaks that sit inside quotes. */
function csvRecords(text: string): string[][] {
  const records: string[] = [];
  let current = '';
  let quotes = 0;
  for (const line of text.replace(/^\uFEFF/, '').split('\r\n')) {
    current = current ? `${current}\r\n${line}` : line;
    quotes += (line.match(/"/g) ?? []).length;
    if (quotes % 2 === 0) {
      if (current) records.push(current);
      current = '';
      quotes = 0;
    }
  }
  return records.map(parseCsvLine);
}

/**
 * The rows an import rejected, by row number with the reason, on the page itself (read from the
 * report the server already writes, filtered to errors) — so nobody has to open a spreadsheet.
 */
export function ImportErrors({ importId }: { importId: number }) {
  const t = useT();
  const [rows, setRows] = useState<ErrorRow[] | null>(null);
  const [failed, setFailed] = useState(false);
  const [loading, setLoading] = useState(false);

  async function load() {
    setLoading(true);
    setFailed(false);
    try {
      const response = await fetch(`/api/imports/${importId}/report.csv?status=error`, { credentials: 'include' });
      if (!response.ok) throw new Error(String(response.status));
      // Columns: row, address, account, premise, registry address, unified account, confidence, status, reason uk, reason en.
      const [, ...records] = csvRecords(await response.text());
      setRows(records.map((r) => ({ rowNo: r[0], account: r[2], reasonUk: r[8], reasonEn: r[9] })));
    } catch {
      setFailed(true);
    } finally {
      setLoading(false);
    }
  }

  if (rows === null) {
    return (
      <>
        <Button variant="subtle" color="red" size="compact-sm" mt={4} loading={loading} onClick={load}>
          {t({ uk: 'Показати помилки за рядками', en: 'Show errors by row' })}
        </Button>
        {failed && (
          <Alert color="red" role="alert" mt={4}>
            {t({ uk: 'Не вдалося завантажити звіт', en: 'Could not load the report' })}
          </Alert>
        )}
      </>
    );
  }
  return (
    <Table mt={4} withTableBorder aria-label={t({ uk: `Помилки імпорту №${importId}`, en: `Errors of import #${importId}` })}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t({ uk: 'Рядок', en: 'Row' })}</Table.Th>
          <Table.Th>{t({ uk: 'Рахунок', en: 'Account' })}</Table.Th>
          <Table.Th>{t({ uk: 'Причина', en: 'Reason' })}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((r) => (
          <Table.Tr key={r.rowNo}>
            <Table.Td>{r.rowNo}</Table.Td>
            <Table.Td>{r.account}</Table.Td>
            <Table.Td>
              <Text size="sm">{t({ uk: r.reasonUk, en: r.reasonEn })}</Text>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
