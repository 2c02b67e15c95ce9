/**
 * Security headers on every response (@fastify/helmet), issue #18 item 6: the HTML app, the API and
 * the API docs carry a CSP without inline scripts, frame-ancestors 'none', nosniff and a referrer
 * policy; the session cookie is Secure when the request came over https through the trusted proxy.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { DatabaseHandle } from '../../src/db/index';
import { buildApp } from '../../src/server/app';
import { createUser } from '../../src/auth/service';
import { createTestDatabase } from '../helpers/db';
import { testContext } from '../helpers/http';

const PASSWORD = 'headers-test-password';

function directives(csp: string | undefined): Map<string, string[]> {
  expect(csp).toBeTypeOf('string');
  return new Map(csp!.split(';').map((d) => d.trim().split(/\s+/)).filter((d) => d[0]).map(([name, ...values]) => [name, values]));
}

describe('security headers', () => {
  let h: DatabaseHandle;
  let app: FastifyInstance;
  let direct: FastifyInstance;

  beforeAll(async () => {
    h = await createTestDatabase();
    await h.db.insertInto('community').values({ community_id: 1, name: 'Тестова громада', katottg: 'UA05020030000031457' }).execute();
    await createUser(h.db, { communityId: 1, login: 'operator', password: PASSWORD, role: 'operator', displayName: 'Оператор' });
    app = await buildApp(testContext(h), { trustProxy: 'loopback' });
    direct = await buildApp(testContext(h), { trustProxy: false });
  });
  afterAll(async () => {
    await app?.close();
    await direct?.close();
    await h?.close();
  });

  it('API answers, errors included, carry the CSP, frame, sniffing and referrer headers', async () => {
    for (const url of ['/api/health', '/api/no-such-route', '/api/session']) {
      const res = await app.inject({ method: 'GET', url });
      const csp = directives(res.headers['content-security-policy'] as string);
      expect(csp.get('script-src')).toEqual(["'self'"]);
      expect(csp.get('script-src-attr')).toEqual(["'none'"]);
      expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
      expect(csp.get('object-src')).toEqual(["'none'"]);
      // Mantine writes its CSS variables in a <style> element: inline styles, never inline scripts.
      expect(csp.get('style-src')).toEqual(["'self'", "'unsafe-inline'"]);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
    }
  });

  it('the API docs page has its own CSP, still without inline scripts or framing', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/docs' });
    expect(res.statusCode).toBe(200);
    const csp = directives(res.headers['content-security-policy'] as string);
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
  });

  it('the session cookie is Secure over https through the trusted proxy, not over plain http', async () => {
    const signIn = (target: FastifyInstance, headers: Record<string, string>) =>
      target.inject({ method: 'POST', url: '/api/auth/sign-in', headers, payload: { login: 'operator', password: PASSWORD } });
    const viaProxy = await signIn(app, { 'x-forwarded-proto': 'https' });
    expect(viaProxy.statusCode).toBe(200);
    expect(viaProxy.cookies.find((c) => c.name === 'hromada_session')!.secure).toBe(true);
    const plain = await signIn(app, {});
    expect(plain.cookies.find((c) => c.name === 'hromada_session')!.secure).toBeFalsy();
    // Without a trusted proxy a client's own X-Forwarded-Proto is not believed.
    const spoofed = await signIn(direct, { 'x-forwarded-proto': 'https' });
    expect(spoofed.cookies.find((c) => c.name === 'hromada_session')!.secure).toBeFalsy();
  });
});
