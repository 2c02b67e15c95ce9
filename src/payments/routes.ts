/**
 * Payments HTTP API. Amounts are integer kopecks.
 *
 * Agents (signed with HMAC-SHA256, see signature.ts; no session), under /api/agent/v1:
 * GET  /debt?unifiedAccount=…            → {unifiedAccount, address, payer (masked), period, lines, total, advance}
 * POST /check {unifiedAccount, amount, split?: [{serviceCode, amount}]} → {reference, amount, parts}
 * POST /pay {txnId, unifiedAccount, amount, split?, reference?} → 201 payment (200 with replayed: true for a retry)
 * POST /cancel {txnId, reason?}          → the payment, cancelled (the day of payment only)
 * GET  /payments/:txnId                  → the payment's status
 *
 * Staff (session): GET /payments/agents, POST /payments/agents, PATCH /payments/agents/:id,
 * POST /payments/agents/:id/keys, POST /payments/agents/:id/keys/:keyId/retire,
 * POST /payments/:id/reverse {reason}, GET /payments/chain/verify.
 * Public: GET /receipts/:code (HTML), GET /receipts/:code.json.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, providerScope, requireRole, STAFF } from '../server/access';
import type { SessionUser } from '../server/context';
import { AppError, forbidden, invalid } from '../shared/errors';
import type { AppContext } from '../server/context';
import type { RouteModule } from '../server/routes';
import { authenticateAgent, authenticateAgentForPay } from './agent-auth';
import { debtErrorXml, handleDebtXml } from './debt';
import { debtActionOf } from './debt-xml';
import { createAgent, issueKey, listAgents, retireKey, updateAgent } from './agents';
import { acquirerSettingsFromEnv, cardOrderStatus, handleCardCallback, startCardPayment } from './card';
import { receiptHtml, renderReceiptPdf } from './receipt';
import { agentOf, importAgentRegistry, listRegistries } from './registry';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import * as payments from './service';
import { RECEIPT_CODE_PATTERN } from './chain';
import { addContract, exportSettlement, exportSettlementDay, formedSettlements, listContracts, owingProviders } from './settlement';

const kopecks = z.number().int();
const agentReadingSchema = z.object({
  meterId: z.number().int().positive().optional(),
  serial: z.string().min(1).max(64).optional(),
  values: z.array(z.string().max(20)).min(1).max(3),
});
const splitSchema = z.array(z.object({ serviceCode: z.string().min(1).max(64), amount: kopecks })).max(50).optional();
const partSchema = z.object({ serviceCode: z.string(), service: z.string(), provider: z.string(), accountNumber: z.string(), amount: z.number() });
const paymentSchema = z.object({
  paymentId: z.number(),
  txnId: z.string(),
  status: z.enum(['posted', 'cancelled']),
  unifiedAccount: z.string(),
  amount: z.number(),
  paidAt: z.string(),
  businessDate: z.string(),
  parts: z.array(partSchema),
  receiptCode: z.string(),
});
const paidSchema = paymentSchema.extend({
  replayed: z.boolean(),
  /** The verdict on each reading brought with the payment, in order. */
  readings: z.array(z.object({ meterId: z.number().nullable(), status: z.string(), message_uk: z.string(), message_en: z.string() })).optional(),
});
const debtSchema = z.object({
  unifiedAccount: z.string(),
  premiseId: z.number(),
  address: z.string(),
  payer: z.string().nullable(),
  period: z.string(),
  lines: z.array(z.object({ serviceCode: z.string(), service: z.string(), serviceEn: z.string(), provider: z.string(), providerEdrpou: z.string(), accountNumber: z.string(), toPay: z.number(), advance: z.number() })),
  total: z.number(),
  advance: z.number(),
});
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const signed = { security: [{ agentSignature: [] }], tags: ['agent API v1'] };
/** Route options of the signed agent routes: validation errors wait for the signature (`agentOf`). */
const signedFirst = { attachValidation: true } as const;

/** Keeps the body as sent (the signature covers it) and parses it as JSON. */
function keepRawJson(scope: FastifyInstance): void {
  scope.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body as string;
    request.rawBody = text;
    try {
      done(null, text.length ? JSON.parse(text) : {});
    } catch {
      done(new AppError('malformed_json', 400, { uk: 'Тіло запиту — не JSON', en: 'The request body is not JSON' }), undefined);
    }
  });
}

