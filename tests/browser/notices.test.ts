import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { AppContext } from '../../src/server/context';
import { signInAsOperator, startDemoServer, type DemoServer } from './demo-server';

// Issue 13's notices on the bills, written on their page: the operator adds the community's news
// for this month in both languages, sees it listed for the month (as it will print), and removes it.

describe('notices on the bills in the browser', () => {
  let server: DemoServer;
  let ctx: AppContext;
  let browser: Browser;
  let baseUrl: string;
  beforeAll(async () => {
    server = await startDemoServer();
    ({ ctx, browser, baseUrl } = server);
  });
  afterAll(() => server?.close());

  it('adds the community’s news for this month, lists it, and deletes it', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'uk-UA' });
    try {
      await signInAsOperator(page, baseUrl);
      await page.getByRole('link', { name: 'Оголошення на рахунках' }).click();
      await page.getByRole('heading', { name: 'Оголошення на рахунках', level: 1 }).waitFor();
      await page.getByText(/На рахунках за \d{4}-\d{2} оголошень немає/).waitFor();
      const form = page.getByRole('form', { name: 'Нове оголошення' });
      await form.getByLabel('Текст українською').fill('Прийом показників — до 25 числа.');
      await form.getByLabel('Текст англійською').fill('Readings are taken until the 25th.');
      await form.getByRole('button', { name: 'Додати оголошення' }).click();
      await form.getByText(/Оголошення додано/).waitFor();
      const item = page.getByRole('listitem').filter({ hasText: 'Прийом показників — до 25 числа.' });
      await item.getByText('громада').waitFor();
      const stored = await ctx.db.selectFrom('bill_notice').select(['provider_id', 'text_uk', 'text_en']).execute();
      expect(stored).toEqual([{ provider_id: null, text_uk: 'Прийом показників — до 25 числа.', text_en: 'Readings are taken until the 25th.' }]);
      await item.getByRole('button', { name: 'Видалити' }).click();
      await page.getByText(/На рахунках за \d{4}-\d{2} оголошень немає/).waitFor();
      expect(await ctx.db.selectFrom('bill_notice').select('notice_id').execute()).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
