/**
 * ExcelJS's streaming workbook reader walks the zip once, in stored order, and that walk now and
 * then loses an entry (exceljs#3064, #683): about one read in two hundred of a valid file came back
 * "cannot read properties of undefined (reading 'sheets')" here, so a provider's good XLSX was
 * refused at random. This reader opens the archive by its central directory instead and hands
 * ExcelJS's own part parsers the parts in the order they depend on each other — relationships,
 * workbook, shared strings, styles, then each sheet — and each sheet still streams row by row.
 * It uses the reader's internal part parsers of ExcelJS 4.4.0, which package.json pins.
 */
import ExcelJS from 'exceljs';
import unzipper from 'unzipper';
import type { Readable } from 'node:stream';

type ReaderEvent = { eventType: string; value: unknown };

/** The part parsers of ExcelJS's WorkbookReader (lib/stream/xlsx/workbook-reader.js). */
interface WorkbookReaderParts {
  _parseRels(entry: Readable): Promise<void>;
  _parseWorkbook(entry: Readable): Promise<void>;
  _parseSharedStrings(entry: Readable): AsyncGenerator<ReaderEvent>;
  _parseStyles(entry: Readable): Promise<void>;
  _parseWorksheet(iterator: AsyncIterable<unknown>, sheetNo: string): Generator<ReaderEvent>;
}

const SHEET_PATH = /^xl\/worksheets\/sheet(\d+)\.xml$/;

class CentralDirectoryWorkbookReader extends ExcelJS.stream.xlsx.WorkbookReader {
  constructor(
    private readonly filePath: string,
    options: Partial<ExcelJS.stream.xlsx.WorkbookStreamReaderOptions>,
  ) {
    super(filePath, options);
  }

  override async *parse(): AsyncGenerator<ReaderEvent> {
    const parts = this as unknown as WorkbookReaderParts;
    const directory = await unzipper.Open.file(this.filePath);
    const part = (name: string) => directory.files.find((f) => f.path === name);
    const rels = part('xl/_rels/workbook.xml.rels');
    const workbook = part('xl/workbook.xml');
    if (!rels || !workbook) throw new Error('no workbook part (xl/workbook.xml) in the archive');
    await parts._parseRels(rels.stream());
    await parts._parseWorkbook(workbook.stream());
    const sharedStrings = part('xl/sharedStrings.xml');
    if (sharedStrings) yield* parts._parseSharedStrings(sharedStrings.stream());
    const styles = part('xl/styles.xml');
    if (styles) await parts._parseStyles(styles.stream());
    const sheets = directory.files
      .map((file) => ({ file, sheetNo: SHEET_PATH.exec(file.path)?.[1] }))
      .filter((s): s is { file: unzipper.File; sheetNo: string } => s.sheetNo !== undefined)
      .sort((a, b) => Number(a.sheetNo) - Number(b.sheetNo));
    for (const { file, sheetNo } of sheets) yield* parts._parseWorksheet(file.stream(), sheetNo);
  }
}

/** A streaming reader of the workbook at `filePath`: iterate it for worksheets, them for rows. */
export function openWorkbook(filePath: string, options: Partial<ExcelJS.stream.xlsx.WorkbookStreamReaderOptions>): ExcelJS.stream.xlsx.WorkbookReader {
  return new CentralDirectoryWorkbookReader(filePath, options);
}