function agentRoutes(ctx: AppContext) {
  return async (scope: FastifyInstance) => {
    keepRawJson(scope);
    const api = scope.withTypeProvider<ZodTypeProvider>();
    // The signature is checked before the body's shape (routes have attachValidation): an unsigned or
    // badly signed call is told 401 whatever it carries, and a signed one then hears what is wrong in it.
    const validAfterSignature = (request: FastifyRequest) => {
      if (request.validationError) throw request.validationError;
    };
    const agentOf = async (request: FastifyRequest) => {
      const agent = await authenticateAgent(ctx.db, request);
      validAfterSignature(request);
      return agent;
    };

    api.get(
      '/debt',
      {
        ...signedFirst,
        schema: {
          ...signed,
          description: 'By the unified account number, or by the address as the payer says it (only one household must fit)',
          querystring: z.object({ unifiedAccount: z.string().min(1).max(20).optional(), address: z.string().min(3).max(200).optional() }),
          response: { 200: debtSchema },
        },
      },
      async (request) => {
        const agent = await agentOf(request);
        const { unifiedAccount, address } = request.query;
        if (unifiedAccount) return payments.findDebt(ctx.db, agent.communityId, unifiedAccount);
        if (address) return payments.findDebtByAddress(ctx.db, agent.communityId, address);
        throw invalid('account_or_address', { uk: 'Вкажіть єдиний рахунок (unifiedAccount) або адресу (address)', en: 'Give the unified account (unifiedAccount) or the address (address)' }, { field: 'unifiedAccount' });
      },
    );

    api.post(
      '/check',
      { ...signedFirst, schema: { ...signed, body: z.object({ unifiedAccount: z.string().min(1).max(20), amount: kopecks, split: splitSchema }), response: { 200: z.object({ reference: z.string(), amount: z.number(), parts: z.array(partSchema) }) } } },
      async (request) => payments.checkPayment(ctx.db, await agentOf(request), request.body),
    );

    api.post(
      '/pay',
      {
        ...signedFirst,
        schema: {
          ...signed,
          body: z.object({
            txnId: z.string().min(1).max(64),
            unifiedAccount: z.string().min(1).max(20),
            amount: kopecks,
            split: splitSchema,
            reference: z.string().max(64).optional(),
            // Meter readings the payer gave at the counter: each meter by id or serial.
            readings: z.array(agentReadingSchema).max(20).optional(),
          }),
          response: { 200: paidSchema, 201: paidSchema },
        },
      },
      async (request, reply) => {
        const { agent, proof } = await authenticateAgentForPay(ctx.db, request);
        validAfterSignature(request);
        const result = await payments.pay(ctx.db, agent, request.body, new Date(), proof);
        reply.status(result.replayed ? 200 : 201);
        // A retried call does not bring its readings twice: they went with the first.
        const readings = request.body.readings?.length && !result.replayed
          ? (await payments.readingsWithPayment(ctx.db, agent, request.body.unifiedAccount, request.body.txnId, request.body.readings)).map((r) => ({ meterId: r.meterId, status: r.status, message_uk: r.message_uk, message_en: r.message_en }))
          : undefined;
        return { ...result, ...(readings ? { readings } : {}) };
      },
    );

    api.post(
      '/cancel',
      { ...signedFirst, schema: { ...signed, body: z.object({ txnId: z.string().min(1).max(64), reason: z.string().max(500).optional() }), response: { 200: paymentSchema } } },
      async (request) => payments.cancelByAgent(ctx.db, await agentOf(request), request.body.txnId, request.body.reason ?? ''),
    );

    api.get('/payments/:txnId', { ...signedFirst, schema: { ...signed, params: z.object({ txnId: z.string().min(1).max(64) }), response: { 200: paymentSchema } } }, async (request) =>
      payments.paymentStatus(ctx.db, await agentOf(request), request.params.txnId),
    );
  };
}

