import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import iconv from 'iconv-lite';
import { DBFFile } from 'dbffile';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/db';
import type { DatabaseHandle } from '../../src/db/index';
import { JobQueue } from '../../src/jobs/queue';
import { createImport, IMPORT_JOB, importJob } from '../../src/onboarding/service';
import { acceptRows, listQueue, rejectRows } from '../../src/onboarding/queue';
import { COMMUNITY, importQueue, runImport, seedRegistry, type Registry } from './onboarding-fixtures';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hromada-onboarding-kinds-'));
const write = (name: string, content: Buffer | string) => {
  const p = path.join(dir, name);
  fs.writeFileSync(p, content);
  return p;
};

describe('file kinds, formats and crash safety', () => {
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

  const count = async (table: string, where = sql`true`) =>
    (await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)} where ${where}`.execute(h.db)).rows[0].n;

  it('imports the address register: creates streets, buildings and premises once, then nothing', async () => {
    const register = iconv.encode(
      [
        'ТИП;ВУЛИЦЯ;БУДИНОК;КВАРТИРА;ПЛОЩА;КІМНАТ',
        'вулиця;Зодчих;3;1;45,5;2',
        'вулиця;Зодчих;3;2;61,2;3',
        'вулиця;Зодчих;3;прим. 1;80;2', // non-residential: key 'п1', not flat 1's '1'
        'провулок;Тихий;7а;;120;5',
        'вулиця;Соборна;12;1;48,1;2', // exists: its area is filled in
        ';Безтипна;1;1;30;1', // a new street needs its type
      ].join('\r\n'),
      'win1251',
    );
    const settings = {
      kind: 'addresses' as const,
      columns: { street_type: 'ТИП', street: 'ВУЛИЦЯ', house: 'БУДИНОК', apartment: 'КВАРТИРА', total_area: 'ПЛОЩА', rooms: 'КІМНАТ' },
    };
    const first = await runImport(h, queue, { providerId: null, kind: 'addresses', filePath: write('register.csv', register), settings });
    expect(first.counters).toMatchObject({ rows: 6, error: 1, streetsCreated: 2, buildingsCreated: 2, premisesCreated: 4, premisesUpdated: 1 });
    const zodchych = await sql<{ number: string; apartment_key: string; kind: string }>`
      select p.number, p.apartment_key, p.kind from premise p join building b using (community_id, building_id)
      join street st on st.community_id = b.community_id and st.street_id = b.street_id where st.name = 'Зодчих' order by p.apartment_key`.execute(h.db);
    expect(zodchych.rows.map((p) => [p.apartment_key, p.kind])).toEqual([['1', 'residential'], ['2', 'residential'], ['п1', 'non_residential']]);
    const lane = await sql<{ house_key: string; apartment_key: string; total_area: string; number: number; letter: string }>`
      select b.house_key, p.apartment_key, p.total_area, b.number, b.letter from premise p join building b using (community_id, building_id)
      join street st on st.community_id = b.community_id and st.street_id = b.street_id where st.name = 'Тихий' and st.type = 'провулок'`.execute(h.db);
    expect(lane.rows).toEqual([{ house_key: '7а', apartment_key: '', total_area: '120.00', number: 7, letter: 'а' }]);
    const unified = await count('unified_account');
    expect(unified).toBe(await count('premise'));
    // The same register with other bytes (a trailing line) creates nothing more.
    const again = await runImport(h, queue, { providerId: null, kind: 'addresses', filePath: write('register2.csv', Buffer.concat([register, Buffer.from('\r\n')])), settings });
    expect(again.counters).toMatchObject({ streetsCreated: 0, buildingsCreated: 0, premisesCreated: 0, premisesUpdated: 0, matched: 5 });
  });

  it('the register carries former names and aliases: they feed the street aliases, once, and bad names are refused by row', async () => {
    const register = Buffer.from(
      [
        'ТИП;ВУЛИЦЯ;БУДИНОК;КВАРТИРА;КОЛИШНІ НАЗВИ;ІНШІ НАПИСАННЯ',
        'вулиця;Оборонна;5;1;"Куйбишева; Червоноармійська";Оборонная',
        'вулиця;Оборонна;5;2;Куйбишева;',
        'вулиця;Соборна;12;1;Леніна|Жовтнева;',
        'вулиця;Хлібна;2;1;Миру;', // Миру is another street's current name
        'вулиця;Зернова;2;1;Ленинаგ;', // a former name in Georgian letters
        'вулиця;;2;1;Стара;', // an empty street
      ].join('\r\n'),
    );
    const settings = {
      kind: 'addresses' as const,
      columns: { street_type: 'ТИП', street: 'ВУЛИЦЯ', house: 'БУДИНОК', apartment: 'КВАРТИРА', former_names: 'КОЛИШНІ НАЗВИ', aliases: 'ІНШІ НАПИСАННЯ' },
    };
    const first = await runImport(h, queue, { providerId: null, kind: 'addresses', filePath: write('renamed.csv', register), settings });
    expect(first.counters).toMatchObject({ rows: 6, error: 3, streetsCreated: 1 });
    const report = await h.db.selectFrom('import_match').select(['row_no', 'status', 'errors']).where('import_id', '=', first.importId).orderBy('row_no').execute();
    const reasons = report.map((r) => (r.errors as Array<{ en: string }> | null)?.map((e) => e.en).join('; ') ?? r.status);
    expect(reasons[3]).toBe('the name "миру" is the current name of another street');
    expect(reasons[4]).toContain('is not a name in Cyrillic or Latin letters');
    expect(reasons[5]).toMatch(/street/i);

    const aliasesOf = async (name: string) =>
      (
        await sql<{ alias_key: string; source: string }>`
          select a.alias_key, a.source from street_alias a join street st using (community_id, street_id) where st.name = ${name} order by 1`.execute(h.db)
      ).rows.map((r) => `${r.source}:${r.alias_key}`);
    const formerNames = async (name: string) => (await h.db.selectFrom('street').select('former_names').where('name', '=', name).executeTakeFirstOrThrow()).former_names;
    expect(await aliasesOf('Оборонна')).toEqual(expect.arrayContaining(['former:куйбишева', 'former:kuibysheva', 'former:червоноармійська', 'variant:оборонная']));
    expect(await formerNames('Оборонна')).toEqual(['Куйбишева', 'Червоноармійська']);
    expect(await formerNames('Соборна')).toEqual(['Жовтнева', 'Леніна']);
    expect(await aliasesOf('Хлібна')).toEqual([]);

    // The same register again: nothing new, no duplicates.
    const before = await count('street_alias');
    const again = await runImport(h, queue, { providerId: null, kind: 'addresses', filePath: write('renamed2.csv', Buffer.concat([register, Buffer.from('\r\n')])), settings });
    expect(again.counters).toMatchObject({ aliasesCreated: 0, streetsCreated: 0 });
    expect(await count('street_alias')).toBe(before);
    expect(await formerNames('Оборонна')).toEqual(['Куйбишева', 'Червоноармійська']);

    // A provider's file in the old names now finds the streets.
    const accounts = Buffer.from(['ОС;АДРЕСА', 'R1;"вул. Куйбишева, 5, кв. 1"', 'R2;"Жовтнева 12 кв 1"', 'R3;"Оборонная 5 кв 2"'].join('\r\n'));
    const dry = await runImport(h, queue, {
      providerId: reg.providerId,
      kind: 'accounts',
      filePath: write('old-names.csv', accounts),
      settings: { kind: 'accounts', columns: { account: 'ОС', address: 'АДРЕСА' }, defaultService: 'water' },
      dryRun: true,
    });
    expect(dry.counters).toMatchObject({ rows: 3, matched: 3 });
  });

  it('imports accounts from a cp866 DBF with street, house and apartment in separate fields', async () => {
    const file = path.join(dir, 'accounts-866.dbf');
    const dbf = await DBFFile.create(
      file,
      [
        { name: 'OWN_NUM', type: 'C', size: 12 },
        { name: 'UL', type: 'C', size: 40 },
        { name: 'DOM', type: 'C', size: 8 },
        { name: 'KV', type: 'C', size: 6 },
        { name: 'FIO', type: 'C', size: 40 },
        { name: 'DEBT', type: 'N', size: 12, decimalPlaces: 2 },
      ],
      { encoding: 'cp866' },
    );
    // cp866 has no «і»: the Latin i stands in, and matching still finds the street.
    await dbf.appendRecords([
      { OWN_NUM: 'D1', UL: 'вул. Соборна', DOM: '12', KV: '11', FIO: 'Шевченко Євгенiя', DEBT: 15.25 },
      { OWN_NUM: 'D2', UL: 'вул. Пирогова', DOM: '5/2', KV: '3', FIO: 'Бондар', DEBT: 0 },
      { OWN_NUM: 'D3', UL: 'вул. Київська', DOM: '7', KV: '4', FIO: 'Кравець', DEBT: -3.5 },
    ]);
    const summary = await runImport(h, queue, {
      providerId: reg.providerId,
      kind: 'accounts',
      filePath: file,
      settings: {
        kind: 'accounts',
        columns: { account: 'OWN_NUM', street: 'UL', house: 'DOM', apartment: 'KV', payer: 'FIO', opening_balance: 'DEBT' },
        decimalSeparator: '.',
        defaultService: 'water',
      },
    });
    expect(summary.counters).toMatchObject({ rows: 3, matched: 3, accountsCreated: 3 });
    const imp = await h.db.selectFrom('data_import').select(['format', 'encoding']).where('import_id', '=', summary.importId).executeTakeFirstOrThrow();
    expect(imp).toEqual({ format: 'dbf', encoding: 'cp866' });
    const d2 = await h.db.selectFrom('account').select('premise_id').where('number', '=', 'D2').executeTakeFirstOrThrow();
    expect(d2.premise_id).toBe(reg.premise('вулиця', 'Пирогова', '5/2', 3));
    const payer = await sql<{ payer: string }>`select r.payer from account_report r join account a using (community_id, account_id) where a.number = 'D1'`.execute(h.db);
    expect(payer.rows[0].payer).toBe('Шевченко Євгенiя');
  });

  it('posts provider charges and payments to the ledger, only differences on a corrected file', async () => {
    const charges = (amount: string, benefit: string) =>
      write(
        `charges-${amount}-${benefit}.csv`,
        `account,period,volume,tariff,amount,benefit,subsidy\nD1,10.2026,"3,5","40,00","140,00","${benefit}",\nD2,10.2026,1,"40,00","${amount}",,"20,00"\nNOPE,10.2026,1,1,"1,00",,\n`,
      );
    const settings = {
      kind: 'charges' as const,
      columns: { account: 'account', period: 'period', volume: 'volume', tariff: 'tariff', amount: 'amount', benefit: 'benefit', subsidy: 'subsidy' },
      defaultService: 'water',
    };
    const first = await runImport(h, queue, { providerId: reg.providerId, kind: 'charges', filePath: charges('40,00', '14,00'), settings });
    expect(first.counters).toMatchObject({ rows: 3, matched: 2, error: 1, ledgerEntries: 4 });
    const entries = await sql<{ number: string; kind: string; amount: number; volume: string | null }>`
      select a.number, l.kind, l.amount, l.volume from ledger_entry l join account a using (community_id, account_id)
       where l.import_id = ${first.importId} order by a.number, l.kind`.execute(h.db);
    expect(entries.rows).toEqual([
      { number: 'D1', kind: 'benefit', amount: -1400, volume: null },
      { number: 'D1', kind: 'charge', amount: 14000, volume: '3.5' },
      { number: 'D2', kind: 'charge', amount: 4000, volume: '1' },
      { number: 'D2', kind: 'subsidy', amount: -2000, volume: null },
    ]);
    // Corrected: D2 charged 45,00 instead of 40,00; D1's benefit 10,00 instead of 14,00.
    const second = await runImport(h, queue, { providerId: reg.providerId, kind: 'charges', filePath: charges('45,00', '10,00'), settings });
    expect(second.counters).toMatchObject({ ledgerEntries: 2 });
    const diff = await sql<{ kind: string; amount: number; reason: string | null }>`
      select kind, amount, reason from ledger_entry where import_id = ${second.importId} order by amount`.execute(h.db);
    expect(diff.rows).toEqual([
      { kind: 'adjustment', amount: 400, reason: 'import:benefit:provider charges' },
      { kind: 'charge', amount: 500, reason: 'provider charges' },
    ]);

    const payments = write('payments.csv', 'account;date;sum;ref\nD1;05.11.2026;100,00;P-1\nD1;05.11.2026;50,00;\nD1;05.11.2026;50,00;\n');
    const pay = { kind: 'payments' as const, columns: { account: 'account', paid_on: 'date', amount: 'sum', reference: 'ref' }, defaultService: 'water' };
    const p1 = await runImport(h, queue, { providerId: reg.providerId, kind: 'payments', filePath: payments, settings: pay });
    expect(p1.counters).toMatchObject({ matched: 3, ledgerEntries: 3 });
    const sum = await sql<{ s: number }>`select sum(amount)::int as s from ledger_entry where import_id = ${p1.importId}`.execute(h.db);
    expect(sum.rows[0].s).toBe(-20000);
    // The same payments in another file (one more appended) post only the new one.
    const more = write('payments2.csv', 'account;date;sum;ref\nD1;05.11.2026;100,00;P-1\nD1;05.11.2026;50,00;\nD1;05.11.2026;50,00;\nD2;06.11.2026;10,00;P-2\n');
    const p2 = await runImport(h, queue, { providerId: reg.providerId, kind: 'payments', filePath: more, settings: pay });
    expect(p2.counters).toMatchObject({ matched: 4, ledgerEntries: 1 });
  });

  it('holds implausible amounts for review, never posting them; an accepted row is posted, in its place', async () => {
    const settings = { kind: 'payments' as const, columns: { account: 'account', paid_on: 'date', amount: 'sum' }, defaultService: 'water' };
    const balance = async () => (await sql<{ s: number }>`select coalesce(sum(l.amount), 0)::bigint::text as s from ledger_entry l join account a using (community_id, account_id) where a.number = 'D2'`.execute(h.db)).rows[0].s;
    const before = await balance();
    // A typo of 99 999 999 999,99 and a payment of 1 ₴ (below an aggregator's 2 ₴); then two ordinary ones.
    const file = write('payments-typo.csv', 'account;date;sum\nD2;10.11.2026;99999999999,99\nD2;10.11.2026;1,00\nD2;10.11.2026;20,00\nD1;10.11.2026;30,00\n');
    const imp = await runImport(h, queue, { providerId: reg.providerId, kind: 'payments', filePath: file, settings });
    expect(imp).toMatchObject({ status: 'applied', counters: { rows: 4, matched: 2, review: 2, ledgerEntries: 2 } });
    expect(await balance()).toBe(String(Number(before) - 2000));
    const held = await listQueue(h.db, COMMUNITY, imp.importId);
    expect(held.map((r) => [r.rowNo, r.reasonEn?.replace(/\s/g, ' ')])).toEqual([
      [2, expect.stringMatching(/^payment outside 2,00 … 14 999,00 UAH/)],
      [3, expect.stringMatching(/^payment outside 2,00 … 14 999,00 UAH/)],
    ]);
    // The typo is rejected; the 1 ₴ is real: accepted, it is posted as the file's second payment of the day.
    await rejectRows(h.db, { communityId: COMMUNITY, userId: null }, imp.importId, [2]);
    expect(await acceptRows(h.db, { communityId: COMMUNITY, userId: null }, imp.importId, [{ rowNo: 3 }])).toMatchObject({ accepted: 1, ledgerEntries: 1 });
    expect(await balance()).toBe(String(Number(before) - 2100));
    const keys = await sql<{ posting_key: string }>`select posting_key from import_posting where import_id = ${imp.importId} and posting_key like '%:2026-11-10:%' order by posting_key`.execute(h.db);
    expect(keys.rows.map((k) => k.posting_key.replace(/^payment:\d+:/, ''))).toEqual(['2026-11-10:n:1', '2026-11-10:n:2', '2026-11-10:n:3']);
    // One account's payments in one file past 30 000 ₴ together: every row of that account waits.
    const many = write('payments-many.csv', 'account;date;sum\nD1;11.11.2026;14000,00\nD1;11.11.2026;14000,00\nD1;11.11.2026;14000,00\nD2;11.11.2026;5,00\n');
    const second = await runImport(h, queue, { providerId: reg.providerId, kind: 'payments', filePath: many, settings });
    expect(second.counters).toMatchObject({ matched: 1, review: 3, ledgerEntries: 1 });
    expect((await listQueue(h.db, COMMUNITY, second.importId))[0]!.reasonEn).toMatch(/the account's payment total exceeds 30/);
  });

  it('imports meters and readings through metering, a second file recognised as duplicates', async () => {
    const file = (name: string, tail = '') =>
      write(name, `рахунок;лічильник;дата;показник;повірка\nD1;ВК-001;25.11.2026;12,5;01.01.2030\nD2;ВК-002;25.11.2026;7;\nNOPE;ВК-003;25.11.2026;1;\n${tail}`);
    const settings = {
      kind: 'readings' as const,
      columns: { account: 'рахунок', meter: 'лічильник', reading_date: 'дата', value: 'показник', verified_until: 'повірка' },
      defaultService: 'water',
    };
    const first = await runImport(h, queue, { providerId: reg.providerId, kind: 'readings', filePath: file('readings.csv'), settings });
    expect(first.counters).toMatchObject({ rows: 3, matched: 2, error: 1, metersCreated: 2 });
    expect(first.counters.readingsAccepted + first.counters.readingsToReview + first.counters.readingsDuplicate).toBe(2);
    const meter = await sql<{ serial: string; premise_id: number; verified_until: string | null }>`
      select serial, premise_id, verified_until from meter where serial = 'ВК-001'`.execute(h.db);
    expect(meter.rows[0]).toMatchObject({ serial: 'ВК-001', verified_until: '2030-01-01' });
    // Other bytes (a trailing blank line), the same readings: nothing new is stored.
    const again = await runImport(h, queue, { providerId: reg.providerId, kind: 'readings', filePath: file('readings-again.csv', '\n'), settings });
    expect(again.status).toBe('partial'); // its third row fails again
    expect(again.counters).toMatchObject({ metersCreated: 0, readingsAccepted: 0, readingsDuplicate: 2 });
  });

  it('a crash mid-import leaves nothing visible, and the job resumes from its checkpoint', async () => {
    const file = write('crash.csv', 'рахунок;адреса;сальдо\nC1;вул. Соборна 14 кв 1;10,00\nC2;вул. Соборна 14 кв 2;20,00\n');
    const settings = { kind: 'accounts' as const, columns: { account: 'рахунок', address: 'адреса', opening_balance: 'сальдо' }, defaultService: 'water' };
    // The apply transaction fails after the accounts are written (a ledger entry cannot be stored).
    await sql`create function onboarding_test_crash() returns trigger language plpgsql as $$
      begin raise exception 'simulated crash'; end $$`.execute(h.db);
    await sql`create trigger crash before insert on ledger_entry for each row execute function onboarding_test_crash()`.execute(h.db);
    const crashing = new JobQueue(h);
    crashing.register(IMPORT_JOB, importJob(h));
    const { importId } = await createImport(h.db, { communityId: COMMUNITY, providerId: reg.providerId, kind: 'accounts', filePath: file, settings });
    await expect(crashing.runNow(COMMUNITY, IMPORT_JOB, { importId, filePath: file })).rejects.toThrow(/simulated crash/);
    expect(await count('account', sql`number in ('C1', 'C2')`)).toBe(0);
    const job = await h.db.selectFrom('job').select(['job_id', 'status', 'checkpoint']).where('kind', '=', IMPORT_JOB).orderBy('job_id', 'desc').executeTakeFirstOrThrow();
    expect(job).toMatchObject({ status: 'failed', checkpoint: { phase: 'matched' } });

    await sql`drop trigger crash on ledger_entry`.execute(h.db);
    const resumed = (await crashing.resume(COMMUNITY, job.job_id)) as { status: string; counters: Record<string, number> };
    expect(resumed).toMatchObject({ status: 'applied', counters: { matched: 2, accountsCreated: 2, ledgerEntries: 2 } });
    expect(await count('account', sql`number in ('C1', 'C2')`)).toBe(2);
  });
});
