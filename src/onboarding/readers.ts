/**
 * Streaming readers for the files providers really send: CSV (any delimiter, UTF-8 or
 * Windows-1251), XLSX, and DBF (dBase III / FoxPro) in cp866, cp1125 or Windows-1251. Each gives
 * the header row and then rows one at a time, so a million-row file never sits in memory. A file
 * that is not what it claims (binary junk, wrong encoding, empty, over the limits) is refused
 * whole with a bilingual error naming the file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseCsv } from 'csv-parse';
import { DBFFile } from 'dbffile';
import iconv from 'iconv-lite';
import { AppError } from '../shared/errors';
import { openWorkbook } from './xlsx-workbook';
import {
  controlByteShare,
  decodeBytes,
  detectDbfEncoding,
  controlCharShare,
  detectTextEncoding,
  utf16ByBom,
  isValidUtf8,
  plausibleTextShare,
  type TextEncoding,
} from './encoding';

export type FileFormat = 'csv' | 'xlsx' | 'dbf';

export interface ReadOptions {
  format?: FileFormat;
  /** Overrides detection (CSV and DBF). */
  encoding?: TextEncoding;
  /** Overrides detection (CSV). */
  delimiter?: string;
  /** XLSX: worksheet name or 1-based position; the first sheet otherwise. */
  sheet?: string | number;
  /** The name people know the file by (uploads are stored under another name). */
  displayName?: string;
  maxFileBytes?: number;
  maxRowChars?: number;
}

export const DEFAULT_MAX_FILE_BYTES = 512 * 1024 * 1024;
export const DEFAULT_MAX_ROW_CHARS = 64 * 1024;

/** One data row: its number as a spreadsheet shows it (the header is row 1) and its cells. */
export interface SourceRow {
  rowNo: number;
  values: string[];
}

export interface TableReader {
  format: FileFormat;
  encoding?: TextEncoding;
  delimiter?: string;
  headers: string[];
  rows(): AsyncGenerator<SourceRow>;
  close(): Promise<void>;
}

export function refuseFile(file: string, code: string, uk: string, en: string, details: Record<string, unknown> = {}): AppError {
  return new AppError(`file_${code}`, 422, { uk: `Файл «${file}» відхилено: ${uk}`, en: `File "${file}" refused: ${en}` }, { file, ...details });
}

const SAMPLE_BYTES = 64 * 1024;

function readSample(filePath: string, bytes = SAMPLE_BYTES, position = 0): Buffer {
  const fd = fs.openSync(filePath, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const n = fs.readSync(fd, buf, 0, bytes, position);
    return buf.subarray(0, n);
  } finally {
    fs.closeSync(fd);
  }
}

/** The format from the file's first bytes (ZIP for XLSX, a dBase version byte), then its name. */
export function detectFormat(filePath: string, head: Uint8Array): FileFormat {
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) return 'xlsx';
  const ext = path.extname(filePath).toLowerCase();
  if (ext === '.dbf') return 'dbf';
  if (ext === '.xlsx') return 'xlsx';
  if (looksLikeDbfHeader(head)) return 'dbf';
  return 'csv';
}

const DBF_VERSIONS = new Set([0x02, 0x03, 0x04, 0x05, 0x30, 0x31, 0x32, 0x43, 0x63, 0x83, 0x8b, 0x8e, 0xcb, 0xf5, 0xfb]);

function looksLikeDbfHeader(head: Uint8Array): boolean {
  if (head.length < 32 || !DBF_VERSIONS.has(head[0])) return false;
  const month = head[2];
  const day = head[3];
  const headerLength = head[8] | (head[9] << 8);
  const recordLength = head[10] | (head[11] << 8);
  return month >= 1 && month <= 12 && day >= 1 && day <= 31 && headerLength >= 65 && recordLength > 0;
}

export async function openTable(filePath: string, options: ReadOptions = {}): Promise<TableReader> {
  const name = options.displayName ?? path.basename(filePath);
  const maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  let size: number;
  try {
    size = fs.statSync(filePath).size;
  } catch {
    throw refuseFile(name, 'missing', 'файл не знайдено', 'file not found');
  }
  if (size === 0) throw refuseFile(name, 'empty', 'файл порожній', 'the file is empty');
  if (size > maxFileBytes) {
    throw refuseFile(name, 'too_large', `розмір ${size} байт більший за межу ${maxFileBytes}`, `its size ${size} bytes exceeds the limit ${maxFileBytes}`, {
      size,
      limit: maxFileBytes,
    });
  }
  const head = readSample(filePath);
  const format = options.format ?? detectFormat(filePath, head);
  if (format === 'xlsx') return openXlsx(filePath, name, head, options);
  if (format === 'dbf') return openDbf(filePath, name, head, options);
  return openCsv(filePath, name, head, size, options);
}

// ---------------------------------------------------------------- CSV

const DELIMITERS = [';', ',', '\t', '|'];

