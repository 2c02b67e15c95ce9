import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { AppContext, SessionUser } from '../../src/server/context';
import { signInAsOperator, startDemoServer, type DemoServer } from './demo-server';
import { submitReadingsBulk, upsertMetersBulk } from '../../src/metering/service';
import { addDays, kyivToday } from '../../src/shared/period';

// An operator at the call-centre desk walks three flats of a building with the keyboard alone:
// types «Київська 12а кв 2» and Enter (that flat opens, not the building's walk), types a reading
// and Ctrl+Enter (it shows in «Щойно введено» and the next flat opens), types a wrong one (it is
// refused with the reason, in the log too), corrects it, and passes over the last flat with Enter.
// The readings are then checked in the database.

describe('the call-centre desk, keyboard only', () => {
  let server: DemoServer;
  let ctx: AppContext;
  let browser: Browser;
  let baseUrl: string;
  let flats: Array<{ premiseId: number; number: string; unified: string; meterId: number }>;
  let buildingAddress: string;
  let system: SessionUser;

  beforeAll(async () => {
    server = await startDemoServer(prepareFlats);
    ({ ctx, browser, baseUrl } = server);
  });

  afterAll(() => server?.close());

  async function prepareFlats(ctx: AppContext) {
    const communityId = ctx.communityId;

    // Flats 2, 3 and 4 of вул. Київська, 12а (every seeded city has it) get a cold-water meter read
    // a month ago at 100. Flat 1 keeps none, so a query for «кв 2» cannot be answered by the walk's start.
    const building = await ctx.db
      .selectFrom('building as b')
      .innerJoin('street as s', (j) => j.onRef('s.community_id', '=', 'b.community_id').onRef('s.street_id', '=', 'b.street_id'))
      .where('b.community_id', '=', communityId)
      .where('s.name', '=', 'Київська')
      .where('b.house_key', '=', '12а')
      .select(['b.building_id'])
      .executeTakeFirstOrThrow();
    const premises = await ctx.db
      .selectFrom('premise as p')
      .innerJoin('unified_account as u', (j) => j.onRef('u.community_id', '=', 'p.community_id').onRef('u.premise_id', '=', 'p.premise_id'))
      .where('p.community_id', '=', communityId)
      .where('p.building_id', '=', building.building_id)
      .where('p.number', 'in', ['2', '3', '4'])
      .select(['p.premise_id', 'p.number', 'u.number as unified'])
      .execute();
    premises.sort((a, b) => Number(a.number) - Number(b.number));
    const chosen = premises;
    expect(chosen.map((p) => p.number)).toEqual(['2', '3', '4']);
    const address = await ctx.db
      .selectFrom('building as b')
      .innerJoin('street as s', (j) => j.onRef('s.community_id', '=', 'b.community_id').onRef('s.street_id', '=', 'b.street_id'))
      .where('b.building_id', '=', building.building_id)
      .select(['s.name', 'b.house_key'])
      .executeTakeFirstOrThrow();
    buildingAddress = `${address.name} ${address.house_key}`;
    system = { userId: 0, communityId, login: 'test', displayName: 'test', role: 'operator', providerId: null };
    // The demo city's own meters of this building go, so that its first three flats hold only these.
    const buildingMeters = ctx.db.selectFrom('meter').select('meter_id').where('community_id', '=', communityId).where('building_id', '=', building.building_id);
    await ctx.db.deleteFrom('meter_reading').where('community_id', '=', communityId).where('meter_id', 'in', buildingMeters).execute();
    await ctx.db.deleteFrom('meter').where('community_id', '=', communityId).where('building_id', '=', building.building_id).execute();
    const made = await upsertMetersBulk(
      ctx.db,
      system,
      chosen.map((p, i) => ({ serial: `DESK-${i + 1}`, serviceCode: 'cold_water', premiseId: p.premise_id, installedOn: addDays(kyivToday(), -30), initialValues: ['100'] })),
    );
    expect(made.map((m) => m.outcome)).toEqual(['created', 'created', 'created']);
    flats = chosen.map((p, i) => ({ premiseId: p.premise_id, number: p.number!, unified: p.unified, meterId: made[i]!.meterId! }));
    // The whole month is the submission window, so the test does not depend on the day it runs.
    await ctx.db.deleteFrom('metering_settings').where('community_id', '=', communityId).execute();
    await ctx.db.insertInto('metering_settings').values({ community_id: communityId, window_opens_day: 1, window_closes_day: 0 }).execute();
  }

  it('enters a building’s readings without the mouse, and explains a bad one', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 }, locale: 'uk-UA' });
    try {
      await signInAsOperator(page, baseUrl);
      await page.goto(`${baseUrl}/metering/desk`);
      await page.getByRole('heading', { name: 'Показники лічильників: прийом дзвінків' }).waitFor();

      // The hint names an address of this city, not a made-up one.
      await page.getByText(/прізвище або адреса \(«\d{10}».*«вул\. .+»\)/).waitFor();

      // The search box has the focus: type the address with its flat; Enter opens that flat.
      await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('premise-lookup');
      await page.keyboard.type('Київська 12а кв 2', { delay: 30 });
      await expect.poll(() => page.getByRole('option').first().innerText()).toContain('Київська, буд. 12а, кв. 2');
      await page.keyboard.press('Enter');
      await page.getByTestId('desk-position').getByText('квартира 1 з 3').waitFor();
      await expect.poll(() => page.getByTestId('desk-title').innerText()).toContain(`кв. ${flats[0]!.number}`);

      // Flat 2: the meter field has the focus; the check shows the consumption at once; Ctrl+Enter sends.
      await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toContain('DESK-1');
      await page.keyboard.type('105');
      await page.getByTestId('verdict-DESK-1').getByText('+5 м³').waitFor();
      await page.keyboard.press('Control+Enter');

      // «Щойно введено» shows it as accepted, and flat 3 opens by itself.
      const log = page.getByTestId('desk-log');
      await log.getByText('№ DESK-1: 105').waitFor();
      await expect.poll(() => log.locator('[data-status]').first().getAttribute('data-status')).toBe('accepted');
      await page.getByTestId('desk-position').getByText('квартира 2 з 3').waitFor();
      await expect.poll(() => page.getByTestId('desk-title').innerText()).toContain(`кв. ${flats[1]!.number}`);

      // A reading below the previous one is refused: its own word and colour, the reason on screen and in the log.
      await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toContain('DESK-2');
      await page.keyboard.type('7');
      await page.getByTestId('verdict-DESK-2').getByText('показник 7 менший за попередній 100').waitFor();
      await page.keyboard.press('Enter');
      await page.getByTestId('verdict-DESK-2').locator('[data-status="rejected"]').getByText('відхилено').waitFor();
      await log.getByText('№ DESK-2: 7').waitFor();
      await log.getByText('показник 7 менший за попередній 100').waitFor();
      await page.getByTestId('desk-position').getByText('квартира 2 з 3').waitFor();
      // The cursor stays on the field, its text selected: typing replaces it.
      await page.keyboard.type('110');
      await page.getByTestId('verdict-DESK-2').getByText('+10 м³').waitFor();
      await page.keyboard.press('Enter');
      await log.getByText('№ DESK-2: 110').waitFor();

      // Flat 4: nothing to enter — Enter passes over it; the last flat hands the focus back to the search box.
      await page.getByTestId('desk-position').getByText('квартира 3 з 3').waitFor();
      await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toContain('DESK-3');
      await page.keyboard.press('Enter');
      await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('premise-lookup');
      await page.getByTestId('desk-log').getByText('пропущено').waitFor();
      await page.screenshot({ path: path.join(os.tmpdir(), 'hromada-metering-desk.png'), fullPage: true });

      // A whole building found by its address opens at its first flat with meters: type the
      // address, go down the list to the «whole building» hit with the arrow keys, Enter.
      await page.keyboard.type(buildingAddress, { delay: 30 });
      const options = page.getByRole('option');
      await options.filter({ hasText: 'весь будинок' }).first().waitFor();
      const texts = await options.allInnerTexts();
      const index = texts.findIndex((text) => text.includes('весь будинок'));
      for (let i = 0; i <= index; i++) await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Enter');
      await page.getByTestId('desk-position').getByText('квартира 1 з 3').waitFor();
      await expect.poll(() => page.getByTestId('desk-title').innerText()).toContain(`кв. ${flats[0]!.number}`);

      const readings = await ctx.db
        .selectFrom('meter_reading')
        .select(['meter_id', 'value1', 'status', 'channel', 'reason_code'])
        .where('meter_id', 'in', flats.map((f) => f.meterId))
        .where('kind', '=', 'regular')
        .orderBy('reading_id')
        .execute();
      expect(readings).toEqual([
        { meter_id: flats[0]!.meterId, value1: '105.000', status: 'accepted', channel: 'call_centre', reason_code: null },
        { meter_id: flats[1]!.meterId, value1: '7.000', status: 'rejected', channel: 'call_centre', reason_code: 'below_previous' },
        { meter_id: flats[1]!.meterId, value1: '110.000', status: 'accepted', channel: 'call_centre', reason_code: null },
      ]);

      // The review queue: an implausible reading waits there with its reason; the reviewer looks
      // at the meter's history and rejects it, saying why.
      const [held] = await submitReadingsBulk(ctx.db, system, [{ meterId: flats[0]!.meterId, values: ['5000'] }], { channel: 'controller' });
      expect(held!.status).toBe('needs_review');
      await page.goto(`${baseUrl}/metering/review`);
      const row = page.getByTestId(`review-${held!.readingId}`);
      await row.getByText('правдоподібну межу').waitFor();
      // The whole address, not «кв. 2» alone.
      await row.getByRole('link', { name: `вул. Київська, буд. 12а, кв. ${flats[0]!.number}`, exact: true }).waitFor();
      await row.getByRole('button', { name: 'Історія споживання' }).click();
      await page.getByRole('button', { name: 'Сховати історію' }).waitFor();
      await row.getByLabel('Причина відхилення').fill('зайві цифри');
      await row.getByLabel('Причина відхилення').press('Enter');
      await row.getByText('відхилено').waitFor();
      const decided = await ctx.db.selectFrom('meter_reading').select(['status', 'reason_uk']).where('reading_id', '=', held!.readingId!).executeTakeFirstOrThrow();
      expect(decided).toEqual({ status: 'rejected', reason_uk: 'Відхилено під час перевірки: зайві цифри' });
    } finally {
      await page.close();
    }
  });
});
