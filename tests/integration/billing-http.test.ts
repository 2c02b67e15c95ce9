import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { DatabaseHandle } from '../../src/db/index';
import { buildApp } from '../../src/server/app';
import type { AppContext } from '../../src/server/context';
import { createUser } from '../../src/auth/service';
import { registerJobHandlers } from '../../src/jobs/handlers';
import { createTestDatabase } from '../helpers/db';
import { signInAs, testContext, type Signed } from '../helpers/http';
import { A, OCT, createBillingFixture } from './billing-fixture';

const PASSWORD = 'billing-test-password';

describe('billing over HTTP: tariffs with history, a run as a job, review, close, the account card', () => {
  let h: DatabaseHandle;
  let ctx: AppContext;
  let app: FastifyInstance;
  const as: Record<string, Signed> = {};

  beforeAll(async () => {
    h = await createTestDatabase();
    await createBillingFixture(h.db);
    for (const [login, role, providerId] of [
      ['operator', 'operator', null],
      ['admin', 'admin', null],
      ['city', 'city', null],
      ['vodokanal', 'provider', 1],
    ] as const) {
      await createUser(h.db, { communityId: 1, login, password: PASSWORD, role, providerId, displayName: login });
    }
    ctx = testContext(h);
    registerJobHandlers(ctx.jobs);
    await ctx.jobs.start();
    app = await buildApp(ctx);
    for (const login of ['operator', 'admin', 'city', 'vodokanal']) as[login] = await signInAs(app, login, PASSWORD);
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await ctx?.jobs.stop();
    await h?.close();
  });

  const post = (who: string, url: string, payload: unknown) => app.inject({ method: 'POST', url, payload: payload as string, headers: as[who]!.headers });
  const get = (who: string, url: string) => app.inject({ method: 'GET', url, headers: as[who]!.headers });
  const waitForJob = async (who: string, jobId: number) => {
    for (let i = 0; i < 300; i++) {
      const job = (await get(who, `/api/jobs/${jobId}`)).json();
      if (job.status === 'succeeded' || job.status === 'failed') return job;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`job ${jobId} did not finish`);
  };

  it('adds a tariff: the one in force closes the day before, history stays', async () => {
    const res = await post('operator', '/api/billing/tariffs', { providerId: 4, serviceId: 4, method: 'area_total', price: '6.10', unit: 'м²', validFrom: '2026-12-01' });
    expect(res.statusCode).toBe(201);
    const list = (await get('operator', '/api/billing/tariffs?serviceId=4')).json().items;
    expect(list.map((t: { price: string; valid_from: string; valid_to: string | null }) => [t.price, t.valid_from, t.valid_to])).toEqual([
      ['6.100000', '2026-12-01', null],
      ['5.750000', '2026-01-01', '2026-11-30'],
    ]);
    const overlap = await post('operator', '/api/billing/tariffs', { providerId: 4, serviceId: 4, method: 'area_total', price: '6.20', unit: 'м²', validFrom: '2026-11-15' });
    expect(overlap.statusCode).toBe(409);
    expect(overlap.json().code).toBe('tariff_overlap');
    const audit = await sql<{ n: number }>`select count(*)::int as n from audit_log where entity = 'tariff'`.execute(h.db);
    expect(audit.rows[0].n).toBe(2); // the new tariff, and the old one closed
  });

  it('refuses a bad price with the field named, and writes by a provider', async () => {
    const bad = await post('operator', '/api/billing/tariffs', { providerId: 4, serviceId: 4, method: 'area_total', price: '6,10', unit: 'м²', validFrom: '2027-01-01' });
    expect(bad.statusCode).toBe(400);
    const provider = await post('vodokanal', '/api/billing/tariffs', { providerId: 1, serviceId: 1, method: 'metered', price: '31', unit: 'м³', validFrom: '2027-01-01' });
    expect(provider.statusCode).toBe(403);
    // …who sees only its own tariffs.
    const own = (await get('vodokanal', '/api/billing/tariffs')).json().items;
    expect(new Set(own.map((t: { provider_id: number }) => t.provider_id))).toEqual(new Set([1]));
  });

  it('runs October as a job, shows the summary and closes it', async () => {
    // refreshConsumption: false — the fixture writes meter_consumption by hand (it has no readings).
    const start = await post('operator', '/api/billing/runs', { period: '2026-10', refreshConsumption: false });
    expect(start.statusCode).toBe(202);
    const job = await waitForJob('operator', start.json().jobId);
    expect(job.status).toBe('succeeded');
    const runId = job.result.billingRunId as number;
    const summary = (await get('operator', `/api/billing/runs/${runId}/summary`)).json().items;
    const cold = summary.find((s: { service_id: number }) => s.service_id === 1);
    // 269.89 + 89.96 + 413.83 + 125.95 + 137.94 + 143.94 (see billing-scenario.test.ts)
    expect(cold).toMatchObject({ accounts: 3, charged: 118151, estimated: 0, benefits: -2999, recalculations: -10911 });
    expect((await get('operator', `/api/billing/runs/${runId}/outliers`)).json()).toEqual({ factor: '3', items: [] });
    const card = (await get('operator', `/api/billing/accounts/${A.p1Cold}`)).json();
    // Nothing paid here: the penalty is on the whole imported 1,000.00 × 31 days × 0.01 % = 3.10.
    expect(card.pending.map((l: { amount: number }) => l.amount).sort()).toEqual([-2999, 310, 26989, 8996].sort());

    const close = await post('operator', `/api/billing/periods/${OCT}/close`, {});
    expect(close.statusCode).toBe(202);
    expect((await waitForJob('operator', close.json().jobId)).status).toBe('succeeded');
    const periods = (await get('operator', '/api/billing/periods')).json().items;
    expect(periods.find((p: { period: string }) => p.period === OCT)).toMatchObject({ status: 'closed', run_status: 'posted' });
    const again = await post('operator', `/api/billing/periods/${OCT}/close`, {});
    expect(again.statusCode).toBe(409);
    const audited = await sql<{ action: string; entity: string }>`select action, entity from audit_log where entity in ('billing_run', 'billing_period') order by audit_id`.execute(h.db);
    expect(audited.rows).toEqual([
      { action: 'start', entity: 'billing_run' },
      { action: 'close', entity: 'billing_period' },
    ]);
  });

  it('a correction after close goes to the next open period, with its reason, audited', async () => {
    const res = await post('operator', '/api/billing/adjustments', { accountId: A.p1Cold, amount: -1500, reason: 'Помилка в показнику за жовтень' });
    expect(res.statusCode).toBe(201);
    expect(res.json().period).toBe('2026-11-01');
    const noReason = await post('operator', '/api/billing/adjustments', { accountId: A.p1Cold, amount: -1500, reason: '' });
    expect(noReason.statusCode).toBe(422);
    // −99 999 999 999,99 ₴ by a slip of the keyboard: refused, naming the field and the bounds.
    const typo = await post('operator', '/api/billing/adjustments', { accountId: A.p1Cold, amount: -9_999_999_999_999, reason: 'Помилка в показнику за жовтень' });
    expect(typo.statusCode).toBe(422);
    expect(typo.json()).toMatchObject({ code: 'amount_implausible', field: 'amount', message_en: expect.stringMatching(/^adjustment outside/) });
    // The community sets its own bounds: corrections of at most 10,00 ₴ either way.
    const put = (payload: unknown) => app.inject({ method: 'PUT', url: '/api/billing/settings', payload: payload as string, headers: as.admin!.headers });
    const own = await put({ amountBounds: { adjustment: { min: -1000, max: 1000 } } });
    expect(own.json().amountBounds.adjustment).toEqual({ min: -1000, max: 1000, perAccount: 10_000_000 });
    expect((await put({ amountBounds: { adjustment: { min: 5000 } } })).json()).toMatchObject({ code: 'bounds_inverted' });
    expect((await post('operator', '/api/billing/adjustments', { accountId: A.p1Cold, amount: -1500, reason: 'Помилка в показнику' })).statusCode).toBe(422);
    await put({ amountBounds: { adjustment: { min: -10_000_000, max: 10_000_000 } } });
    const card = (await get('operator', `/api/billing/accounts/${A.p1Cold}`)).json();
    // 1,000.00 + 269.89 + 89.96 − 29.99 + 3.10 = 1,332.96 at the end of October; − 15.00 = 1,317.96
    expect(card.balance).toBe(131796);
    expect(card.statement.at(-1)).toMatchObject({ period: '2026-11-01', opening: 133296, adjustments: -1500, closing: 131796 });
    const audit = await sql<{ n: number }>`select count(*)::int as n from audit_log where entity = 'ledger_entry'`.execute(h.db);
    expect(audit.rows[0].n).toBe(1);
  });

  it('shows the unified account of a premise and hides other providers from a provider', async () => {
    const st = (await get('operator', `/api/billing/premises/1/statement?period=2026-10`)).json();
    expect(st.lines.map((l: { account_id: number }) => l.account_id)).toContain(A.p1Cold);
    expect((await get('vodokanal', `/api/billing/accounts/${A.p1Heating}`)).statusCode).toBe(404);
    expect((await get('vodokanal', `/api/billing/accounts/${A.p1Cold}`)).statusCode).toBe(200);
  });

  it('flags an imported charge priced above the approved tariff for the city', async () => {
    await sql`insert into approved_tariff (community_id, service_id, provider_id, price, valid_from, decision)
              values (1, 2, 2, 4.32, '2026-01-01', 'НКРЕКП 2026')`.execute(h.db);
    // The provider billed 100 kWh at 4.50 instead of 4.32, on two accounts; and one correctly.
    await sql`insert into ledger_entry (community_id, account_id, period, kind, amount, volume, source) values
              (1, ${A.p1Electricity}, '2026-11-01', 'charge', 45000, 100, 'import'),
              (1, ${A.p2Electricity}, '2026-11-01', 'charge', 45000, 100, 'import'),
              (1, ${A.p3Electricity}, '2026-11-01', 'charge', 43200, 100, 'import')`.execute(h.db);
    const check = await post('city', '/api/billing/tariff-flags/check', { period: '2026-11' });
    expect(check.json()).toEqual({ flagged: 1 });
    const flags = (await get('city', '/api/billing/tariff-flags?period=2026-11')).json().items;
    // 2 entries × (450.00 − 432.00) = 36.00 overcharged
    expect(flags).toMatchObject([{ provider_id: 2, service_id: 2, implied_price: '4.5000', entries: 2, amount: 90000, overcharge: 3600 }]);
  });

  it('switches the penalty moratorium (admin only)', async () => {
    expect((await app.inject({ method: 'PUT', url: '/api/billing/settings', payload: { penaltyMoratorium: true }, headers: as.operator!.headers })).statusCode).toBe(403);
    const res = await app.inject({ method: 'PUT', url: '/api/billing/settings', payload: { penaltyMoratorium: true }, headers: as.admin!.headers });
    expect(res.statusCode).toBe(200);
    expect(res.json().penaltyMoratorium).toBe(true);
  });

  it('records benefits and subsidies, audited, and lists them per premise', async () => {
    const grant = await post('operator', '/api/billing/benefits', { personId: 2, premiseId: 1, category: 'дитина війни', percent: '25', validFrom: '2026-12-01' });
    expect(grant.statusCode).toBe(201);
    const badPercent = await post('operator', '/api/billing/benefits', { personId: 2, premiseId: 1, category: 'x y', percent: '125', validFrom: '2026-12-01' });
    expect(badPercent.statusCode).toBe(422);
    expect(badPercent.json().field).toBe('percent');
    // Person 2 lives at premise 1, not at premise 2: a grant there would never apply.
    const elsewhere = await post('operator', '/api/billing/benefits', { personId: 2, premiseId: 2, category: 'дитина війни', percent: '25', validFrom: '2026-12-01' });
    expect(elsewhere.statusCode).toBe(422);
    expect(elsewhere.json()).toMatchObject({ code: 'person_not_registered', field: 'personId' });
    const backwards = await post('operator', '/api/billing/benefits', { personId: 2, premiseId: 1, category: 'x y', percent: '25', validFrom: '2026-12-01', validTo: '2026-11-30' });
    expect(backwards.json()).toMatchObject({ code: 'invalid_dates', field: 'validTo' });
    const award = await post('operator', '/api/billing/subsidies', { accountId: A.p1Heating, monthlyAmount: 50000, mode: 'credited', validFrom: '2026-12-01' });
    expect(award.statusCode).toBe(201);
    expect((await post('city', '/api/billing/subsidies', { accountId: A.p1Heating, monthlyAmount: 1, mode: 'credited', validFrom: '2026-12-01' })).statusCode).toBe(403);
    const support = (await get('operator', '/api/billing/premises/1/support')).json();
    expect(support.benefits.map((b: { percent: string; category: string }) => [b.category, b.percent])).toEqual([
      ['ветеран праці', '50.00'],
      ['дитина війни', '25.00'],
    ]);
    expect(support.subsidies).toMatchObject([{ account_id: A.p1Heating, monthly_amount: 50000, mode: 'credited' }]);
    const audit = await sql<{ entity: string }>`select entity from audit_log where entity in ('benefit_grant', 'subsidy_award') order by audit_id`.execute(h.db);
    expect(audit.rows.map((r) => r.entity)).toEqual(['benefit_grant', 'subsidy_award']);
  });

  it('lists the persons registered at a premise, current first, for staff only', async () => {
    const res = await get('operator', '/api/billing/premises/3/persons');
    expect(res.statusCode).toBe(200);
    expect(res.json().items).toEqual([
      { person_id: 6, last_name: 'Шевчук', first_name: 'Марія', patronymic: null, registered_from: '2000-01-01', registered_to: null },
      { person_id: 10, last_name: 'Гнатюк', first_name: 'Віра', patronymic: null, registered_from: '2000-01-01', registered_to: '2026-09-15' },
    ]);
    expect((await get('vodokanal', '/api/billing/premises/3/persons')).statusCode).toBe(403);
  });
});
