import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { AxeBuilder } from '@axe-core/playwright';
import type { BrowserContext, Page } from 'playwright-core';
import type { AppContext } from '../../src/server/context';
import { startDemoServer, type DemoServer } from './demo-server';
import { amountDue } from '../../src/billing/amount-due';
import { premiseBalances } from '../../src/billing/statements';
import { formatUah } from '../../src/shared/money';
import { kyivToday, periodOf, prevPeriod } from '../../src/shared/period';
// The portal formats money with this helper, so the test does too.
import { money } from '../../web/src/pages/billing/labels';

// Issue 16's acceptance on a phone-sized screen, as a person who has only the paper bill would:
// sign up (the code from the local outbox) → link the household (unified account + the bill's
// total) → read the bill → send a reading → pay in the sandbox → see the payment and the new
// balance; then offline: a reading typed is queued and sent on reconnect, once. axe-core on every
// portal page: no serious or critical violation.
//
// The demo city starts with last month billed and closed (src/cli/startup.ts): a premise's bill for
// it is what the person reads under the demo's bill design; the sandbox card acquirer runs beside the server as
// it does on `npm start` (src/payments/demo-acquirer.ts).

const uk = (kopecks: number) => money(kopecks, 'uk-UA');
const squash = (text: string) => text.replace(/[\s\u00a0\u202f\u2007\u2009]+/g, ' ').trim();

