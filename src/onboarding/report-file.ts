/** Writes an import's per-row report to a file, page by page (a million rows never sit in memory). */
import fs from 'node:fs';
import { once } from 'node:events';
import ExcelJS from 'exceljs';
import type { DbOrTx } from '../db/index';
import * as repo from './repo';
import { REPORT_HEADERS, csvLine, defuseFormula, reportCells } from './report';

const PAGE = 10_000;

export async function* reportLines(db: DbOrTx, scope: { communityId: number; importId: number }, statuses?: string[]) {
  let after = 0;
  for (;;) {
    const page = await repo.reportPage(db, scope, after, PAGE, statuses);
    if (page.length === 0) return;
    for (const line of page) yield line;
    after = page[page.length - 1].row_no;
  }
}

/** CSV with a byte-order mark and semicolons: what spreadsheet programs in Ukraine open directly. */
export async function writeReportCsv(db: DbOrTx, scope: { communityId: number; importId: number }, path: string, statuses?: string[]): Promise<number> {
  const out = fs.createWriteStream(path);
  out.write('\uFEFF' + csvLine(REPORT_HEADERS.uk));
  let n = 0;
  for await (const line of reportLines(db, scope, statuses)) {
    n++;
    if (!out.write(csvLine(reportCells(line)))) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return n;
}

export async function writeReportXlsx(db: DbOrTx, scope: { communityId: number; importId: number }, path: string, statuses?: string[]): Promise<number> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: false, useStyles: false });
  const sheet = workbook.addWorksheet('Звіт');
  sheet.addRow(REPORT_HEADERS.uk).commit();
  let n = 0;
  for await (const line of reportLines(db, scope, statuses)) {
    n++;
    // Cells are written as strings, so nothing is a formula; text is still defused for copy-paste.
    sheet.addRow(reportCells(line).map((v) => (typeof v === 'string' ? defuseFormula(v) : v))).commit();
  }
  sheet.commit();
  await workbook.commit();
  return n;
}