/** The delimiter that splits the first lines into the same number (> 1) of fields, outside quotes. */
export function detectDelimiter(text: string): string {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '').slice(0, 20);
  if (lines.length > 1 && text.length >= SAMPLE_BYTES - 4) lines.pop(); // the last line may be cut
  let best = ';';
  let bestScore = -1;
  for (const d of DELIMITERS) {
    const counts = lines.map((l) => countOutsideQuotes(l, d));
    const first = counts[0] ?? 0;
    if (first === 0) continue;
    const consistent = counts.filter((c) => c === first).length;
    const score = consistent * 1000 + first;
    if (score > bestScore) {
      bestScore = score;
      best = d;
    }
  }
  return best;
}

function countOutsideQuotes(line: string, delimiter: string): number {
  let n = 0;
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (ch === delimiter && !quoted) n++;
  }
  return n;
}

async function openCsv(filePath: string, name: string, head: Buffer, size: number, options: ReadOptions): Promise<TableReader> {
  const truncated = size > head.length;
  // A UTF-16 byte-order mark says the encoding, whatever the profile assumed; its text is checked
  // for control characters once decoded (its bytes hold a NUL in every Latin character).
  const utf16 = utf16ByBom(head);
  let encoding = utf16 ?? options.encoding;
  const binary = () => refuseFile(name, 'binary', 'це не текстовий файл CSV (двійкові дані)', 'it is not a CSV text file (binary data)');
  if (!utf16 && (controlByteShare(head) > 0.001 || head.includes(0))) throw binary();
  if (encoding === 'utf-8' && !isValidUtf8(head, truncated)) {
    throw refuseFile(name, 'encoding', 'вказано кодування UTF-8, але файл не в UTF-8', 'UTF-8 was specified but the file is not UTF-8');
  }
  encoding ??= detectTextEncoding(head, truncated);
  const sampleText = decodeBytes(utf16 ? head.subarray(0, head.length & ~1) : head, encoding).replace(/^\uFEFF/, '');
  if (utf16 && (controlCharShare(sampleText) > 0.001 || sampleText.includes('\0'))) throw binary();
  if (plausibleTextShare(sampleText) < 0.95) {
    throw refuseFile(
      name,
      'encoding',
      `текст у кодуванні ${encoding} нечитабельний — файл пошкоджений або в іншому кодуванні`,
      `the text is unreadable as ${encoding}: the file is damaged or in another encoding`,
      { encoding },
    );
  }
  // An empty delimiter means "find it", as none does.
  const delimiter = options.delimiter || detectDelimiter(sampleText);
  const maxRowChars = options.maxRowChars ?? DEFAULT_MAX_ROW_CHARS;
  const csv = parseCsv({
    delimiter,
    bom: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    max_record_size: maxRowChars,
  });
  const input = fs.createReadStream(filePath, { highWaterMark: 1 << 20 });
  // pipe() does not pass errors on: a read error (the file gone, a bad byte) ends the parser with it.
  input.on('error', (err: Error) => csv.destroy(err));
  let text: NodeJS.ReadableStream;
  if (encoding === 'utf-8') text = input.setEncoding('utf8');
  else {
    const decoder = iconv.decodeStream(encoding);
    decoder.on('error', (err: Error) => csv.destroy(err));
    text = input.pipe(decoder);
  }
  const parser = text.pipe(csv);
  const records = parser[Symbol.asyncIterator]() as AsyncIterator<string[]>;
  const translate = (err: unknown): AppError => {
    const e = err as { code?: string; lines?: number; message?: string };
    if (e.code === 'CSV_MAX_RECORD_SIZE') {
      return refuseFile(name, 'row_too_long', `рядок ${e.lines ?? '?'} довший за ${maxRowChars} символів`, `row ${e.lines ?? '?'} is longer than ${maxRowChars} characters`, {
        row: e.lines,
        limit: maxRowChars,
      });
    }
    return refuseFile(name, 'unreadable', `не вдалося прочитати CSV (${e.message})`, `the CSV cannot be read (${e.message})`, { row: e.lines });
  };
  let first: IteratorResult<string[]>;
  try {
    first = await records.next();
  } catch (err) {
    input.destroy();
    throw translate(err);
  }
  if (first.done) throw refuseFile(name, 'empty', 'у файлі немає рядків', 'the file has no rows');
  const headers = first.value.map((h) => h.trim());
  return {
    format: 'csv',
    encoding,
    delimiter,
    headers,
    async *rows() {
      let rowNo = 1;
      try {
        for (;;) {
          const next = await records.next();
          if (next.done) return;
          rowNo++;
          yield { rowNo, values: next.value };
        }
      } catch (err) {
        throw translate(err);
      }
    },
    async close() {
      input.destroy();
    },
  };
}

// ---------------------------------------------------------------- XLSX

/** A cell as text: numbers as written by JavaScript, dates as YYYY-MM-DD, formulas by their result. */
export function excelCellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    const v = value as { richText?: Array<{ text: string }>; result?: unknown; text?: unknown; error?: string };
    if (v.richText) return v.richText.map((r) => r.text).join('');
    if ('result' in v) return excelCellText(v.result);
    if (v.text !== undefined) return excelCellText(v.text);
    if (v.error) return '';
  }
  return String(value);
}

