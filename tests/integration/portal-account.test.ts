import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { DatabaseHandle } from '../../src/db/index';
import { buildApp } from '../../src/server/app';
import { hashToken } from '../../src/auth/service';
import { startLocalSmtp, type LocalMailbox } from '../../src/mail/local-server';
import { createTestDatabase } from '../helpers/db';
import { testContext } from '../helpers/http';

// The portal's accounts over HTTP: sign-up by e-mail (through the SMTP adapter to a real local
// SMTP server) and by phone (the SMS adapter's local outbox), codes wrong/used/expired, sign-in,
// password reset, sessions listed and revoked.
describe('portal accounts', () => {
  let h: DatabaseHandle;
  let app: FastifyInstance;
  let box: LocalMailbox;
  const post = (url: string, payload: object, headers: Record<string, string> = {}) => app.inject({ method: 'POST', url, payload, headers });
  const counts = async () => (await sql<{ users: number; confirmed: number; used: number }>`select (select count(*)::int from app_user) as users, (select count(*)::int from portal_account where confirmed_at is not null) as confirmed, (select count(*)::int from portal_code where used_at is not null) as used`.execute(h.db)).rows[0]!;
  const smsCode = async (phone: string) => {
    const r = await h.db.selectFrom('portal_outbox').select('body').where('recipient', '=', phone).orderBy('outbox_id', 'desc').executeTakeFirstOrThrow();
    return /код (\d{6})/.exec(r.body)![1]!;
  };
  const cookieOf = (res: { cookies: { name: string; value: string }[] }) => `hromada_session=${res.cookies.find((c) => c.name === 'hromada_session')!.value}`;

  beforeAll(async () => {
    h = await createTestDatabase();
    await sql`insert into community (community_id, name, katottg) values (1, 'Тест', 'UA05020030000031457')`.execute(h.db);
    box = await startLocalSmtp();
    process.env.SMTP_URL = box.url;
    process.env.SMTP_IGNORE_TLS = '1';
    app = await buildApp(testContext(h));
  }, 120_000);
  afterAll(async () => {
    delete process.env.SMTP_URL;
    await app?.close();
    await box?.close();
    await h?.close();
  });

  it('signs up by e-mail: the link and code arrive through SMTP, the code confirms and signs in', async () => {
    const res = await post('/api/portal/sign-up', { contact: 'Olena@Example.com', password: 'olena-secret-1', displayName: 'Олена Коваль' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toEqual({ channel: 'email', contact: 'olena@example.com' });
    await expect.poll(() => box.received.length).toBe(1);
    const mail = box.received[0]!;
    expect(mail.to && 'text' in mail.to ? mail.to.text : '').toContain('olena@example.com');
    const code = /код: (\d{6})/i.exec(mail.text ?? '')![1]!;
    expect(mail.text).toContain(`/portal/confirm?contact=olena%40example.com&code=${code}`);

    // Before confirming, the password does not open a session.
    const early = await post('/api/portal/sign-in', { contact: 'olena@example.com', password: 'olena-secret-1' });
    expect(early.statusCode).toBe(403);
    expect(early.json().code).toBe('not_confirmed');

    const before = await counts();
    const wrong = await post('/api/portal/confirm', { contact: 'olena@example.com', code: code === '000000' ? '111111' : '000000' });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.json()).toMatchObject({ code: 'code_wrong', message_uk: expect.stringContaining('Код невірний'), message_en: expect.stringContaining('The code is wrong') });
    expect(await counts()).toEqual(before);

    const ok = await post('/api/portal/confirm', { contact: 'olena@example.com', code });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().user).toMatchObject({ role: 'resident', displayName: 'Олена Коваль' });
    const session = await app.inject({ method: 'GET', url: '/api/session', headers: { cookie: cookieOf(ok) } });
    expect(session.json().user.login).toBe('olena@example.com');

    const again = await post('/api/portal/confirm', { contact: 'olena@example.com', code });
    expect(again.statusCode).toBe(422);
    expect(again.json().code).toBe('code_used');

    const dup = await post('/api/portal/sign-up', { contact: 'olena@example.com', password: 'another-pass', displayName: 'X' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().code).toBe('contact_taken');
  });

  it('signs up by phone through the SMS outbox; an expired code is refused and changes nothing', async () => {
    const res = await post('/api/portal/sign-up', { contact: '+38 (067) 123-45-67', password: 'phone-secret-1', displayName: 'Петро' });
    expect(res.json()).toEqual({ channel: 'phone', contact: '+380671234567' });
    const code = await smsCode('+380671234567');
    await sql`update portal_code set expires_at = now() - interval '1 minute'`.execute(h.db);
    const before = await counts();
    const expired = await post('/api/portal/confirm', { contact: '0671234567', code });
    expect(expired.statusCode).toBe(422);
    expect(expired.json()).toMatchObject({ code: 'code_expired', message_en: expect.stringContaining('expired') });
    expect(await counts()).toEqual(before);

    // Signing up again sends a fresh code; the old one no longer counts.
    await post('/api/portal/sign-up', { contact: '0671234567', password: 'phone-secret-2', displayName: 'Петро' });
    const fresh = await smsCode('+380671234567');
    expect((await post('/api/portal/confirm', { contact: '380671234567', code: fresh })).statusCode).toBe(200);
    const signIn = await post('/api/portal/sign-in', { contact: '067 123 45 67', password: 'phone-secret-2' });
    expect(signIn.statusCode).toBe(200);
    expect((await post('/api/portal/sign-in', { contact: '067 123 45 67', password: 'phone-secret-1' })).statusCode).toBe(401);
  });

  it('refuses a bad contact and a short password in both languages', async () => {
    const bad = await post('/api/portal/sign-up', { contact: 'olena@', password: 'long-enough', displayName: 'O' });
    expect(bad.statusCode).toBe(422);
    expect(bad.json()).toMatchObject({ code: 'invalid_contact', field: 'contact' });
    const weak = await post('/api/portal/sign-up', { contact: 'ivan@example.com', password: 'short', displayName: 'I' });
    expect(weak.json()).toMatchObject({ code: 'weak_password', message_uk: expect.any(String), message_en: expect.any(String) });
    expect(await h.db.selectFrom('portal_account').select('contact').where('contact', '=', 'ivan@example.com').execute()).toEqual([]);
  });

  it('resets a password by code (every session ends) and lists and revokes sessions', async () => {
    const s1 = await post('/api/portal/sign-in', { contact: '0671234567', password: 'phone-secret-2' });
    const s2 = await post('/api/portal/sign-in', { contact: '0671234567', password: 'phone-secret-2' });
    const h1 = { cookie: cookieOf(s1), 'x-csrf-token': s1.json().csrfToken };
    const list = (await app.inject({ method: 'GET', url: '/api/portal/sessions', headers: h1 })).json().items as { id: string; current: boolean }[];
    expect(list.length).toBeGreaterThanOrEqual(2);
    expect(list.filter((s) => s.current)).toHaveLength(1);
    const s2id = hashToken(s2.cookies.find((c) => c.name === 'hromada_session')!.value).slice(0, 16);
    expect(list.find((s) => s.id === s2id)?.current).toBe(false);
    expect((await app.inject({ method: 'DELETE', url: `/api/portal/sessions/${s2id}`, headers: h1 })).statusCode).toBe(204);
    const after = (await app.inject({ method: 'GET', url: '/api/portal/sessions', headers: h1 })).json().items as { id: string }[];
    expect(after.map((s) => s.id)).not.toContain(s2id);
    expect((await app.inject({ method: 'GET', url: '/api/session', headers: { cookie: cookieOf(s2) } })).json().user).toBeNull();
    expect((await app.inject({ method: 'DELETE', url: `/api/portal/sessions/${s2id}`, headers: h1 })).statusCode).toBe(404);

    // Reset: the answer is the same for an unknown contact, and nothing is sent there.
    expect((await post('/api/portal/reset', { contact: '0509999999' })).statusCode).toBe(202);
    expect(await h.db.selectFrom('portal_outbox').select('outbox_id').where('recipient', '=', '+380509999999').execute()).toEqual([]);
    expect((await post('/api/portal/reset', { contact: '0671234567' })).statusCode).toBe(202);
    const code = await smsCode('+380671234567');
    const bad = await post('/api/portal/reset/confirm', { contact: '0671234567', code: code === '000000' ? '111111' : '000000', password: 'new-secret-3' });
    expect(bad.json().code).toBe('code_wrong');
    expect((await post('/api/portal/sign-in', { contact: '0671234567', password: 'phone-secret-2' })).statusCode).toBe(200);
    expect((await post('/api/portal/reset/confirm', { contact: '0671234567', code, password: 'new-secret-3' })).statusCode).toBe(204);
    expect((await app.inject({ method: 'GET', url: '/api/session', headers: { cookie: cookieOf(s1) } })).json().user).toBeNull();
    expect((await post('/api/portal/sign-in', { contact: '0671234567', password: 'phone-secret-2' })).statusCode).toBe(401);
    expect((await post('/api/portal/sign-in', { contact: '0671234567', password: 'new-secret-3' })).statusCode).toBe(200);
  });
});