/** The PrivatBank "Debt" XML interface: one POST, signed like the JSON API, answered in XML (ErrorInfo on any failure). */
function debtRoutes(ctx: AppContext) {
  return async (scope: FastifyInstance) => {
    // text/plain too: some bank gateways send the XML so, and it must reach the signature check as sent.
    for (const type of ['application/xml', 'text/xml', 'text/plain']) {
      scope.addContentTypeParser(type, { parseAs: 'string' }, (request, body, done) => {
        request.rawBody = body as string;
        done(null, body);
      });
    }
    scope.post('/', { schema: { tags: ['agent API v1'], summary: 'PrivatBank "Debt" XML: Presearch, Search, Check, Pay, Cancel', security: [{ agentSignature: [] }] } }, async (request, reply) => {
      reply.type('application/xml; charset=utf-8');
      let agent;
      try {
        agent = await authenticateAgent(ctx.db, request);
      } catch (err) {
        return debtErrorXml(debtActionOf(request.rawBody ?? ''), err);
      }
      return handleDebtXml(ctx.db, agent, request.rawBody ?? '');
    });
  };
}

/** The acquirer's server callback: form fields data and signature, no session. */
function cardCallbackRoutes(ctx: AppContext) {
  return async (scope: FastifyInstance) => {
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(body as string))));
    scope.withTypeProvider<ZodTypeProvider>().post(
      '/callback',
      { schema: { tags: ['payments'], summary: 'Card acquirer callback (LiqPay-style data + signature)', body: z.object({ data: z.string().max(20000).optional(), signature: z.string().max(200).optional() }) } },
      async (request) => handleCardCallback(ctx.db, ctx.communityId, acquirerSettingsFromEnv().agentCode, request.body),
    );
  };
}

/** Staff start a card payment for any household; a resident only for a premise linked to them. */
async function mayPayFor(ctx: AppContext, actor: SessionUser, premiseId: number): Promise<void> {
  if (STAFF.includes(actor.role)) return;
  const own = actor.role === 'resident' && (await ctx.db.selectFrom('user_premise').select('premise_id').where('community_id', '=', actor.communityId).where('user_id', '=', actor.userId).where('premise_id', '=', premiseId).executeTakeFirst());
  if (!own) throw forbidden();
}

/** An agent's daily registry file, uploaded as the raw body, reconciled against the API's payments. */
function registryUploadRoutes(ctx: AppContext) {
  return async (scope: FastifyInstance) => {
    scope.addContentTypeParser(['application/octet-stream', 'text/csv'], { parseAs: 'buffer', bodyLimit: 50 * 1024 * 1024 }, (_request, body, done) => done(null, body));
    scope.withTypeProvider<ZodTypeProvider>().post(
      '/payments/agents/:id/registries/:date',
      {
        schema: {
          tags: ['payments'],
          summary: "Imports an agent's registry of a day (DBF or CSV) and reconciles it: matched, posted now, amounts differ, missing from the file",
          params: z.object({ id: z.coerce.number().int().positive(), date: isoDate }),
          querystring: z.object({ fileName: z.string().min(1).max(200).default('registry.csv') }),
        },
      },
      async (request) => {
        const actor = actorOf(request);
        requireRole(actor, 'admin', 'operator');
        const agent = await agentOf(ctx.db, actor.communityId, request.params.id);
        const bytes = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        if (bytes.length === 0) throw new AppError('file_missing', 400, { uk: 'Немає файлу реєстру в тілі запиту', en: 'No registry file in the request body' }, { field: 'body' });
        const file = path.join(os.tmpdir(), `hromada-registry-${randomBytes(6).toString('hex')}${path.extname(request.query.fileName).toLowerCase().replace(/[^.a-z0-9]/g, '')}`);
        fs.writeFileSync(file, bytes);
        try {
          // A large file on PostgreSQL goes the set-based way (registry-bulk.ts); the report is the same.
          const { timings: _timings, ...report } = await importAgentRegistry(ctx.db, agent, request.params.date, file, request.query.fileName, ctx.handle.kind === 'postgres' && ctx.handle.url ? { bulkUrl: ctx.handle.url } : {});
          return report;
        } finally {
          fs.rmSync(file, { force: true });
        }
      },
    );
  };
}

