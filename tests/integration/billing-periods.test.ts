/**
 * Periods cannot be poisoned (issue #18 item 9): a typo month no longer stops all billing. A run
 * before the first billing period, or more than a month ahead, is refused with the reason; a run
 * that is not closed can be discarded by an administrator (lines removed, period back to open,
 * reason audited); closed periods stay frozen.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { DatabaseHandle } from '../../src/db/index';
import { buildApp } from '../../src/server/app';
import type { AppContext } from '../../src/server/context';
import { createUser } from '../../src/auth/service';
import { registerJobHandlers } from '../../src/jobs/handlers';
import { kyivToday, nextPeriod, periodOf } from '../../src/shared/period';
import { runPeriodProblem } from '../../src/billing/run';
import { createTestDatabase } from '../helpers/db';
import { signInAs, testContext, type Signed } from '../helpers/http';
import { OCT, createBillingFixture } from './billing-fixture';

const PASSWORD = 'periods-test-password';

describe('runPeriodProblem', () => {
  it.each([
    ['2026-10-01', '2026-10-01', '2026-12-04', null],
    ['2026-09-01', '2026-10-01', '2026-12-04', 'before_first_period'],
    ['1999-01-01', null, '2026-12-04', 'too_early_without_first_period'], // no first period yet: three years back at most
    ['2023-12-01', null, '2026-12-04', null],
    ['2023-11-01', null, '2026-12-04', 'too_early_without_first_period'],
    ['1999-01-01', '1998-01-01', '2026-12-04', null], // a community that set an old first period may bill from it
    ['2027-01-01', null, '2026-12-04', null], // next month: allowed (bills prepared ahead)
    ['2027-02-01', null, '2026-12-31', 'period_too_far'],
    ['2027-02-01', null, '2027-01-01', null],
    ['2062-11-01', '2026-10-01', '2026-12-04', 'period_too_far'],
  ])('%s with first period %s on %s → %s', (period, first, today, code) => {
    expect(runPeriodProblem(period, first, today)?.code ?? null).toBe(code);
  });
});

describe('billing periods cannot be poisoned', () => {
  let h: DatabaseHandle;
  let ctx: AppContext;
  let app: FastifyInstance;
  const as: Record<string, Signed> = {};

  beforeAll(async () => {
    h = await createTestDatabase();
    await createBillingFixture(h.db);
    for (const [login, role] of [['operator', 'operator'], ['admin', 'admin']] as const) {
      await createUser(h.db, { communityId: 1, login, password: PASSWORD, role, displayName: login });
    }
    ctx = testContext(h);
    registerJobHandlers(ctx.jobs);
    await ctx.jobs.start();
    app = await buildApp(ctx);
    for (const login of ['operator', 'admin']) as[login] = await signInAs(app, login, PASSWORD);
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await ctx?.jobs.stop();
    await h?.close();
  });

  const send = (who: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) =>
    app.inject({ method, url, payload: payload as string, headers: as[who]!.headers });
  const waitForJob = async (jobId: number) => {
    for (let i = 0; i < 300; i++) {
      const job = (await send('operator', 'GET', `/api/jobs/${jobId}`)).json();
      if (job.status === 'succeeded' || job.status === 'failed') return job;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`job ${jobId} did not finish`);
  };
  const run = async (period: string) => {
    const res = await send('operator', 'POST', '/api/billing/runs', { period, refreshConsumption: false });
    return res.statusCode === 202 ? { res, job: await waitForJob(res.json().jobId) } : { res, job: null };
  };
  const periodStatus = async (period: string) =>
    (await h.db.selectFrom('billing_period').select('status').where('community_id', '=', 1).where('period', '=', period).executeTakeFirst())?.status;

  it('refuses a run more than a month ahead, saying why in both languages', async () => {
    const tooFar = nextPeriod(periodOf(kyivToday()), 2).slice(0, 7);
    const { res } = await run(tooFar);
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ code: 'period_too_far', message_uk: expect.stringContaining(tooFar), message_en: expect.stringContaining('at most one month ahead') });
    expect(await periodStatus(`${tooFar}-01`)).toBeUndefined();
  });

  it('a typo month run by mistake is discarded by an administrator, and billing goes on', async () => {
    // A typo of the year, decades back, is refused at once even before a first period is set.
    const decades = await run('1999-01');
    expect(decades.res.statusCode).toBe(422);
    expect(decades.res.json()).toMatchObject({ code: 'too_early_without_first_period', message_en: expect.stringContaining('set the community') });
    expect(await periodStatus('1999-01-01')).toBeUndefined();
    // One that looks plausible (2024 for 2026) is run, and can be undone.
    const typo = await run('2024-10');
    expect(typo.job.status).toBe('succeeded');
    const typoRun = typo.job.result.billingRunId as number;
    // Before the fix this blocked every later month for good.
    const blocked = await run('2026-10');
    expect(blocked.job.status).toBe('failed');
    expect(JSON.stringify(blocked.job.error)).toContain('2024-10');

    const reason = { reason: 'Помилка в році: мали на увазі 2026-10' };
    expect((await send('operator', 'POST', `/api/billing/runs/${typoRun}/discard`, reason)).statusCode).toBe(403);
    const discarded = await send('admin', 'POST', `/api/billing/runs/${typoRun}/discard`, reason);
    expect(discarded.statusCode).toBe(200);
    expect(discarded.json()).toEqual({ billingRunId: typoRun, period: '2024-10-01', linesRemoved: 0 }); // no tariff was in force in 2024
    expect(await periodStatus('2024-10-01')).toBe('open');
    const audit = await sql<{ user_id: number; after: { reason: string; lines_removed: number } }>`
      select user_id, after from audit_log where action = 'discard' and entity = 'billing_run' and entity_id = ${String(typoRun)}`.execute(h.db);
    expect(audit.rows).toHaveLength(1);
    expect(audit.rows[0].after).toMatchObject({ reason: reason.reason, lines_removed: 0 });
    expect((await send('admin', 'POST', `/api/billing/runs/${typoRun}/discard`, reason)).statusCode).toBe(409);

    const october = await run('2026-10');
    expect(october.job.status).toBe('succeeded');
    const octRun = october.job.result.billingRunId as number;
    const lines = await sql<{ n: number }>`select count(*)::int as n from charge_line where billing_run_id = ${octRun}`.execute(h.db);
    expect(lines.rows[0].n).toBeGreaterThan(0);

    // Discarding a calculated run removes its lines and reopens the period; a new run recalculates.
    const dropped = await send('admin', 'POST', `/api/billing/runs/${octRun}/discard`, { reason: 'Тарифи уточнено' });
    expect(dropped.json().linesRemoved).toBe(lines.rows[0].n);
    expect(await periodStatus(OCT)).toBe('open');
    const left = await sql<{ n: number }>`select count(*)::int as n from charge_line where billing_run_id = ${octRun}`.execute(h.db);
    expect(left.rows[0].n).toBe(0);
    const again = await run('2026-10');
    expect(again.job.status).toBe('succeeded');

    // The first close sets the go-live month: a run before it is refused now, and a closed period stays frozen.
    const close = await send('operator', 'POST', `/api/billing/periods/${OCT}/close`, {});
    expect((await waitForJob(close.json().jobId)).status).toBe('succeeded');
    expect((await send('operator', 'GET', '/api/billing/settings')).json().firstPeriod).toBe(OCT);
    const before = await run('1999-01');
    expect(before.res.statusCode).toBe(422);
    expect(before.res.json()).toMatchObject({ code: 'before_first_period', message_uk: expect.stringContaining('2026-10') });
    const frozen = await send('admin', 'POST', `/api/billing/runs/${again.job.result.billingRunId}/discard`, { reason: 'спроба' });
    expect(frozen.statusCode).toBe(409);
    expect(frozen.json().code).toBe('period_closed');
    expect(await periodStatus(OCT)).toBe('closed');
  }, 120_000);

  it('the first period is set once, by an administrator', async () => {
    expect((await send('operator', 'PUT', '/api/billing/settings/first-period', { period: '2026-09' })).statusCode).toBe(403);
    const res = await send('admin', 'PUT', '/api/billing/settings/first-period', { period: '2026-09' });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'first_period_set', message_uk: expect.stringContaining('2026-10') });
  });
});
