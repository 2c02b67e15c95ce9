import type { FastifyInstance } from 'fastify';
import type { DatabaseHandle } from '../../src/db/index';
import { createJobQueue } from '../../src/jobs/handlers';
import type { AppContext } from '../../src/server/context';

export function testContext(handle: DatabaseHandle, communityId = 1): AppContext {
  return { handle, db: handle.db, communityId, jobs: createJobQueue(handle) };
}

export interface Signed {
  /** `cookie` and `x-csrf-token`: pass as inject headers. */
  headers: Record<string, string>;
  csrfToken: string;
}

/** Signs in through the real endpoint and returns the headers a browser would send afterwards. */
export async function signInAs(app: FastifyInstance, login: string, password: string): Promise<Signed> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { login, password } });
  if (res.statusCode !== 200) throw new Error(`sign-in as ${login} failed: ${res.statusCode} ${res.body}`);
  const cookie = res.cookies.find((c) => c.name === 'hromada_session');
  if (!cookie) throw new Error('no session cookie');
  const csrfToken = res.json().csrfToken as string;
  return { csrfToken, headers: { cookie: `hromada_session=${cookie.value}`, 'x-csrf-token': csrfToken } };
}
