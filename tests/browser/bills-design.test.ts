import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page, Response } from 'playwright-core';
import { amountDue } from '../../src/billing/amount-due';
import { premiseBalances } from '../../src/billing/statements';
import { decodeQrUrl } from '../../src/bills/qr';
import type { AppContext } from '../../src/server/context';
import { kyivToday, periodOf, prevPeriod } from '../../src/shared/period';
import { decodeQrCodes, pdfText, plainSpaces } from '../helpers/pdf-tools';
import { signInAsAdmin, signInAsOperator, startDemoServer, type DemoServer } from './demo-server';
// The bill pages format money with this helper, so the test does too.
import { money } from '../../web/src/pages/billing/labels';

// Issue 13's acceptance through the web pages: an administrator sets the community's bill up on the
// design page and watches the live preview (a real premise's bill rendered by the server) follow
// each change; then a person opens that premise's bill, downloads its PDF, and the QR decoded from
// the rendered page pays the amount the page shows, to the design's IBAN, with the right purpose.
// The demo city starts with last month billed and closed (src/cli/startup.ts): its first premise with
// charges in it is the one whose bill is designed and downloaded.

const squash = (text: string) => text.replace(/[\s\u00a0\u202f\u2007\u2009]+/g, ' ').trim();
const IBAN = 'UA963223130000026007233566009';
const EDRPOU = '32855961';

