import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { AppContext } from '../../src/server/context';
import { finishRun, runRemainingSteps, scopeOf, startRun } from '../../src/billing/run';
import { DEMO_DECISION } from '../../src/billing/demo';
import { kyivToday, periodOf } from '../../src/shared/period';
import { signInAsAdmin, startDemoServer, type DemoServer } from './demo-server';

// Issue 17's "one language at a time": in English mode the staff pages that show a service (the
// billing review's table, chart and outliers, tariffs, tariff control, the account card, the
// unified statement, the premise card, the bill preview) name it in English, never in Ukrainian,
// and the approved tariffs' decision column is not a «uk / en» pair. The demo city starts with last
// month closed; `prepare` calculates this month too, so the billing page has a review to show.

describe('service names in the reader’s language', () => {
  let server: DemoServer;
  let ctx: AppContext;
  let browser: Browser;
  let baseUrl: string;
  let target: { account_id: number; premise_id: number };
  let names: Array<{ uk: string; en: string }>;

  beforeAll(async () => {
    server = await startDemoServer(async (c) => {
      const period = periodOf(kyivToday());
      const runId = await startRun(c.db, c.communityId, period);
      const lines = await runRemainingSteps(c.db, scopeOf(c.communityId, runId, period), undefined, { refreshConsumption: true });
      await finishRun(c.db, c.communityId, runId, period, lines);
      const r = await sql<{ account_id: number; premise_id: number }>`
select a.account_id, a.premise_id from account a
 where a.community_id = ${c.communityId} and (select count(*) from account b where b.premise_id = a.premise_id) >= 3
   and exists (select 1 from ledger_entry le where le.account_id = a.account_id and le.kind = 'charge')
 order by a.account_id limit 1`.execute(c.db);
      target = r.rows[0]!;
    });
    ({ ctx, browser, baseUrl } = server);
    names = (await ctx.db.selectFrom('service').select(['name_uk as uk', 'name_en as en']).where('community_id', '=', ctx.communityId).execute()).filter((s) => s.uk !== s.en);
    expect(names.length).toBeGreaterThan(5);
  });
  afterAll(() => server?.close());

  it('English pages show no Ukrainian service name; the decision column is in one language', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 1000 }, locale: 'en-GB' });
    const wrong: string[] = [];
    const englishSeen = new Set<string>();
    try {
      await signInAsAdmin(page, baseUrl);
      await page.getByText('English', { exact: true }).click();
      await page.getByRole('heading', { name: 'Community overview' }).first().waitFor();
      const pages: Array<{ path: string; ready: string }> = [
        { path: '/', ready: 'Community overview' },
        { path: '/billing/runs', ready: `Review of ${periodOf(kyivToday()).slice(0, 7)}` },
        { path: '/billing/tariffs', ready: 'Tariffs' },
        { path: '/billing/tariff-control', ready: 'Approved tariffs' },
        { path: `/billing/accounts/${target.account_id}`, ready: 'Statement by period' },
        { path: `/billing/premises/${target.premise_id}`, ready: 'By period' },
        { path: `/premises/${target.premise_id}`, ready: 'Accounts' },
        { path: `/billing/premises/${target.premise_id}/support`, ready: 'Benefits' },
      ];
      for (const p of pages) {
        await page.goto(`${baseUrl}${p.path}`);
        await page.getByRole('heading', { name: p.ready }).first().waitFor();
        await page.waitForLoadState('networkidle');
        const text = await page.evaluate(() => document.body.innerText);
        for (const n of names) {
          if (text.includes(n.uk)) wrong.push(`${p.path}: «${n.uk}»`);
          if (text.includes(n.en)) englishSeen.add(`${p.path}: ${n.en}`);
        }
        if (p.path === '/billing/tariff-control') {
          const decisions = page.getByRole('table').last().locator('tbody tr td:last-child');
          const cells = await decisions.allInnerTexts();
          expect(cells.length).toBeGreaterThan(0);
          for (const cell of cells) {
            expect(cell).toBe(DEMO_DECISION);
          }
        }
        await page.screenshot({ path: path.join(os.tmpdir(), `hromada-en${p.path.replaceAll('/', '-')}.png`), fullPage: true });
      }
    } finally {
      await page.close();
    }
    expect(wrong).toEqual([]);
    // And the names are there, in English: the review, the tariffs, the card and the statement show them.
    for (const p of ['/billing/runs', '/billing/tariffs', '/billing/tariff-control', `/billing/accounts/${target.account_id}`, `/billing/premises/${target.premise_id}`]) {
      expect([...englishSeen].some((s) => s.startsWith(`${p}: `)), p).toBe(true);
    }
  });
});
