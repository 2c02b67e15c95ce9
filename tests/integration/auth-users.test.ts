import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { DatabaseHandle } from '../../src/db/index';
import { buildApp } from '../../src/server/app';
import { createUser } from '../../src/auth/service';
import { createTestDatabase } from '../helpers/db';
import { signInAs, testContext, type Signed } from '../helpers/http';

const PASSWORD = 'correct horse battery';

// The administrator's users page over HTTP: add with a one-time password, change role and
// provider, disable, reset; every change audited; the last administrator cannot be removed.
describe('users and roles (admin)', () => {
  let h: DatabaseHandle;
  let app: FastifyInstance;
  let admin: Signed;

  beforeAll(async () => {
    h = await createTestDatabase();
    await h.db.insertInto('community').values({ community_id: 1, name: 'Тестова громада', katottg: 'UA05020030000031457' }).execute();
    await h.db
      .insertInto('provider')
      .values([
        { community_id: 1, provider_id: 1, edrpou: '32855961', iban: 'UA213223130000026007233566001', name: 'Водоканал' },
        { community_id: 1, provider_id: 2, edrpou: '00131305', iban: 'UA213223130000026007233566001', name: 'Газ' },
      ])
      .execute();
    await createUser(h.db, { communityId: 1, login: 'admin', password: PASSWORD, role: 'admin', displayName: 'Адміністратор' });
    await createUser(h.db, { communityId: 1, login: 'operator', password: PASSWORD, role: 'operator', displayName: 'Оператор' });
    app = await buildApp(testContext(h));
    admin = await signInAs(app, 'admin', PASSWORD);
  });
  afterAll(async () => {
    await app?.close();
    await h?.close();
  });

  const users = async () => (await app.inject({ method: 'GET', url: '/api/users', headers: admin.headers })).json() as Array<Record<string, unknown>>;

  it('adds a provider user with a one-time password that signs in, and shows the last sign-in', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/users', headers: admin.headers, payload: { login: 'water-clerk', displayName: 'Касир водоканалу', role: 'provider', providerId: 1 } });
    expect(res.statusCode).toBe(201);
    const { userId, password } = res.json();
    expect(password).toMatch(/^[A-Za-z0-9]{12}$/);
    expect((await users()).find((u) => u.userId === userId)).toMatchObject({ login: 'water-clerk', role: 'provider', providerName: 'Водоканал', lastSignInAt: null, disabled: false });

    const clerk = await signInAs(app, 'water-clerk', password);
    const session = (await app.inject({ method: 'GET', url: '/api/session', headers: clerk.headers })).json();
    expect(session.user).toMatchObject({ role: 'provider', providerId: 1 });
    const after = (await users()).find((u) => u.userId === userId)!;
    expect(Date.now() - new Date(after.lastSignInAt as string).getTime()).toBeLessThan(60_000);
    const stored = await h.db.selectFrom('app_user').select('password_hash').where('user_id', '=', userId).executeTakeFirstOrThrow();
    expect(stored.password_hash).not.toContain(password);
  });

  it('changes role and provider, disables (its sessions end) and resets the password; each change in the audit log', async () => {
    const { userId } = await createUserVia('gas-clerk', 2);
    const clerk = await signInAs(app, 'gas-clerk', (await reset(userId)).password);

    const moved = await app.inject({ method: 'PATCH', url: `/api/users/${userId}`, headers: admin.headers, payload: { providerId: 1 } });
    expect(moved.statusCode).toBe(204);
    const toOperator = await app.inject({ method: 'PATCH', url: `/api/users/${userId}`, headers: admin.headers, payload: { role: 'operator' } });
    expect(toOperator.statusCode).toBe(204);
    expect((await users()).find((u) => u.userId === userId)).toMatchObject({ role: 'operator', providerId: null });
    // A provider user without its provider is refused, naming the field.
    const noProvider = await app.inject({ method: 'PATCH', url: `/api/users/${userId}`, headers: admin.headers, payload: { role: 'provider' } });
    expect(noProvider.statusCode).toBe(422);
    expect(noProvider.json()).toMatchObject({ code: 'provider_scope', field: 'providerId' });

    const disabled = await app.inject({ method: 'PATCH', url: `/api/users/${userId}`, headers: admin.headers, payload: { disabled: true } });
    expect(disabled.statusCode).toBe(204);
    expect((await app.inject({ method: 'GET', url: '/api/session', headers: clerk.headers })).json().user).toBeNull();

    const again = await reset(userId);
    expect((await app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { login: 'gas-clerk', password: again.password } })).statusCode).toBe(401);
    await app.inject({ method: 'PATCH', url: `/api/users/${userId}`, headers: admin.headers, payload: { disabled: false } });
    await signInAs(app, 'gas-clerk', again.password);

    const audit = await h.db.selectFrom('audit_log').select(['action', 'after']).where('entity', '=', 'app_user').where('entity_id', '=', String(userId)).orderBy('audit_id').execute();
    expect(audit.map((a) => a.action)).toEqual(['create', 'reset_password', 'update', 'update', 'update', 'reset_password', 'update']);
    expect(JSON.stringify(audit)).not.toContain(again.password);
  });

  it('never removes the last enabled administrator, by role or by disabling', async () => {
    const me = (await users()).find((u) => u.login === 'admin')!;
    for (const payload of [{ disabled: true }, { role: 'operator' }]) {
      const res = await app.inject({ method: 'PATCH', url: `/api/users/${me.userId}`, headers: admin.headers, payload });
      expect(res.statusCode).toBe(409);
      expect(res.json()).toMatchObject({ code: 'last_admin' });
    }
    // With a second administrator the first may step down.
    const second = await app.inject({ method: 'POST', url: '/api/users', headers: admin.headers, payload: { login: 'admin2', displayName: 'Другий', role: 'admin' } });
    const res = await app.inject({ method: 'PATCH', url: `/api/users/${second.json().userId}`, headers: admin.headers, payload: { role: 'city' } });
    expect(res.statusCode).toBe(204);
  });

  it('is for administrators only', async () => {
    const operator = await signInAs(app, 'operator', PASSWORD);
    expect((await app.inject({ method: 'GET', url: '/api/users', headers: operator.headers })).statusCode).toBe(403);
    expect((await app.inject({ method: 'POST', url: '/api/users/1/reset-password', headers: operator.headers })).statusCode).toBe(403);
  });

  async function createUserVia(login: string, providerId: number) {
    const res = await app.inject({ method: 'POST', url: '/api/users', headers: admin.headers, payload: { login, displayName: login, role: 'provider', providerId } });
    expect(res.statusCode).toBe(201);
    return res.json() as { userId: number; password: string };
  }
  async function reset(userId: number) {
    const res = await app.inject({ method: 'POST', url: `/api/users/${userId}/reset-password`, headers: admin.headers });
    expect(res.statusCode).toBe(200);
    return res.json() as { password: string };
  }
});
