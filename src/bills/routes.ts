/**
 * Bills HTTP API (under /api), with the statements' access rules: staff see every premise, a
 * provider's user only its own lines, a resident only their premises. Periods 'YYYY-MM-01', closed.
 *
 * GET  /bills/premises/:id?period               → the bill's model (JSON)
 * GET  /bills/premises/:id/pdf?period           → application/pdf (A4, QR, DL window)
 * GET  /bills/premises/:id/html?period          → the e-bill page
 * PUT  /bills/premises/:id/delivery {method, email?} → how the premise receives its bill (admin, operator)
 * GET  /bills/design, PUT /bills/design {…}     → the community's design (PUT: admin)
 * PUT  /bills/design/logo (body: the PNG/JPEG, ≤ 1 MB), DELETE /bills/design/logo, GET /bills/design/logo
 * POST /bills/design/preview {premiseId, period, design} → application/pdf (admin): live preview
 * POST /bills/ebills {period}                   → {sent, failed} (admin, operator; needs SMTP_URL)
 * GET  /bills/ebills?period                     → {items: the e-mail log}
 * POST /bills/print-runs {period}               → 202 {jobId} (admin, operator); the job's result names the printRunId
 * GET  /bills/notices?period, POST /bills/notices {providerId|null, periodFrom, periodTo, textUk, textEn}, DELETE /bills/notices/:id
 *                                              → the bill's notices: a provider's (its own users or staff), or the community's news (staff)
 * GET  /bills/print-runs                      → {items: the community's print runs, newest first}
 * GET  /bills/print-runs/:id                    → {printRunId, period, status, summary, files: [{name, kind, bills, sha256, size}]}
 * GET  /bills/print-runs/:id/files/:name        → the batch PDF, a manifest (CSV, PDF) or skipped.csv, byte for byte as issued
 */
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { mailerFromEnv, type Mailer } from '../mail/transport';
import { actorOf } from '../server/access';
import type { RouteModule } from '../server/routes';
import { invalid } from '../shared/errors';
import { parsePeriod } from '../shared/period';
import { BILL_SECTIONS } from './model';
import * as bills from './service';
import { listPrintRuns, printRunFile, printRunFiles, startPrintRun } from './print-run';

const idParams = z.object({ id: z.coerce.number().int().positive() });
const periodQuery = z.object({ period: z.string().min(6).max(10) });
const tags = ['bills'];

function toPeriod(text: string): string {
  const r = parsePeriod(text);
  if (!r.ok) throw invalid('invalid_period', r.reason, { field: 'period' });
  return r.value;
}

const money = z.number().int();
const designInput = z.object({
  recipientName: z.string().max(140),
  collectingIban: z.string().max(40),
  recipientCode: z.string().max(10),
  locality: z.string().max(100).default(''),
  qrFormat: z.enum(['002', '003']).default('002'),
  qrEncoding: z.union([z.literal(1), z.literal(2)]).default(1),
  primaryColor: z.string().max(20),
  accentColor: z.string().max(20),
  serviceOrder: z.array(z.string().max(60)).max(50).default([]),
  sections: z.array(z.enum(BILL_SECTIONS)).default([...BILL_SECTIONS]),
  contacts: z.array(z.string().max(200)).max(6).default([]),
  footer: z.string().max(500).default(''),
  news: z.string().max(1000).default(''),
  debtThreshold: money.min(0).default(500_000),
});
const designView = designInput.extend({ hasLogo: z.boolean(), configured: z.boolean() });

