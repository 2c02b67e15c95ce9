import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { AppContext } from '../../src/server/context';
import { signInAsAdmin, startDemoServer, type DemoServer } from './demo-server';

// Issue 17's acceptance, the two paths not walked elsewhere: an administrator adds a provider user
// in the web app, who then signs in with the one-time password; a provider signs in, uploads its
// own charges file (its provider shown, not chosen), and the API refuses it another provider (403).

describe('users and a provider’s own imports in the browser', () => {
  let server: DemoServer;
  let ctx: AppContext;
  let browser: Browser;
  let baseUrl: string;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hromada-own-import-'));
  beforeAll(async () => {
    server = await startDemoServer();
    ({ ctx, browser, baseUrl } = server);
  });
  afterAll(async () => {
    await server?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function signIn(page: Page, login: string, password: string) {
    await page.goto(baseUrl);
    await page.getByLabel('Логін').fill(login);
    await page.getByLabel('Пароль', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Увійти' }).click();
  }

  it('the administrator adds a provider user, who then signs in and lands on its provider’s home', async () => {
    const gas = await sql<{ provider_id: number; label: string; name: string }>`
      select p.provider_id, coalesce(p.short_name, p.name) as label, p.name from app_user u
        join provider p on p.community_id = u.community_id and p.provider_id = u.provider_id
       where u.community_id = ${ctx.communityId} and u.login = 'provider-gas'`.execute(ctx.db);
    const provider = gas.rows[0]!;
    const page = await browser.newPage({ viewport: { width: 1366, height: 1000 }, locale: 'uk-UA' });
    try {
      await signInAsAdmin(page, baseUrl);
      await page.getByRole('navigation').getByRole('link', { name: 'Користувачі та ролі' }).click();
      await page.getByRole('heading', { name: 'Користувачі та ролі' }).waitFor();
      const form = page.locator('form').filter({ hasText: 'Додати користувача' });
      await form.getByLabel('Логін').fill('gas-accountant');
      await form.getByLabel('Ім’я').fill('Бухгалтер газу');
      await form.getByLabel('Роль').click();
      await page.getByRole('option', { name: 'Постачальник', exact: true }).click();
      await form.getByLabel('Постачальник').click();
      await page.getByRole('option', { name: provider.label, exact: true }).click();
      await form.getByRole('button', { name: 'Додати з одноразовим паролем' }).click();
      const password = (await page.getByTestId('one-time-password').innerText()).trim();
      expect(password.length).toBeGreaterThanOrEqual(10);
      await page.getByRole('table', { name: 'Користувачі' }).getByText('gas-accountant').waitFor();
      const stored = await ctx.db.selectFrom('app_user').select(['role', 'provider_id']).where('login', '=', 'gas-accountant').executeTakeFirstOrThrow();
      expect(stored).toEqual({ role: 'provider', provider_id: provider.provider_id });

      await page.getByRole('button', { name: 'Вийти' }).click();
      await signIn(page, 'gas-accountant', password);
      await page.getByRole('heading', { name: provider.name }).waitFor();
      await page.getByRole('banner').getByText('Бухгалтер газу').waitFor();
    } finally {
      await page.close();
    }
  });

  it('a provider uploads its own charges file; naming another provider is refused with 403', async () => {
    const water = await ctx.db.selectFrom('app_user').select('provider_id').where('login', '=', 'provider-water').executeTakeFirstOrThrow();
    const [own, other] = await Promise.all([
      sql<{ number: string; code: string; price: string; name: string }>`
        select a.number, s.code, ap.price, p.name from account a
          join service s on s.community_id = a.community_id and s.service_id = a.service_id
          join provider p on p.community_id = a.community_id and p.provider_id = a.provider_id
          join approved_tariff ap on ap.community_id = a.community_id and ap.service_id = a.service_id and ap.provider_id = a.provider_id
         where a.community_id = ${ctx.communityId} and a.provider_id = ${water.provider_id} and a.closed_on is null
         order by a.number limit 2`.execute(ctx.db),
      sql<{ provider_id: number }>`select provider_id from provider where community_id = ${ctx.communityId} and provider_id <> ${water.provider_id} limit 1`.execute(ctx.db),
    ]);
    // Charged at the approved price, so nothing waits for the city's decision.
    const lines = own.rows.map((a) => `${a.number};01.2027;${a.code};2;${(Number(a.price) * 2).toFixed(2).replace('.', ',')}`);
    const file = path.join(dir, 'vodokanal-01-2027.csv');
    fs.writeFileSync(file, ['Рахунок;Період;Послуга;Обсяг;Нараховано', ...lines].join('\n'));

    const page = await browser.newPage({ viewport: { width: 1366, height: 1000 }, locale: 'uk-UA' });
    try {
      await signIn(page, 'provider-water', 'provider-water-demo');
      await page.getByRole('heading', { name: own.rows[0]!.name }).waitFor();
      await page.getByRole('navigation').getByRole('link', { name: 'Імпорт даних' }).click();
      await page.getByRole('heading', { name: 'Імпорт власних файлів' }).waitFor();
      await expect.poll(() => page.getByTestId('own-provider').innerText()).toBe(own.rows[0]!.name);
      // Its provider is shown, not offered for choosing.
      expect(await page.getByRole('combobox', { name: 'Постачальник' }).count()).toBe(0);
      await page.getByRole('combobox', { name: 'Вид файлу' }).click();
      await page.getByRole('option', { name: 'Нарахування постачальника', exact: true }).click();
      await page.locator('input[type=file]').setInputFiles(file);
      await page.getByRole('checkbox', { name: /Пробний прогін/ }).click();
      await page.getByRole('button', { name: 'Імпортувати' }).click();
      const row = page.locator('main table').first().locator(':scope > tbody > tr').filter({ hasText: 'vodokanal-01-2027.csv' });
      await row.getByText('імпортовано', { exact: true }).waitFor({ timeout: 60_000 });
      expect(await row.innerText()).toContain(`зіставлено ${own.rows.length}`);
      const posted = await sql<{ number: string; amount: string; provider_id: number }>`
        select a.number, l.amount, a.provider_id from ledger_entry l
          join data_import i on i.community_id = l.community_id and i.import_id = l.import_id
          join account a on a.community_id = l.community_id and a.account_id = l.account_id
         where l.community_id = ${ctx.communityId} and i.file_name = 'vodokanal-01-2027.csv' order by a.number`.execute(ctx.db);
      expect(posted.rows.map((r) => [r.number, Number(r.amount), r.provider_id])).toEqual(
        own.rows.map((a) => [a.number, Math.round(Number(a.price) * 200), water.provider_id]),
      );

      // The same upload naming another provider, from the signed-in page: refused, nothing imported.
      const refused = await page.evaluate(async (otherId) => {
        const session = (await (await fetch('/api/session')).json()) as { csrfToken: string };
        const response = await fetch(`/api/imports?kind=charges&fileName=other.csv&providerId=${otherId}`, {
          method: 'POST',
          headers: { 'content-type': 'application/octet-stream', 'x-csrf-token': session.csrfToken },
          body: 'Рахунок;Період;Обсяг;Нараховано\n1;01.2027;1;1,00\n',
        });
        return { status: response.status, body: (await response.json()) as { message_uk: string } };
      }, other.rows[0]!.provider_id);
      expect(refused.status).toBe(403);
      expect(refused.body.message_uk).toContain('лише власні файли');
      expect(await ctx.db.selectFrom('data_import').select('import_id').where('file_name', '=', 'other.csv').executeTakeFirst()).toBeUndefined();
    } finally {
      await page.close();
    }
  });
});
