import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import iconv from 'iconv-lite';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/db';
import type { DatabaseHandle } from '../../src/db/index';
import type { JobQueue } from '../../src/jobs/queue';
import { writeReportCsv } from '../../src/onboarding/report-file';
import { COMMUNITY, importQueue, runImport, seedRegistry, type Registry } from './onboarding-fixtures';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hromada-onboarding-'));

/**
 * The labelled set: how providers really spell addresses, and the premise each one means — or
 * null where no machine may decide (the premise does not exist, or two streets fit equally).
 */
function labelled(r: Registry): Array<{ address: string; expected: number | null; why: string }> {
  const sob = (house: string, apt: number) => r.premise('вулиця', 'Соборна', house, apt);
  const zam = (house: string, apt: number | '') => r.premise('вулиця', 'Замостянська', house, apt);
  return [
    { address: 'вул. Соборна, буд. 12, кв. 5', expected: sob('12', 5), why: 'canonical' },
    { address: 'Соборна 12 кв 6', expected: sob('12', 6), why: 'no street type' },
    { address: 'вул.Соборна,12,кв.7', expected: sob('12', 7), why: 'no spaces' },
    { address: 'ВУЛ. СОБОРНА, БУД.12, КВ.8', expected: sob('12', 8), why: 'upper case' },
    { address: 'вул. Саборна, буд. 12, кв. 9', expected: sob('12', 9), why: 'typo' },
    { address: 'вул. Леніна 12, кв. 10', expected: sob('12', 10), why: 'former name' },
    { address: 'вул. Cобoрна 12 кв. 11', expected: sob('12', 11), why: 'Latin look-alike letters' },
    { address: 'Соборна вул., буд. 12-А, кв. 5', expected: sob('12а', 5), why: 'house letter with a hyphen' },
    { address: 'вул. Соборна, буд. 14а, кв. 1', expected: null, why: '14а does not exist; 14 must not match' },
    { address: 'вул. Соборна, буд. 12, кв. 25', expected: null, why: 'apartment 25 does not exist' },
    { address: 'вул. Соборна, буд. 12, кв. 15', expected: sob('12', 15), why: 'apartment 15 is not 5' },
    { address: 'просп. Коцюбинського, 3, кв. 1', expected: r.premise('проспект', 'Коцюбинського', '3', 1), why: 'просп.' },
    { address: 'пр-т Коцюбинского 5 кв 2', expected: r.premise('проспект', 'Коцюбинського', '5', 2), why: 'Russian spelling' },
    { address: 'вул. Пирогова, буд. 5/2, кв. 15', expected: r.premise('вулиця', 'Пирогова', '5/2', 15), why: 'house with a slash' },
    { address: 'Kyivska 7, kv. 1', expected: r.premise('вулиця', 'Київська', '7', 1), why: 'Latin transliteration' },
    { address: 'пров. Київський, 9, кв. 3', expected: r.premise('провулок', 'Київський', '9', 3), why: 'lane' },
    { address: 'вул. Київська, 9, кв. 3', expected: null, why: 'house 9 is on the lane, not on the street' },
    { address: 'Київськ 9 кв 3', expected: null, why: 'truncated ending: street or lane?' },
    { address: 'Шевченка 4 кв 2', expected: null, why: 'вулиця and провулок Шевченка both fit' },
    { address: 'вул. Шевченка, 4, кв. 2', expected: r.premise('вулиця', 'Шевченка', '4', 2), why: 'type decides' },
    { address: 'вул. Невідома, 1, кв. 1', expected: null, why: 'unknown street' },
    { address: 'вул. Мира 1 кв 1', expected: null, why: 'short name, its ending changed: a grammatical form, too unsure' },
    { address: 'вул. Мару 1 кв 2', expected: r.premise('вулиця', 'Миру', '1', 2), why: 'short name, one letter substituted' },
    { address: 'вул. Мриу 1 кв 3', expected: r.premise('вулиця', 'Миру', '1', 3), why: 'short name, two letters transposed' },
    { address: 'вулСоборна 12 кв 12', expected: sob('12', 12), why: 'type glued to the name' },
    { address: 'просп.Коцюбинського 3 кв 4', expected: r.premise('проспект', 'Коцюбинського', '3', 4), why: 'type glued with a dot' },
    { address: 'СОБОРНА,12/7', expected: sob('12', 7), why: '12/7: no house 12/7, so flat 7 of house 12' },
    { address: 'Замостянська 2-7', expected: zam('2', 7), why: '2-7: no house 2/7, so flat 7 of house 2' },
    { address: 'Замостянська 3/4', expected: zam('3/4', ''), why: '3/4: the private house, there is no house 3' },
    { address: 'Замостянська 1-5', expected: null, why: '1-5: house 1/5 and flat 5 of house 1 both exist' },
    { address: 'Замостянська 4/1', expected: null, why: 'neither reading exists' },
    { address: 'вул. Замостянська, кв. 3', expected: null, why: 'a flat with no house: incomplete' },
  ];
}

