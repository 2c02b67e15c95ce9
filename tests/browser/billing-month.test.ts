import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import type { AppContext } from '../../src/server/context';
import { signInAsOperator, startDemoServer, type DemoServer } from './demo-server';
import { kyivToday, periodOf, prevPeriod } from '../../src/shared/period';
import { loadSettings } from '../../src/billing/run';
// The billing pages format money with this helper (Intl, «1 234,50 ₴»), so the test does too.
import { money } from '../../web/src/pages/billing/labels';

// Issue 4's acceptance, through the web pages only: a person runs the current month, reviews the
// totals per service and the outliers, closes the period, and sees an account's card and its
// premise's unified statement agree with the ledger. Figures come from the database, never typed in.
//
// The demo city starts with last month billed and closed (src/cli/startup.ts). `prepare` gives one
// cold-water account what makes it worth a look: this month's reading is 4,000 m³ above the last (a
// typo or a burst pipe), so its charge is far above its usual one (an outlier), and a payment came
// this month; it opens with last month's bill as its debt — every figure of its statement is non-zero.

const uk = (kopecks: number) => money(kopecks, 'uk-UA');
/** Browsers and Node may differ in the kind of space they group digits with; compare without it. */
const squash = (text: string) => text.replace(/[\s\u00a0\u202f\u2007\u2009]+/g, ' ').trim();

interface Figures {
  opening: number;
  charged: number;
  recalculations: number;
  paid: number;
  closing: number;
}

