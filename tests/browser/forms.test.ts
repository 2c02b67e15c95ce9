import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { sql } from 'kysely';
import { signInAsAdmin, startDemoServer, type DemoServer } from './demo-server';

// Issue 17's "words a person understands" in forms: a form reports all its errors at once, by the
// fields' labels and never their internal names, each error once; a date that does not exist is
// called what it is.

describe('forms say what is wrong, all at once, in words', () => {
  let server: DemoServer;
  let browser: Browser;
  let baseUrl: string;
  let target: { account_id: number; premise_id: number };
  beforeAll(async () => {
    server = await startDemoServer(async (c) => {
      const r = await sql<{ account_id: number; premise_id: number }>`
select a.account_id, a.premise_id from account a
  join registration r on r.community_id = a.community_id and r.premise_id = a.premise_id and r.registered_to is null
 where a.community_id = ${c.communityId} and a.closed_on is null order by a.account_id limit 1`.execute(c.db);
      target = r.rows[0]!;
    });
    ({ browser, baseUrl } = server);
  });
  afterAll(() => server?.close());

  const visibleText = (page: Page) => page.evaluate(() => document.body.innerText);
  const count = (text: string, part: string) => text.split(part).length - 1;

  it('the empty provider form flags its name, ЄДРПОУ and IBAN together, each once, by label', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'uk-UA' });
    try {
      await signInAsAdmin(page, baseUrl);
      await page.goto(`${baseUrl}/providers/new`);
      await page.getByRole('heading', { name: 'Новий постачальник' }).waitFor();
      const answer = page.waitForResponse((r) => r.url().endsWith('/api/providers') && r.request().method() === 'POST');
      await page.getByRole('button', { name: 'Зберегти' }).click();
      expect((await answer).status()).toBe(422);
      for (const label of ['Повна назва', 'Код ЄДРПОУ', 'IBAN']) {
        const field = page.getByLabel(label).first();
        await expect.poll(() => field.getAttribute('aria-invalid')).toBe('true');
      }
      const text = await visibleText(page);
      expect(count(text, 'Поле «Повна назва» не заповнене')).toBe(1);
      expect(count(text, 'Поле «Код ЄДРПОУ»')).toBe(1);
      expect(count(text, 'Поле «IBAN»')).toBe(1);
      expect(text).not.toMatch(/\((name|edrpou|iban)\)/);
    } finally {
      await page.close();
    }
  });

  it('the recalculation form names every problem at once; a date that does not exist is called so', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'uk-UA' });
    try {
      await signInAsAdmin(page, baseUrl);
      await page.goto(`${baseUrl}/billing/accounts/${target.account_id}`);
      const form = page.getByRole('form', { name: /Заявка на перерахунок/ });
      await form.getByRole('button', { name: 'Подати заявку' }).click();
      const alert = form.getByRole('alert');
      await alert.waitFor();
      const said = await alert.innerText();
      expect(said).toContain('Кількість днів');
      expect(said).toContain('підставу');

      // The server's own sentence about a field names no internal field.
      await form.getByLabel('Днів').fill('3');
      await form.getByLabel('Підстава').fill('Аварія на мережі');
      await form.getByLabel('Період (РРРР-ММ)').fill('не місяць');
      await form.getByRole('button', { name: 'Подати заявку' }).click();
      await expect.poll(() => alert.innerText()).toContain('«не місяць» — не період');
      expect(await alert.innerText()).not.toMatch(/\bperiod\b/);
      // A request the server's schema refuses (a reason over 500 characters) is said with the form's label.
      await form.getByLabel('Період (РРРР-ММ)').fill(new Date().toISOString().slice(0, 7));
      await form.getByLabel('Підстава').fill('а'.repeat(501));
      await form.getByRole('button', { name: 'Подати заявку' }).click();
      await expect.poll(() => alert.innerText()).toBe('Перевірте поле «Підстава»');

      await page.goto(`${baseUrl}/billing/premises/${target.premise_id}/support`);
      const benefit = page.getByRole('form', { name: 'Надати пільгу' });
      const from = benefit.getByLabel('Діє з');
      await from.fill('31.02.2026');
      await from.press('Tab');
      await benefit.getByText('Дати 31.02.2026 не існує').waitFor();
      await from.fill('28.02.2026');
      await from.press('Escape');
      await expect.poll(() => benefit.getByText('Дати 31.02.2026 не існує').count()).toBe(0);
    } finally {
      await page.close();
    }
  });
});
