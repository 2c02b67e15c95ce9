import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildApp } from '../../src/server/app';
import { openContext } from '../../src/server/start';
import type { AppContext } from '../../src/server/context';
import type { OpenOptions } from '../../src/db/index';
import { startBesideServer, startupHooks } from '../../src/cli/startup';

// Debian's Chromium, headless, with nothing that would reach for the network.
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export interface DemoServer {
  ctx: AppContext;
  baseUrl: string;
  browser: Browser;
  close(): Promise<void>;
}

/**
 * A fresh database for one test file: a new PostgreSQL database on the server of
 * TEST_DATABASE_URL when it is set (CI runs the browser tests on both), else an embedded one in a
 * temporary folder. `drop` removes it.
 */
async function freshDatabase(): Promise<{ options: OpenOptions; drop(): Promise<void> }> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hromada-browser-'));
    return { options: { dataDir }, drop: async () => fs.rmSync(dataDir, { recursive: true, force: true }) };
  }
  const name = `hromada_browser_${randomBytes(6).toString('hex')}`;
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  await admin(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { options: { url: url.toString(), poolSize: 8 }, drop: () => admin(`drop database if exists ${name} with (force)`) };
}

/**
 * The real server on a free port over a fresh database (embedded, or PostgreSQL when
 * TEST_DATABASE_URL is set) that went through the same start-up work as `npm start` (so it holds
 * the demo city) and runs the job worker as it does, and a Chromium to drive it.
 * `prepare` runs after the demo city is seeded and before the server listens.
 */
export async function startDemoServer(prepare?: (ctx: AppContext) => Promise<void>): Promise<DemoServer> {
  if (!fs.existsSync(path.resolve('web/dist/index.html'))) throw new Error('web/dist is missing: run `npm run build:web` (or `npm run test:browser`)');
  const database = await freshDatabase();
  const ctx = await openContext(database.options);
  for (const hook of startupHooks) await hook(ctx);
  await prepare?.(ctx);
  await ctx.jobs.start();
  const app = await buildApp(ctx);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const stopBeside = await startBesideServer(ctx, baseUrl);
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  return {
    ctx,
    baseUrl,
    browser,
    close: async () => {
      await browser.close();
      await stopBeside();
      await app.close();
      await ctx.jobs.stop().catch(() => undefined);
      await ctx.handle.close();
      await database.drop();
    },
  };
}

/** Signs in on the sign-in form as a demo user (password: login + `-demo`), as a person would. */
export async function signInOnForm(page: Page, baseUrl: string, login: string) {
  await page.goto(baseUrl);
  await page.getByRole('heading', { name: 'Вхід до системи' }).waitFor();
  await page.getByLabel('Логін').fill(login);
  await page.getByLabel('Пароль', { exact: true }).fill(`${login}-demo`);
  await page.getByRole('button', { name: 'Увійти' }).click();
}

/** Signs in as a demo staff member and waits for the home page. */
async function signInAsStaff(page: Page, baseUrl: string, login: 'operator' | 'admin' | 'city', displayName: string) {
  await signInOnForm(page, baseUrl, login);
  await page.getByRole('heading', { name: 'Огляд громади' }).waitFor();
  await page.getByRole('banner').getByText(displayName).waitFor();
}

export const signInAsOperator = (page: Page, baseUrl: string) => signInAsStaff(page, baseUrl, 'operator', 'Оператор ЦОД (демо)');
export const signInAsAdmin = (page: Page, baseUrl: string) => signInAsStaff(page, baseUrl, 'admin', 'Адміністратор (демо)');
export const signInAsCity = (page: Page, baseUrl: string) => signInAsStaff(page, baseUrl, 'city', 'Посадовець міської ради (демо)');
