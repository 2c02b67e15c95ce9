import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { signInAsOperator, startDemoServer, type DemoServer } from './demo-server';

// The built app under its Content-Security-Policy (issue #18 item 6): no page the operator opens,
// nor the API docs, trips the policy (no inline script, styles inline only through Mantine).

const PAGES = ['/', '/search', '/providers', '/services', '/metering/desk', '/billing/tariffs', '/billing/runs', '/onboarding/imports', '/payments', '/bills/preview'];

describe('the web app under its CSP', () => {
  let server: DemoServer;
  let browser: Browser;
  let baseUrl: string;

  beforeAll(async () => {
    server = await startDemoServer();
    ({ browser, baseUrl } = server);
  });
  afterAll(() => server?.close());

  it('loads every page and the API docs with no CSP violation', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'uk-UA' });
    const violations: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(`${page.url()}: ${m.text()}`);
    });
    try {
      const html = await page.request.get(baseUrl);
      expect(html.headers()['content-security-policy']).toContain("script-src 'self'");
      expect(html.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
      await signInAsOperator(page, baseUrl);
      for (const path of PAGES) {
        await page.goto(baseUrl + path);
        await page.locator('main h2, main h1, h1, h2').first().waitFor();
        await page.waitForLoadState('networkidle');
      }
      // Mantine's styles did apply (its CSS variables from the inline <style>): the body font is not the default serif.
      expect(await page.evaluate(() => getComputedStyle(document.body).fontFamily)).not.toMatch(/^"?Times/);
      await page.goto(`${baseUrl}/api/docs`);
      await page.locator('.swagger-ui .info .title').waitFor();
      expect(violations).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
