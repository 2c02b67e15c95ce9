import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { AppContext } from '../../src/server/context';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { runImportNow } from '../../src/onboarding/service';
import { signInAsAdmin, signInAsCity, startDemoServer, type DemoServer } from './demo-server';

// Issue 17's "the city and the administrator get their missing pages": the city's menu offers no
// imports; the city registers an approved tariff on the tariff-control page (a date typed, as
// people do) and finds the registration in the audit log by its filters; the administrator
// chooses what a provider's charge above the approved tariff becomes; the city then decides a
// charge held above it, and the accepted charge is posted.

describe("the city's pages", () => {
  let server: DemoServer;
  let ctx: AppContext;
  let browser: Browser;
  let baseUrl: string;
  beforeAll(async () => {
    server = await startDemoServer();
    ({ ctx, browser, baseUrl } = server);
  });
  afterAll(() => server?.close());

  async function choose(page: Page, scope: ReturnType<Page['getByRole']>, label: string, option: string) {
    await scope.getByLabel(label, { exact: true }).click();
    await page.getByRole('option', { name: option, exact: true }).click();
  }

  it('registers an approved tariff, finds it in the audit log, and is offered no imports', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 1000 }, locale: 'uk-UA' });
    try {
      await signInAsCity(page, baseUrl);
      const menu = page.getByRole('navigation');
      await menu.getByRole('link', { name: 'Контроль тарифів' }).waitFor();
      expect(await menu.getByRole('link', { name: /Імпорт/ }).count()).toBe(0);
      expect(await menu.getByRole('link', { name: 'Показники (кол-центр)' }).count()).toBe(0);

      await menu.getByRole('link', { name: 'Контроль тарифів' }).click();
      const form = page.getByRole('form', { name: 'Зареєструвати затверджений тариф' });
      await choose(page, form, 'Послуга', 'Електроенергія');
      await form.getByLabel('Затверджена ціна, ₴ за одиницю').fill('4,50');
      const from = form.getByLabel('Діє з');
      await from.fill('01.01.2027');
      await from.press('Escape');
      await form.getByLabel('Рішення (номер, дата)').fill('№ 9/2026 від 20.12.2026');
      await form.getByRole('button', { name: 'Зареєструвати' }).click();
      await form.getByRole('status').filter({ hasText: 'Тариф зареєстровано' }).waitFor();
      const row = page.getByRole('table').last().locator('tbody tr').filter({ hasText: '№ 9/2026 від 20.12.2026' });
      await row.waitFor();
      expect(await row.innerText()).toContain('Електроенергія');
      const stored = await ctx.db.selectFrom('approved_tariff').select(['price', 'valid_from', 'provider_id']).where('decision', '=', '№ 9/2026 від 20.12.2026').executeTakeFirstOrThrow();
      expect(stored).toMatchObject({ price: '4.500000', provider_id: null, valid_from: '2027-01-01' });

      // The audit log, filtered to approved tariffs: the city's own registration, in words.
      await menu.getByRole('link', { name: 'Журнал дій' }).click();
      await page.getByRole('heading', { name: 'Журнал дій' }).waitFor();
      const filters = page.getByRole('form', { name: 'Фільтри журналу' });
      await choose(page, filters, 'Що', 'затверджений тариф');
      const log = page.getByRole('table', { name: 'Журнал дій' });
      const entry = log.locator('tbody tr').first();
      await expect.poll(() => log.locator('tbody tr').count()).toBe(1);
      const cells = await entry.locator('td').allInnerTexts();
      expect(cells.slice(1, 3)).toEqual(['city', 'створено']);
      expect(cells[3]).toMatch(/^затверджений тариф №\d+$/);
      // A day with nothing in it: nothing listed.
      const since = filters.getByLabel('З дня');
      await since.fill('01.01.2030');
      await since.press('Escape');
      await page.getByText('Записів немає').waitFor();
    } finally {
      await page.close();
    }
  });

  it('the administrator chooses to hold charges above the approved tariff', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 1000 }, locale: 'uk-UA' });
    try {
      await signInAsAdmin(page, baseUrl);
      await page.goto(`${baseUrl}/billing/tariff-control`);
      await page.getByText('Затримати до рішення').click();
      await expect
        .poll(async () => (await ctx.db.selectFrom('billing_settings').select('tariff_excess').where('community_id', '=', ctx.communityId).executeTakeFirst())?.tariff_excess)
        .toBe('hold');
    } finally {
      await page.close();
    }
  });

  it('the city accepts a charge held above the approved tariff, and it is posted', async () => {
    // The water company imports one month at a price 10 ₴ above the approved one, the community holding such charges.
    await ctx.db.updateTable('billing_settings').set({ tariff_excess: 'hold' }).where('community_id', '=', ctx.communityId).execute();
    const water = await ctx.db.selectFrom('app_user').select('provider_id').where('login', '=', 'provider-water').executeTakeFirstOrThrow();
    const account = (
      await sql<{ account_id: string; number: string; code: string; approved: string }>`
        select a.account_id, a.number, s.code, ap.price as approved
          from account a
          join service s on s.community_id = a.community_id and s.service_id = a.service_id
          join approved_tariff ap on ap.community_id = a.community_id and ap.service_id = a.service_id and ap.provider_id = a.provider_id
         where a.community_id = ${ctx.communityId} and a.provider_id = ${water.provider_id} and a.closed_on is null
         order by a.number limit 1`.execute(ctx.db)
    ).rows[0]!;
    const amount = Math.round(Number(account.approved) * 2 * 100) + 1000;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hromada-held-'));
    const file = path.join(dir, 'held-charges.csv');
    fs.writeFileSync(file, `account,period,volume,amount\n${account.number},01.2027,2,${amount}\n`);
    const imported = await runImportNow(ctx, {
      communityId: ctx.communityId,
      providerId: Number(water.provider_id),
      kind: 'charges',
      filePath: file,
      settings: { kind: 'charges', columns: { account: 'account', period: 'period', volume: 'volume', amount: 'amount' }, defaultService: account.code, amountsIn: 'kopecks' },
    });
    fs.rmSync(dir, { recursive: true, force: true });
    const postedAmount = async () =>
      (await sql<{ amount: string }>`select amount from ledger_entry where community_id = ${ctx.communityId} and import_id = ${imported.importId}`.execute(ctx.db)).rows.map((r) => Number(r.amount));
    expect(await postedAmount()).toEqual([]);

    const page = await browser.newPage({ viewport: { width: 1366, height: 1000 }, locale: 'uk-UA' });
    try {
      await signInAsCity(page, baseUrl);
      await page.getByRole('navigation').getByRole('link', { name: 'Контроль тарифів' }).click();
      await page.getByRole('heading', { name: 'Нарахування понад тариф, що чекають рішення' }).waitFor();
      const hold = page.getByLabel('Рядок 2 файлу held-charges.csv');
      await hold.waitFor();
      const text = await hold.innerText();
      expect(text).toContain('чекає рішення');
      expect(text).toContain(account.number);
      expect(text).toMatch(/вища за затверджений тариф/);
      await hold.getByRole('button', { name: 'Прийняти' }).click();
      await page.getByRole('status').filter({ hasText: 'Нарахування прийнято й проведено' }).waitFor();
      await page.getByText('Затриманих нарахувань немає').waitFor();
      expect(await postedAmount()).toEqual([amount]);
    } finally {
      await page.close();
    }
  });
});