describe('the residents’ portal on a phone', () => {
  let server: DemoServer;
  let ctx: AppContext;
  let context: BrowserContext;
  let page: Page;
  const previous = prevPeriod(periodOf(kyivToday()));
  let target: { premise_id: number; number: string; meter_id: number; serial: string; last: number };
  const email = 'olena.portal@example.com';

  const due = async () => amountDue(await premiseBalances(ctx.db, ctx.communityId, target.premise_id)).total;
  const readingsWith = async (value: number) =>
    (await sql<{ n: number }>`select count(*)::int as n from meter_reading where meter_id = ${target.meter_id} and value1 = ${value}`.execute(ctx.db)).rows[0]!.n;
  const axe = async (name: string) => {
    const r = await new AxeBuilder({ page }).analyze();
    const bad = r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(bad.map((v) => `${name}: ${v.id} — ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join('; ')})`)).toEqual([]);
  };

  beforeAll(async () => {
    server = await startDemoServer(async (c) => {
      const communityId = c.communityId;
      // A flat with a unified account, a one-zone meter with readings, and nobody linked to it.
      const r = await sql<{ premise_id: number; number: string; meter_id: number; serial: string; last: string }>`
select ua.premise_id, ua.number, m.meter_id, m.serial, (select value1 from meter_reading mr where mr.community_id = m.community_id and mr.meter_id = m.meter_id order by read_on desc limit 1)::text as last
  from unified_account ua
  join meter m on m.community_id = ua.community_id and m.premise_id = ua.premise_id and m.zones = 1 and m.status = 'active'
 where ua.community_id = ${communityId}
   and not exists (select 1 from user_premise up where up.community_id = ua.community_id and up.premise_id = ua.premise_id)
   and exists (select 1 from meter_reading mr where mr.community_id = m.community_id and mr.meter_id = m.meter_id)
   and exists (select 1 from account a join ledger_entry le on le.community_id = a.community_id and le.account_id = a.account_id
                where a.community_id = ua.community_id and a.premise_id = ua.premise_id and le.period = ${previous}::date and le.kind = 'charge')
   and (select count(*) from meter m2 where m2.community_id = m.community_id and m2.premise_id = m.premise_id) = 1
 order by ua.premise_id limit 1`.execute(c.db);
      const row = r.rows[0]!;
      target = { ...row, last: Math.floor(Number(row.last)) };
    });
    ctx = server.ctx;
    context = await server.browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'uk-UA', hasTouch: true });
    page = await context.newPage();
  });

  afterAll(async () => {
    await context?.close();
    await server?.close();
  });

  it('sign up → link → bill → reading → pay → new balance; offline reading queued and sent once', async () => {
    const base = server.baseUrl;
    await page.goto(`${base}/portal`);
    await page.getByRole('heading', { name: 'Вхід до кабінету мешканця' }).waitFor();
    await axe('sign-in');

    // Sign up by e-mail; without SMTP_URL the message goes to the local outbox.
    await page.getByRole('link', { name: 'Зареєструватися' }).click();
    await page.getByRole('heading', { name: 'Реєстрація' }).waitFor();
    await axe('sign-up');
    await page.getByLabel("Ваше ім'я").fill('Олена Коваль');
    await page.getByLabel('E-mail або мобільний телефон').fill(email);
    await page.getByLabel('Пароль (щонайменше 8 символів)').fill('olena-portal-1');
    await page.getByRole('button', { name: 'Зареєструватися' }).click();
    await page.getByRole('heading', { name: 'Підтвердження' }).waitFor();
    const message = await ctx.db.selectFrom('portal_outbox').select(['body', 'channel']).where('recipient', '=', email).executeTakeFirstOrThrow();
    expect(message.channel).toBe('email');
    const code = /код: (\d{6})/i.exec(message.body)![1]!;
    await axe('confirm');
    await page.getByLabel('Код із повідомлення').fill(code);
    await page.getByRole('button', { name: 'Підтвердити' }).click();
    await page.getByRole('heading', { name: 'Мої помешкання' }).waitFor();

    // Link the household with the unified account and the total printed on the last bill.
    const printed = amountDue(await premiseBalances(ctx.db, ctx.communityId, target.premise_id, previous)).total;
    expect(printed).toBeGreaterThan(0);
    await axe('home (empty)');
    await page.getByLabel('Номер єдиного рахунку (10 цифр)').fill(target.number);
    await page.getByLabel('Сума «До сплати» з останнього рахунку').fill(`${Math.floor(printed / 100) + 1},00`);
    await page.getByRole('button', { name: 'Прив’язати' }).click();
    await page.getByRole('alert').filter({ hasText: 'не збігається' }).waitFor();
    await page.getByLabel('Сума «До сплати» з останнього рахунку').fill((printed / 100).toFixed(2).replace('.', ','));
    await page.getByRole('button', { name: 'Прив’язати' }).click();
    const toPay = page.getByTestId('to-pay');
    await toPay.waitFor();
    const before = await due();
    expect(squash(await toPay.innerText())).toBe(squash(uk(before)));
    await axe('home');

    // Read the bill.
    await page.getByRole('link', { name: 'Рахунки' }).click();
    await page.getByRole('link', { name: previous.slice(0, 7) }).click();
    await page.getByRole('heading', { name: `Рахунок за ${previous.slice(0, 7)}` }).waitFor();
    expect(squash(await page.getByTestId('bill-to-pay').innerText())).toBe(squash(`До сплати: ${uk(printed)}`));
    await axe('bill');
    await page.getByRole('link', { name: '← На головну' }).click();
    await page.getByRole('link', { name: 'На головну' }).first().click();

    // Send a reading.
    await page.getByRole('link', { name: 'Показники' }).click();
    await page.getByRole('heading', { name: 'Показники лічильників' }).waitFor();
    const field = page.getByLabel(`Новий показник (${target.serial})`);
    await field.fill(String(target.last + 3));
    await page.getByRole('button', { name: 'Надіслати' }).click();
    await page.getByRole('status').filter({ hasText: /Спожито|прийнято|Показник/i }).first().waitFor();
    expect(await readingsWith(target.last + 3)).toBe(1);
    await axe('readings');

    // Pay the whole total in the sandbox and see the payment and the new balance.
    await page.getByRole('link', { name: '← На головну' }).click();
    await page.getByRole('link', { name: 'Сплатити' }).click();
    await page.getByRole('heading', { name: 'Оплата' }).waitFor();
    await axe('pay');
    await page.getByRole('button', { name: 'Сплатити' }).click();
    await page.getByRole('status').filter({ hasText: 'Оплату прийнято' }).waitFor();
    expect(await due()).toBe(0);
    const receipt = await ctx.db.selectFrom('payment').select(['payment_id', 'amount', 'receipt_secret']).where('premise_id', '=', target.premise_id).executeTakeFirstOrThrow();
    expect(receipt.amount).toBe(before);
    const receiptCode = `${receipt.payment_id}-${receipt.receipt_secret}`;
    // The receipt, from the link beside the confirmation: the whole payment, with its code.
    const receiptHref = await page.getByRole('status').getByRole('link', { name: 'Квитанція' }).getAttribute('href');
    expect(receiptHref).toBe(`/api/receipts/${receiptCode}`);
    const receiptPage = await context.newPage();
    try {
      await receiptPage.goto(`${server.baseUrl}${receiptHref}`);
      await receiptPage.getByRole('heading', { name: 'Квитанція про оплату' }).waitFor();
      const receiptText = squash(await receiptPage.locator('body').innerText());
      expect(receiptText).toContain(`Код перевірки / Verification code: ${receiptCode}`);
      expect(receiptText).toContain(`Разом / Total ${squash(formatUah(before, { currency: false }))}`);
    } finally {
      await receiptPage.close();
    }
    await page.getByRole('status').getByRole('link', { name: 'На головну' }).click();
    await expect.poll(async () => squash(await page.getByTestId('to-pay').innerText())).toBe(squash(uk(0)));
    expect(squash(await page.getByTestId('last-payment').innerText())).toContain(squash(uk(before)));

    await page.getByRole('link', { name: 'Історія' }).click();
    await page.getByRole('heading', { name: 'Історія' }).waitFor();
    await page.getByText('Нараховано і сплачено, ₴').waitFor();
    // The payment just made heads the household's payments, with the same receipt.
    const paidList = page.getByRole('list', { name: 'Платежі' });
    await paidList.waitFor();
    const newest = paidList.getByRole('listitem').first();
    expect(squash(await newest.innerText())).toContain(squash(uk(before)));
    expect(squash(await newest.innerText())).toContain('карткою на порталі');
    expect(await newest.getByRole('link', { name: 'квитанція' }).getAttribute('href')).toBe(receiptHref);
    await axe('history');

    // Offline: the reading waits in the queue and goes once the connection is back.
    await page.getByRole('link', { name: '← На головну' }).click();
    await page.getByRole('link', { name: 'Показники' }).click();
    await page.getByLabel(`Новий показник (${target.serial})`).waitFor();
    await context.setOffline(true);
    await page.getByLabel(`Новий показник (${target.serial})`).fill(String(target.last + 7));
    await page.getByRole('button', { name: 'Надіслати' }).click();
    await page.getByText('Збережено в черзі').waitFor();
    await page.getByTestId('queue').filter({ hasText: 'У черзі на надсилання: 1' }).waitFor();
    expect(await readingsWith(target.last + 7)).toBe(0);
    await axe('readings offline');
    await context.setOffline(false);
    await page.getByTestId('queue').waitFor({ state: 'detached', timeout: 20_000 });
    expect(await readingsWith(target.last + 7)).toBe(1);
    // A second flush (another reconnect) sends nothing twice.
    await context.setOffline(true);
    await context.setOffline(false);
    await page.waitForTimeout(500);
    expect(await readingsWith(target.last + 7)).toBe(1);
  });

  it('a card the bank answers late: the page says it is processing, then that it is accepted, with the receipt', async () => {
    await page.goto(`${server.baseUrl}/portal/premises/${target.premise_id}/pay`);
    await page.getByRole('heading', { name: 'Оплата' }).waitFor();
    await page.getByLabel('Сума, ₴').fill('1,00');
    await page.getByLabel('Номер картки').fill('4000 0000 0000 0259');
    await page.getByRole('button', { name: 'Сплатити' }).click();
    await page.getByRole('status').filter({ hasText: 'Банк обробляє оплату' }).waitFor();
    expect(await page.getByRole('link', { name: 'Квитанція' }).count()).toBe(0);
    const accepted = page.getByRole('status').filter({ hasText: 'Оплату прийнято' });
    await accepted.waitFor({ timeout: 10_000 });
    expect(squash(await accepted.innerText())).toContain(squash(uk(100)));
    const href = await accepted.getByRole('link', { name: 'Квитанція' }).getAttribute('href');
    const paid = await ctx.db.selectFrom('payment').select(['payment_id', 'receipt_secret']).where('premise_id', '=', target.premise_id).where('amount', '=', 100).executeTakeFirstOrThrow();
    expect(href).toBe(`/api/receipts/${paid.payment_id}-${paid.receipt_secret}`);
  });

  it('the last bill opens offline', async () => {
    const billUrl = `${server.baseUrl}/portal/premises/${target.premise_id}/bills/${previous}`;
    await page.goto(billUrl);
    await page.getByTestId('bill-to-pay').waitFor();
    // Paid since the bill: the page says what is owed now beside what the bill asked.
    expect(squash(await page.getByTestId('to-pay-now').innerText())).toContain(squash(`з урахуванням платежів після рахунку: ${uk(0)}`));
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    // Reload once under the service worker so that it has seen the bill's requests.
    await page.reload();
    await page.getByTestId('bill-to-pay').waitFor();
    await context.setOffline(true);
    try {
      await page.reload();
      await page.getByRole('heading', { name: `Рахунок за ${previous.slice(0, 7)}` }).waitFor();
      await page.getByTestId('bill-to-pay').waitFor();
    } finally {
      await context.setOffline(false);
    }
    // Signing out removes what the service worker kept of this person's answers.
    const cachedPersonal = () =>
      page.evaluate(async () => {
        const cache = await caches.open('portal-api');
        return (await cache.keys()).map((r) => new URL(r.url).pathname).filter((p) => /^\/api\/(portal|bills|metering)\//.test(p));
      });
    expect((await cachedPersonal()).length).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Вийти' }).click();
    await page.getByRole('heading', { name: 'Вхід до кабінету мешканця' }).waitFor();
    await expect.poll(cachedPersonal).toEqual([]);
    // The manifest offers PNG icons at the sizes installers ask for.
    const manifest = await (await fetch(`${server.baseUrl}/manifest.webmanifest`)).json();
    expect(manifest.icons.map((i: { sizes: string; type: string }) => `${i.sizes} ${i.type}`)).toEqual(expect.arrayContaining(['192x192 image/png', '512x512 image/png']));
    const icon = await fetch(`${server.baseUrl}/icon-512.png`);
    expect([icon.status, icon.headers.get('content-type')]).toEqual([200, 'image/png']);
  });
});
