import { sql } from 'kysely';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import type { AppContext } from '../../src/server/context';
import { agentHeaders } from '../../src/payments/signature';
import { largestRemainder } from '../../src/payments/allocate';
import { exportSettlementDay } from '../../src/payments/settlement';
import { formatUahPlain } from '../../src/shared/money';
import { addDays, kyivToday } from '../../src/shared/period';
import { signInAsOperator, startDemoServer, type DemoServer } from './demo-server';
import { money } from '../../web/src/pages/billing/labels';

// Issue 14's acceptance, in the demo city: a bank pays a household's bill through the agent API
// and through the PrivatBank "Debt" protocol — signed HTTP requests from here, as the bank's own
// client makes them; the money is split across the household's providers to the kopeck; the
// operator sees it on each account card and on the unified statement; the next day's settlement
// registry of each provider carries it (the page and its CSV); retried calls do not pay twice.
// (A resident paying in the sandbox acquirer and getting a receipt is portal.test.ts.)

const squash = (text: string) => text.replace(/[\s\u00a0\u202f\u2007\u2009]+/g, ' ').trim();
const uk = (k: number) => squash(money(k, 'uk-UA'));
const KEY_ID = 'privat_acceptance';
const SECRET = 'privat-acceptance-secret-0123456789';

interface Household {
  premise_id: number;
  number: string;
}

