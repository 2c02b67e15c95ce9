import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { AppContext } from '../../src/server/context';
import { agentFromRow, pay, reversePayment } from '../../src/payments/service';
import { exportSettlementDay } from '../../src/payments/settlement';
import { addDays, kyivToday } from '../../src/shared/period';
import { agentHeaders } from '../../src/payments/signature';
import { signInAsAdmin, signInAsCity, signInOnForm, startDemoServer, type DemoServer } from './demo-server';
import { money } from '../../web/src/pages/billing/labels';

// Issue 14's agents and settlement pages, as an administrator uses them: adds a bank as a payment
// agent and issues its key (the secret shown once); the bank pays with that key over the signed
// API; yesterday's money is formed into each provider's registry on the settlement page, whose
// totals are the payment, with the CSV to download.

const squash = (text: string) => text.replace(/[\s\u00a0\u202f\u2007\u2009]+/g, ' ').trim();

describe('payment agents and settlement in the browser', () => {
  let server: DemoServer;
  let ctx: AppContext;
  let browser: Browser;
  let baseUrl: string;
  let household: { premise_id: number; number: string };

  beforeAll(async () => {
    server = await startDemoServer(async (c) => {
      const r = await sql<{ premise_id: number; number: string }>`
select p.premise_id, ua.number
  from premise p join unified_account ua on ua.community_id = p.community_id and ua.premise_id = p.premise_id
 where p.community_id = ${c.communityId}
   and (select count(*) from account a where a.community_id = p.community_id and a.premise_id = p.premise_id and a.closed_on is null) >= 2
 order by p.premise_id limit 1`.execute(c.db);
      household = r.rows[0]!;
      // The household owes two providers, so the payment splits.
      const accounts = await c.db.selectFrom('account').select('account_id').where('community_id', '=', c.communityId).where('premise_id', '=', household.premise_id).where('closed_on', 'is', null).orderBy('account_id').execute();
      await c.db
        .insertInto('ledger_entry')
        .values(accounts.map((a, i) => ({ community_id: c.communityId, account_id: a.account_id, period: '2026-01-01', kind: 'opening_balance' as const, amount: 40_000 + i * 1_000, source: 'import' as const })))
        .execute();
    });
    ({ ctx, browser, baseUrl } = server);
  });
  afterAll(() => server?.close());

  it('an agent and its key on the agents page; the key pays; yesterday’s registries formed for settlement and the bank’s registry reconciled', async () => {
    const page = await browser.newPage({ viewport: { width: 1300, height: 1000 }, locale: 'uk-UA' });
    try {
      await signInAsAdmin(page, baseUrl);
      await page.getByRole('link', { name: 'Платіжні агенти' }).click();
      await page.getByRole('heading', { name: 'Платіжні агенти' }).waitFor();
      // One menu entry is lit: this page's, not also «Платежі» above it.
      expect(await page.locator('a[data-active]').allInnerTexts()).toEqual(['Платіжні агенти']);
      const form = page.getByRole('form', { name: 'Новий агент' });
      await form.getByLabel('Код (латиниця)').fill('testbank');
      await form.getByLabel('Назва').fill('Тест-Банк');
      await form.getByRole('button', { name: 'Додати' }).click();
      await form.getByText('Агента testbank додано').waitFor();
      const row = page.getByRole('table', { name: 'Платіжні агенти' }).getByRole('row').filter({ hasText: 'Тест-Банк' });
      await row.getByText('немає').waitFor();
      await row.getByRole('button', { name: 'Новий ключ' }).click();
      const secret = (await page.getByTestId('agent-secret').innerText()).trim();
      const notice = squash(await page.getByRole('status').filter({ hasText: 'Секрет' }).innerText());
      const keyId = notice.match(/Агент testbank, ключ (\S+)/)![1]!;
      await expect.poll(async () => (await row.innerText()).includes(keyId)).toBe(true);

      // The bank pays with the key from the page, signed as its client would.
      const body = JSON.stringify({ txnId: 'tb-1', unifiedAccount: household.number, amount: 5_000 });
      const paid = await fetch(`${baseUrl}/api/agent/v1/pay`, { method: 'POST', body, headers: { 'content-type': 'application/json', ...agentHeaders(keyId, secret, 'POST', '/api/agent/v1/pay', body) } });
      expect(paid.status).toBe(201);

      // Yesterday's payment (the day is over, so it can be settled).
      const agent = await ctx.db.selectFrom('payment_agent').selectAll().where('code', '=', 'testbank').executeTakeFirstOrThrow();
      const yesterday = new Date(Date.now() - 86_400_000);
      await pay(ctx.db, agentFromRow(ctx.communityId, agent), { txnId: 'tb-0', unifiedAccount: household.number, amount: 30_000 }, yesterday);
      const parts = await sql<{ provider: string; amount: number }>`
select v.name as provider, sum(pa.amount)::int as amount from payment p
  join payment_allocation pa on pa.community_id = p.community_id and pa.payment_id = p.payment_id
  join account a on a.community_id = pa.community_id and a.account_id = pa.account_id
  join provider v on v.community_id = a.community_id and v.provider_id = a.provider_id
 where p.txn_id = 'tb-0' group by v.name order by v.name`.execute(ctx.db);
      expect(parts.rows.length).toBeGreaterThanOrEqual(2);

      await page.getByRole('link', { name: 'Розрахунки з постачальниками' }).click();
      await page.getByRole('heading', { name: 'Розрахунки з постачальниками' }).waitFor();
      await page.getByText(/^Реєстрів за цей день немає/).waitFor();
      await page.getByRole('button', { name: 'Сформувати реєстри' }).click();
      const table = page.getByRole('table', { name: 'Реєстри розрахунків' });
      await table.waitFor();
      for (const p of parts.rows) {
        const line = squash(await table.getByRole('row').filter({ hasText: p.provider }).innerText());
        expect(line).toContain(squash(money(p.amount, 'uk-UA')));
      }
      const totalRow = squash(await table.getByRole('row').filter({ hasText: 'Разом' }).innerText());
      expect(totalRow).toContain(squash(money(30_000, 'uk-UA')));
      const csvHref = await table.getByRole('link', { name: 'CSV' }).first().getAttribute('href');
      const csv = await page.request.get(`${baseUrl}${csvHref}`);
      expect(csv.status()).toBe(200);
      expect(csv.headers()['content-type']).toContain('text/csv');

      // A commission contract with the bank, from today: listed at once; the same again is refused, saying why.
      const contract = page.getByRole('form', { name: 'Новий договір комісії' });
      const provider = parts.rows[0]!.provider;
      await contract.getByLabel(/^Постачальник/).click();
      await page.getByRole('option', { name: provider, exact: true }).click();
      await contract.getByLabel(/^Агент/).click();
      await page.getByRole('option', { name: 'Тест-Банк', exact: true }).click();
      await contract.getByRole('textbox', { name: /^Відсоток/ }).fill('1.5');
      await contract.getByRole('button', { name: 'Додати договір' }).click();
      const todayShown = new Intl.DateTimeFormat('uk-UA', { timeZone: 'Europe/Kyiv' }).format(new Date());
      await contract.getByRole('status').getByText(`Договір додано: діє з ${todayShown}`).waitFor();
      const listedContract = squash(await page.getByRole('table', { name: 'Договори комісії' }).getByRole('row').filter({ hasText: provider }).innerText());
      expect(listedContract).toBe(squash(`${provider} Тест-Банк 1,5 % ${todayShown}`));
      await contract.getByRole('textbox', { name: /^Відсоток/ }).fill('2');
      await contract.getByRole('button', { name: 'Додати договір' }).click();
      await contract.getByRole('alert').getByText(/уже є/).waitFor();

      // The bank's registry of yesterday, reconciled on its page: the API's payment matches, a desk payment the API never saw is posted.
      await page.getByRole('link', { name: 'Звірка реєстрів' }).click();
      await page.getByRole('heading', { name: 'Звірка реєстрів агентів' }).waitFor();
      const upload = page.getByRole('form', { name: 'Завантажити реєстр' });
      await upload.getByLabel(/^Агент/).click();
      await page.getByRole('option', { name: 'Тест-Банк (testbank)' }).click();
      const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Kyiv' }).format(yesterday);
      await upload.getByLabel(/^Операційний день/).fill(day);
      const registry = `TXN;UNIFIED;AMOUNT\r\ntb-0;${household.number};300.00\r\ntb-desk;${household.number};15.00\r\n`;
      await page.locator('input[type="file"]').setInputFiles({ name: 'testbank.csv', mimeType: 'text/csv', buffer: Buffer.from(registry) });
      await upload.getByRole('button', { name: 'Звірити' }).click();
      await upload.getByText('Рядків 2: збіглися 1, проведено зараз 1, розбіжностей 0').waitFor();
      const listed = squash(await page.getByRole('table', { name: 'Реєстри агентів' }).getByRole('row').filter({ hasText: 'Тест-Банк' }).innerText());
      expect(listed).toContain('збіглися 1');
      expect(listed).toContain('проведено 1');
      expect(listed).toContain(squash(money(31_500, 'uk-UA')));

      // The key is thought leaked: retired at once, after a confirmation, and the bank's next call is refused.
      await page.getByRole('link', { name: 'Платіжні агенти' }).click();
      await row.getByRole('button', { name: 'Відкликати' }).click();
      const confirm = page.getByRole('dialog', { name: 'Відкликати ключ?' });
      await confirm.getByText(`Ключ ${keyId} агента Тест-Банк перестане діяти одразу`, { exact: false }).waitFor();
      await confirm.getByRole('button', { name: 'Відкликати' }).click();
      await page.getByRole('status').getByText(`Ключ ${keyId} відкликано`).waitFor();
      const late = JSON.stringify({ txnId: 'tb-late', unifiedAccount: household.number, amount: 5_000 });
      const refused = await fetch(`${baseUrl}/api/agent/v1/pay`, { method: 'POST', body: late, headers: { 'content-type': 'application/json', ...agentHeaders(keyId, secret, 'POST', '/api/agent/v1/pay', late) } });
      expect([refused.status, ((await refused.json()) as { code: string }).code]).toEqual([401, 'unknown_key']);

      // Its settings: a wrong address is named and nothing is saved; then only one address, and switched off.
      await row.getByRole('button', { name: 'Змінити…' }).click();
      const edit = page.getByRole('dialog', { name: 'Агент testbank' });
      await edit.getByLabel(/^Дозволені IP-адреси/).fill('10.0.0.9\nбанк');
      await edit.getByRole('button', { name: 'Зберегти' }).click();
      await edit.getByText('«банк» — не IP-адреса (IPv4 або IPv6)').waitFor();
      await edit.getByLabel(/^Дозволені IP-адреси/).fill('10.0.0.9');
      await edit.getByRole('switch', { name: /Агент працює/ }).uncheck();
      await edit.getByRole('button', { name: 'Зберегти' }).click();
      await page.getByRole('status').getByText('Агента testbank змінено').waitFor();
      await expect.poll(async () => squash(await row.innerText())).toContain('вимкнено');
      expect(squash(await row.innerText())).toContain('лише з 10.0.0.9');
      const saved = await ctx.db.selectFrom('payment_agent').select(['ip_allow', 'active']).where('code', '=', 'testbank').executeTakeFirstOrThrow();
      expect(saved).toEqual({ ip_allow: ['10.0.0.9'], active: false });
    } finally {
      await page.close();
    }
  });

  it('a payment is reversed only after the reason is given and confirmed, and shows the reason; a city official sees no reversal', async () => {
    const page = await browser.newPage({ viewport: { width: 1300, height: 1000 }, locale: 'uk-UA' });
    try {
      await signInAsAdmin(page, baseUrl);
      await page.getByRole('link', { name: 'Платежі', exact: true }).click();
      await page.getByLabel('Транзакція агента').fill('no-such-txn');
      await page.getByRole('button', { name: 'Знайти' }).click();
      await page.getByText('За цими умовами платежів не знайдено.').waitFor();
      await page.getByLabel('Транзакція агента').fill('tb-1');
      await page.getByRole('button', { name: 'Знайти' }).click();
      const row = page.getByRole('row').filter({ hasText: 'tb-1' });
      await row.getByRole('button', { name: 'Сторнувати…' }).click();
      const dialog = page.getByRole('dialog', { name: 'Сторнувати платіж?' });
      await dialog.getByText(squash(money(5_000, 'uk-UA')), { exact: false }).waitFor();
      // Nothing happens without a reason; cancelling changes nothing.
      expect(await dialog.getByRole('button', { name: 'Сторнувати', exact: true }).isDisabled()).toBe(true);
      await dialog.getByRole('button', { name: 'Скасувати' }).click();
      await dialog.waitFor({ state: 'hidden' });
      expect((await ctx.db.selectFrom('payment').select('status').where('txn_id', '=', 'tb-1').executeTakeFirstOrThrow()).status).toBe('posted');
      await row.getByRole('button', { name: 'Сторнувати…' }).click();
      await dialog.getByLabel('Причина').fill('Помилковий рахунок');
      await dialog.getByRole('button', { name: 'Сторнувати', exact: true }).click();
      await row.getByText('Сторновано').waitFor();
      await row.getByText('Помилковий рахунок').waitFor();
      expect((await ctx.db.selectFrom('payment').select('status').where('txn_id', '=', 'tb-1').executeTakeFirstOrThrow()).status).toBe('cancelled');
    } finally {
      await page.close();
    }
    const city = await browser.newPage({ viewport: { width: 1300, height: 1000 }, locale: 'uk-UA' });
    try {
      await signInAsCity(city, baseUrl);
      await city.getByRole('link', { name: 'Платежі', exact: true }).click();
      await city.getByRole('row').filter({ hasText: 'tb-0' }).waitFor();
      expect(await city.getByRole('button', { name: /Сторнувати/ }).count()).toBe(0);
      // The city sees yesterday's registries the desk formed, and cannot form any itself.
      await city.getByRole('link', { name: 'Розрахунки з постачальниками' }).click();
      const formed = city.getByRole('table', { name: 'Реєстри розрахунків' });
      await formed.waitFor();
      expect(squash(await formed.getByRole('row').filter({ hasText: 'Разом' }).innerText())).toContain(squash(money(30_000, 'uk-UA')));
      expect(await city.getByRole('button', { name: 'Сформувати реєстри' }).count()).toBe(0);

      // The heat supplier's accountant sees its own registry of yesterday, and no one else's.
      const heat = await ctx.db.selectFrom('app_user').innerJoin('provider', 'provider.provider_id', 'app_user.provider_id').select(['provider.provider_id', 'provider.name']).where('login', '=', 'provider-heat').executeTakeFirstOrThrow();
      const accountant = await browser.newPage({ viewport: { width: 1300, height: 1000 }, locale: 'uk-UA' });
      try {
        await signInOnForm(accountant, baseUrl, 'provider-heat');
        await accountant.getByRole('link', { name: 'Розрахунки з постачальниками' }).click();
        const own = accountant.getByRole('table', { name: 'Реєстри розрахунків' });
        await own.waitFor();
        const rows = (await own.locator('tbody tr').allInnerTexts()).map(squash);
        expect(rows).toHaveLength(1);
        expect(rows[0]).toContain(heat.name);
        expect(await accountant.getByRole('button', { name: 'Сформувати реєстри' }).count()).toBe(0);
        const csv = await accountant.request.get(`${baseUrl}${await own.getByRole('link', { name: 'CSV' }).getAttribute('href')}`);
        expect(csv.status()).toBe(200);
      } finally {
        await accountant.close();
      }

      // Yesterday's settled payment is taken back today: today's registries transfer nothing, and
      // each provider's debt is to come off its next registry.
      const settled = await ctx.db.selectFrom('payment').select('payment_id').where('txn_id', '=', 'tb-0').executeTakeFirstOrThrow();
      await reversePayment(ctx.db, ctx.communityId, settled.payment_id, 'Повернення платнику', { sameDayOnly: false });
      const today = kyivToday();
      const owing = await exportSettlementDay(ctx.db, ctx.communityId, today, new Date(`${addDays(today, 1)}T09:00:00+02:00`));
      expect(owing.every((r) => r.transfer.amount === 0 && r.carriedOut < 0)).toBe(true);
      await city.getByLabel(/^Операційний день/).fill(today);
      for (const r of owing) {
        const provider = (await ctx.db.selectFrom('provider').select('name').where('provider_id', '=', r.providerId).executeTakeFirstOrThrow()).name;
        const told = squash(`Не перераховувати: борг надавача ${money(-r.carriedOut, 'uk-UA')} буде утримано з наступного реєстру`);
        await expect.poll(async () => squash(await formed.getByRole('row').filter({ hasText: provider }).innerText()), { timeout: 15_000 }).toContain(told);
      }
      // On the next visit, whatever the day shown, the page names who owes what until their next registry.
      await city.reload();
      await city.getByRole('table', { name: 'Реєстри розрахунків' }).waitFor();
      const owingNote = city.locator('.mantine-Alert-root').filter({ hasText: 'Борги постачальників' });
      for (const r of owing) {
        const provider = (await ctx.db.selectFrom('provider').select('name').where('provider_id', '=', r.providerId).executeTakeFirstOrThrow()).name;
        await owingNote.getByText(squash(`${provider} — ${money(-r.carriedOut, 'uk-UA')}`), { exact: false }).waitFor();
      }
      await city.screenshot({ path: '/tmp/hromada-settlement-owing.png', fullPage: true });
    } finally {
      await city.close();
    }
  });
});