describe('the bill design and a bill downloaded in the browser', () => {
  let server: DemoServer;
  let ctx: AppContext;
  let browser: Browser;
  let baseUrl: string;
  const previous = prevPeriod(periodOf(kyivToday()));
  let target: { premise_id: number; number: string };

  beforeAll(async () => {
    server = await startDemoServer(async (c) => {
      const r = await sql<{ premise_id: number; number: string }>`
select p.premise_id, ua.number
  from premise p join unified_account ua on ua.community_id = p.community_id and ua.premise_id = p.premise_id
 where p.community_id = ${c.communityId} and p.number is not null
   and exists (select 1 from account a join ledger_entry le on le.community_id = a.community_id and le.account_id = a.account_id
                where a.community_id = p.community_id and a.premise_id = p.premise_id and le.period = ${previous}::date and le.kind = 'charge')
 order by p.premise_id limit 1`.execute(c.db);
      target = r.rows[0]!;
      const closed = await c.db.selectFrom('billing_period').select('status').where('community_id', '=', c.communityId).where('period', '=', previous).executeTakeFirst();
      expect(closed?.status).toBe('closed');
      // A community setting its bill up for the first time: without the demo's design.
      await c.db.deleteFrom('bill_design').where('community_id', '=', c.communityId).execute();
    });
    ({ ctx, browser, baseUrl } = server);
    expect(target).toBeDefined();
  });

  afterAll(() => server?.close());

  /** The iframe's PDF (a blob: URL the page made from the server's answer), read in the page. */
  async function shownPdf(page: Page, src: string): Promise<Buffer> {
    const base64 = await page.evaluate(async (url) => {
      const bytes = new Uint8Array(await (await fetch(url)).arrayBuffer());
      let text = '';
      for (const b of bytes) text += String.fromCharCode(b);
      return btoa(text);
    }, src);
    return Buffer.from(base64, 'base64');
  }

  /**
   * Does `act`, waits for the live preview the page asks for whose draft satisfies `when`, and
   * returns the text of the PDF the page then shows.
   */
  async function nextPreview(page: Page, when: (design: Record<string, unknown>) => boolean, act: () => Promise<void>): Promise<string> {
    const frame = page.getByTestId('design-preview');
    const before = (await frame.count()) ? await frame.getAttribute('src') : null;
    const matches = (r: Response) => r.url().endsWith('/api/bills/design/preview') && when((r.request().postDataJSON() as { design: Record<string, unknown> }).design);
    const waiting = page.waitForResponse(matches);
    waiting.catch(() => undefined); // a failing act() reports itself; the wait is awaited below
    await act();
    const response = await waiting;
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toContain('application/pdf');
    await expect.poll(() => frame.getAttribute('src')).not.toBe(before);
    return plainSpaces(pdfText(await shownPdf(page, (await frame.getAttribute('src'))!)));
  }

  it('an administrator designs the bill and the live preview follows', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1100 }, locale: 'uk-UA' });
    try {
      await signInAsAdmin(page, baseUrl);
      await page.getByRole('link', { name: 'Дизайн рахунку' }).click();
      await page.getByRole('heading', { name: 'Дизайн рахунку' }).waitFor();
      const form = page.getByRole('form', { name: 'Дизайн рахунку' });

      // Before the payee is given, the preview is refused with the server's reason.
      await page.getByLabel('Приміщення (id)').fill(String(target.premise_id));
      await page.getByLabel('Закритий місяць (РРРР-ММ)').fill(previous.slice(0, 7));
      await page.getByRole('alert').filter({ hasText: 'IBAN збору платежів' }).waitFor();

      const first = await nextPreview(page, (d) => d.collectingIban === IBAN && d.recipientCode === EDRPOU && d.recipientName === 'КП «Вінницький ЦОД»', async () => {
        await form.getByLabel('Отримувач', { exact: true }).fill('КП «Вінницький ЦОД»');
        await form.getByLabel('ЄДРПОУ отримувача').fill(EDRPOU);
        await form.getByLabel('IBAN збору платежів').fill(IBAN);
      });
      expect(first).toContain(target.number);
      expect(first).not.toContain('Оплата до 20 числа — без пені');

      // A footer and a contact line typed in appear on the preview, unsaved.
      const second = await nextPreview(page, (d) => d.footer === 'Оплата до 20 числа — без пені', async () => {
        await form.getByLabel('Контакти (по рядку: гаряча лінія, адреса порталу)').fill('Гаряча лінія 0 800 500 111');
        await form.getByLabel('Нижній колонтитул').fill('Оплата до 20 числа — без пені');
      });
      expect(second).toContain('Гаряча лінія 0 800 500 111 · Оплата до 20 числа — без пені');

      // QR format 003, then save.
      await nextPreview(page, (d) => d.qrFormat === '003', () => form.getByText('003', { exact: true }).click());
      await form.getByRole('button', { name: 'Зберегти дизайн' }).click();
      await form.getByRole('status').filter({ hasText: 'Дизайн збережено' }).waitFor();
      const saved = await ctx.db.selectFrom('bill_design').selectAll().where('community_id', '=', ctx.communityId).executeTakeFirstOrThrow();
      expect(saved).toMatchObject({ collecting_iban: IBAN, recipient_code: EDRPOU, qr_format: '003', footer: 'Оплата до 20 числа — без пені', contacts: ['Гаряча лінія 0 800 500 111'] });
      await page.screenshot({ path: path.join(os.tmpdir(), 'hromada-bill-design.png'), fullPage: true });

      // At 390 px the page reflows: nothing wider than the screen.
      await page.setViewportSize({ width: 390, height: 844 });
      await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    } finally {
      await page.close();
    }
  });

  it("a person previews the premise's bill, downloads the PDF, and its QR pays what the page shows", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 }, locale: 'uk-UA', acceptDownloads: true });
    try {
      await signInAsOperator(page, baseUrl);
      await page.getByRole('link', { name: 'Перегляд рахунку' }).click();
      await page.getByLabel('Приміщення (id)').fill(String(target.premise_id));
      await page.getByLabel('Місяць (РРРР-ММ)').fill(previous.slice(0, 7));
      await page.getByRole('button', { name: 'Показати' }).click();
      const shown = squash(await page.getByTestId('bill-to-pay').innerText());

      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('bill-download').click()]);
      const pdf = fs.readFileSync((await download.path())!);
      const codes = decodeQrCodes(pdf);
      expect(codes).toHaveLength(1);
      expect(codes[0]!.startsWith('https://qr.bank.gov.ua/')).toBe(true);
      const fields = decodeQrUrl(codes[0]!);
      expect(fields[6]).toBe(IBAN);
      const amount = Math.round(Number(fields[7]!.replace(/^UAH/, '')) * 100);
      // The amount the page shows, the one the QR pays, and amountDue over the ledger agree.
      expect(shown).toBe(squash(`До сплати: ${money(amount, 'uk-UA')}`));
      expect(amount).toBe(amountDue(await premiseBalances(ctx.db, ctx.communityId, target.premise_id, previous)).total);
      expect(amount).toBeGreaterThan(0);
      expect(fields[11]).toContain(`Єдиний рахунок ${target.number}`);
    } finally {
      await page.close();
    }
  });
});