export const paymentsRoutes: RouteModule = async (app, ctx) => {
  // Payments are sealed into the chain in the background: let the seals under way finish first.
  app.addHook('onClose', async () => payments.flushSeals(ctx.db));
  await app.register(agentRoutes(ctx), { prefix: '/agent/v1' });
  await app.register(registryUploadRoutes(ctx));
  await app.register(debtRoutes(ctx), { prefix: '/debt/v1' });
  await app.register(cardCallbackRoutes(ctx), { prefix: '/payments/card' });
  const api = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['payments'];

  api.get(
    '/payments',
    { schema: { tags, querystring: z.object({ unifiedAccount: z.string().max(20).optional(), txnId: z.string().max(64).optional(), date: isoDate.optional(), limit: z.coerce.number().int().min(1).max(500).default(100) }) } },
    async (request) => {
      const actor = actorOf(request);
      requireRole(actor, ...STAFF);
      return { items: await payments.searchPayments(ctx.db, actor.communityId, request.query) };
    },
  );
  api.get('/payments/daily', { schema: { tags, querystring: z.object({ days: z.coerce.number().int().min(1).max(366).default(30) }) } }, async (request) => {
    const actor = actorOf(request);
    requireRole(actor, ...STAFF);
    return { items: await payments.dailyByChannel(ctx.db, actor.communityId, request.query.days) };
  });
  api.get('/payments/agents', { schema: { tags } }, async (request) => ({ items: await listAgents(ctx.db, actorOf(request)) }));
  api.get('/payments/registries', { schema: { tags, summary: "The agents' registries of recent days with their reconciliation", querystring: z.object({ days: z.coerce.number().int().min(1).max(366).default(31) }) } }, async (request) => {
    const actor = actorOf(request);
    requireRole(actor, ...STAFF);
    return { items: await listRegistries(ctx.db, actor.communityId, request.query.days) };
  });
  const ipAllow = z.array(z.string().max(64)).max(50).nullable();
  api.post(
    '/payments/agents',
    {
      schema: {
        tags,
        body: z.object({ code: z.string().regex(/^[a-z0-9_-]{2,32}$/), name: z.string().min(1).max(200), maxAmount: z.number().int().positive().optional(), ipAllow: ipAllow.optional() }),
      },
    },
    async (request, reply) => {
      reply.status(201);
      return createAgent(ctx.db, actorOf(request), request.body);
    },
  );
  api.patch(
    '/payments/agents/:id',
    {
      schema: {
        tags,
        summary: "Changes an agent's name, limit, IP allow-list, or switches it off and on",
        params: z.object({ id: z.coerce.number().int().positive() }),
        body: z.object({ name: z.string().min(1).max(200).optional(), maxAmount: z.number().int().positive().optional(), ipAllow: ipAllow.optional(), active: z.boolean().optional() }),
      },
    },
    async (request) => {
      await updateAgent(ctx.db, actorOf(request), request.params.id, request.body);
      return { ok: true };
    },
  );
  api.post(
    '/payments/agents/:id/keys/:keyId/retire',
    { schema: { tags, summary: 'Retires a key at once: calls signed with it are refused from now', params: z.object({ id: z.coerce.number().int().positive(), keyId: z.string().min(1).max(100) }) } },
    async (request) => {
      await retireKey(ctx.db, actorOf(request), request.params.id, request.params.keyId);
      return { ok: true };
    },
  );
  api.post(
    '/payments/agents/:id/keys',
    { schema: { tags, params: z.object({ id: z.coerce.number().int().positive() }), body: z.object({ overlapHours: z.number().min(0).max(24 * 30).optional() }).optional() } },
    async (request, reply) => {
      reply.status(201);
      return issueKey(ctx.db, actorOf(request), request.params.id, request.body?.overlapHours);
    },
  );
  api.post(
    '/payments/:id/reverse',
    { schema: { tags, params: z.object({ id: z.coerce.number().int().positive() }), body: z.object({ reason: z.string().min(1).max(500) }), response: { 200: paymentSchema } } },
    async (request) => {
      const actor = actorOf(request);
      requireRole(actor, 'admin', 'operator');
      return payments.reversePayment(ctx.db, actor.communityId, request.params.id, request.body.reason, { sameDayOnly: false, userId: actor.userId });
    },
  );
  api.get('/payments/chain/verify', { schema: { tags } }, async (request) => {
    const actor = actorOf(request);
    requireRole(actor, 'admin', 'city');
    const r = await payments.verifyPaymentsChain(ctx.db, actor.communityId);
    return { records: r.records, intact: r.problem === null, problem: r.problem && { ...r.problem, message: payments.chainProblemText(r.problem) } };
  });

  api.post(
    '/payments/card/start',
    { schema: { tags, body: z.object({ unifiedAccount: z.string().min(1).max(20), amount: z.number().int().positive().optional() }) } },
    async (request) => {
      const actor = actorOf(request);
      const debt = await payments.findDebt(ctx.db, actor.communityId, request.body.unifiedAccount);
      await mayPayFor(ctx, actor, debt.premiseId);
      return startCardPayment(ctx.db, actor.communityId, acquirerSettingsFromEnv(), request.body);
    },
  );
  api.get('/payments/card/orders/:orderId', { schema: { tags, params: z.object({ orderId: z.string().min(1).max(64) }) } }, async (request) => {
    const actor = actorOf(request);
    const status = await cardOrderStatus(ctx.db, actor.communityId, acquirerSettingsFromEnv().agentCode, request.params.orderId);
    await mayPayFor(ctx, actor, status.premiseId);
    return status;
  });

  const contractBody = z.object({
    providerId: z.number().int().positive(),
    agentId: z.number().int().positive().nullable().optional(),
    percent: z.string().regex(/^\d{1,2}(\.\d{1,3})?$/).optional(),
    fixed: z.number().int().min(0).optional(),
    validFrom: isoDate.optional(),
  });
  api.post('/payments/settlement/contracts', { schema: { tags, summary: 'A commission contract, in force from a day on', body: contractBody } }, async (request, reply) => {
    const actor = actorOf(request);
    requireRole(actor, 'admin');
    await addContract(ctx.db, actor.communityId, request.body);
    reply.status(201);
    return { ok: true };
  });
  api.get('/payments/settlement/contracts', { schema: { tags, summary: 'The commission contracts, each with the day it is in force from' } }, async (request) => {
    const actor = actorOf(request);
    return { items: await listContracts(ctx.db, actor.communityId, providerScope(actor)) };
  });
  api.get('/payments/settlement/owing', { schema: { tags, summary: 'Providers left owing by their last registry (carried into the next)' } }, async (request) => {
    const actor = actorOf(request);
    return { items: await owingProviders(ctx.db, actor.communityId, providerScope(actor)) };
  });
  api.post('/payments/settlement/:date/export', { schema: { tags, params: z.object({ date: isoDate }) } }, async (request) => {
    const actor = actorOf(request);
    requireRole(actor, 'admin', 'operator');
    const items = await exportSettlementDay(ctx.db, actor.communityId, request.params.date);
    return { items: items.map(({ csv: _csv, dbf: _dbf, ...rest }) => rest) };
  });
  api.get('/payments/settlement/:date', { schema: { tags, summary: 'The settlement registries of a day already formed', params: z.object({ date: isoDate }) } }, async (request) => {
    const actor = actorOf(request);
    return { items: await formedSettlements(ctx.db, actor.communityId, request.params.date, providerScope(actor)) };
  });
  api.get('/payments/settlement/:providerId/:file', { schema: { tags, params: z.object({ providerId: z.coerce.number().int().positive(), file: z.string().regex(/^\d{4}-\d{2}-\d{2}\.(csv|dbf)$/) }) } }, async (request, reply) => {
    const actor = actorOf(request);
    const own = providerScope(actor);
    if (own !== null && own !== request.params.providerId) throw forbidden();
    const [date, ext] = request.params.file.split('.') as [string, 'csv' | 'dbf'];
    const r = await exportSettlement(ctx.db, actor.communityId, request.params.providerId, date);
    reply.type(ext === 'csv' ? 'text/csv; charset=windows-1251' : 'application/x-dbf').header('content-disposition', `attachment; filename="settlement-${request.params.providerId}-${date}.${ext}"`);
    return ext === 'csv' ? r.csv : r.dbf;
  });

  api.get('/receipts/:code', { schema: { tags: ['receipts'], summary: 'The receipt by its verification code: HTML, or .json, or .pdf', params: z.object({ code: z.string().regex(new RegExp(`^${RECEIPT_CODE_PATTERN}(\\.json|\\.pdf)?$`)) }) } }, async (request, reply) => {
    const [code, ext] = request.params.code.split('.') as [string, 'json' | 'pdf' | undefined];
    const receipt = await payments.receiptByCode(ctx.db, ctx.communityId, code);
    if (ext === 'json') return receipt;
    if (ext === 'pdf') {
      const pdf = await renderReceiptPdf(receipt, `${request.protocol}://${request.host}/api/receipts/${receipt.receiptCode}`);
      return reply.type('application/pdf').header('content-disposition', `inline; filename="receipt-${receipt.receiptCode}.pdf"`).send(pdf);
    }
    reply.type('text/html; charset=utf-8');
    return receiptHtml(receipt);
  });
};
