import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { AppContext } from '../../src/server/context';
import { signInAsAdmin, startDemoServer, type DemoServer } from './demo-server';

// Issue 17's "the city and the administrator get their missing pages": the city's menu offers no
// imports; the city registers an approved tariff on the tariff-control page (a date typed, as
// people do) and finds the registration in the audit log by its filters; the administrator
// chooses what a provider's charge above the approved tariff becomes.

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

  async function signInAsCity(page: Page) {
    await page.goto(baseUrl);
    await page.getByLabel('Логін').fill('city');
    await page.getByLabel('Пароль', { exact: true }).fill('city-demo');
    await page.getByRole('button', { name: 'Увійти' }).click();
    await page.getByRole('heading', { name: 'Огляд громади' }).waitFor();
  }
  async function choose(page: Page, scope: ReturnType<Page['getByRole']>, label: string, option: string) {
    await scope.getByLabel(label, { exact: true }).click();
    await page.getByRole('option', { name: option, exact: true }).click();
  }

  it('registers an approved tariff, finds it in the audit log, and is offered no imports', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 1000 }, locale: 'uk-UA' });
    try {
      await signInAsCity(page);
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
});
