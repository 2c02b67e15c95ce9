import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../server/context';
import { AppError } from '../shared/errors';
import { csrfMatches, sessionForToken, type LiveSession } from './service';

export const SESSION_COOKIE = 'hromada_session';
export const CSRF_HEADER = 'x-csrf-token';

declare module 'fastify' {
  interface FastifyRequest {
    /** The session behind the cookie, when the request carries a live one. */
    authSession?: LiveSession;
  }
}

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
// Signing in opens a new session, so a stale cookie's CSRF token must not be asked for.
const CSRF_EXEMPT = new Set(['/api/auth/sign-in', '/api/portal/sign-in', '/api/portal/confirm']);

/**
 * Loads `request.user` from the session cookie on every /api request, and refuses a state-changing
 * request of a signed-in session that does not carry its CSRF token (403 `csrf`). Requests without
 * a session pass through as anonymous; routes that need a user answer 401 themselves.
 */
export function installAuth(api: FastifyInstance, ctx: AppContext): void {
  api.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const token = request.cookies?.[SESSION_COOKIE];
    if (!token) return;
    const session = await sessionForToken(ctx.db, token);
    if (!session) {
      clearSessionCookie(request, reply);
      return;
    }
    request.user = session.user;
    request.authSession = session;
    if (UNSAFE_METHODS.has(request.method) && !CSRF_EXEMPT.has(request.routeOptions.url ?? '')) {
      const sent = request.headers[CSRF_HEADER];
      if (!csrfMatches(Array.isArray(sent) ? sent[0] : sent, session.csrfToken)) {
        throw new AppError(
          'csrf',
          403,
          {
            uk: 'Запит без дійсного CSRF-токена (заголовок x-csrf-token). Оновіть сторінку.',
            en: 'Request without a valid CSRF token (header x-csrf-token). Reload the page.',
          },
          { field: CSRF_HEADER },
        );
      }
    }
  });
}

/** HttpOnly (scripts cannot read it), SameSite=Lax, Secure over https; a browser-session cookie. */
export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, token: string): void {
  reply.setCookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'lax', secure: request.protocol === 'https', path: '/' });
}

export function clearSessionCookie(request: FastifyRequest, reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'lax', secure: request.protocol === 'https', path: '/' });
}