const zamostianska = (r: Registry, house: string, apt: number | '') => r.premise('вулиця', 'Замостянська', house, apt);

function accountsCsv(rows: Array<{ account: string; address: string; payer: string; balance: string; service?: string }>) {
  const lines = ['ОС_РАХУНОК;АДРЕСА;ПІБ;ПОСЛУГА;САЛЬДО'];
  for (const r of rows) lines.push([r.account, `"${r.address}"`, r.payer, r.service ?? 'Вода', r.balance].join(';'));
  return iconv.encode(lines.join('\r\n') + '\r\n', 'win1251');
}

const PROFILE = {
  kind: 'accounts' as const,
  columns: { account: 'ОС_РАХУНОК', address: 'АДРЕСА', payer: 'ПІБ', service: 'ПОСЛУГА', opening_balance: 'САЛЬДО' },
  services: { Вода: 'water', Стоки: 'sewerage' },
  openingPeriod: '2026-10',
};

describe('accounts import with address matching', () => {
  let h: DatabaseHandle;
  let queue: JobQueue;
  let reg: Registry;

  beforeAll(async () => {
    h = await createTestDatabase();
    reg = await seedRegistry(h.db);
    queue = importQueue(h);
  });
  afterAll(async () => {
    await h?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const write = (name: string, content: Buffer) => {
    const p = path.join(dir, name);
    fs.writeFileSync(p, content);
    return p;
  };

  it('dry run on the labelled messy set: no false match, most rows matched, nothing changed', async () => {
    const set = labelled(reg);
    const file = write('messy.csv', accountsCsv(set.map((s, i) => ({ account: `A${i + 1}`, address: s.address, payer: 'Петренко П. П.', balance: '100,00' }))));
    const summary = await runImport(h, queue, { providerId: reg.providerId, kind: 'accounts', filePath: file, settings: PROFILE, dryRun: true });
    expect(summary.dryRun).toBe(true);
    const rows = await h.db.selectFrom('import_match').selectAll().where('import_id', '=', summary.importId).orderBy('row_no').execute();
    expect(rows).toHaveLength(set.length);
    if (process.env.PEEK) console.log(rows.map((r, i) => `${set[i].address} => ${r.status} ${r.premise_id} ${set[i].expected} ${r.confidence} ${r.method} ${r.reason_uk ?? ""} ${JSON.stringify(r.candidates)}`).join("\n"));
    const wrong: string[] = [];
    let matched = 0;
    rows.forEach((row, i) => {
      const { expected, address, why } = set[i];
      if (row.status === 'matched') {
        if (row.premise_id !== expected) wrong.push(`${address} (${why}) → premise ${row.premise_id}, expected ${expected}`);
        else matched++;
      }
    });
    expect(wrong).toEqual([]);
    const matchable = set.filter((s) => s.expected !== null).length;
    expect(matched / matchable).toBeGreaterThanOrEqual(0.9);
    // Nothing changed: no account, no ledger entry, no alias.
    expect(await h.db.selectFrom('account').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow()).toEqual({ n: 0 });
    expect(await h.db.selectFrom('ledger_entry').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow()).toEqual({ n: 0 });

    // The report: one line per input row, with status and reason.
    const report = path.join(dir, 'report.csv');
    expect(await writeReportCsv(h.db, { communityId: COMMUNITY, importId: summary.importId }, report)).toBe(set.length);
    const lines = fs.readFileSync(report, 'utf8').trim().split('\r\n');
    expect(lines).toHaveLength(set.length + 1);
    const shevchenko = lines.find((l) => l.startsWith(`${set.findIndex((s) => s.address === 'Шевченка 4 кв 2') + 2};`))!;
    expect(shevchenko).toMatch(/;review;кілька вулиць/);
    const flat25 = lines.find((l) => l.includes('кв. 25'))!;
    expect(flat25).toMatch(/;new;квартири 25/);
    const line = (address: string) => lines[set.findIndex((s) => s.address === address) + 1];
    expect(line('Замостянська 1-5')).toMatch(/;review;у реєстрі є обидва прочитання: будинок 1\/5 і квартира 5 будинку 1/);
    expect(line('вул. Замостянська, кв. 3')).toMatch(/;review;"?адреса неповна/);
    const both = rows[set.findIndex((s) => s.address === 'Замостянська 1-5')];
    expect((both.candidates as Array<{ premiseId: number }>).map((c) => c.premiseId).sort()).toEqual([zamostianska(reg, '1/5', ''), zamostianska(reg, '1', 5)].sort());
  });

  const clean = (balances: string[], payers: string[]) =>
    accountsCsv([
      { account: '1001', address: 'вул. Соборна, буд. 12, кв. 1', payer: payers[0], balance: balances[0] },
      { account: '1002', address: 'Соборна 12 кв 2', payer: payers[1], balance: balances[1] },
      { account: '1002', address: 'Соборна 12 кв 2', payer: payers[1], balance: '10,00', service: 'Стоки' },
      { account: '1003', address: 'вул. Леніна, 12, кв. 3', payer: payers[2], balance: balances[2] },
      { account: '1004', address: 'вул. Невідома, 1, кв. 1', payer: 'Хтось', balance: '0' },
      { account: '1005', address: 'вул. Соборна, буд. 12, кв. 4', payer: 'Бондар', balance: '12,3,4' },
      { account: '1006', address: 'вул. Соборна, буд. 12, кв. 6', payer: 'Бондар', balance: '1,00', service: 'Газ' },
      { account: '1001', address: 'вул. Соборна, буд. 12, кв. 1', payer: 'Двійник', balance: '1,00' },
    ]);

  const count = async (table: 'account' | 'ledger_entry' | 'account_report') =>
    (await h.db.selectFrom(table).select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow()).n;

  it('imports accounts, reports bad rows by row, column, value and reason, and the good rows land', async () => {
    const file = write('accounts-v1.csv', clean(['1 234,50', '-50,00', '0,00'], ['Петренко Петро', 'Коваль Ольга', 'Мельник Іван']));
    const summary = await runImport(h, queue, { providerId: reg.providerId, kind: 'accounts', filePath: file, settings: PROFILE });
    // Some rows failed: applied, and the status says so.
    expect(summary.status).toBe('partial');
    expect(summary.counters).toMatchObject({ rows: 8, matched: 4, review: 1, error: 3, accountsCreated: 4, reportsChanged: 4 });
    // Opening balances: 1 234,50 and −50,00 and 10,00; a zero balance posts nothing.
    const ledger = await h.db.selectFrom('ledger_entry').select(['amount', 'kind', 'period', 'source']).orderBy('amount').execute();
    expect(ledger).toEqual([
      { amount: -5000, kind: 'opening_balance', period: '2026-10-01', source: 'import' },
      { amount: 1000, kind: 'opening_balance', period: '2026-10-01', source: 'import' },
      { amount: 123450, kind: 'opening_balance', period: '2026-10-01', source: 'import' },
    ]);
    const errors = await h.db
      .selectFrom('import_match')
      .select(['row_no', 'errors'])
      .where('import_id', '=', summary.importId)
      .where('status', '=', 'error')
      .orderBy('row_no')
      .execute();
    expect(errors).toEqual([
      { row_no: 7, errors: [expect.objectContaining({ column: 'САЛЬДО', value: '12,3,4', uk: expect.any(String), en: expect.stringContaining('hryvnias') })] },
      { row_no: 8, errors: [expect.objectContaining({ column: 'ПОСЛУГА', value: 'Газ', en: 'unknown service: Газ' })] },
      { row_no: 9, errors: [expect.objectContaining({ column: 'ОС_РАХУНОК', value: '1001', en: 'the account is repeated (first in row 2)' })] },
    ]);
    const acc = await h.db.selectFrom('account').select(['number', 'premise_id']).where('number', '=', '1003').executeTakeFirstOrThrow();
    expect(acc.premise_id).toBe(reg.premise('вулиця', 'Соборна', '12', 3));
  });

  it('the same file twice changes nothing and says so', async () => {
    const before = { accounts: await count('account'), ledger: await count('ledger_entry') };
    const file = write('accounts-v1-again.csv', clean(['1 234,50', '-50,00', '0,00'], ['Петренко Петро', 'Коваль Ольга', 'Мельник Іван']));
    const summary = await runImport(h, queue, { providerId: reg.providerId, kind: 'accounts', filePath: file, settings: PROFILE });
    expect(summary.status).toBe('unchanged');
    expect(summary.message.en).toMatch(/already imported.*nothing changed/);
    expect({ accounts: await count('account'), ledger: await count('ledger_entry') }).toEqual(before);
  });

  it('a corrected file changes only the rows that differ', async () => {
    const ledgerBefore = await count('ledger_entry');
    const file = write('accounts-v2.csv', clean(['1 234,50', '-40,00', '0,00'], ['Петренко Петро', 'Коваль Ольга', 'Мельник Іван Петрович']));
    const summary = await runImport(h, queue, { providerId: reg.providerId, kind: 'accounts', filePath: file, settings: PROFILE });
    expect(summary.status).toBe('partial');
    expect(summary.counters).toMatchObject({ accountsCreated: 0, accountsMoved: 0, reportsChanged: 1, ledgerEntries: 1 });
    expect(await count('account')).toBe(4);
    // −50,00 became −40,00: the ledger gets the difference, as a new entry.
    const added = await h.db.selectFrom('ledger_entry').select(['amount', 'import_id']).orderBy('entry_id', 'desc').limit(1).executeTakeFirstOrThrow();
    expect(added).toEqual({ amount: 1000, import_id: summary.importId });
    expect(await count('ledger_entry')).toBe(ledgerBefore + 1);
    const payer = await h.db
      .selectFrom('account_report as r')
      .innerJoin('account as a', 'a.account_id', 'r.account_id')
      .select('r.payer')
      .where('a.number', '=', '1003')
      .executeTakeFirstOrThrow();
    expect(payer.payer).toBe('Мельник Іван Петрович');
  });

  it('a corrected file for a later month posts only what changed, not the balances again', async () => {
    const ledgerBefore = await count('ledger_entry');
    const file = write('accounts-v3.csv', clean(['1 234,50', '-30,00', '0,00'], ['Петренко Петро', 'Коваль Ольга', 'Мельник Іван Петрович']));
    const summary = await runImport(h, queue, { providerId: reg.providerId, kind: 'accounts', filePath: file, settings: { ...PROFILE, openingPeriod: '2026-11' } });
    expect(summary.counters).toMatchObject({ ledgerEntries: 1 });
    // −40,00 became −30,00: +10,00 in November; the other balances stand as posted in October.
    const added = await h.db.selectFrom('ledger_entry').select(['amount', 'period']).orderBy('entry_id', 'desc').limit(1).executeTakeFirstOrThrow();
    expect(added).toEqual({ amount: 1000, period: '2026-11-01' });
    expect(await count('ledger_entry')).toBe(ledgerBefore + 1);
  });

  it('opening balances into a closed month are refused whole, with the reason', async () => {
    await h.db.insertInto('billing_period').values({ community_id: 1, period: '2026-12-01', status: 'closed', due_date: '2027-01-20' }).execute();
    const ledgerBefore = await count('ledger_entry');
    const file = write('accounts-v4.csv', clean(['1 000,00', '-30,00', '0,00'], ['Петренко Петро', 'Коваль Ольга', 'Мельник Іван Петрович']));
    await expect(runImport(h, queue, { providerId: reg.providerId, kind: 'accounts', filePath: file, settings: { ...PROFILE, openingPeriod: '2026-12' } })).rejects.toMatchObject({
      code: 'period_closed',
      details: { field: 'openingPeriod' },
    });
    expect(await count('ledger_entry')).toBe(ledgerBefore);
  });
  it('names the service by code or by its name in either language, any case, any apostrophe', async () => {
    const file = write('accounts-names.csv', accountsCsv([
      { account: '2001', address: 'вул. Соборна, буд. 12, кв. 11', payer: 'Гнатюк', balance: '0', service: 'ВОДОВІДВЕДЕННЯ' },
      { account: '2002', address: 'вул. Соборна, буд. 12, кв. 12', payer: 'Гнатюк', balance: '0', service: 'sewerage' },
      { account: '2003', address: 'вул. Соборна, буд. 12, кв. 13', payer: 'Гнатюк', balance: '0', service: 'Water' },
      { account: '2004', address: 'вул. Соборна, буд. 12, кв. 14', payer: 'Гнатюк', balance: '0', service: 'водопостачання' },
    ]));
    const summary = await runImport(h, queue, { providerId: reg.providerId, kind: 'accounts', filePath: file, settings: { ...PROFILE, services: {} } });
    expect(summary).toMatchObject({ status: 'applied', counters: { rows: 4, matched: 4, error: 0, accountsCreated: 4 } });
    const made = await h.db.selectFrom('account as a').innerJoin('service as s', 's.service_id', 'a.service_id').select(['a.number', 's.code']).where('a.number', 'like', '200%').orderBy('a.number').execute();
    expect(made.map((r) => r.code)).toEqual(['sewerage', 'sewerage', 'water', 'water']);
  });

  it('an import in which every row failed is failed, with the reason, and changes nothing', async () => {
    const before = { accounts: await count('account'), ledger: await count('ledger_entry') };
    const file = write('accounts-all-bad.csv', accountsCsv([
      { account: '3001', address: 'вул. Соборна, буд. 12, кв. 16', payer: 'Ткач', balance: '12,3,4' },
      { account: '3002', address: 'вул. Соборна, буд. 12, кв. 17', payer: 'Ткач', balance: '1,00', service: 'Газ' },
    ]));
    const summary = await runImport(h, queue, { providerId: reg.providerId, kind: 'accounts', filePath: file, settings: PROFILE });
    expect(summary).toMatchObject({ status: 'failed', counters: { rows: 2, error: 2 } });
    expect(summary.message.en).toMatch(/No row was imported: all 2 rows have errors/);
    const row = await h.db.selectFrom('data_import').select(['status', 'error']).where('import_id', '=', summary.importId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'failed', error: { code: 'all_rows_failed' } });
    expect({ accounts: await count('account'), ledger: await count('ledger_entry') }).toEqual(before);
  });
});