describe('a billing month in the browser', () => {
  let server: DemoServer;
  let ctx: AppContext;
  let browser: Browser;
  let baseUrl: string;
  const period = periodOf(kyivToday());
  const previous = prevPeriod(period);
  let account: { account_id: number; premise_id: number; number: string };

  beforeAll(async () => {
    server = await startDemoServer(async (c) => {
      const communityId = c.communityId;
      const r = await sql<{ account_id: number; premise_id: number; number: string; meter_id: number; last: string }>`
select a.account_id, a.premise_id, a.number, m.meter_id,
       (select value1 from meter_reading mr where mr.community_id = m.community_id and mr.meter_id = m.meter_id order by read_on desc, reading_id desc limit 1)::text as last
  from account a
  join service s on s.community_id = a.community_id and s.service_id = a.service_id and s.code = 'cold_water'
  join meter m on m.community_id = a.community_id and m.premise_id = a.premise_id and m.service_id = a.service_id
 where a.community_id = ${communityId} and a.closed_on is null and m.status = 'active' and m.verified_until > ${kyivToday()}::date
   and exists (select 1 from ledger_entry le where le.community_id = a.community_id and le.account_id = a.account_id and le.period = ${previous}::date and le.kind = 'charge')
 order by a.account_id limit 1`.execute(c.db);
      const row = r.rows[0]!;
      account = { account_id: row.account_id, premise_id: row.premise_id, number: row.number };
      await c.db
        .insertInto('meter_reading')
        .values({ community_id: communityId, meter_id: row.meter_id, read_on: kyivToday(), period, kind: 'regular', value1: String(Number(row.last) + 4000), channel: 'call_centre', status: 'accepted' })
        .execute();
      await c.db.insertInto('ledger_entry').values({ community_id: communityId, account_id: account.account_id, period, kind: 'payment', amount: -1500, source: 'payment' }).execute();
    });
    ({ ctx, browser, baseUrl } = server);
  });

  afterAll(() => server?.close());

  /** The ledger's own figures for the period: over one account or over every account of a premise. */
  async function ledgerFigures(where: { accountId: number } | { premiseId: number }): Promise<Figures> {
    const filter = 'accountId' in where ? sql`le.account_id = ${where.accountId}` : sql`a.premise_id = ${where.premiseId}`;
    const r = await sql<Figures>`
select coalesce(sum(le.amount) filter (where le.period < ${period}::date or (le.period = ${period}::date and le.kind = 'opening_balance')), 0)::bigint as opening,
       coalesce(sum(le.amount) filter (where le.period = ${period}::date and le.kind = 'charge'), 0)::bigint as charged,
       coalesce(sum(le.amount) filter (where le.period = ${period}::date and le.kind = 'recalculation'), 0)::bigint as recalculations,
       coalesce(sum(le.amount) filter (where le.period = ${period}::date and le.kind = 'payment'), 0)::bigint as paid,
       coalesce(sum(le.amount) filter (where le.period <= ${period}::date), 0)::bigint as closing
  from ledger_entry le join account a on a.community_id = le.community_id and a.account_id = le.account_id
 where le.community_id = ${ctx.communityId} and ${filter}`.execute(ctx.db);
    return r.rows[0];
  }

  /** The cells (whitespace squashed) of a table's body row that holds `text`. */
  async function rowCells(table: Locator, text: string) {
    const row = table.locator('tbody tr').filter({ hasText: text }).first();
    await row.waitFor();
    return (await row.locator('td').allInnerTexts()).map(squash);
  }

  it('runs the month, reviews it, closes it and shows statements that agree with the ledger', async () => {
    const page: Page = await browser.newPage({ viewport: { width: 1400, height: 1000 }, locale: 'uk-UA' });
    const month = period.slice(0, 7);
    try {
      await signInAsOperator(page, baseUrl);
      await page.getByRole('link', { name: 'Нарахування' }).click();
      await page.getByRole('heading', { name: 'Нарахування' }).first().waitFor();

      // The field offers the month after the last closed one; the person starts the run and
      // watches its progress until it says it is done.
      const periodField = page.getByLabel('Період (РРРР-ММ)');
      await expect.poll(() => periodField.inputValue()).toBe(month);
      await periodField.fill(month);
      await page.getByRole('button', { name: 'Розрахувати' }).click();
      const runSection = page.locator('div').filter({ has: page.getByRole('heading', { name: 'Розрахунок', exact: true }) }).last();
      await runSection.getByText('Готово', { exact: true }).waitFor({ timeout: 30_000 });
      expect(await runSection.getByText('Помилка', { exact: true }).count()).toBe(0);

      const run = await ctx.db
        .selectFrom('billing_run')
        .select(['billing_run_id', 'status'])
        .where('community_id', '=', ctx.communityId)
        .where('period', '=', period)
        .orderBy('billing_run_id', 'desc')
        .executeTakeFirstOrThrow();
      expect(run.status).toBe('calculated');
      const periodRow = page.locator('table tbody tr').filter({ hasText: month }).first();
      await periodRow.getByText('розраховано').waitFor();

      // The summary per service and provider: what the run's lines add up to.
      await page.getByRole('heading', { name: `Огляд нарахування за ${month}` }).waitFor();
      const summary = (
        await sql<{ service: string; provider: string; accounts: number; charged: number; estimated: number }>`
select s.name_uk as service, coalesce(p.short_name, p.name) as provider, count(distinct cl.account_id)::int as accounts,
       coalesce(sum(cl.amount) filter (where cl.kind = 'charge'), 0)::bigint as charged,
       coalesce(sum(cl.amount) filter (where cl.kind = 'charge' and cl.estimated), 0)::bigint as estimated
  from charge_line cl
  join account a on a.community_id = cl.community_id and a.account_id = cl.account_id
  join service s on s.community_id = a.community_id and s.service_id = a.service_id
  join provider p on p.community_id = a.community_id and p.provider_id = a.provider_id
 where cl.community_id = ${ctx.communityId} and cl.billing_run_id = ${run.billing_run_id}
 group by s.name_uk, coalesce(p.short_name, p.name)`.execute(ctx.db)
      ).rows;
      expect(summary.length).toBeGreaterThan(0);
      const summaryTable = page.locator('table').filter({ has: page.getByRole('columnheader', { name: 'Субсидії' }) });
      await summaryTable.locator('tbody tr').first().waitFor();
      expect(await summaryTable.locator('tbody tr').count()).toBe(summary.length);
      const summaryText = squash(await summaryTable.innerText());
      for (const s of summary) expect(summaryText).toContain(squash(`${s.service}\t${s.provider}\t${new Intl.NumberFormat('uk-UA').format(s.accounts)}\t${uk(s.charged)}`));
      // The demo city's meters are not read yet this month: their charges are estimates, and the
      // table says how much of each service's charge that is.
      const estimated = summary.filter((s) => Number(s.estimated) > 0);
      expect(estimated.length).toBeGreaterThan(0);
      for (const s of estimated) expect(summaryText).toContain(squash(uk(Number(s.estimated))));

      // The outliers: accounts charged more than `factor` times their usual (last three months).
      const { outlierFactor } = await loadSettings(ctx.db, ctx.communityId);
      const outliers = (
        await sql<{ number: string; charged: number; usual: number }>`
with cur as (
  select account_id, sum(amount)::bigint as charged from charge_line
   where community_id = ${ctx.communityId} and billing_run_id = ${run.billing_run_id} and kind = 'charge' group by account_id
), usual as (
  select account_id, (sum(amount) / count(distinct period))::bigint as usual from ledger_entry
   where community_id = ${ctx.communityId} and kind = 'charge' and period between ${prevPeriod(period, 3)}::date and ${previous}::date
   group by account_id
)
select a.number, cur.charged, usual.usual
  from cur join usual using (account_id) join account a on a.community_id = ${ctx.communityId} and a.account_id = cur.account_id
 where usual.usual > 0 and cur.charged > usual.usual * ${outlierFactor}::numeric`.execute(ctx.db)
      ).rows;
      expect(outliers.map((o) => o.number)).toContain(account.number);
      await page.getByText(`Перевірити перед закриттям: нарахування понад ${Number(outlierFactor)}× звичайного`).waitFor();
      const outlierTable = page.locator('table').filter({ has: page.getByRole('columnheader', { name: 'Звичайно' }) });
      expect(await outlierTable.locator('tbody tr').count()).toBe(outliers.length);
      for (const o of outliers) {
        const cells = await rowCells(outlierTable, o.number);
        expect(cells[3]).toBe(squash(uk(o.charged)));
        expect(cells[4]).toBe(squash(uk(o.usual)));
      }
      await page.screenshot({ path: path.join(os.tmpdir(), 'hromada-billing-review.png'), fullPage: true });

      // Close the period, confirming in the dialog, and watch the closing finish.
      await periodRow.getByRole('button', { name: 'Закрити період' }).click();
      const dialog = page.getByRole('dialog', { name: 'Закрити період?' });
      await dialog.getByText(`період ${month} більше не зміниться`).waitFor();
      await dialog.getByRole('button', { name: 'Закрити', exact: true }).click();
      const closeSection = page.locator('div').filter({ has: page.getByRole('heading', { name: 'Закриття періоду' }) }).last();
      await closeSection.getByText('Готово', { exact: true }).waitFor({ timeout: 60_000 });
      await periodRow.getByText('закрито').waitFor();
      const closed = await ctx.db.selectFrom('billing_period').select('status').where('community_id', '=', ctx.communityId).where('period', '=', period).executeTakeFirstOrThrow();
      expect(closed.status).toBe('closed');

      // The outlier's account card: its statement for the month as the ledger now holds it.
      await page.getByRole('link', { name: account.number, exact: true }).first().click();
      await page.waitForURL(`${baseUrl}/billing/accounts/${account.account_id}`);
      const accountFigures = await ledgerFigures({ accountId: account.account_id });
      const lastMonth = await ctx.db.selectFrom('ledger_entry').select((eb) => eb.fn.sum<string>('amount').as('sum')).where('account_id', '=', account.account_id).where('period', '<=', previous).executeTakeFirstOrThrow();
      expect(accountFigures.opening).toBe(Number(lastMonth.sum));
      expect(accountFigures.opening).toBeGreaterThan(0);
      expect(accountFigures.paid).toBe(-1500);
      expect(accountFigures.charged).toBeGreaterThan(0);
      const cardTable = page.locator('table').filter({ has: page.getByRole('columnheader', { name: 'Сальдо на кінець' }) });
      // Period, opening, charged, recalculations, benefits, subsidies, penalty, adjustments, paid, closing.
      const card = await rowCells(cardTable, month);
      expect([card[0], card[1], card[2], card[8], card[9]]).toEqual([month, ...[accountFigures.opening, accountFigures.charged, -accountFigures.paid, accountFigures.closing].map((v) => squash(uk(v)))]);
      await page.screenshot({ path: path.join(os.tmpdir(), 'hromada-account-card.png'), fullPage: true });

      // From the card to its premise's unified statement: the month over every account of the premise.
      await page.getByRole('link', { name: /^ЄР / }).click();
      await page.waitForURL(`${baseUrl}/billing/premises/${account.premise_id}`);
      await page.getByRole('heading', { name: `За послугами, ${month}` }).waitFor();
      const premiseFigures = await ledgerFigures({ premiseId: account.premise_id });
      const byPeriod = page.locator('table').last();
      // Period, opening, charged (with recalculations), benefits/subsidies, penalty/adjustments, paid, to pay.
      const cells = await rowCells(byPeriod, month);
      expect([cells[0], cells[1], cells[2], cells[5], cells[6]]).toEqual([month, ...[premiseFigures.opening, premiseFigures.charged + premiseFigures.recalculations, -premiseFigures.paid, premiseFigures.closing].map((v) => squash(uk(v)))]);
      // The line of the outlier's account in the by-service table carries the account's own figures.
      const byService = page.locator('table').first();
      const line = await rowCells(byService, account.number);
      expect([line[1], line[2], line[5], line[6]]).toEqual([accountFigures.opening, accountFigures.charged + accountFigures.recalculations, -accountFigures.paid, accountFigures.closing].map((v) => squash(uk(v))));
      // Its total row: the sum of the lines, which is the premise's month in the by-period table.
      const total = (await byService.locator('tfoot tr').first().locator('th').allInnerTexts()).map(squash);
      expect(total).toEqual(['Разом', ...cells.slice(1)]);
      await page.screenshot({ path: path.join(os.tmpdir(), 'hromada-unified-statement.png'), fullPage: true });
    } catch (error) {
      await page.screenshot({ path: path.join(os.tmpdir(), 'hromada-billing-failure.png'), fullPage: true });
      throw error;
    } finally {
      await page.close();
    }
  });
});
