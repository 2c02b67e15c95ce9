import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import iconv from 'iconv-lite';
import ExcelJS from 'exceljs';
import { DBFFile } from 'dbffile';
import { afterAll, describe, expect, it } from 'vitest';
import { detectDelimiter, openTable, type ReadOptions } from './readers';
import { decodeBytes, detectDbfEncoding, detectTextEncoding } from './encoding';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hromada-readers-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const file = (name: string, content: Buffer | string) => {
  const p = path.join(dir, name);
  fs.writeFileSync(p, content);
  return p;
};

async function readAll(p: string, options?: ReadOptions) {
  const reader = await openTable(p, options);
  const rows = [];
  for await (const row of reader.rows()) rows.push(row);
  await reader.close();
  return { reader, rows };
}

describe('cp1125 (Ukrainian DOS) table', () => {
  it('holds every Ukrainian letter at the code points of the definition', () => {
    // IBM cp1125: F0 Ё, F1 ё, F2 Ґ, F3 ґ, F4 Є, F5 є, F6 І, F7 і, F8 Ї, F9 ї; А at 80, а at A0, р at E0.
    const bytes = Uint8Array.from([0xf0, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8, 0xf9, 0x80, 0x9f, 0xa0, 0xaf, 0xe0, 0xef]);
    expect(decodeBytes(bytes, 'cp1125')).toBe('ЁёҐґЄєІіЇїАЯапря');
    // cp866 differs exactly there: no І/і or Ґ/ґ.
    expect(decodeBytes(Uint8Array.from([0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7]), 'cp866')).toBe('ЄєЇїЎў');
  });

  it('round-trips all of the Ukrainian alphabet', () => {
    const abc = 'АБВГҐДЕЄЖЗИІЇЙКЛМНОПРСТУФХЦЧШЩЬЮЯабвгґдеєжзиіїйклмнопрстуфхцчшщьюя';
    expect(decodeBytes(iconv.encode(abc, 'cp1125'), 'cp1125')).toBe(abc);
  });
});

describe('encoding and delimiter detection', () => {
  it('tells UTF-8 from Windows-1251', () => {
    expect(detectTextEncoding(Buffer.from('Вулиця Соборна', 'utf8'))).toBe('utf-8');
    expect(detectTextEncoding(iconv.encode('Вулиця Соборна', 'win1251'))).toBe('windows-1251');
  });
  it('tells the DBF code pages apart by their letters', () => {
    expect(detectDbfEncoding(iconv.encode('Шевченко Іван Їжакевич', 'win1251'))).toBe('windows-1251');
    expect(detectDbfEncoding(iconv.encode('Шевченко Іван Їжакевич', 'cp1125'))).toBe('cp1125');
    expect(detectDbfEncoding(iconv.encode('Шевченко Петро Євгенович', 'cp866'))).toBe('cp866');
  });
  it('picks the delimiter that splits lines consistently', () => {
    expect(detectDelimiter('a;b;c\n1;2,5;3\n')).toBe(';');
    expect(detectDelimiter('a,b,c\n1,"2;5",3\n')).toBe(',');
    expect(detectDelimiter('a\tb\n1\t2\n')).toBe('\t');
  });
});

