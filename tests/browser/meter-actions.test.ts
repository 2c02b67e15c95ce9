import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { AppContext } from '../../src/server/context';
import { kyivToday } from '../../src/shared/period';
import { signInAsOperator, startDemoServer, type DemoServer } from './demo-server';

// Issue 17: a meter's verification date and its replacement have buttons on the premise card (the
// metering API had them, no page did), and the call-centre desk finds a premise by a meter's serial.

describe('meters on the premise card, and the desk by serial', () => {
  let server: DemoServer;
  let ctx: AppContext;
  let browser: Browser;
  let baseUrl: string;
  let target: { premise_id: number; number: string; meter_id: number; serial: string; last: number };

  beforeAll(async () => {
    server = await startDemoServer(async (c) => {
      const r = await sql<{ premise_id: number; number: string; meter_id: number; serial: string; last: string }>`
select m.premise_id, p.number, m.meter_id, m.serial,
       (select value1 from meter_reading mr where mr.meter_id = m.meter_id and mr.status = 'accepted' order by read_on desc, reading_id desc limit 1)::text as last
  from meter m join premise p on p.community_id = m.community_id and p.premise_id = m.premise_id
 where m.community_id = ${c.communityId} and m.zones = 1 and m.status = 'active' and p.number is not null
   and (select count(*) from meter x where x.premise_id = m.premise_id) = 1
 order by m.meter_id limit 1`.execute(c.db);
      const row = r.rows[0]!;
      target = { ...row, last: Math.ceil(Number(row.last)) };
    });
    ({ ctx, browser, baseUrl } = server);
  });
  afterAll(() => server?.close());

  it('sets a verification date, replaces the meter, and the desk finds the flat by the new serial', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 1000 }, locale: 'uk-UA' });
    try {
      await signInAsOperator(page, baseUrl);
      await page.goto(`${baseUrl}/premises/${target.premise_id}`);
      const meters = page.getByRole('table', { name: 'Лічильники приміщення' });
      const row = meters.locator('tbody tr').filter({ hasText: target.serial });

      // Verification: a new date, typed.
      await row.getByRole('button', { name: 'Повірка' }).click();
      const verify = page.getByRole('dialog');
      const until = verify.getByLabel('Повірка дійсна до');
      await until.fill('01.06.2032');
      // Escape would close the dialog itself: click its title to close the calendar.
      await verify.getByRole('heading').click();
      await verify.getByRole('button', { name: 'Зберегти дату повірки' }).click();
      await row.getByText('01.06.2032').waitFor();
      const verified = await ctx.db.selectFrom('meter').select('verified_until').where('meter_id', '=', target.meter_id).executeTakeFirstOrThrow();
      expect(verified.verified_until).toBe('2032-06-01');

      // Replacement: the old meter's final reading, the new one's serial and initial reading.
      await row.getByRole('button', { name: 'Заміна' }).click();
      const replace = page.getByRole('dialog');
      await replace.getByLabel('Кінцевий показник старого').fill(String(target.last + 3));
      await replace.getByLabel('Заводський номер нового').fill('NEW-17017');
      await replace.getByLabel('Початковий показник нового').fill('0');
      await replace.getByRole('button', { name: 'Замінити' }).click();
      await meters.locator('tbody tr').filter({ hasText: 'NEW-17017' }).waitFor();
      await expect.poll(() => meters.locator('tbody tr').filter({ hasText: target.serial }).count()).toBe(0);
      const both = await ctx.db.selectFrom('meter').select(['serial', 'status', 'installed_on']).where('premise_id', '=', target.premise_id).orderBy('meter_id').execute();
      expect(both).toEqual([
        { serial: target.serial, status: 'retired', installed_on: expect.any(String) },
        { serial: 'NEW-17017', status: 'active', installed_on: kyivToday() },
      ]);

      // The desk: the new serial (typed in small letters) and Enter open that flat.
      await page.goto(`${baseUrl}/metering/desk`);
      await page.getByRole('heading', { name: 'Показники лічильників: прийом дзвінків' }).waitFor();
      await page.getByTestId('premise-lookup').click();
      await page.keyboard.type('new-17017', { delay: 20 });
      await page.getByRole('option').first().waitFor();
      await page.keyboard.press('Enter');
      await expect.poll(() => page.getByTestId('desk-title').innerText()).toContain(`кв. ${target.number}`);
    } finally {
      await page.close();
    }
  });
});
