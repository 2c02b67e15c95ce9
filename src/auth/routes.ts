import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RouteModule } from '../server/routes';
import { actorOf, requireRole } from '../server/access';
import { pageQuerySchema, pageSchema } from '../shared/pagination';
import { AttemptLimiter } from './attempts';
import { clearSessionCookie, setSessionCookie } from './plugin';
import { createUser, listAudit, ROLES, signIn, signOut, type SignInLimits } from './service';

export const sessionUserSchema = z.object({
  userId: z.number(),
  communityId: z.number(),
  login: z.string(),
  displayName: z.string(),
  role: z.enum(ROLES as ['admin', 'operator', 'provider', 'city', 'resident']),
  providerId: z.number().nullable(),
});

const sessionSchema = z.object({ user: sessionUserSchema.nullable(), csrfToken: z.string().nullable() });

const auditEntrySchema = z.object({
  auditId: z.number(),
  at: z.string(),
  userId: z.number().nullable(),
  userLogin: z.string().nullable(),
  action: z.string(),
  entity: z.string(),
  entityId: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
});

/**
 * POST /api/auth/sign-in {login, password} → {user, csrfToken} + cookie hromada_session
 * POST /api/auth/sign-out → 204
 * GET  /api/session → {user | null, csrfToken | null}
 * GET  /api/audit?entity&entityId&userId&cursor&limit → {items, nextCursor} (admin, city)
 * POST /api/users {login, password, role, providerId?, displayName, premiseIds?} → 201 {userId} (admin)
 */
export const authRoutes: RouteModule = (app, ctx) => {
  const api = app.withTypeProvider<ZodTypeProvider>();
  // One set of counters per app (per process): 10 failures per login, 50 per IP, in 15 minutes.
  const limits: SignInLimits = { byLogin: new AttemptLimiter(10), byIp: new AttemptLimiter(50) };

  api.post(
    '/auth/sign-in',
    {
      schema: {
        tags: ['auth'],
        summary: 'Sign in: sets the HttpOnly session cookie; send csrfToken as x-csrf-token on writes',
        body: z.object({ login: z.string().min(1).max(100), password: z.string().min(1).max(500) }),
        response: { 200: sessionSchema },
      },
    },
    async (request, reply) => {
      const session = await signIn(ctx.db, limits, { ...request.body, ip: request.ip });
      setSessionCookie(request, reply, session.token);
      return { user: session.user, csrfToken: session.csrfToken };
    },
  );

  api.post('/auth/sign-out', { schema: { tags: ['auth'], summary: 'Sign out: ends the session' } }, async (request, reply) => {
    if (request.authSession) await signOut(ctx.db, request.authSession.tokenHash);
    clearSessionCookie(request, reply);
    reply.status(204).send();
  });

  api.get('/session', { schema: { tags: ['auth'], summary: 'Who is signed in, and the CSRF token for writes', response: { 200: sessionSchema } } }, async (request) => ({
    user: request.user ?? null,
    csrfToken: request.authSession?.csrfToken ?? null,
  }));

  api.get(
    '/audit',
    {
      schema: {
        tags: ['auth'],
        summary: 'Audit log, newest first (admin, city)',
        querystring: pageQuerySchema.extend({
          entity: z.string().max(100).optional(),
          entityId: z.string().max(100).optional(),
          userId: z.coerce.number().int().optional(),
        }),
        response: { 200: pageSchema(auditEntrySchema) },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      requireRole(actor, 'admin', 'city');
      return listAudit(ctx.db, actor, request.query);
    },
  );

  api.post(
    '/users',
    {
      schema: {
        tags: ['auth'],
        summary: 'Create a user (admin)',
        body: z.object({
          login: z.string(),
          password: z.string(),
          role: z.enum(ROLES as ['admin', 'operator', 'provider', 'city', 'resident']),
          providerId: z.number().int().nullable().optional(),
          displayName: z.string().max(200),
          premiseIds: z.array(z.number().int()).max(50).optional(),
        }),
        response: { 201: z.object({ userId: z.number() }) },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      requireRole(actor, 'admin');
      const userId = await createUser(ctx.db, { ...request.body, communityId: actor.communityId }, actor);
      reply.status(201);
      return { userId };
    },
  );
};