describe('openTable', () => {
  it('reads a Windows-1251 CSV with semicolons and quoted fields', async () => {
    const text = 'РАХУНОК;АДРЕСА;САЛЬДО\r\n001;"вул. Соборна, буд. 12, кв. 5";1 234,50\r\n\r\n002;просп. Коцюбинського 3;0\r\n';
    const p = file('accounts.csv', iconv.encode(text, 'win1251'));
    const { reader, rows } = await readAll(p);
    expect(reader).toMatchObject({ format: 'csv', encoding: 'windows-1251', delimiter: ';' });
    expect(reader.headers).toEqual(['РАХУНОК', 'АДРЕСА', 'САЛЬДО']);
    expect(rows).toEqual([
      { rowNo: 2, values: ['001', 'вул. Соборна, буд. 12, кв. 5', '1 234,50'] },
      { rowNo: 3, values: ['002', 'просп. Коцюбинського 3', '0'] },
    ]);
  });

  it('reads UTF-8 with a byte-order mark and commas', async () => {
    const p = file('bom.csv', '\uFEFFaccount,address\n7,"Хмельницьке шосе, 1"\n');
    const { reader, rows } = await readAll(p);
    expect(reader.encoding).toBe('utf-8');
    expect(reader.headers).toEqual(['account', 'address']);
    expect(rows[0].values).toEqual(['7', 'Хмельницьке шосе, 1']);
  });

  it('reads XLSX written by a spreadsheet program', async () => {
    const p = path.join(dir, 'sheet.xlsx');
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Рахунки');
    ws.addRow(['Рахунок', 'Адреса', 'Сальдо', 'Дата']);
    ws.addRow(['A-1', 'вул. Пирогова 5/2, кв. 15', 1234.5, new Date(Date.UTC(2026, 10, 1))]);
    ws.addRow([]);
    ws.addRow([42, { richText: [{ text: 'Соборна ' }, { text: '1' }] }, { formula: '1+1', result: 2 }, null]);
    await wb.xlsx.writeFile(p);
    const { reader, rows } = await readAll(p);
    expect(reader.format).toBe('xlsx');
    expect(reader.headers).toEqual(['Рахунок', 'Адреса', 'Сальдо', 'Дата']);
    expect(rows).toEqual([
      { rowNo: 2, values: ['A-1', 'вул. Пирогова 5/2, кв. 15', '1234.5', '2026-11-01'] },
      { rowNo: 4, values: ['42', 'Соборна 1', '2'] },
    ]);
  });

  it('reads the same XLSX the same way every time (ExcelJS alone lost its workbook part about once in 200 reads)', async () => {
    const p = path.join(dir, 'again.xlsx');
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Абоненти');
    ws.addRow(['Рахунок', 'Вулиця', 'Платник']);
    ws.addRow(['X1', 'вул. Соборна', 'Іваненко']);
    await wb.xlsx.writeFile(p); // ExcelJS stores xl/workbook.xml after the sheets, as the failing reads had it
    const readOnce = () =>
      readAll(p).then(
        ({ reader, rows }) => [...reader.headers, ...rows.flatMap((r) => r.values)].join('|'),
        (err: Error) => err.message,
      );
    const reads: string[] = [];
    // Four at a time: the lost part showed between reads that overlap a little, not in a crowd.
    for (let i = 0; i < 400; i += 4) reads.push(...(await Promise.all([readOnce(), readOnce(), readOnce(), readOnce()])));
    expect(new Set(reads)).toEqual(new Set(['Рахунок|Вулиця|Платник|X1|вул. Соборна|Іваненко']));
  });

  it('picks a sheet of several by its name or its number', async () => {
    const p = path.join(dir, 'sheets.xlsx');
    const wb = new ExcelJS.Workbook();
    for (const name of ['Зміст', 'Абоненти', 'Лічильники']) wb.addWorksheet(name).addRow([`Аркуш ${name}`]);
    await wb.xlsx.writeFile(p);
    expect((await readAll(p)).reader.headers).toEqual(['Аркуш Зміст']);
    expect((await readAll(p, { sheet: 3 })).reader.headers).toEqual(['Аркуш Лічильники']);
    expect((await readAll(p, { sheet: 'Абоненти' })).reader.headers).toEqual(['Аркуш Абоненти']);
  });

  for (const encoding of ['cp866', 'cp1125', 'windows-1251'] as const) {
    it(`reads a ${encoding} DBF, detecting the code page`, async () => {
      const p = path.join(dir, `people-${encoding}.dbf`);
      const dbf = await DBFFile.create(
        p,
        [
          { name: 'OWN_NUM', type: 'C', size: 10 },
          { name: 'SUR_NAM', type: 'C', size: 30 },
          { name: 'DEBT', type: 'N', size: 10, decimalPlaces: 2 },
        ],
        { encoding },
      );
      // cp866 has no І/і: such files write Latin i instead (docs/domain.md).
      const surname = encoding === 'cp866' ? 'Шевченко Євгенiя' : 'Шевченко Ївга Іванівна';
      await dbf.appendRecords([
        { OWN_NUM: '100', SUR_NAM: surname, DEBT: 12.5 },
        { OWN_NUM: '101', SUR_NAM: 'Петренко', DEBT: 0 },
      ]);
      const { reader, rows } = await readAll(p);
      expect(reader.format).toBe('dbf');
      expect(reader.encoding).toBe(encoding);
      expect(reader.headers).toEqual(['OWN_NUM', 'SUR_NAM', 'DEBT']);
      expect(rows).toEqual([
        { rowNo: 2, values: ['100', surname, '12.5'] },
        { rowNo: 3, values: ['101', 'Петренко', '0'] },
      ]);
    });
  }

  it('reads UTF-16 LE and BE with a byte-order mark (Excel\u2019s «Unicode text»: tab-separated, CRLF), the profile\u2019s encoding notwithstanding', async () => {
    const text = 'Адреса\tРахунок\tСума\r\nвул. Соборна, 5, кв. 3\t100200\t12,50\r\nвул. Їжакевича, 1\t100201\t0\r\n';
    const le = file('unicode-le.txt.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    const be = file('unicode-be.csv', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]));
    for (const [p, encoding] of [[le, 'utf-16le'], [be, 'utf-16be']] as const) {
      for (const options of [undefined, { encoding: 'windows-1251' as const }]) {
        const { reader, rows } = await readAll(p, options);
        expect(reader.encoding).toBe(encoding);
        expect(reader.delimiter).toBe('\t');
        expect(reader.headers).toEqual(['Адреса', 'Рахунок', 'Сума']);
        expect(rows).toEqual([
          { rowNo: 2, values: ['вул. Соборна, 5, кв. 3', '100200', '12,50'] },
          { rowNo: 3, values: ['вул. Їжакевича, 1', '100201', '0'] },
        ]);
      }
    }
    // Longer than the 64 KiB sample, so the sample is cut (at an odd byte too): every row still reads.
    const many = 'a;b\r\n' + Array.from({ length: 8000 }, (_, i) => `Соборна ${i};${i}`).join('\r\n') + '\r\n';
    const { rows } = await readAll(file('long-le.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(many, 'utf16le')])));
    expect(rows).toHaveLength(8000);
    expect(rows[7999].values).toEqual(['Соборна 7999', '7999']);
    // A byte-order mark before junk is still refused (its «characters» are no text).
    const junk = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256));
    junk[0] = 0xff;
    junk[1] = 0xfe;
    await expect(openTable(file('junk16.csv', junk))).rejects.toMatchObject({ code: 'file_encoding' });
    const nul = file('nul16.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a;b\r\n1;\0\0\0\0\r\n', 'utf16le')]));
    await expect(openTable(nul)).rejects.toMatchObject({ code: 'file_binary' });
  });

  it('refuses junk, empty files, wrong encodings and over-long rows whole', async () => {
    const junk = file('junk.csv', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)));
    await expect(openTable(junk)).rejects.toMatchObject({ code: 'file_binary', messages: { uk: expect.stringContaining('junk.csv') } });
    await expect(openTable(file('empty.csv', ''))).rejects.toMatchObject({ code: 'file_empty' });
    await expect(openTable(file('blank.csv', '\n\n'))).rejects.toMatchObject({ code: 'file_empty' });
    const cp1251 = file('cp.csv', iconv.encode('Адреса;Рахунок\nСоборна;1\n', 'win1251'));
    await expect(openTable(cp1251, { encoding: 'utf-8' })).rejects.toMatchObject({ code: 'file_encoding' });
    const long = file('long.csv', `a;b\n1;${'x'.repeat(5000)}\n`);
    await expect(readAll(long, { maxRowChars: 1000 })).rejects.toMatchObject({ code: 'file_row_too_long' });
    await expect(openTable(long, { maxFileBytes: 100 })).rejects.toMatchObject({ code: 'file_too_large' });
    await expect(openTable(file('fake.xlsx', 'not a zip'), { format: 'xlsx' })).rejects.toMatchObject({ code: 'file_not_xlsx' });
    await expect(openTable(file('fake.dbf', 'not a dbf'), { format: 'dbf' })).rejects.toMatchObject({ code: 'file_not_dbf' });
  });
});
