import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { DatabaseHandle } from '../../src/db/index';
import { buildApp } from '../../src/server/app';
import { createUser } from '../../src/auth/service';
import { writeAudit } from '../../src/auth/audit';
import { createTestDatabase } from '../helpers/db';
import { signInAs, testContext } from '../helpers/http';

const PASSWORD = 'correct horse battery';

describe('sign-in, sessions, CSRF, roles and audit', () => {
  let h: DatabaseHandle;
  let app: FastifyInstance;
  let residentPremise: number;

  beforeAll(async () => {
    h = await createTestDatabase();
    const db = h.db;
    await db.insertInto('community').values({ community_id: 1, name: 'Тестова громада', katottg: 'UA05020030000031457' }).execute();
    await db
      .insertInto('provider')
      .values({ community_id: 1, provider_id: 1, edrpou: '32855961', iban: 'UA213223130000026007233566001', name: 'Водоканал' })
      .execute();
    await db.insertInto('street').values({ community_id: 1, street_id: 1, type: 'вулиця', name: 'Соборна', name_key: 'соборна', translit_key: 'soborna' }).execute();
    await db.insertInto('building').values({ community_id: 1, building_id: 1, street_id: 1, number: 5, house_key: '5' }).execute();
    const p = await db.insertInto('premise').values({ community_id: 1, building_id: 1, number: '3', apartment_key: '3' }).returning('premise_id').executeTakeFirstOrThrow();
    residentPremise = p.premise_id;
    await createUser(db, { communityId: 1, login: 'admin', password: PASSWORD, role: 'admin', displayName: 'Адміністратор' });
    await createUser(db, { communityId: 1, login: 'operator', password: PASSWORD, role: 'operator', displayName: 'Оператор ЦОД' });
    await createUser(db, { communityId: 1, login: 'city', password: PASSWORD, role: 'city', displayName: 'Міська рада' });
    await createUser(db, { communityId: 1, login: 'vodokanal', password: PASSWORD, role: 'provider', providerId: 1, displayName: 'Водоканал' });
    await createUser(db, { communityId: 1, login: 'resident', password: PASSWORD, role: 'resident', displayName: 'Мешканка', premiseIds: [residentPremise] });
    // As behind a reverse proxy: the tests vary the client address and scheme with X-Forwarded-*.
    app = await buildApp(testContext(h), { trustProxy: 'loopback' });
  });
  afterAll(async () => {
    await app?.close();
    await h?.close();
  });

  it('signs in: an HttpOnly SameSite cookie whose token is stored only as its SHA-256', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { login: 'Operator', password: PASSWORD } });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.user).toMatchObject({ login: 'operator', role: 'operator', displayName: 'Оператор ЦОД', providerId: null, communityId: 1 });
    expect(body.csrfToken).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    const cookie = res.cookies.find((c) => c.name === 'hromada_session')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(cookie.secure).toBeFalsy();
    expect(Buffer.from(cookie.value, 'base64url')).toHaveLength(32);

    const stored = await h.db.selectFrom('user_session').select(['token_hash', 'csrf_token', 'expires_at']).execute();
    const hash = createHash('sha256').update(cookie.value).digest('hex');
    expect(stored.map((s) => s.token_hash)).toContain(hash);
    expect(stored.map((s) => s.token_hash)).not.toContain(cookie.value);
    const mine = stored.find((s) => s.token_hash === hash)!;
    const hoursLeft = (new Date(mine.expires_at).getTime() - Date.now()) / 3_600_000;
    expect(hoursLeft).toBeGreaterThan(11.9);
    expect(hoursLeft).toBeLessThanOrEqual(12);

    const session = await app.inject({ method: 'GET', url: '/api/session', headers: { cookie: `hromada_session=${cookie.value}` } });
    expect(session.json()).toEqual({ user: body.user, csrfToken: body.csrfToken });
  });

  it('marks the cookie Secure behind https', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      headers: { 'x-forwarded-proto': 'https' },
      payload: { login: 'city', password: PASSWORD },
    });
    expect(res.cookies.find((c) => c.name === 'hromada_session')!.secure).toBe(true);
  });

  it('answers a wrong password and an unknown login with the same problem', async () => {
    const wrong = await app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { login: 'city', password: 'not the password' } });
    const unknown = await app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { login: 'nobody', password: 'not the password' } });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.headers['content-type']).toContain('application/problem+json');
    // The same problem; only the request id (there to find the log line) differs.
    const { requestId: wrongId, ...wrongProblem } = wrong.json();
    const { requestId: unknownId, ...unknownProblem } = unknown.json();
    expect(wrongProblem).toEqual(unknownProblem);
    expect(wrongId).not.toBe(unknownId);
    expect(wrong.json()).toMatchObject({ code: 'bad_credentials', message_uk: 'Невірний логін або пароль', message_en: 'Wrong login or password' });
    expect(wrong.cookies).toHaveLength(0);
  });

  it('rate-limits a login after 10 failures, even for the right password, with a bilingual message', async () => {
    await createUser(h.db, { communityId: 1, login: 'target', password: PASSWORD, role: 'operator', displayName: 'Target' });
    for (let i = 0; i < 10; i++) {
      const res = await app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { login: 'target', password: `guess ${i}` } });
      expect(res.statusCode).toBe(401);
    }
    const blocked = await app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { login: 'TARGET', password: PASSWORD } });
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json()).toMatchObject({ code: 'rate_limited' });
    expect(blocked.json().message_uk).toMatch(/Забагато невдалих спроб входу. Спробуйте через 15 хв/);
    expect(blocked.json().message_en).toMatch(/Too many failed sign-in attempts/);
    // Other logins are not affected (the per-IP limit is higher).
    await signInAs(app, 'city', PASSWORD);
  });

  it('locks no one out: after 10 guesses the right password from a clean address signs in; the lockout is audited and an admin lifts it', async () => {
    await createUser(h.db, { communityId: 1, login: 'official', password: PASSWORD, role: 'city', displayName: 'Official' });
    const attacker = { 'x-forwarded-for': '198.51.100.9' };
    for (let i = 0; i < 10; i++) {
      const res = await app.inject({ method: 'POST', url: '/api/auth/sign-in', headers: attacker, payload: { login: 'official', password: `guess ${i}` } });
      expect(res.statusCode).toBe(401);
    }
    // The attacker's address is refused even the right password; the official's own address is not.
    const fromAttacker = await app.inject({ method: 'POST', url: '/api/auth/sign-in', headers: attacker, payload: { login: 'official', password: PASSWORD } });
    expect(fromAttacker.statusCode).toBe(429);
    // An address the attacker writes before the proxy's entry is not believed: the proxy's entry is the address.
    const spoofed = await app.inject({ method: 'POST', url: '/api/auth/sign-in', headers: { 'x-forwarded-for': '192.0.2.44, 198.51.100.9' }, payload: { login: 'official', password: PASSWORD } });
    expect(spoofed.statusCode).toBe(429);
    const fromOffice = await app.inject({ method: 'POST', url: '/api/auth/sign-in', headers: { 'x-forwarded-for': '192.0.2.44' }, payload: { login: 'official', password: PASSWORD } });
    expect(fromOffice.statusCode).toBe(200);

    const lockouts = await h.db.selectFrom('audit_log').select(['action', 'entity', 'entity_id', 'after']).where('action', '=', 'lockout').where('entity_id', '=', 'official').execute();
    expect(lockouts.map((l) => (l.after as { scope: string }).scope).sort()).toEqual(['login', 'login_address']);

    const admin = await signInAs(app, 'admin', PASSWORD);
    const operator = await signInAs(app, 'operator', PASSWORD);
    expect((await app.inject({ method: 'GET', url: '/api/auth/lockouts', headers: admin.headers })).json().logins).toContain('official');
    const lift = { login: 'Official', reason: 'Підтверджено телефоном' };
    expect((await app.inject({ method: 'POST', url: '/api/auth/lockouts/lift', headers: operator.headers, payload: lift })).statusCode).toBe(403);
    expect((await app.inject({ method: 'POST', url: '/api/auth/lockouts/lift', headers: admin.headers, payload: { ...lift, login: 'nobody' } })).statusCode).toBe(404);
    expect((await app.inject({ method: 'POST', url: '/api/auth/lockouts/lift', headers: admin.headers, payload: lift })).statusCode).toBe(204);
    expect((await app.inject({ method: 'GET', url: '/api/auth/lockouts', headers: admin.headers })).json().logins).not.toContain('official');
    const again = await app.inject({ method: 'POST', url: '/api/auth/sign-in', headers: attacker, payload: { login: 'official', password: PASSWORD } });
    expect(again.statusCode).toBe(200);
    const unlock = await h.db.selectFrom('audit_log').select(['user_id', 'after']).where('action', '=', 'unlock').executeTakeFirstOrThrow();
    expect(unlock.after).toMatchObject({ reason: 'Підтверджено телефоном' });
    expect(unlock.user_id).not.toBeNull();
  }, 60_000);

  it('rate-limits an IP address that tries many logins', async () => {
    const other = { 'x-forwarded-for': '203.0.113.7' };
    for (let i = 0; i < 50; i++) {
      const res = await app.inject({ method: 'POST', url: '/api/auth/sign-in', headers: other, payload: { login: `user${i}`, password: 'x' } });
      expect(res.statusCode).toBe(401);
    }
    const blocked = await app.inject({ method: 'POST', url: '/api/auth/sign-in', headers: other, payload: { login: 'admin', password: PASSWORD } });
    expect(blocked.statusCode).toBe(429);
    // The same login from another address still works.
    await signInAs(app, 'admin', PASSWORD);
  }, 90_000); // 51 argon2 checks: slow on purpose

  it('refuses a write without the session’s CSRF token, accepts it with', async () => {
    const admin = await signInAs(app, 'admin', PASSWORD);
    const body = { login: 'operator2', password: PASSWORD, role: 'operator', displayName: 'Другий оператор' };
    const missing = await app.inject({ method: 'POST', url: '/api/users', headers: { cookie: admin.headers.cookie }, payload: body });
    expect(missing.statusCode).toBe(403);
    expect(missing.json()).toMatchObject({ code: 'csrf', field: 'x-csrf-token' });
    const wrong = await app.inject({ method: 'POST', url: '/api/users', headers: { ...admin.headers, 'x-csrf-token': 'x'.repeat(43) }, payload: body });
    expect(wrong.json().code).toBe('csrf');
    const ok = await app.inject({ method: 'POST', url: '/api/users', headers: admin.headers, payload: body });
    expect(ok.statusCode).toBe(201);
    const dup = await app.inject({ method: 'POST', url: '/api/users', headers: admin.headers, payload: { ...body, login: 'OPERATOR2' } });
    expect(dup.statusCode).toBe(409);
    expect(dup.json()).toMatchObject({ code: 'login_taken', field: 'login' });
  });

  it('checks roles: residents and operators cannot create users; only admin and city read the audit log', async () => {
    const resident = await signInAs(app, 'resident', PASSWORD);
    expect(resident.csrfToken).toBeTruthy();
    const write = await app.inject({
      method: 'POST',
      url: '/api/users',
      headers: resident.headers,
      payload: { login: 'sneaky', password: PASSWORD, role: 'admin', displayName: 'x' },
    });
    expect(write.statusCode).toBe(403);
    expect(write.json().code).toBe('forbidden');
    const operator = await signInAs(app, 'operator', PASSWORD);
    expect((await app.inject({ method: 'GET', url: '/api/audit', headers: operator.headers })).statusCode).toBe(403);
    expect((await app.inject({ method: 'GET', url: '/api/audit' })).statusCode).toBe(401);
    const city = await signInAs(app, 'city', PASSWORD);
    expect((await app.inject({ method: 'GET', url: '/api/audit', headers: city.headers })).statusCode).toBe(200);
  });

  it('audits user creation with the row after (never the password hash) and pages the log newest first', async () => {
    const admin = await signInAs(app, 'admin', PASSWORD);
    const created = await app.inject({
      method: 'POST',
      url: '/api/users',
      headers: admin.headers,
      payload: { login: 'auditme', password: PASSWORD, role: 'resident', displayName: 'Під аудитом', premiseIds: [residentPremise] },
    });
    const userId = created.json().userId;
    const res = await app.inject({ method: 'GET', url: `/api/audit?entity=app_user&entityId=${userId}`, headers: admin.headers });
    const [entry] = res.json().items;
    expect(entry).toMatchObject({
      userLogin: 'admin',
      action: 'create',
      entity: 'app_user',
      entityId: String(userId),
      before: null,
      after: { login: 'auditme', role: 'resident', premise_ids: [residentPremise], display_name: 'Під аудитом' },
    });
    expect(JSON.stringify(entry)).not.toMatch(/argon2|password/);

    // A system write (no user) takes its community from the row itself.
    await h.db.transaction().execute((trx) => writeAudit(trx, null, 'update', 'test_entity', 7, { community_id: 1, a: 1 }, { community_id: 1, a: 2 }));
    const all: number[] = [];
    let cursor: string | null = null;
    do {
      const page: any = (await app.inject({ method: 'GET', url: `/api/audit?limit=2${cursor ? `&cursor=${cursor}` : ''}`, headers: admin.headers })).json();
      all.push(...page.items.map((i: any) => i.auditId));
      cursor = page.nextCursor;
    } while (cursor);
    const total = await h.db.selectFrom('audit_log').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
    expect(all).toHaveLength(total.n);
    expect(all).toEqual([...all].sort((a, b) => b - a));
    const system = (await app.inject({ method: 'GET', url: '/api/audit?entity=test_entity', headers: admin.headers })).json().items[0];
    expect(system).toMatchObject({ userId: null, before: { a: 1 }, after: { a: 2 } });

    // Filters by action and by day (Kyiv), both ends included; a day that does not exist is refused.
    const rows = await h.db.selectFrom('audit_log').select(['audit_id', 'action', sql<string>`(at at time zone 'Europe/Kyiv')::date::text`.as('day')]).execute();
    const today = rows[0].day;
    const byAction = (await app.inject({ method: 'GET', url: '/api/audit?action=update&limit=200', headers: admin.headers })).json().items;
    expect(byAction.map((i: any) => i.auditId).sort()).toEqual(rows.filter((r) => r.action === 'update').map((r) => Number(r.audit_id)).sort());
    const sameDay = (await app.inject({ method: 'GET', url: `/api/audit?from=${today}&to=${today}&limit=200`, headers: admin.headers })).json().items;
    expect(sameDay).toHaveLength(rows.filter((r) => r.day === today).length);
    const tomorrow = new Date(Date.parse(`${today}T12:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    expect((await app.inject({ method: 'GET', url: `/api/audit?from=${tomorrow}`, headers: admin.headers })).json().items).toEqual([]);
    expect((await app.inject({ method: 'GET', url: '/api/audit?from=2026-02-30', headers: admin.headers })).statusCode).toBe(400);
  });

  it('signs out: the session row is deleted and the cookie no longer works', async () => {
    const s = await signInAs(app, 'operator', PASSWORD);
    const before = await h.db.selectFrom('user_session').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
    const out = await app.inject({ method: 'POST', url: '/api/auth/sign-out', headers: s.headers });
    expect(out.statusCode).toBe(204);
    const after = await h.db.selectFrom('user_session').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n - 1);
    const session = await app.inject({ method: 'GET', url: '/api/session', headers: s.headers });
    expect(session.json()).toEqual({ user: null, csrfToken: null });
  });

  it('ignores an expired session', async () => {
    const s = await signInAs(app, 'city', PASSWORD);
    const hash = createHash('sha256').update(s.headers.cookie.split('=')[1]).digest('hex');
    await h.db.updateTable('user_session').set({ expires_at: new Date(Date.now() - 1000) }).where('token_hash', '=', hash).execute();
    const res = await app.inject({ method: 'GET', url: '/api/audit', headers: s.headers });
    expect(res.statusCode).toBe(401);
  });

  it('validates new users: provider users need their provider; passwords have a minimum length', async () => {
    await expect(createUser(h.db, { communityId: 1, login: 'prov2', password: PASSWORD, role: 'provider', displayName: 'x' })).rejects.toMatchObject({
      code: 'provider_scope',
      details: { field: 'providerId' },
    });
    await expect(createUser(h.db, { communityId: 1, login: 'shorty', password: 'short', role: 'city', displayName: 'x' })).rejects.toMatchObject({
      code: 'weak_password',
    });
  });
});
