import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildApp } from '../../src/server/app';
import { openContext } from '../../src/server/start';
import type { AppContext } from '../../src/server/context';
import { startupHooks } from '../../src/cli/startup';

// Debian's Chromium, headless, with nothing that would reach for the network.
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export interface DemoServer {
  ctx: AppContext;
  baseUrl: string;
  browser: Browser;
  close(): Promise<void>;
}

/**
 * The real server on a free port over a fresh embedded database that went through the same
 * start-up work as `npm start` (so it holds the demo city) and runs the job worker as it does,
 * and a Chromium to drive it.
 * `prepare` runs after the demo city is seeded and before the server listens.
 */
export async function startDemoServer(prepare?: (ctx: AppContext) => Promise<void>): Promise<DemoServer> {
  if (!fs.existsSync(path.resolve('web/dist/index.html'))) throw new Error('web/dist is missing: run `npm run build:web` (or `npm run test:browser`)');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hromada-browser-'));
  const ctx = await openContext({ dataDir });
  for (const hook of startupHooks) await hook(ctx);
  await prepare?.(ctx);
  await ctx.jobs.start();
  const app = await buildApp(ctx);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  return {
    ctx,
    baseUrl,
    browser,
    close: async () => {
      await browser.close();
      await app.close();
      await ctx.jobs.stop().catch(() => undefined);
      await ctx.handle.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Signs in on the sign-in form as the demo operator, as a person would, and waits for the home page. */
export async function signInAsOperator(page: Page, baseUrl: string) {
  await page.goto(baseUrl);
  await page.getByRole('heading', { name: 'Вхід до системи' }).waitFor();
  await page.getByLabel('Логін').fill('operator');
  await page.getByLabel('Пароль', { exact: true }).fill('operator-demo');
  await page.getByRole('button', { name: 'Увійти' }).click();
  await page.getByRole('heading', { name: 'Огляд громади' }).waitFor();
  await page.getByRole('banner').getByText('Оператор ЦОД (демо)').waitFor();
}