const serviceLine = z.object({
  accountId: z.number(), accountNumber: z.string(), service: z.string(), serviceEn: z.string(), serviceCode: z.string(),
  provider: z.object({ name: z.string(), edrpou: z.string(), iban: z.string() }),
  opening: money, chargedAs: z.array(z.string()), charged: money, recalculation: money, benefitOrSubsidy: money, penalty: money, paid: money, closing: money, toPay: money, advance: money,
});
const billModel = z.object({
  communityName: z.string(), period: z.string(), periodLabel: z.string(), dueDate: z.string().nullable(), unifiedAccount: z.string(),
  addressee: z.object({ name: z.string(), lines: z.array(z.string()) }),
  services: z.array(serviceLine),
  totals: serviceLine.omit({ accountId: true, accountNumber: true, service: true, serviceEn: true, serviceCode: true, provider: true, chargedAs: true }),
  toPay: money, advance: money, purpose: z.string(),
  qr: z.object({ format: z.string(), url: z.string(), payload: z.string() }).nullable(),
  nothingToPay: z.boolean(), debtReminder: z.boolean(),
  meters: z.array(z.object({ serviceCode: z.string(), serviceUk: z.string(), serial: z.string(), zone: z.number(), previous: z.string().nullable(), current: z.string().nullable(), estimated: z.boolean(), consumption: z.string(), unit: z.string() })),
  notices: z.array(z.object({ provider: z.string(), text: z.string() })),
  news: z.string(),
  design: designInput.partial({ locality: true }).extend({ hasLogo: z.boolean() }),
});

