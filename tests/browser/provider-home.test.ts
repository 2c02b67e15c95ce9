import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { AppContext } from '../../src/server/context';
import { providerAccounts, providerHome } from '../../src/dashboard/provider';
import { kyivToday } from '../../src/shared/period';
import { signInOnForm, startDemoServer, type DemoServer } from './demo-server';

// Issue 17's providers' self-service, as the water company's accountant sees it: its home with its
// own figures (the same the API computes), and its own accounts found by number.

const squash = (text: string) => text.replace(/[\s\u00a0\u202f\u2007\u2009]+/g, ' ').trim();

describe("a provider's home in the browser", () => {
  let server: DemoServer;
  let ctx: AppContext;
  let browser: Browser;
  let baseUrl: string;

  beforeAll(async () => {
    server = await startDemoServer();
    ({ ctx, browser, baseUrl } = server);
  });
  afterAll(() => server?.close());

  it('shows its own figures and finds its own account', async () => {
    const user = await ctx.db.selectFrom('app_user').select(['user_id', 'provider_id', 'display_name']).where('login', '=', 'provider-water').executeTakeFirstOrThrow();
    const actor = { userId: user.user_id, communityId: ctx.communityId, login: 'provider-water', displayName: user.display_name, role: 'provider' as const, providerId: user.provider_id };
    const figures = await providerHome(ctx.db, actor, kyivToday());
    const some = (await providerAccounts(ctx.db, actor, '', null, 5)).items.at(-1)!;
    const foreign = await sql<{ number: string }>`select number from account where community_id = ${ctx.communityId} and provider_id <> ${user.provider_id} limit 1`.execute(ctx.db);

    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'uk-UA' });
    try {
      await signInOnForm(page, baseUrl, 'provider-water');
      await page.getByRole('heading', { name: figures.provider.name }).waitFor();
      const main = squash(await page.getByRole('main').innerText());
      expect(main).toContain(`Відкритих рахунків ${squash(new Intl.NumberFormat('uk-UA').format(figures.openAccounts))}`);
      expect(main).toContain(`показники: ${figures.readingsToReview}`);
      const table = page.getByRole('table', { name: 'Ваші особові рахунки' });
      await table.waitFor();
      await page.getByLabel('Пошук рахунку: номер, адреса або єдиний рахунок').fill(some.number);
      await page.getByRole('button', { name: 'Знайти' }).click();
      // Numbers that contain it come too, after it (by number).
      await expect.poll(async () => squash(await table.getByRole('row').nth(1).innerText())).toContain(some.number);
      const shown = await table.getByRole('row').allInnerTexts();
      expect(shown.slice(1).every((row) => row.includes(some.number))).toBe(true);
      // Another provider's account is not its to find.
      await page.getByLabel('Пошук рахунку: номер, адреса або єдиний рахунок').fill(foreign.rows[0]!.number);
      await page.getByRole('button', { name: 'Знайти' }).click();
      await page.getByText('Рахунків не знайдено.').waitFor();
    } finally {
      await page.close();
    }
  });
});
