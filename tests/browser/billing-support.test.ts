import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import type { AppContext } from '../../src/server/context';
import { signInAsOperator, startDemoServer, type DemoServer } from './demo-server';
import { kyivToday, periodOf, prevPeriod } from '../../src/shared/period';
import { money } from '../../web/src/pages/billing/labels';

// Recalculation requests, benefits and subsidies through the web pages only: an operator opens an
// account card, files a recalculation request (first for a closed month, which the server refuses
// in Ukrainian, then for the open one), goes to the premise's benefits and subsidies, grants a
// benefit to a registered person and awards a subsidy to an account, and sees both listed.

/** Browsers and Node may differ in the kind of space they group digits with; compare without it. */
const squash = (text: string) => text.replace(/[\s\u00a0\u202f\u2007\u2009]+/g, ' ').trim();
/** 'YYYY-MM-DD' as the pages show and take it in Ukrainian: DD.MM.YYYY. */
const dotted = (iso: string) => iso.split('-').reverse().join('.');

interface Target {
  account_id: number;
  number: string;
  premise_id: number;
  service: string;
  provider: string;
  last_name: string;
  first_name: string;
  patronymic: string | null;
}

describe('recalculations, benefits and subsidies in the browser', () => {
  let server: DemoServer;
  let ctx: AppContext;
  let browser: Browser;
  let baseUrl: string;
  const period = periodOf(kyivToday());
  const previous = prevPeriod(period);
  let target: Target;

  beforeAll(async () => {
    server = await startDemoServer(async (c) => {
      // An open account of a premise where someone is registered now: both forms have a choice.
      const r = await sql<Target>`
select a.account_id, a.number, a.premise_id, s.name_uk as service, coalesce(p.short_name, p.name) as provider,
       pe.last_name, pe.first_name, pe.patronymic
  from account a
  join service s on s.community_id = a.community_id and s.service_id = a.service_id
  join provider p on p.community_id = a.community_id and p.provider_id = a.provider_id
  join registration r on r.community_id = a.community_id and r.premise_id = a.premise_id and r.registered_to is null
  join person pe on pe.community_id = r.community_id and pe.person_id = r.person_id
 where a.community_id = ${c.communityId} and a.closed_on is null
 order by a.account_id, pe.person_id
 limit 1`.execute(c.db);
      target = r.rows[0];
      // Last month is closed (the demo city starts so), so a request for it must be refused.
      const closed = await c.db.selectFrom('billing_period').select('status').where('community_id', '=', c.communityId).where('period', '=', previous).executeTakeFirst();
      expect(closed?.status).toBe('closed');
    });
    ({ ctx, browser, baseUrl } = server);
    expect(target).toBeDefined();
  });

  afterAll(() => server?.close());

  /** Types a date the way a person would and closes the calendar. */
  async function typeDate(scope: Locator, labelText: string, iso: string) {
    const input = scope.getByLabel(labelText);
    await input.fill(dotted(iso));
    await input.press('Escape');
  }

  /** Opens a Mantine Select by its label and clicks the option with this text. */
  async function choose(page: Page, scope: Locator, labelText: string, option: string) {
    await scope.getByLabel(labelText, { exact: true }).click();
    await page.getByRole('option', { name: option, exact: true }).click();
  }

  it('files a recalculation request, grants a benefit and awards a subsidy', async () => {
    const page: Page = await browser.newPage({ viewport: { width: 1400, height: 1100 }, locale: 'uk-UA' });
    const personName = [target.last_name, target.first_name, target.patronymic].filter(Boolean).join(' ');
    const accountLabel = `${target.service} · ${target.provider} · ${target.number}`;
    try {
      await signInAsOperator(page, baseUrl);
      await page.goto(`${baseUrl}/billing/accounts/${target.account_id}`);
      await page.getByRole('heading', { name: `${target.service} · ${target.number}` }).waitFor();

      // A request for the closed month: the server's refusal, in Ukrainian.
      const recalc = page.getByRole('form', { name: 'Заявка на перерахунок (дні без послуги або неякісної послуги)' });
      await recalc.getByLabel('Період (РРРР-ММ)').fill(previous.slice(0, 7));
      await recalc.getByLabel('Днів').fill('3');
      await recalc.getByLabel('Відсоток зменшення').fill('50');
      await recalc.getByLabel('Підстава').fill('Не було гарячої води три дні');
      await recalc.getByRole('button', { name: 'Подати заявку' }).click();
      await recalc.getByText(`Період ${previous.slice(0, 7)} закрито: вкажіть наступний відкритий`).waitFor();

      // The open month: accepted, and the confirmation names the request.
      await recalc.getByLabel('Період (РРРР-ММ)').fill(period.slice(0, 7));
      await recalc.getByRole('button', { name: 'Подати заявку' }).click();
      const confirmation = recalc.getByText(/^Заявку на перерахунок №\d+ прийнято/);
      await confirmation.waitFor();
      const request = await ctx.db
        .selectFrom('recalculation_request')
        .select(['request_id', 'period', 'days', 'percent', 'reason'])
        .where('community_id', '=', ctx.communityId)
        .where('account_id', '=', target.account_id)
        .executeTakeFirstOrThrow();
      expect(request).toMatchObject({ period, days: 3, percent: '50.00', reason: 'Не було гарячої води три дні' });
      expect(await confirmation.innerText()).toBe(`Заявку на перерахунок №${request.request_id} прийнято: її врахує розрахунок за ${period.slice(0, 7)}`);
      await page.screenshot({ path: path.join(os.tmpdir(), 'hromada-recalculation.png'), fullPage: true });

      // From the card to the premise's benefits and subsidies.
      await page.getByRole('link', { name: 'Пільги та субсидії' }).click();
      await page.waitForURL(`${baseUrl}/billing/premises/${target.premise_id}/support`);
      await page.getByRole('heading', { name: 'Пільги та субсидії' }).waitFor();

      // A benefit for the registered person, on every service, from the first of the month.
      const benefit = page.getByRole('form', { name: 'Надати пільгу' });
      await choose(page, benefit, 'Особа (зареєстрована в приміщенні)', personName);
      await benefit.getByLabel('Категорія пільговика').fill('ветеран праці');
      await benefit.getByLabel('Відсоток знижки').fill('25');
      await typeDate(benefit, 'Діє з', period);
      await benefit.getByRole('button', { name: 'Надати пільгу' }).click();
      const benefits = page.getByRole('table', { name: 'Пільги' });
      const benefitRow = benefits.locator('tbody tr').filter({ hasText: 'ветеран праці' });
      await benefitRow.waitFor();
      expect((await benefitRow.locator('td').allInnerTexts()).map(squash)).toEqual([personName, 'ветеран праці', 'усі послуги', '25,00 %', `${dotted(period)} – безстроково`]);

      // A monetised subsidy of 512,50 ₴ a month on the account, for a year.
      const validTo = `${Number(period.slice(0, 4)) + 1}${period.slice(4, 8)}01`;
      const subsidy = page.getByRole('form', { name: 'Призначити субсидію' });
      await choose(page, subsidy, 'Особовий рахунок', accountLabel);
      await subsidy.getByLabel('Сума на місяць, ₴').fill('512,50');
      await choose(page, subsidy, 'Вид субсидії', 'Монетизована (виплата мешканцю)');
      await typeDate(subsidy, 'Діє з', period);
      await typeDate(subsidy, 'Діє до (необов’язково)', validTo);
      await subsidy.getByRole('button', { name: 'Призначити субсидію' }).click();
      const subsidies = page.getByRole('table', { name: 'Субсидії' });
      const subsidyRow = subsidies.locator('tbody tr').filter({ hasText: target.number });
      await subsidyRow.waitFor();
      expect((await subsidyRow.locator('td').allInnerTexts()).map(squash)).toEqual([
        squash(accountLabel),
        squash(money(51250, 'uk-UA')),
        'Монетизована (виплата мешканцю)',
        `${dotted(period)} – ${dotted(validTo)}`,
      ]);
      // Both lists still show the benefit after the subsidy's reload.
      await benefitRow.waitFor();

      // What was stored: kopecks as an integer, the dates as typed.
      const award = await ctx.db.selectFrom('subsidy_award').select(['account_id', 'monthly_amount', 'mode', 'valid_from', 'valid_to']).where('community_id', '=', ctx.communityId).executeTakeFirstOrThrow();
      expect(award).toMatchObject({ account_id: target.account_id, monthly_amount: 51250, mode: 'monetised', valid_from: period, valid_to: validTo });
      const grant = await ctx.db.selectFrom('benefit_grant').select(['premise_id', 'service_id', 'percent', 'valid_from', 'valid_to']).where('community_id', '=', ctx.communityId).where('category', '=', 'ветеран праці').executeTakeFirstOrThrow();
      expect(grant).toMatchObject({ premise_id: target.premise_id, service_id: null, percent: '25.00', valid_from: period, valid_to: null });
      await page.screenshot({ path: path.join(os.tmpdir(), 'hromada-premise-support.png'), fullPage: true });
    } catch (error) {
      await page.screenshot({ path: path.join(os.tmpdir(), 'hromada-support-failure.png'), fullPage: true });
      throw error;
    } finally {
      await page.close();
    }
  });
});
