import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { entriesFor } from '../../web/src/nav';
import { signInAsAdmin, startDemoServer, type DemoServer } from './demo-server';

// Issue 17's "every screen on a phone and a laptop": every staff page the administrator's menu
// offers, at 390 px wide, has no sideways scroll (wide tables scroll inside their own box), one
// <h1>, a tab title naming the page, and a skip link to its content.

describe('every staff page on a 390 px phone', () => {
  let server: DemoServer;
  let browser: Browser;
  let baseUrl: string;
  beforeAll(async () => {
    server = await startDemoServer();
    ({ browser, baseUrl } = server);
  });
  afterAll(() => server?.close());

  it('fits the width, has one h1, a title and a skip link', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'uk-UA', hasTouch: true });
    const page = await context.newPage();
    const wrong: string[] = [];
    try {
      // Signed in on a laptop's width (the header names the user there), then the phone's.
      await page.setViewportSize({ width: 1280, height: 900 });
      await signInAsAdmin(page, baseUrl);
      await page.setViewportSize({ width: 390, height: 844 });
      for (const entry of entriesFor('admin').filter((e) => !e.hidden && !e.path.includes(':'))) {
        await page.goto(`${baseUrl}${entry.path}`);
        await page.getByRole('heading', { level: 1 }).first().waitFor();
        await page.waitForLoadState('networkidle');
        const facts = await page.evaluate(() => ({
          width: document.documentElement.scrollWidth,
          h1: document.querySelectorAll('h1').length,
          title: document.title,
          skip: !!document.querySelector('a.skip-link[href="#main"]'),
        }));
        const name = `${entry.path} (${entry.label.uk})`;
        if (facts.width > 390) wrong.push(`${name}: ${facts.width} px wide`);
        if (facts.h1 !== 1) wrong.push(`${name}: ${facts.h1} h1`);
        if (!facts.title.startsWith(entry.label.uk)) wrong.push(`${name}: title «${facts.title}»`);
        if (!facts.skip) wrong.push(`${name}: no skip link`);
      }
    } finally {
      await context.close();
    }
    expect(wrong).toEqual([]);
  });
});