async function openXlsx(filePath: string, name: string, head: Buffer, options: ReadOptions): Promise<TableReader> {
  if (!(head[0] === 0x50 && head[1] === 0x4b)) {
    throw refuseFile(name, 'not_xlsx', 'це не файл XLSX (Excel 2007+)', 'it is not an XLSX (Excel 2007+) file');
  }
  const maxRowChars = options.maxRowChars ?? DEFAULT_MAX_ROW_CHARS;
  const reader = openWorkbook(filePath, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'cache', // without styles a date cell reads as its serial number
    entries: 'emit',
  });
  const translate = (err: unknown) =>
    err instanceof AppError
      ? err
      : refuseFile(name, 'unreadable', `не вдалося прочитати XLSX (${(err as Error).message})`, `the XLSX cannot be read (${(err as Error).message})`);

  async function* allRows(): AsyncGenerator<SourceRow> {
    let sheetNo = 0;
    for await (const worksheet of reader as AsyncIterable<any>) {
      sheetNo++;
      const wanted =
        options.sheet === undefined ? sheetNo === 1 : typeof options.sheet === 'number' ? sheetNo === options.sheet : worksheet.name === options.sheet;
      if (!wanted) {
        for await (const _row of worksheet) void _row; // a stream reader must drain skipped sheets
        continue;
      }
      for await (const row of worksheet as AsyncIterable<any>) {
        const raw: unknown[] = row.values ?? [];
        const values: string[] = [];
        let chars = 0;
        for (let i = 1; i < raw.length; i++) {
          const text = excelCellText(raw[i]);
          chars += text.length;
          values.push(text);
        }
        if (chars > maxRowChars) {
          throw refuseFile(name, 'row_too_long', `рядок ${row.number} довший за ${maxRowChars} символів`, `row ${row.number} is longer than ${maxRowChars} characters`, {
            row: row.number,
          });
        }
        yield { rowNo: row.number as number, values };
      }
      return;
    }
  }

  const iterator = allRows();
  let first: IteratorResult<SourceRow>;
  try {
    // Skip blank rows above the header.
    do first = await iterator.next();
    while (!first.done && first.value.values.every((v) => v.trim() === ''));
  } catch (err) {
    throw translate(err);
  }
  if (first.done) throw refuseFile(name, 'empty', 'на аркуші немає рядків', 'the worksheet has no rows');
  const headers = first.value.values.map((h) => h.trim());
  return {
    format: 'xlsx',
    headers,
    async *rows() {
      try {
        for (;;) {
          const next = await iterator.next();
          if (next.done) return;
          if (next.value.values.every((v) => v.trim() === '')) continue;
          yield next.value;
        }
      } catch (err) {
        throw translate(err);
      }
    },
    async close() {
      await iterator.return?.(undefined);
    },
  };
}

// ---------------------------------------------------------------- DBF

function dbfValueText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'string') return value.trim();
  return String(value);
}

async function openDbf(filePath: string, name: string, head: Buffer, options: ReadOptions): Promise<TableReader> {
  if (!looksLikeDbfHeader(head)) {
    throw refuseFile(name, 'not_dbf', 'це не файл DBF (dBase / FoxPro)', 'it is not a DBF (dBase / FoxPro) file');
  }
  const headerLength = head[8] | (head[9] << 8);
  const recordLength = head[10] | (head[11] << 8);
  const maxRowChars = options.maxRowChars ?? DEFAULT_MAX_ROW_CHARS;
  if (recordLength > maxRowChars) {
    throw refuseFile(name, 'row_too_long', `запис DBF довший за ${maxRowChars} байт`, `a DBF record is longer than ${maxRowChars} bytes`);
  }
  // The code-page byte is usually 0, so the encoding is read from the letters themselves.
  const encoding = options.encoding ?? detectDbfEncoding(readSample(filePath, SAMPLE_BYTES, headerLength));
  let dbf: DBFFile;
  try {
    dbf = await DBFFile.open(filePath, { encoding, readMode: 'loose' });
  } catch (err) {
    throw refuseFile(name, 'unreadable', `не вдалося прочитати DBF (${(err as Error).message})`, `the DBF cannot be read (${(err as Error).message})`);
  }
  const headers = dbf.fields.map((f) => f.name);
  return {
    format: 'dbf',
    encoding,
    headers,
    async *rows() {
      let rowNo = 1; // records are numbered from 2 so that «row» means the same in every format
      try {
        for (;;) {
          const batch = await dbf.readRecords(1000);
          if (batch.length === 0) return;
          for (const record of batch) {
            rowNo++;
            yield { rowNo, values: headers.map((h) => dbfValueText(record[h])) };
          }
        }
      } catch (err) {
        throw refuseFile(name, 'unreadable', `не вдалося прочитати DBF (${(err as Error).message})`, `the DBF cannot be read (${(err as Error).message})`, {
          row: rowNo,
        });
      }
    },
    async close() {},
  };
}
