import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { AppContext } from '../../src/server/context';
import { signInAsOperator, startDemoServer, type DemoServer } from './demo-server';
import { formatApartment } from '../../src/registry/address';

// A person signs in as the demo operator, finds «київська 12а» (also typed «Kyivska 12-A»), opens
// the building, sees its premises and a premise's accounts. Assertions are on visible text.


interface ExpectedBuilding {
  buildingId: number;
  premises: Array<{ premiseId: number; number: string | null }>;
}

describe('sign in and find an address in the browser', () => {
  let server: DemoServer;
  let ctx: AppContext;
  let browser: Browser;
  let baseUrl: string;
  let kyivska12a: ExpectedBuilding;

  beforeAll(async () => {
    server = await startDemoServer();
    ({ ctx, browser, baseUrl } = server);

    // What the pages should show, read from the database rather than assumed.
    const building = await ctx.db
      .selectFrom('building as b')
      .innerJoin('street as s', (j) => j.onRef('s.community_id', '=', 'b.community_id').onRef('s.street_id', '=', 'b.street_id'))
      .where('s.name', '=', 'Київська')
      .where('s.type', '=', 'вулиця')
      .where('b.number', '=', 12)
      .where('b.letter', '=', 'а')
      .where('b.fraction', 'is', null)
      .where('b.block', 'is', null)
      .select(['b.community_id', 'b.building_id'])
      .executeTakeFirstOrThrow();
    const premises = await ctx.db
      .selectFrom('premise')
      .where('community_id', '=', building.community_id)
      .where('building_id', '=', building.building_id)
      .select(['premise_id', 'number'])
      .orderBy('premise_id')
      .execute();
    kyivska12a = { buildingId: building.building_id, premises: premises.map((p) => ({ premiseId: p.premise_id, number: p.number })) };
  });

  afterAll(() => server?.close());

  const signIn = (page: Page) => signInAsOperator(page, baseUrl);

  /** Types as a person does (key by key), waits for the list and opens the building found. */
  async function findBuilding(page: Page, typed: string) {
    const box = page.getByRole('combobox', { name: 'Адреса' });
    await box.click();
    await box.pressSequentially(typed, { delay: 60 });
    const buildingHit = page.getByRole('option').filter({ hasText: 'будинок' }).first();
    await buildingHit.waitFor();
    const text = await buildingHit.innerText();
    expect(text).toMatch(/Київська/);
    expect(text).toMatch(/12а/);
    await buildingHit.click();
    await page.waitForURL(`${baseUrl}/buildings/${kyivska12a.buildingId}`);
    await page.getByRole('heading', { name: /Київська.*12а/ }).waitFor();
  }

  it('finds «київська 12а», shows the building, its premises and a premise’s accounts', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'uk-UA' });
    try {
      await signIn(page);
      await page.getByRole('link', { name: 'Пошук адреси' }).click();
      await page.getByRole('heading', { name: 'Пошук адреси' }).waitFor();
      await findBuilding(page, 'київська 12а');

      // The building card lists every premise of the building.
      expect(kyivska12a.premises.length).toBeGreaterThan(0);
      await page.getByText('Картка будинку').waitFor();
      await page.getByRole('heading', { name: `Приміщення (${kyivska12a.premises.length})` }).waitFor();
      const rows = page.locator('table tbody tr');
      expect(await rows.count()).toBe(kyivska12a.premises.length);
      const firstApartment = kyivska12a.premises.find((p) => p.number !== null)!;
      const tableText = await page.locator('table').innerText();
      // Flats as «кв. 5», non-residential premises as «прим. 1» (formatApartment, as everywhere else).
      for (const premise of kyivska12a.premises.filter((p) => p.number !== null)) expect(tableText).toContain(formatApartment(premise.number!));
      expect(tableText).not.toContain('кв. прим.');
      await page.screenshot({ path: path.join(os.tmpdir(), 'hromada-building.png') });

      // Open one apartment: its accounts as the database holds them.
      await page.getByRole('link', { name: `кв. ${firstApartment.number}`, exact: true }).click();
      await page.waitForURL(`${baseUrl}/premises/${firstApartment.premiseId}`);
      await page.getByText('Картка приміщення').waitFor();
      const accounts = await ctx.db
        .selectFrom('account as a')
        .innerJoin('service as s', (j) => j.onRef('s.community_id', '=', 'a.community_id').onRef('s.service_id', '=', 'a.service_id'))
        .where('a.premise_id', '=', firstApartment.premiseId)
        .select(['a.account_id', 'a.number', 's.name_uk'])
        .orderBy('a.account_id')
        .execute();
      expect(accounts.length).toBeGreaterThan(0);
      await page.getByRole('heading', { name: `Особові рахунки (${accounts.length})` }).waitFor();
      const accountsText = await page.locator('table').first().innerText();
      for (const account of accounts) {
        expect(accountsText).toContain(account.number);
        expect(accountsText).toContain(account.name_uk);
      }
      // Its meters, each with its serial, and the way to the desk for this flat.
      const meters = await ctx.db.selectFrom('meter').select('serial').where('premise_id', '=', firstApartment.premiseId).where('status', '<>', 'retired').execute();
      if (meters.length > 0) {
        const metersText = await page.getByRole('table', { name: 'Лічильники приміщення' }).innerText();
        for (const m of meters) expect(metersText).toContain(m.serial);
      } else await page.getByText('Лічильників немає').waitFor();
      expect(await page.getByRole('link', { name: 'Ввести показники' }).getAttribute('href')).toBe(`/metering/desk?premise=${firstApartment.premiseId}`);
      await expect.poll(() => page.getByRole('heading', { name: new RegExp(`Київська.*12а.*кв\\. ${firstApartment.number}`) }).isVisible()).toBe(true);
      await page.screenshot({ path: path.join(os.tmpdir(), 'hromada-premise.png'), fullPage: true });

      // From the premise, staff reach its unified statement and each account's card.
      await page.getByRole('link', { name: 'Виписка за єдиним рахунком' }).click();
      await page.waitForURL(`${baseUrl}/billing/premises/${firstApartment.premiseId}`);
      // It names the premise the way the resident on the phone would: its address.
      await page.getByRole('link', { name: new RegExp(`Київська.*12а.*кв\\. ${firstApartment.number}`) }).waitFor();
      await page.goBack();
      // (one whose number is the premise's only one: water and sewerage often share a number)
      const first = accounts.find((a) => accounts.filter((b) => b.number === a.number).length === 1)!;
      await page.getByRole('link', { name: first.number, exact: true }).click();
      await page.waitForURL(`${baseUrl}/billing/accounts/${first.account_id}`);
      await page.getByRole('heading', { name: `${first.name_uk} · ${first.number}` }).waitFor();
    } finally {
      await page.close();
    }
  });

  it('finds the same building typed in Latin letters, «Kyivska 12-A», and speaks English on request', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    try {
      await signIn(page);
      await page.screenshot({ path: path.join(os.tmpdir(), 'hromada-dashboard.png'), fullPage: true });
      // The staff home page has the address box too.
      await findBuilding(page, 'Kyivska 12-A');
      await page.getByRole('heading', { name: `Приміщення (${kyivska12a.premises.length})` }).waitFor();

      await page.getByText('English', { exact: true }).click();
      await page.getByRole('heading', { name: `Premises (${kyivska12a.premises.length})` }).waitFor();
      await page.getByText('Building card').waitFor();
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('heading', { name: 'Sign in' }).first().waitFor();
    } finally {
      await page.close();
    }
  });

  it("the box's hint names an address of the demo city, and typing it finds that premise first", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'uk-UA' });
    try {
      await signIn(page);
      await page.getByRole('link', { name: 'Пошук адреси' }).click();
      const box = page.getByRole('combobox', { name: 'Адреса' });
      const hint = page.getByText(/^Вулиця і номер будинку, можна з квартирою: «.+»$/);
      await hint.waitFor();
      const example = /«(.+)»/.exec(await hint.innerText())![1]!;
      await box.fill(example);
      // A loaded machine may answer slowly; the list (or the "nothing found" line) says which.
      const answered = page.getByRole('listbox').or(page.getByText('За цією адресою нічого не знайдено', { exact: false }));
      await answered.first().waitFor({ timeout: 60_000 });
      expect(await page.getByRole('listbox').isVisible(), `search for «${example}» found nothing`).toBe(true);
      const first = page.getByRole('option').first();
      await expect.poll(() => first.innerText(), { timeout: 30_000 }).toContain('приміщення');
      await box.press('Enter');
      await page.waitForURL(/\/premises\/\d+$/);
      const premiseId = Number(/(\d+)$/.exec(page.url())![1]);
      const opened = await sql<{ address: string }>`
        select premise_address(s.type, s.name, b.house_key, p.apartment_key) as address
          from premise p join building b on b.community_id = p.community_id and b.building_id = p.building_id
          join street s on s.community_id = b.community_id and s.street_id = b.street_id
         where p.community_id = ${ctx.communityId} and p.premise_id = ${premiseId}`;
      expect((await opened.execute(ctx.db)).rows[0]!.address).toBe(example);
    } finally {
      await page.close();
    }
  });
});
