/**
 * The per-row report of an import (dry run or real): row, raw address, matched premise, unified
 * account, confidence, status and reason — as CSV (UTF-8 with BOM, so spreadsheet programs read
 * the Cyrillic) or XLSX. Cells that a spreadsheet would run as a formula are defused.
 */

/** A cell starting with = + - @ tab or CR is a formula to a spreadsheet: prefix it with '. */
export function defuseFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = defuseFormula(String(value));
  return /[",;\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(values: unknown[], delimiter = ';'): string {
  return values.map(csvCell).join(delimiter) + '\r\n';
}

export const REPORT_HEADERS = {
  uk: ['Рядок', 'Адреса у файлі', 'Рахунок', 'Приміщення', 'Адреса в реєстрі', 'Єдиний рахунок', 'Впевненість', 'Стан', 'Причина', 'Reason'],
};

export interface ReportLine {
  row_no: number;
  address_raw: string | null;
  account_number: string | null;
  premise_id: number | null;
  premise_address: string | null;
  unified_account: string | null;
  confidence: number | null;
  status: string;
  reason_uk: string | null;
  reason_en: string | null;
  errors: Array<{ column?: string; value?: string; uk: string; en: string }> | null;
}

/** Error cells are spelled out as «column «value»: reason», one after another. */
export function reasonsOf(line: ReportLine): { uk: string; en: string } {
  if (line.errors?.length) {
    return {
      uk: line.errors.map((e) => `${e.column ?? ''} «${e.value ?? ''}»: ${e.uk}`).join('; '),
      en: line.errors.map((e) => `${e.column ?? ''} "${e.value ?? ''}": ${e.en}`).join('; '),
    };
  }
  return { uk: line.reason_uk ?? '', en: line.reason_en ?? '' };
}

export function reportCells(line: ReportLine): unknown[] {
  const reasons = reasonsOf(line);
  return [
    line.row_no,
    line.address_raw,
    line.account_number,
    line.premise_id,
    line.premise_address,
    line.unified_account,
    line.confidence === null ? '' : Number(line.confidence).toFixed(2),
    line.status,
    reasons.uk,
    reasons.en,
  ];
}
