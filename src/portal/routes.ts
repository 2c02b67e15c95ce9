/**
 * The residents' portal API (under /api/portal). Amounts are integer kopecks.
 *
 * POST /portal/sign-up {contact, password, displayName} → 201 {channel, contact}: a code goes by e-mail or SMS
 * POST /portal/confirm {contact, code}      → {user, csrfToken} + session cookie
 * POST /portal/sign-in {contact, password}  → {user, csrfToken} + session cookie (a login works too)
 * POST /portal/reset {contact}              → 202 (the same answer with or without an account)
 * POST /portal/reset/confirm {contact, code, password} → 204; every session ends
 * GET  /portal/sessions, DELETE /portal/sessions/:id
 * GET  /portal/home                         → the linked premises: to pay, due date, lines, last payment, alerts
 * POST /portal/premises {unifiedAccount, proof} → 201 {premiseId}; DELETE /portal/premises/:id
 * POST /portal/premises/:id/invites → {code, expiresAt}; POST /portal/invites/accept {code} → {premiseId}
 * GET  /portal/premises/:id/bills           → closed periods with their totals (HTML and PDF: /api/bills/premises/:id/…)
 * PUT  /portal/premises/:id/delivery {ebill}
 * POST /portal/premises/:id/pay {amount? | split?, card} → {orderId, amount, status, receiptCode}
 * POST /portal/readings {meterId, values, readOn?, idempotencyKey} → the verdict (replayed: true for a repeat)
 * GET  /portal/premises/:id/history?months  → month by month: charged, paid, consumption per service
 * GET  /portal/premises/:id/payments       → the household's payments, newest first, with their receipts
 * GET  /portal/outbox?contact               → the local outbox (only with HROMADA_PORTAL_OUTBOX=1: the demo)
 */
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { clearSessionCookie, setSessionCookie } from '../auth/plugin';
import { mailerFromEnv, type Mailer } from '../mail/transport';
import { actorOf } from '../server/access';
import type { RouteModule } from '../server/routes';
import { notFound } from '../shared/errors';
import { messengerFor } from './messenger';
import * as portal from './service';

const tags = ['portal'];
const idParams = z.object({ id: z.coerce.number().int().positive() });

