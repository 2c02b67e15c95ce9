import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/db';
import { signInAs, testContext, type Signed } from '../helpers/http';
import type { DatabaseHandle } from '../../src/db/index';
import { buildApp } from '../../src/server/app';
import type { AppContext } from '../../src/server/context';
import { createUser } from '../../src/auth/service';
import { IMPORT_JOB, importJob } from '../../src/onboarding/service';
import { COMMUNITY, seedRegistry, type Registry } from './onboarding-fixtures';

async function xlsx(rows: unknown[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Абоненти');
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('onboarding over HTTP: upload, progress, report, review queue', () => {
  let h: DatabaseHandle;
  let ctx: AppContext;
  let app: FastifyInstance;
  let reg: Registry;
  let operator: Signed;

  beforeAll(async () => {
    h = await createTestDatabase();
    reg = await seedRegistry(h.db);
    await createUser(h.db, { communityId: COMMUNITY, login: 'operator', password: 'operator password', role: 'operator', displayName: 'Оператор' });
    ctx = testContext(h, COMMUNITY);
    ctx.jobs.register(IMPORT_JOB, importJob(h));
    await ctx.jobs.start();
    app = await buildApp(ctx);
    operator = await signInAs(app, 'operator', 'operator password');
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await ctx?.jobs.stop();
    await h?.close();
  });

  const upload = (url: string, body: Buffer) =>
    app.inject({ method: 'POST', url, headers: { ...operator.headers, 'content-type': 'application/octet-stream' }, payload: body });

  async function waitForImport(importId: number) {
    for (let i = 0; i < 120; i++) {
      const res = await app.inject({ method: 'GET', url: `/api/imports/${importId}`, headers: operator.headers });
      const body = res.json();
      if (['applied', 'failed', 'unchanged'].includes(body.status) || (body.dryRun && body.status === 'staged')) return body;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error('import did not finish');
  }

  const sheet = () =>
    xlsx([
      ['Рахунок', 'Вулиця', 'Будинок', 'Кв', 'Платник', 'Борг'],
      ['X1', 'вул. Соборна', '12', '1', 'Іваненко', 100.5],
      ['X2', 'Мира', '1', '2', 'Петренко', 0],
      ['X3', 'вул. Соборна', '12', '25', 'Коваль', 10],
      ['=HYPERLINK("http://evil")', 'вул. Соборна', '12', '3', '@SUM(A1)', 0],
    ]);

  it('previews a file and suggests the mapping, then saves a profile', async () => {
    const res = await upload('/api/imports/preview?kind=accounts&fileName=abonenty.xlsx', await sheet());
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.format).toBe('xlsx');
    expect(body.headers).toEqual(['Рахунок', 'Вулиця', 'Будинок', 'Кв', 'Платник', 'Борг']);
    expect(body.rows[0]).toEqual(['X1', 'вул. Соборна', '12', '1', 'Іваненко', '100.5']);
    expect(body.suggested).toMatchObject({ account: 'Рахунок', street: 'Вулиця', house: 'Будинок', apartment: 'Кв', payer: 'Платник', opening_balance: 'Борг' });
    const saved = await app.inject({
      method: 'POST',
      url: '/api/import-profiles',
      headers: operator.headers,
      payload: { name: 'Водоканал: абоненти', providerId: reg.providerId, settings: { kind: 'accounts', columns: body.suggested, decimalSeparator: '.', defaultService: 'water' } },
    });
    expect(saved.statusCode).toBe(200);
    expect(saved.json()).toMatchObject({ name: 'Водоканал: абоненти', kind: 'accounts' });
  });

  it('refuses a file that is not what it claims, naming it', async () => {
    const res = await upload(`/api/imports/preview?kind=accounts&fileName=fake.xlsx&format=xlsx`, Buffer.from('this is no spreadsheet'));
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ code: 'file_not_xlsx', message_uk: expect.stringContaining('fake.xlsx') });
  });

  it('previews a UTF-16 CSV as Excel\u2019s «Unicode text» writes it (LE and BE, with the byte-order mark)', async () => {
    const text = 'Рахунок\tВулиця\tБудинок\tКв\tПлатник\tБорг\r\nX1\tвул. Соборна\t12\t1\tІваненко\t100,5\r\n';
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const be = Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]);
    for (const [body, encoding] of [[le, 'utf-16le'], [be, 'utf-16be']] as const) {
      const res = await upload('/api/imports/preview?kind=accounts&fileName=unicode.csv', body);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ format: 'csv', encoding, headers: ['Рахунок', 'Вулиця', 'Будинок', 'Кв', 'Платник', 'Борг'] });
      expect(res.json().rows[0]).toEqual(['X1', 'вул. Соборна', '12', '1', 'Іваненко', '100,5']);
    }
    // An empty delimiter means "find it" (the fuzz found it answering 500).
    const found = await upload('/api/imports/preview?kind=accounts&fileName=semi.csv&delimiter=', Buffer.from('a;b\n1;2\n'));
    expect(found.statusCode).toBe(200);
    expect(found.json()).toMatchObject({ delimiter: ';', headers: ['a', 'b'] });
  });

  let importId: number;
  it('imports through a job, with counters, and reports every row (formulas defused)', async () => {
    const res = await upload(`/api/imports?kind=accounts&providerId=${reg.providerId}&fileName=abonenty.xlsx&profile=${encodeURIComponent('Водоканал: абоненти')}`, await sheet());
    expect(res.statusCode).toBe(202);
    importId = res.json().importId;
    const done = await waitForImport(importId);
    expect(done).toMatchObject({ status: 'applied', error: null, format: 'xlsx', counters: { rows: 4, matched: 2, review: 1, new: 1, accountsCreated: 2 } });

    const csv = await app.inject({ method: 'GET', url: `/api/imports/${importId}/report.csv`, headers: operator.headers });
    expect(csv.statusCode).toBe(200);
    const lines = csv.body.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines).toHaveLength(5);
    expect(lines[4]).toContain(`'=HYPERLINK`);
    expect(lines[2]).toMatch(/^3;/);
    const x = await app.inject({ method: 'GET', url: `/api/imports/${importId}/report.xlsx?status=review,new`, headers: operator.headers });
    expect(x.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.rawPayload as unknown as ArrayBuffer);
    const rows = wb.worksheets[0].getSheetValues().filter(Boolean) as unknown[][];
    expect(rows).toHaveLength(3); // header + the review row + the new row
  });

  it('shows the queue with the raw row and candidates; accepting is remembered for the next import', async () => {
    const queue = await app.inject({ method: 'GET', url: `/api/imports/${importId}/queue`, headers: operator.headers });
    const items = queue.json().items;
    expect(items.map((i: { rowNo: number; status: string }) => [i.rowNo, i.status])).toEqual([
      [3, 'review'],
      [4, 'new'],
    ]);
    expect(items[0]).toMatchObject({ accountNumber: 'X2', addressRaw: 'Мира, буд. 1, кв. 2', data: { payer: 'Петренко' } });
    // What the page shows of the row: each field by its label, money in hryvnias (never kopecks or JSON).
    expect(items[0].fields).toEqual(expect.arrayContaining([{ field: 'payer', uk: 'Платник (ПІБ)', en: 'Payer', value: 'Петренко' }]));
    const newRow = items[1].fields.find((f: { field: string }) => f.field === 'opening_balance');
    expect(newRow).toMatchObject({ uk: 'Вхідне сальдо', en: 'Opening balance' });
    expect(newRow.value.replace(/\s/g, ' ')).toBe('10,00 грн');
    expect(items[0].candidates[0]).toMatchObject({ premiseId: reg.premise('вулиця', 'Миру', '1', 2), address: 'вул. Миру, буд. 1, кв. 2' });

    const accepted = await app.inject({ method: 'POST', url: `/api/imports/${importId}/queue/accept`, headers: operator.headers, payload: { rows: [{ rowNo: 3 }] } });
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json()).toMatchObject({ accepted: 1, accountsCreated: 1 });

    const created = await app.inject({ method: 'POST', url: `/api/imports/${importId}/queue/create`, headers: operator.headers, payload: { rowNos: [4] } });
    expect(created.json()).toMatchObject({ created: 1, accepted: 1, accountsCreated: 1 });
    const apt25 = await sql<{ n: number }>`select count(*)::int as n from premise where apartment_key = '25'`.execute(h.db);
    expect(apt25.rows[0].n).toBe(1);
    const after = await app.inject({ method: 'GET', url: `/api/imports/${importId}/queue`, headers: operator.headers });
    expect(after.json().items).toEqual([]);

    // The next file spells the street the same way: it now matches exactly, with no one asked.
    const next = await xlsx([
      ['Рахунок', 'Вулиця', 'Будинок', 'Кв', 'Платник', 'Борг'],
      ['X2', 'Мира', '1', '2', 'Петренко', 0],
      ['X9', 'Мира', '1', '9', 'Сидоренко', 0],
    ]);
    const res = await upload(`/api/imports?kind=accounts&providerId=${reg.providerId}&fileName=next.xlsx&profile=${encodeURIComponent('Водоканал: абоненти')}&dryRun=true`, next);
    const dry = await waitForImport(res.json().importId);
    expect(dry.counters).toMatchObject({ rows: 2, matched: 2 });
  });

  it('lists imports newest first for staff and refuses residents', async () => {
    const list = await app.inject({ method: 'GET', url: '/api/imports', headers: operator.headers });
    expect(list.json().items[0]).toMatchObject({ fileName: 'next.xlsx', dryRun: true });
    const anonymous = await app.inject({ method: 'GET', url: '/api/imports' });
    expect(anonymous.statusCode).toBe(401);
  });
});
