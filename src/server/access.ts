import type { FastifyRequest } from 'fastify';
import { forbidden, unauthenticated } from '../shared/errors';
import type { Role, SessionUser } from './context';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in user, set by the auth plugin; undefined for anonymous requests. */
    user?: SessionUser;
  }
}

/** The signed-in user of a request, or 401. */
export function actorOf(request: FastifyRequest): SessionUser {
  if (!request.user) throw unauthenticated();
  return request.user;
}

/** Services call this first: the actor must hold one of the roles, or 403. */
export function requireRole(actor: SessionUser, ...roles: Role[]): void {
  if (!roles.includes(actor.role)) throw forbidden();
}

/** Staff who may see every account of the community. */
export const STAFF: Role[] = ['admin', 'operator', 'city'];

/** Staff see everything (null); a provider's user only its own provider; anyone else, 403. */
export function providerScope(actor: SessionUser): number | null {
  if (STAFF.includes(actor.role)) return null;
  if (actor.role === 'provider' && actor.providerId) return actor.providerId;
  throw forbidden();
}