export function portalRoutes(mailer: () => Mailer | null = () => mailerFromEnv()): RouteModule {
  return (app, ctx) => {
    const api = app.withTypeProvider<ZodTypeProvider>();
    const limits = portal.portalLimits();
    const linkBase = (request: { protocol: string; host: string }) => (process.env.HROMADA_PUBLIC_URL ?? `${request.protocol}://${request.host}`).replace(/\/$/, '');
    const withMessenger = async <T>(fn: (m: ReturnType<typeof messengerFor>) => Promise<T>) => {
      const m = mailer();
      try {
        return await fn(messengerFor(m));
      } finally {
        m?.close();
      }
    };

    api.post('/portal/sign-up', { schema: { tags, summary: 'Sign up with an e-mail or phone; a code is sent to confirm it', body: z.object({ contact: z.string().min(1).max(254), password: z.string().max(200), displayName: z.string().max(200) }) } },
      async (request, reply) => {
        const r = await withMessenger((m) => portal.signUp(ctx.db, m, ctx.communityId, { ...request.body, linkBase: linkBase(request) }));
        reply.status(201);
        return r;
      });

    api.post('/portal/confirm', { schema: { tags, summary: 'Confirms a sign-up with its code and signs in', body: z.object({ contact: z.string().min(1).max(254), code: z.string().min(1).max(20) }) } },
      async (request, reply) => {
        const s = await portal.confirmSignUp(ctx.db, limits, ctx.communityId, request.body);
        setSessionCookie(request, reply, s.token);
        return { user: s.user, csrfToken: s.csrfToken };
      });

    api.post('/portal/sign-in', { schema: { tags, summary: 'Signs a resident in by e-mail or phone and password', body: z.object({ contact: z.string().min(1).max(254), password: z.string().min(1).max(500) }) } },
      async (request, reply) => {
        const s = await portal.portalSignIn(ctx.db, limits, ctx.communityId, { ...request.body, ip: request.ip });
        setSessionCookie(request, reply, s.token);
        return { user: s.user, csrfToken: s.csrfToken };
      });

    api.post('/portal/reset', { schema: { tags, summary: 'Sends a password reset code (the same answer for any contact)', body: z.object({ contact: z.string().min(1).max(254) }) } },
      async (request, reply) => {
        await withMessenger((m) => portal.requestReset(ctx.db, m, ctx.communityId, { ...request.body, linkBase: linkBase(request) }));
        reply.status(202).send({ sent: true });
      });

    api.post('/portal/reset/confirm', { schema: { tags, summary: 'Sets a new password with a reset code', body: z.object({ contact: z.string().min(1).max(254), code: z.string().min(1).max(20), password: z.string().max(200) }) } },
      async (request, reply) => {
        await portal.resetPassword(ctx.db, limits, ctx.communityId, request.body);
        clearSessionCookie(request, reply);
        reply.status(204).send();
      });

    api.get('/portal/sessions', { schema: { tags, summary: 'The account’s open sessions' } }, async (request) => {
      const actor = actorOf(request);
      return { items: await portal.listSessions(ctx.db, actor, request.authSession!.tokenHash) };
    });
    api.delete('/portal/sessions/:id', { schema: { tags, summary: 'Ends one of the account’s sessions', params: z.object({ id: z.string().regex(/^[0-9a-f]{16}$/) }) } }, async (request, reply) => {
      await portal.revokeSession(ctx.db, actorOf(request), request.params.id);
      reply.status(204).send();
    });

    api.get('/portal/home', { schema: { tags, summary: 'The resident’s homes with what to pay' } }, async (request) => ({ items: await portal.home(ctx.db, actorOf(request)) }));

    api.post('/portal/premises', { schema: { tags, summary: 'Links a household by its unified account and the last bill’s total', body: z.object({ unifiedAccount: z.string().min(1).max(20), proof: z.string().max(30) }) } },
      async (request, reply) => {
        const r = await portal.linkPremise(ctx.db, limits, actorOf(request), request.body);
        reply.status(201);
        return r;
      });
    api.delete('/portal/premises/:id', { schema: { tags, summary: 'Unlinks a household', params: idParams } }, async (request, reply) => {
      await portal.unlink(ctx.db, actorOf(request), request.params.id);
      reply.status(204).send();
    });
    api.post('/portal/premises/:id/invites', { schema: { tags, summary: 'The holder invites a family member (a code for 7 days)', params: idParams } }, async (request) => portal.invite(ctx.db, actorOf(request), request.params.id));
    api.post('/portal/invites/accept', { schema: { tags, summary: 'Joins a household by invitation', body: z.object({ code: z.string().min(1).max(40) }) } }, async (request) => portal.acceptInvite(ctx.db, limits, actorOf(request), request.body.code));

    api.get('/portal/premises/:id/bills', { schema: { tags, summary: 'The bills of a household by period', params: idParams } }, async (request) => ({ items: await portal.bills(ctx.db, actorOf(request), request.params.id) }));
    api.put('/portal/premises/:id/delivery', { schema: { tags, summary: 'E-bill only, or paper', params: idParams, body: z.object({ ebill: z.boolean() }) } }, async (request) => portal.setEbill(ctx.db, actorOf(request), request.params.id, request.body.ebill));

    api.post('/portal/premises/:id/pay', {
      schema: { tags, summary: 'Pays the total, another amount or amounts per service by card', params: idParams, body: z.object({ amount: z.number().int().optional(), split: z.array(z.object({ serviceCode: z.string().min(1).max(64), amount: z.number().int() })).max(50).optional(), card: z.string().min(12).max(30) }) },
    }, async (request) => portal.pay(ctx.db, actorOf(request), request.params.id, request.body));

    api.post('/portal/readings', {
      schema: { tags, summary: 'Sends a reading once per idempotency key', body: z.object({ meterId: z.number().int().positive(), values: z.array(z.string().max(20)).min(1).max(3), readOn: z.string().max(10).optional(), idempotencyKey: z.string().min(8).max(64) }) },
    }, async (request) => portal.sendReading(ctx.db, actorOf(request), request.body));

    api.get('/portal/premises/:id/history', { schema: { tags, summary: 'Charges, payments and consumption by month', params: idParams, querystring: z.object({ months: z.coerce.number().int().min(1).max(24).default(12) }) } },
      async (request) => ({ items: await portal.history(ctx.db, actorOf(request), request.params.id, request.query.months) }));

    api.get('/portal/premises/:id/payments', { schema: { tags, summary: "The household's payments, newest first, with their receipts", params: idParams } },
      async (request) => ({ items: await portal.payments(ctx.db, actorOf(request), request.params.id) }));

    api.get('/portal/outbox', { schema: { tags, summary: 'The local outbox of the demo (HROMADA_PORTAL_OUTBOX=1)', querystring: z.object({ contact: z.string().min(1).max(254) }) } }, async (request) => {
      if (process.env.HROMADA_PORTAL_OUTBOX !== '1') throw notFound({ uk: 'Локальна скринька', en: 'The local outbox' });
      return { items: await portal.outbox(ctx.db, ctx.communityId, request.query.contact) };
    });
  };
}