/** The mailer of e-bills: SMTP_URL of the process (tests pass their local server's). */
export function billsRoutes(mailer: () => Mailer | null = () => mailerFromEnv()): RouteModule {
  return (app, ctx) => {
    const api = app.withTypeProvider<ZodTypeProvider>();

    api.get('/bills/premises/:id', { schema: { tags, summary: "A premise's bill for a closed period (the model the PDF prints)", params: idParams, querystring: periodQuery, response: { 200: billModel } } },
      async (request) => bills.getBill(ctx.db, actorOf(request), request.params.id, toPeriod(request.query.period)));

    api.get('/bills/premises/:id/pdf', { schema: { tags, summary: "A premise's bill as an A4 PDF", params: idParams, querystring: periodQuery } },
      async (request, reply) => {
        const { pdf, filename } = await bills.getBillPdf(ctx.db, actorOf(request), request.params.id, toPeriod(request.query.period));
        return reply.type('application/pdf').header('content-disposition', `attachment; filename="${filename}"`).send(pdf);
      });

    api.get('/bills/premises/:id/html', { schema: { tags, summary: "A premise's bill as an HTML page (the e-bill)", params: idParams, querystring: periodQuery } },
      async (request, reply) => reply.type('text/html; charset=utf-8').send(await bills.getBillHtml(ctx.db, actorOf(request), request.params.id, toPeriod(request.query.period))));

    api.put('/bills/premises/:id/delivery', {
      schema: { tags, summary: 'How the premise receives its bill', params: idParams, body: z.object({ method: z.enum(['courier', 'ukrposhta', 'ebill']), email: z.string().email().nullable().optional() }), response: { 200: z.object({ method: z.string(), email: z.string().nullable() }) } },
    }, async (request) => bills.setDelivery(ctx.db, actorOf(request), request.params.id, request.body));

    api.get('/bills/design', { schema: { tags, summary: "The community's bill design", response: { 200: designView } } },
      async (request) => bills.getDesign(ctx.db, actorOf(request)));

    api.put('/bills/design', { schema: { tags, summary: "Saves the community's bill design (admin)", body: designInput, response: { 200: designView } } },
      async (request) => bills.saveDesign(ctx.db, actorOf(request), request.body));

    app.register(async (raw) => {
      // The logo travels as the raw image body, not JSON.
      raw.addContentTypeParser(['image/png', 'image/jpeg', 'application/octet-stream'], { parseAs: 'buffer', bodyLimit: bills.MAX_LOGO_BYTES * 2 }, (_req, body, done) => done(null, body));
      const r = raw.withTypeProvider<ZodTypeProvider>();
      r.put('/bills/design/logo', { schema: { tags, summary: 'Uploads the logo: a PNG or JPEG of at most 1 MB (admin)', response: { 200: designView } } },
        async (request) => bills.saveLogo(ctx.db, actorOf(request), Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0)));
    });
    api.delete('/bills/design/logo', { schema: { tags, summary: 'Removes the logo (admin)', response: { 200: designView } } },
      async (request) => bills.saveLogo(ctx.db, actorOf(request), null));
    api.get('/bills/design/logo', { schema: { tags, summary: 'The logo image' } }, async (request, reply) => {
      const logo = await bills.getLogo(ctx.db, actorOf(request));
      return reply.type(logo.type).send(logo.bytes);
    });

    api.post('/bills/design/preview', {
      schema: { tags, summary: "Live preview: a real premise's bill under a design not yet saved (PDF)", body: z.object({ premiseId: z.number().int().positive(), period: z.string(), design: designInput }) },
    }, async (request, reply) => reply.type('application/pdf').send(await bills.previewPdf(ctx.db, actorOf(request), request.body.premiseId, toPeriod(request.body.period), request.body.design)));

    api.post('/bills/ebills', { schema: { tags, summary: "Sends the period's e-bills by e-mail (retries; the log keeps failures)", body: periodQuery, response: { 200: z.object({ sent: z.number(), failed: z.number() }) } } },
      async (request) => {
        const m = mailer();
        if (!m) throw invalid('mail_not_configured', { uk: 'Пошту не налаштовано: задайте SMTP_URL', en: 'E-mail is not configured: set SMTP_URL' });
        try {
          return await bills.sendEbills(ctx.db, actorOf(request), toPeriod(request.body.period), m);
        } finally {
          m.close();
        }
      });

    api.post('/bills/print-runs', { schema: { tags, summary: 'Starts the print run of a closed period (a job)', body: periodQuery, response: { 202: z.object({ jobId: z.number() }) } } },
      async (request, reply) => reply.code(202).send({ jobId: await startPrintRun(ctx.db, ctx.jobs, actorOf(request), toPeriod(request.body.period)) }));

    api.get('/bills/notices', { schema: { tags, summary: 'The notices printed on the bills of a period (provider notices and community news)', querystring: periodQuery } },
      async (request) => ({ items: await bills.listNotices(ctx.db, actorOf(request), toPeriod(request.query.period)) }));

    api.post('/bills/notices', {
      schema: { tags, summary: "Adds a provider's notice (or, with providerId null, the community's news) for a range of periods", body: z.object({ providerId: z.number().int().positive().nullable(), periodFrom: z.string().max(10), periodTo: z.string().max(10), textUk: z.string().max(500), textEn: z.string().max(500) }), response: { 201: z.object({ noticeId: z.number(), providerId: z.number().nullable() }) } },
    }, async (request, reply) => {
      const b = request.body;
      reply.code(201);
      return bills.addNotice(ctx.db, actorOf(request), { ...b, periodFrom: toPeriod(b.periodFrom), periodTo: toPeriod(b.periodTo) });
    });

    api.delete('/bills/notices/:id', { schema: { tags, summary: 'Removes a notice', params: idParams } }, async (request, reply) => {
      await bills.deleteNotice(ctx.db, actorOf(request), request.params.id);
      return reply.code(204).send();
    });

    api.get('/bills/print-runs', { schema: { tags, summary: "The community's print runs, newest first" } },
      async (request) => ({ items: await listPrintRuns(ctx.db, actorOf(request)) }));

    api.get('/bills/print-runs/:id', { schema: { tags, summary: "A print run and its files with their SHA-256", params: idParams } },
      async (request) => (await printRunFiles(ctx.db, actorOf(request), request.params.id)));

    api.get('/bills/print-runs/:id/files/:name', { schema: { tags, summary: 'One issued file, byte for byte', params: idParams.extend({ name: z.string().regex(/^[a-z0-9.-]{1,40}$/) }) } },
      async (request, reply) => {
        const f = await printRunFile(ctx.db, actorOf(request), request.params.id, request.params.name);
        return reply.type(f.type).header('x-content-sha256', f.sha256).header('content-disposition', `attachment; filename="${request.params.name}"`).send(f.content);
      });

    api.get('/bills/ebills', {
      schema: { tags, summary: 'What went by e-mail and what failed, with the reason', querystring: periodQuery, response: { 200: z.object({ items: z.array(z.object({ email_id: z.number(), premise_id: z.number(), period: z.string(), address: z.string(), status: z.string(), attempts: z.number(), error: z.string().nullable(), message_id: z.string().nullable(), sent_at: z.string() })) }) } },
    }, async (request) => ({ items: await bills.emailLog(ctx.db, actorOf(request), toPeriod(request.query.period)) }));
  };
}
