/**
 * The findings of issue #18, each as the request that reproduced it: every one answered 500 (or
 * let a wrong write through) before its fix.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { execSql, type DatabaseHandle } from '../../src/db/index';
import { buildApp } from '../../src/server/app';
import type { AppContext } from '../../src/server/context';
import { createUser } from '../../src/auth/service';
import { createTestDatabase } from '../helpers/db';
import { signInAs, testContext, type Signed } from '../helpers/http';
import { createBillingFixture } from './billing-fixture';

const PASSWORD = 'hardening-test-password';

describe('hardening: the findings of issue #18', () => {
  let h: DatabaseHandle;
  let ctx: AppContext;
  let app: FastifyInstance;
  const logLines: Array<Record<string, unknown>> = [];
  const as: Record<string, Signed> = {};

  beforeAll(async () => {
    h = await createTestDatabase();
    await createBillingFixture(h.db);
    await execSql(
      h.db,
      `insert into community (community_id, name, katottg) values (2, 'Інша громада', 'UA05020030000031458');
       insert into provider (community_id, provider_id, edrpou, iban, name) values (2, 90, '32855961', 'UA213223130000026007233566009', 'Чужий водоканал');`,
    );
    for (const [login, role, providerId] of [
      ['operator', 'operator', null],
      ['admin', 'admin', null],
      ['vodokanal', 'provider', 1],
    ] as const) {
      await createUser(h.db, { communityId: 1, login, password: PASSWORD, role, providerId, displayName: login });
    }
    ctx = testContext(h);
    app = await buildApp(ctx, { logger: { level: 'error', stream: { write: (line) => void logLines.push(JSON.parse(line)) } } });
    for (const login of ['operator', 'admin', 'vodokanal']) as[login] = await signInAs(app, login, PASSWORD);
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await h?.close();
  });

  const get = (who: string, url: string) => app.inject({ method: 'GET', url, headers: as[who]!.headers });
  const post = (who: string, url: string, payload: unknown) => app.inject({ method: 'POST', url, payload: payload as object, headers: as[who]!.headers });

  it('lists the two-zone electricity tariff with its coefficients (500 on PostgreSQL before)', async () => {
    const res = await get('operator', '/api/billing/tariffs?providerId=2');
    expect(res.statusCode).toBe(200);
    const zoned = res.json().items.find((t: { tariff_id: number }) => t.tariff_id === 3);
    expect(zoned.zone_coefficients.map(Number)).toEqual([1, 0.5]);
  });

  it('streams an upload past the NUL check (it walked the body stream into a stack overflow, 500)', async () => {
    // Over a real socket: inject hands the route a buffer, the server a stream.
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    const res = await fetch(`${base}/api/imports/preview?kind=accounts&fileName=a.csv`, {
      method: 'POST',
      headers: { ...as.operator!.headers, 'content-type': 'application/octet-stream' },
      body: 'account;address;payer;service\n7700001;Соборна 1;Іваненко;cold_water\n',
    });
    expect(res.status, await res.text()).toBe(200);
  });

  it('refuses a NUL byte in a query parameter with 400 naming the field', async () => {
    for (const url of ['/api/providers?q=%00', '/api/audit?entity=%00', '/api/jobs?kind=%00']) {
      const res = await get('admin', url);
      expect(res.statusCode, url).toBe(400);
      expect(res.json().code).toBe('nul_byte');
      expect(res.json().field).toMatch(/^query\./);
    }
  });

  it('answers 404 for a tariff naming a provider of another community, and writes nothing', async () => {
    const before = await sql<{ n: number }>`select count(*)::int as n from tariff`.execute(h.db);
    const res = await post('operator', '/api/billing/tariffs', { providerId: 90, serviceId: 1, method: 'metered', price: '30', unit: 'м³', validFrom: '2027-01-01' });
    expect(res.statusCode).toBe(404);
    const after = await sql<{ n: number }>`select count(*)::int as n from tariff`.execute(h.db);
    expect(after.rows[0].n).toBe(before.rows[0].n);
  });

  it('refuses impossible dates with 400 naming validFrom', async () => {
    for (const validFrom of ['2026-02-30', '2026-13-01']) {
      const res = await post('operator', '/api/billing/tariffs', { providerId: 1, serviceId: 1, method: 'metered', price: '30', unit: 'м³', validFrom });
      expect(res.statusCode, validFrom).toBe(400);
      expect(JSON.stringify(res.json().issues)).toContain('validFrom');
    }
  });

  it('logs a 5xx with its route, request id, user id and stack, and returns the request id', async () => {
    await sql`alter table tariff_tier rename to tariff_tier_away`.execute(h.db);
    try {
      const res = await get('operator', '/api/billing/tariffs');
      expect(res.statusCode).toBe(500);
      const requestId = res.json().requestId;
      expect(requestId).toBeTruthy();
      const line = logLines.find((l) => l.requestId === requestId);
      expect(line).toMatchObject({ route: '/api/billing/tariffs', method: 'GET', userId: expect.any(Number) });
      expect(String((line!.err as { stack: string }).stack)).toContain('tariff_tier');
      // No personal data: neither the session cookie nor the password.
      expect(JSON.stringify(logLines)).not.toContain(as.operator!.headers.cookie!.split('=')[1]);
      expect(JSON.stringify(logLines)).not.toContain(PASSWORD);
    } finally {
      await sql`alter table tariff_tier_away rename to tariff_tier`.execute(h.db);
    }
  });
});
