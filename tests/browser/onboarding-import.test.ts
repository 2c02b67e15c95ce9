import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import iconv from 'iconv-lite';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import type { AppContext } from '../../src/server/context';
import { signInAsOperator, startDemoServer, type DemoServer } from './demo-server';

// Issue 3's acceptance in the browser: the operator imports a provider's accounts file (cp1251,
// semicolons, messy addresses) through «Імпорт даних» — a dry run, then for real — sees the bad
// row by its row number and reason, resolves the review queue, and uploads the same file again
// without anything being duplicated. The file is written here from the demo city's own addresses.

interface FileRow {
  account: string;
  address: string;
  payer: string;
  service: string;
}

interface Plan {
  provider: { id: number; label: string };
  rows: FileRow[];
  /** 0-based index into rows of the row with an unknown service, and of the ambiguous address. */
  badIndex: number;
  heldIndex: number;
  heldPremises: number[];
  goodCount: number;
  filePath: string;
}

/** The file's row number of rows[i]: the header is row 1. */
const rowNo = (i: number) => i + 2;

async function planFile(ctx: AppContext, dir: string): Promise<Plan> {
  const db = ctx.db;
  // The provider and service with the most accounts that still has flats without one: the file is
  // theirs, for flats on streets whose name no other street shares, in plain houses (no letter,
  // fraction or block) — these must match on their own.
  const pairs = await sql<{ provider_id: number; name: string; edrpou: string; code: string }>`
    select p.provider_id, p.name, p.edrpou, s.code
      from account a
      join provider p on p.community_id = a.community_id and p.provider_id = a.provider_id
      join service s on s.community_id = a.community_id and s.service_id = a.service_id
     group by p.provider_id, p.name, p.edrpou, s.code
     order by count(*) desc, p.provider_id`.execute(db);
  let provider = pairs.rows[0];
  let flats: Array<{ type: string; name: string; number: number; apartment: string }> = [];
  for (const pair of pairs.rows) {
    provider = pair;
    flats = (
      await sql<{ type: string; name: string; number: number; apartment: string }>`
      select s.type, s.name, b.number, p.number as apartment
        from premise p
        join building b on b.community_id = p.community_id and b.building_id = p.building_id
        join street s on s.community_id = b.community_id and s.street_id = b.street_id
       where s.type = 'вулиця' and p.number ~ '^[0-9]+$'
         and b.letter is null and b.fraction is null and b.block is null
         and not exists (select 1 from street o where o.community_id = s.community_id and o.name_key = s.name_key and o.street_id <> s.street_id)
         and not exists (select 1 from account a where a.community_id = p.community_id and a.premise_id = p.premise_id and a.provider_id = ${pair.provider_id})
       order by b.building_id, p.premise_id
       limit 400`.execute(db)
    ).rows;
    if (new Set(flats.map((f) => `${f.name}|${f.number}`)).size >= 5) break;
  }
  // Five flats from different buildings, spelled the ways providers spell them.
  const picked: typeof flats = [];
  for (const f of flats) if (picked.length < 5 && !picked.some((p) => p.name === f.name && p.number === f.number)) picked.push(f);
  expect(picked).toHaveLength(5);
  const spellings = [
    (f: (typeof picked)[number]) => `вул. ${f.name}, буд. ${f.number}, кв. ${f.apartment}`,
    (f: (typeof picked)[number]) => `${f.name} ${f.number} кв ${f.apartment}`,
    (f: (typeof picked)[number]) => `ВУЛ. ${f.name.toUpperCase()}, БУД.${f.number}, КВ.${f.apartment}`,
    (f: (typeof picked)[number]) => `вул.${f.name},${f.number},кв.${f.apartment}`,
    (f: (typeof picked)[number]) => `${f.name} вул., буд. ${f.number}, кв. ${f.apartment}`,
  ];

  // A street and a lane of the same name, each with the same house and flat: written without the
  // type, no machine may choose — the row must wait for a person.
  const twin = await sql<{ name: string; house: number; apartment: string | null; p1: number; p2: number }>`
    select s1.name, b1.number as house, p1.number as apartment, p1.premise_id as p1, p2.premise_id as p2
      from street s1
      join street s2 on s2.community_id = s1.community_id and s2.name_key = s1.name_key and s2.street_id > s1.street_id
      join building b1 on b1.community_id = s1.community_id and b1.street_id = s1.street_id
      join building b2 on b2.community_id = s2.community_id and b2.street_id = s2.street_id and b2.house_key = b1.house_key
      join premise p1 on p1.community_id = b1.community_id and p1.building_id = b1.building_id
      join premise p2 on p2.community_id = b2.community_id and p2.building_id = b2.building_id and p2.apartment_key is not distinct from p1.apartment_key
     where b1.letter is null and b1.fraction is null and b1.block is null
     order by s1.street_id, b1.building_id, p1.premise_id
     limit 1`.execute(db);
  const held = twin.rows[0];
  expect(held).toBeDefined();

  const payers = ['Петренко Петро Петрович', 'Коваль Ольга Іванівна', 'Мельник Іван', 'Бондар Олена', 'Ткаченко Андрій'];
  const rows: FileRow[] = picked.map((f, i) => ({ account: `77${String(i + 1).padStart(5, '0')}`, address: spellings[i](f), payer: payers[i], service: provider.code }));
  const badIndex = rows.length;
  rows.push({ account: '7700090', address: spellings[0](picked[0]).replace(/кв\. \d+/, 'кв. 1'), payer: 'Шевчук Марія', service: 'Невідома послуга' });
  const heldIndex = rows.length;
  rows.push({ account: '7700099', address: `${held.name} ${held.house}${held.apartment ? ` кв ${held.apartment}` : ''}`, payer: 'Кравець Юрій', service: provider.code });

  const lines = ['ОС_РАХУНОК;АДРЕСА;ПІБ;ПОСЛУГА', ...rows.map((r) => [r.account, `"${r.address}"`, r.payer, r.service].join(';'))];
  const filePath = path.join(dir, 'provider-accounts.csv');
  fs.writeFileSync(filePath, iconv.encode(lines.join('\r\n') + '\r\n', 'win1251'));
  return {
    provider: { id: provider.provider_id, label: `${provider.name} (${provider.edrpou})` },
    rows,
    badIndex,
    heldIndex,
    heldPremises: [held.p1, held.p2],
    goodCount: picked.length,
    filePath,
  };
}