describe('issue 14 acceptance: a bank pays a household through the agent API and the Debt protocol', () => {
  let server: DemoServer;
  let ctx: AppContext;
  let browser: Browser;
  let baseUrl: string;
  let household: Household;
  let paidBefore: Map<string, number>;

  /** A signed request, as the bank's client sends it. */
  const signed = (method: 'GET' | 'POST', path: string, body = '', contentType = 'application/json') =>
    fetch(`${baseUrl}${path}`, { method, body: body || undefined, headers: { ...(body ? { 'content-type': contentType } : {}), ...agentHeaders(KEY_ID, SECRET, method, path, body) } });
  const debt = (action: string, data: string) =>
    signed('POST', '/api/debt/v1', `<?xml version="1.0" encoding="UTF-8"?><Transfer xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" interface="Debt" action="${action}">${data}</Transfer>`, 'application/xml');

  /** What the ledger holds as paid per account of the household and period (positive kopecks), keyed `account|YYYY-MM`. */
  async function paidPerAccount(): Promise<Map<string, number>> {
    const r = await sql<{ account_id: number; period: string; paid: number }>`
select a.account_id, to_char(le.period, 'YYYY-MM') as period, -sum(le.amount)::bigint as paid
  from account a join ledger_entry le on le.community_id = a.community_id and le.account_id = a.account_id
 where a.community_id = ${ctx.communityId} and a.premise_id = ${household.premise_id} and le.kind = 'payment' group by 1, 2`.execute(ctx.db);
    return new Map(r.rows.map((x) => [`${x.account_id}|${x.period}`, Number(x.paid)]));
  }

  async function rowCells(table: Locator, text: string, also?: string) {
    const rows = table.locator('tbody tr').filter({ hasText: text });
    const row = (also ? rows.filter({ hasText: also }) : rows).first();
    await row.waitFor();
    return (await row.locator('td').allInnerTexts()).map(squash);
  }

  beforeAll(async () => {
    server = await startDemoServer(async (c) => {
      // A household whose accounts belong to at least two providers, so the payment splits.
      const r = await sql<Household>`
select p.premise_id, ua.number
  from premise p join unified_account ua on ua.community_id = p.community_id and ua.premise_id = p.premise_id
 where p.community_id = ${c.communityId}
   and (select count(distinct a.provider_id) from account a where a.community_id = p.community_id and a.premise_id = p.premise_id and a.closed_on is null) >= 2
 order by p.premise_id limit 1`.execute(c.db);
      household = r.rows[0]!;
      // Debts with odd kopecks, so a partial payment leaves remainders to hand out.
      const accounts = await c.db.selectFrom('account').select('account_id').where('community_id', '=', c.communityId).where('premise_id', '=', household.premise_id).where('closed_on', 'is', null).orderBy('account_id').execute();
      await c.db
        .insertInto('ledger_entry')
        .values(accounts.map((a, i) => ({ community_id: c.communityId, account_id: a.account_id, period: '2026-01-01', kind: 'opening_balance' as const, amount: 33_337 + i * 16_669, source: 'import' as const })))
        .execute();
      // The bank, with the key it signs with (the agents page issues such keys: payments-pages.test.ts).
      const agent = await c.db.insertInto('payment_agent').values({ community_id: c.communityId, code: 'privat', name: 'ПриватБанк (тест)' }).returning('agent_id').executeTakeFirstOrThrow();
      await c.db.insertInto('agent_key').values({ community_id: c.communityId, agent_id: agent.agent_id, key_id: KEY_ID, secret: SECRET }).execute();
    });
    ({ ctx, browser, baseUrl } = server);
    paidBefore = await paidPerAccount();
  });
  afterAll(() => server?.close());

  it('splits each payment to the kopeck, shows it on the account cards and the unified statement, settles it the next day, and pays a retry once', async () => {
    // 1. The bank asks what the household owes, per provider and in total.
    const found = await signed('GET', `/api/agent/v1/debt?unifiedAccount=${household.number}`);
    expect(found.status).toBe(200);
    const owed = (await found.json()) as { total: number; lines: Array<{ serviceCode: string; accountNumber: string; provider: string; toPay: number }> };
    const owing = owed.lines.filter((l) => l.toPay > 0);
    expect(new Set(owing.map((l) => l.provider)).size).toBeGreaterThanOrEqual(2);
    expect(owed.total).toBe(owing.reduce((s, l) => s + l.toPay, 0));

    // 2. The payer gives a third of it at the bank's counter: the agent API splits it over the debts by largest remainder.
    const first = Math.floor(owed.total / 3) + 1;
    const payBody = JSON.stringify({ txnId: 'privat-api-1', unifiedAccount: household.number, amount: first });
    const paidApi = await signed('POST', '/api/agent/v1/pay', payBody);
    expect(paidApi.status).toBe(201);
    const api = (await paidApi.json()) as { paymentId: number; amount: number; parts: Array<{ accountNumber: string; serviceCode: string; provider: string; amount: number }> };
    expect(api.parts.reduce((s, p) => s + p.amount, 0)).toBe(first);
    const expectedShares = largestRemainder(first, owing.map((l) => l.toPay));
    expect(api.parts.map((p) => [p.serviceCode, p.accountNumber, p.amount])).toEqual(owing.map((l, i) => [l.serviceCode, l.accountNumber, expectedShares[i]!]).filter(([, , a]) => (a as number) > 0));
    expect(new Set(api.parts.map((p) => p.provider)).size).toBeGreaterThanOrEqual(2);
    // The bank's retry (a timeout on its side) answers the same payment and pays nothing more.
    const retriedApi = await signed('POST', '/api/agent/v1/pay', payBody);
    expect(retriedApi.status).toBe(200);
    expect(await retriedApi.json()).toMatchObject({ paymentId: api.paymentId, replayed: true, amount: first });

    // 3. The rest through the Debt protocol: Search shows what is left per service, Check gives a reference, Pay pays it.
    const search = await (await debt('Search', `<Data xsi:type="Payer" billIdentifier="${household.number}"/>`)).text();
    expect(search).toContain('xsi:type="DebtPack"');
    const rest = owed.total - first;
    expect(search).toContain(`<TotalSum>${formatUahPlain(rest)}</TotalSum>`);
    const check = await (await debt('Check', `<Data xsi:type="Payment" billIdentifier="${household.number}"><TotalSum>${formatUahPlain(rest)}</TotalSum></Data>`)).text();
    const reference = /reference="([^"]+)"/.exec(check)![1]!;
    const payXml = `<Data xsi:type="Payment" id="PB-ACC-1" billIdentifier="${household.number}" checkReference="${reference}"><TotalSum>${formatUahPlain(rest)}</TotalSum></Data>`;
    const paidDebt = await (await debt('Pay', payXml)).text();
    expect(paidDebt).toContain('xsi:type="Gateway"');
    const debtPaymentId = Number(/reference="(\d+)"/.exec(paidDebt)![1]);
    const retriedDebt = await (await debt('Pay', payXml)).text();
    expect(Number(/reference="(\d+)"/.exec(retriedDebt)![1])).toBe(debtPaymentId);
    // Two payments, not four; each one's parts add up to it exactly; every debt is now paid.
    const payments = await ctx.db.selectFrom('payment').select(['payment_id', 'amount', 'period']).where('community_id', '=', ctx.communityId).where('premise_id', '=', household.premise_id).orderBy('payment_id').execute();
    expect(payments.map((p) => [p.payment_id, p.amount])).toEqual([
      [api.paymentId, first],
      [debtPaymentId, rest],
    ]);
    const sums = await sql<{ payment_id: number; s: number }>`select payment_id, sum(amount)::bigint as s from payment_allocation where payment_id in (${api.paymentId}, ${debtPaymentId}) group by 1 order by 1`.execute(ctx.db);
    expect(sums.rows.map((r) => Number(r.s))).toEqual([first, rest]);
    const after = (await (await signed('GET', `/api/agent/v1/debt?unifiedAccount=${household.number}`)).json()) as { total: number };
    expect(after.total).toBe(0);

    // What each account got from the two payments, from their allocations.
    // (An account number may repeat across services of one provider — water and sewerage — so a line is its service and number.)
    const parts = await sql<{ account_id: number; number: string; service_code: string; service: string; provider_id: number; provider: string; amount: number }>`
select a.account_id, a.number, s.code as service_code, s.name_uk as service, a.provider_id, v.name as provider, sum(pa.amount)::bigint as amount
  from payment_allocation pa join account a on a.community_id = pa.community_id and a.account_id = pa.account_id
  join service s on s.community_id = a.community_id and s.service_id = a.service_id
  join provider v on v.community_id = a.community_id and v.provider_id = a.provider_id
 where pa.payment_id in (${api.paymentId}, ${debtPaymentId}) group by 1, 2, 3, 4, 5, 6 order by a.account_id`.execute(ctx.db);
    const byAccount = parts.rows.map((r) => ({ ...r, amount: Number(r.amount) }));
    const apiPartOf = (r: { number: string; service_code: string }) => api.parts.find((p) => p.accountNumber === r.number && p.serviceCode === r.service_code)?.amount ?? 0;
    expect(byAccount.reduce((s, r) => s + r.amount, 0)).toBe(owed.total);
    const month = payments[0]!.period.slice(0, 7);

    const page: Page = await browser.newPage({ viewport: { width: 1300, height: 1000 }, locale: 'uk-UA' });
    try {
      await signInAsOperator(page, baseUrl);

      // 4. The unified statement: the month's «Сплачено» is both payments together (and what was paid before), per service and in total.
      await page.goto(`${baseUrl}/billing/premises/${household.premise_id}`);
      await page.getByRole('heading', { name: 'Єдиний рахунок: виписка' }).waitFor();
      const before = (accountId: number) => paidBefore.get(`${accountId}|${month}`) ?? 0;
      const byPeriod = page.locator('table').filter({ has: page.getByRole('columnheader', { name: 'Період' }) }).last();
      // Period, opening, charged, benefits/subsidies, penalty/adjustments, paid, to pay.
      const periodRow = await rowCells(byPeriod, month);
      const premiseBefore = [...paidBefore].filter(([k]) => k.endsWith(`|${month}`)).reduce((s, [, v]) => s + v, 0);
      expect(periodRow[5]).toBe(uk(premiseBefore + owed.total));
      await page.getByRole('heading', { name: `За послугами, ${month}` }).waitFor();
      const byService = page.locator('table').first();
      for (const r of byAccount) {
        const line = await rowCells(byService, r.service, r.number);
        expect(line[5]).toBe(uk(before(r.account_id) + r.amount));
      }
      await page.screenshot({ path: '/tmp/hromada-acceptance-statement.png', fullPage: true });

      // 5. Each account card, reached from its line on the statement: the month's «Сплачено», and the
      //    payments in the journal under the bank's transaction ids, with the account's part of each.
      for (const r of byAccount) {
        await page.goto(`${baseUrl}/billing/premises/${household.premise_id}`);
        await page.locator('table').first().locator('tbody tr').filter({ hasText: r.service }).filter({ hasText: r.number }).getByRole('link', { name: r.service }).click();
        await page.waitForURL(`${baseUrl}/billing/accounts/${r.account_id}`);
        const card = page.locator('table').filter({ has: page.getByRole('columnheader', { name: 'Сальдо на кінець' }) });
        const cells = await rowCells(card, month);
        expect(cells[8]).toBe(uk(before(r.account_id) + r.amount));
        const journal = page.locator('table').filter({ has: page.getByRole('columnheader', { name: 'Джерело' }) });
        const apiPart = apiPartOf(r);
        const debtPart = r.amount - apiPart;
        if (apiPart > 0) expect(squash(await journal.locator('tbody tr').filter({ hasText: 'privat privat-api-1' }).innerText())).toContain(uk(-apiPart));
        if (debtPart > 0) expect(squash(await journal.locator('tbody tr').filter({ hasText: 'privat PB-ACC-1' }).innerText())).toContain(uk(-debtPart));
        expect(await journal.locator('tbody tr').filter({ hasText: /privat (privat-api-1|PB-ACC-1)/ }).count()).toBe((apiPart > 0 ? 1 : 0) + (debtPart > 0 ? 1 : 0));
      }
      await page.screenshot({ path: '/tmp/hromada-acceptance-card.png', fullPage: true });

      // 6. The next day: today's registries are formed (as the settlement run does once the day is
      //    over), and the settlement page shows each provider's gross as its part of both payments.
      const today = kyivToday();
      const formed = await exportSettlementDay(ctx.db, ctx.communityId, today, new Date(`${addDays(today, 1)}T09:00:00+02:00`));
      const perProvider = new Map<string, { providerId: number; amount: number }>();
      for (const r of byAccount) perProvider.set(r.provider, { providerId: r.provider_id, amount: (perProvider.get(r.provider)?.amount ?? 0) + r.amount });
      expect(formed.map((f) => f.providerId).sort()).toEqual([...perProvider.values()].map((p) => p.providerId).sort());
      await page.getByRole('link', { name: 'Розрахунки з постачальниками' }).click();
      await page.getByRole('heading', { name: 'Розрахунки з постачальниками' }).waitFor();
      await page.getByLabel(/^Операційний день/).fill(today);
      await page.getByRole('button', { name: 'Сформувати реєстри' }).click();
      const table = page.getByRole('table', { name: 'Реєстри розрахунків' });
      await table.waitFor();
      for (const [provider, p] of perProvider) {
        // Provider, lines, gross, commission, to transfer.
        const line = await rowCells(table, provider);
        expect(line[2]).toBe(uk(p.amount));
        const csvHref = await table.locator('tbody tr').filter({ hasText: provider }).getByRole('link', { name: 'CSV' }).getAttribute('href');
        const csv = iconv.decode(Buffer.from(await (await page.request.get(`${baseUrl}${csvHref}`)).body()), 'windows-1251');
        for (const r of byAccount.filter((x) => x.provider === provider)) {
          // Kind, payment, agent, txn, paid at, unified account, account, service, amount, commission, net.
          const rows = csv.split('\r\n').filter((l) => l.split(';')[6] === r.number && l.split(';')[7] === r.service_code);
          const apiPart = apiPartOf(r);
          expect(rows.map((l) => l.split(';')[3]).sort()).toEqual([...(r.amount - apiPart > 0 ? ['PB-ACC-1'] : []), ...(apiPart > 0 ? ['privat-api-1'] : [])]);
          expect(rows.reduce((s, l) => s + Math.round(Number(l.split(';')[8]) * 100), 0)).toBe(r.amount);
        }
        const total = csv.split('\r\n').find((l) => l.startsWith('TOTAL'))!.split(';');
        expect(total[8]).toBe(formatUahPlain(p.amount));
      }
      const totalRow = squash(await table.locator('tfoot tr').innerText());
      expect(totalRow).toContain(uk(owed.total));
      await page.screenshot({ path: '/tmp/hromada-acceptance-settlement.png', fullPage: true });
    } catch (error) {
      await page.screenshot({ path: '/tmp/hromada-acceptance-failure.png', fullPage: true });
      throw error;
    } finally {
      await page.close();
    }
  });
});
