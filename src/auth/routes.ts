import { isIsoDate } from '../shared/period';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RouteModule } from '../server/routes';
import { actorOf, requireRole } from '../server/access';
import { pageQuerySchema, pageSchema } from '../shared/pagination';
import { SignInGuard } from './attempts';
import { clearSessionCookie, setSessionCookie } from './plugin';
import { createUser, liftLockout, listAudit, lockedLogins, ROLES, signIn, signOut } from './service';
import { addUser, changeUser, listUsers, resetPassword } from './users';

export const sessionUserSchema = z.object({
  userId: z.number(),
  communityId: z.number(),
  login: z.string(),
  displayName: z.string(),
  role: z.enum(ROLES as ['admin', 'operator', 'provider', 'city', 'resident']),
  providerId: z.number().nullable(),
});

const sessionSchema = z.object({ user: sessionUserSchema.nullable(), csrfToken: z.string().nullable() });

/** A real calendar day, YYYY-MM-DD (2026-02-30 refused). */
const isoDateText = z.string().refine((s) => isIsoDate(s), { message: 'a date YYYY-MM-DD' });

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
 * GET  /api/audit?entity&entityId&userId&action&from&to&cursor&limit → {items, nextCursor} (admin, city)
 * GET  /api/users → the community's users with role, provider, last sign-in (admin)
 * POST /api/users {login, password?, role, providerId?, displayName, premiseIds?} → 201 {userId, password?} (admin;
 *      without a password the server makes a one-time one and answers it, once)
 * PATCH /api/users/:id {role?, providerId?, displayName?, disabled?} → 204 (admin; the last administrator stays)
 * POST /api/users/:id/reset-password → {password}: a new one-time password (admin)
 * GET  /api/auth/lockouts → {logins}: the community's logins locked by failed sign-ins now (admin)
 * POST /api/auth/lockouts/lift {login, reason} → 204: lifts a login's lockout, audited (admin)
 */
export const authRoutes: RouteModule = (app, ctx) => {
  const api = app.withTypeProvider<ZodTypeProvider>();
  // One set of counters per app (per process); the policy is in attempts.ts and src/auth/README.md.
  const guard = new SignInGuard();

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
      const session = await signIn(ctx.db, guard, { ...request.body, ip: request.ip }, ctx.communityId);
      setSessionCookie(request, reply, session.token);
      return { user: session.user, csrfToken: session.csrfToken };
    },
  );

  api.get(
    '/auth/lockouts',
    { schema: { tags: ['auth'], summary: "Logins locked by failed sign-ins now (admin)", response: { 200: z.object({ logins: z.array(z.string()) }) } } },
    async (request) => ({ logins: await lockedLogins(ctx.db, actorOf(request), guard) }),
  );

  api.post(
    '/auth/lockouts/lift',
    {
      schema: {
        tags: ['auth'],
        summary: "Lift a login's sign-in lockout, with a reason for the audit log (admin)",
        body: z.object({ login: z.string().min(1).max(100), reason: z.string().trim().min(3).max(500) }),
      },
    },
    async (request, reply) => {
      await liftLockout(ctx.db, actorOf(request), guard, request.body.login, request.body.reason);
      reply.status(204).send();
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
          action: z.string().max(100).optional(),
          from: isoDateText.optional().describe('first day, Kyiv time (YYYY-MM-DD)'),
          to: isoDateText.optional().describe('last day, Kyiv time (YYYY-MM-DD)'),
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

  const roleSchema = z.enum(ROLES as ['admin', 'operator', 'provider', 'city', 'resident']);
  const userIdParams = z.object({ id: z.coerce.number().int().positive() });

  api.get(
    '/users',
    {
      schema: {
        tags: ['auth'],
        summary: "The community's users (admin)",
        response: {
          200: z.array(
            z.object({
              userId: z.number(),
              login: z.string(),
              displayName: z.string(),
              role: roleSchema,
              providerId: z.number().nullable(),
              providerName: z.string().nullable(),
              disabled: z.boolean(),
              createdAt: z.string(),
              lastSignInAt: z.string().nullable(),
            }),
          ),
        },
      },
    },
    async (request) => listUsers(ctx.db, actorOf(request)),
  );

  api.patch(
    '/users/:id',
    {
      schema: {
        tags: ['auth'],
        summary: "Change a user's role, provider, name, or disable it (admin; never the last administrator)",
        params: userIdParams,
        body: z.object({ role: roleSchema.optional(), providerId: z.number().int().nullable().optional(), displayName: z.string().max(200).optional(), disabled: z.boolean().optional() }),
      },
    },
    async (request, reply) => {
      await changeUser(ctx.db, actorOf(request), request.params.id, request.body);
      reply.status(204).send();
    },
  );

  api.post(
    '/users/:id/reset-password',
    { schema: { tags: ['auth'], summary: 'A new one-time password for a user, shown once (admin)', params: userIdParams, response: { 200: z.object({ password: z.string() }) } } },
    async (request) => resetPassword(ctx.db, actorOf(request), request.params.id),
  );

  api.post(
    '/users',
    {
      schema: {
        tags: ['auth'],
        summary: 'Create a user (admin)',
        body: z.object({
          login: z.string(),
          password: z.string().optional(),
          role: roleSchema,
          providerId: z.number().int().nullable().optional(),
          displayName: z.string().max(200),
          premiseIds: z.array(z.number().int()).max(50).optional(),
        }),
        response: { 201: z.object({ userId: z.number(), password: z.string().optional() }) },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      requireRole(actor, 'admin');
      const { password, ...user } = request.body;
      reply.status(201);
      if (password === undefined) return addUser(ctx.db, actor, { ...user, providerId: user.providerId ?? null });
      return { userId: await createUser(ctx.db, { ...user, password, communityId: actor.communityId }, actor) };
    },
  );
};