describe('onboarding import in the browser', () => {
  let server: DemoServer;
  let ctx: AppContext;
  let baseUrl: string;
  let plan: Plan;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hromada-import-browser-'));

  beforeAll(async () => {
    // `npm start` runs the job queue (src/cli/serve.ts); imports are jobs, so this server does too.
    server = await startDemoServer();
    ({ ctx, baseUrl } = server);
    plan = await planFile(ctx, dir);
  });

  afterAll(async () => {
    await server?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const accountCount = async () => (await ctx.db.selectFrom('account').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow()).n;
  const fileAccounts = () =>
    ctx.db
      .selectFrom('account')
      .select(['number', 'premise_id'])
      .where('provider_id', '=', plan.provider.id)
      .where(
        'number',
        'in',
        plan.rows.map((r) => r.account),
      )
      .orderBy('number')
      .execute();

  /** The newest import: the first row of the imports table (the outer table, not an errors table inside it). */
  const newestImport = (page: Page): Locator => page.locator('main table').first().locator(':scope > tbody > tr').first();

  async function uploadOnImportsPage(page: Page, dryRun: boolean) {
    await page.getByRole('heading', { name: 'Імпорт даних постачальників' }).waitFor();
    await expect.poll(() => page.getByRole('combobox', { name: 'Вид файлу' }).inputValue()).toBe('Особові рахунки');
    // The form keeps the provider between uploads; choosing it again would clear it.
    const provider = page.getByRole('combobox', { name: 'Постачальник' });
    if ((await provider.inputValue()) !== plan.provider.label) {
      await provider.click();
      await page.getByRole('option', { name: plan.provider.label }).click();
    }
    await expect.poll(() => provider.inputValue()).toBe(plan.provider.label);
    await page.locator('input[type=file]').setInputFiles(plan.filePath);
    const dry = page.getByRole('checkbox', { name: /Пробний прогін/ });
    if ((await dry.isChecked()) !== dryRun) await dry.click();
    await page.getByRole('button', { name: dryRun ? 'Перевірити файл' : 'Імпортувати' }).click();
  }

  it('dry run, import, errors by row, review queue, and the same file again changes nothing', async () => {
    const page = await server.browser.newPage({ viewport: { width: 1400, height: 1000 }, locale: 'uk-UA' });
    try {
      page.setDefaultTimeout(15_000);
      const accountsBefore = await accountCount();
      await signInAsOperator(page, baseUrl);
      await page.getByRole('link', { name: 'Імпорт даних' }).click();
      await page.waitForURL(`${baseUrl}/onboarding/imports`);

      // Dry run: matched, held and rejected rows are counted, nothing is written.
      await uploadOnImportsPage(page, true);
      const dryRow = newestImport(page);
      await dryRow.getByText(path.basename(plan.filePath)).waitFor();
      await dryRow.getByText('перевірено', { exact: true }).waitFor({ timeout: 60_000 });
      await dryRow.getByText('пробний прогін').waitFor();
      const dryText = await dryRow.innerText();
      expect(dryText).toContain(`зіставлено ${plan.goodCount}`);
      expect(dryText).toContain('на перевірку 1');
      expect(dryText).toContain('помилки 1');
      expect(await accountCount()).toBe(accountsBefore);
      expect(await fileAccounts()).toEqual([]);

      // For real: the page follows the job until it is imported.
      await uploadOnImportsPage(page, false);
      const realRow = newestImport(page);
      await expect.poll(() => realRow.innerText(), { timeout: 5_000 }).not.toContain('пробний прогін');
      // One row failed: imported, and the badge says so.
      await realRow.getByText('частково, з помилками', { exact: true }).waitFor({ timeout: 60_000 });
      const applied = await ctx.db
        .selectFrom('data_import')
        .select(['import_id', 'status'])
        .where('provider_id', '=', plan.provider.id)
        .where('dry_run', '=', false)
        .orderBy('import_id', 'desc')
        .executeTakeFirstOrThrow();
      expect(applied.status).toBe('partial');
      await expect.poll(() => realRow.locator(':scope > td').first().innerText()).toBe(String(applied.import_id));
      const realText = await realRow.innerText();
      expect(realText).toContain(`зіставлено ${plan.goodCount}`);
      expect(realText).toContain('на перевірку 1');
      expect(realText).toContain('помилки 1');
      // The good rows are accounts now; the bad and the held one are not.
      const good = plan.rows.filter((_, i) => i !== plan.badIndex && i !== plan.heldIndex).map((r) => r.account);
      expect((await fileAccounts()).map((a) => a.number)).toEqual([...good].sort());

      // The bad row, on the page: its row number and why, as the database recorded it.
      const errors = await ctx.db
        .selectFrom('import_match')
        .select(['row_no', 'errors'])
        .where('import_id', '=', applied.import_id)
        .where('status', '=', 'error')
        .execute();
      expect(errors.map((e) => e.row_no)).toEqual([rowNo(plan.badIndex)]);
      const reason = (errors[0].errors as Array<{ uk: string }>)[0].uk;
      expect(reason).toContain(plan.rows[plan.badIndex].service);
      await realRow.getByRole('button', { name: 'Показати помилки за рядками' }).click();
      const errorRow = realRow.getByRole('table', { name: `Помилки імпорту №${applied.import_id}` }).locator('tbody tr');
      await errorRow.first().waitFor();
      expect(await errorRow.count()).toBe(1);
      const errorCells = await errorRow.locator('td').allInnerTexts();
      expect(errorCells[0]).toBe(String(rowNo(plan.badIndex)));
      expect(errorCells[1]).toBe(plan.rows[plan.badIndex].account);
      expect(errorCells[2]).toContain(reason);
      await page.screenshot({ path: path.join(os.tmpdir(), 'hromada-import-errors.png'), fullPage: true });

      // The review queue: the ambiguous row with both premises as candidates; accept the first.
      await realRow.getByRole('link', { name: 'Черга перевірки' }).click();
      await page.waitForURL(`${baseUrl}/onboarding/imports/${applied.import_id}/queue`);
      const held = plan.rows[plan.heldIndex];
      await page.getByText(`№ ${rowNo(plan.heldIndex)}`).waitFor();
      await page.getByText(held.address, { exact: true }).waitFor();
      await page.getByText(`Рахунок: ${held.account}`).waitFor();
      const radios = page.locator('main input[type=radio]');
      await expect.poll(() => radios.evaluateAll((inputs) => inputs.map((i) => Number((i as HTMLInputElement).value)).sort((a, b) => a - b))).toEqual([...plan.heldPremises].sort((a, b) => a - b));
      const chosen = Number(await radios.first().getAttribute('value'));
      expect(plan.heldPremises).toContain(chosen);
      expect(await radios.first().isChecked()).toBe(true);
      await page.getByRole('checkbox', { name: String(rowNo(plan.heldIndex)), exact: true }).check();
      await page.getByRole('button', { name: 'Прийняти вибрані (1)' }).click();
      await page.getByText('Готово: прийнято 1, створено адрес 0, відхилено 0, нових рахунків 1').waitFor();
      await page.getByText('Черга порожня').waitFor();
      const afterQueue = await fileAccounts();
      expect(afterQueue.map((a) => a.number)).toEqual([...good, held.account].sort());
      expect(afterQueue.find((a) => a.number === held.account)!.premise_id).toBe(chosen);
      const accountsAfterQueue = await accountCount();
      expect(accountsAfterQueue).toBe(accountsBefore + good.length + 1);

      // The same file once more: the page says nothing changed, and nothing did.
      await page.getByRole('link', { name: 'До імпортів' }).click();
      await uploadOnImportsPage(page, false);
      await page.getByText(`Цей самий файл уже імпортовано (імпорт №${applied.import_id}): нічого не змінено`).waitFor();
      await newestImport(page).getByText('без змін', { exact: true }).waitFor();
      await page.screenshot({ path: path.join(os.tmpdir(), 'hromada-import-again.png'), fullPage: true });
      expect(await accountCount()).toBe(accountsAfterQueue);
      expect(await fileAccounts()).toEqual(afterQueue);
    } catch (error) {
      // What the page showed when it went wrong, for whoever reads the failure.
      await page.screenshot({ path: path.join(os.tmpdir(), 'hromada-import-failure.png'), fullPage: true });
      throw error;
    } finally {
      await page.close();
    }
  });
});
