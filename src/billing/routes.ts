/**
 * Billing HTTP API (under /api). Amounts are integer kopecks; prices, volumes and areas are decimal
 * strings; periods 'YYYY-MM-01'. Reads: staff (admin, operator, city); a provider's user sees its
 * own tariffs and accounts. Writes need x-csrf-token and are audited.
 *
 * GET  /billing/tariffs?providerId&serviceId&current  → {items: tariff[]} with history (newest first)
 * POST /billing/tariffs {…}                           → 201 {tariffId} (admin, operator); the tariff in force closes the day before
 * GET  /billing/approved-tariffs                      → {items}; POST (admin, city) {serviceId, providerId?, price, validFrom, decision}
 * POST /billing/tariff-flags/check {period}           → {flagged}; GET /billing/tariff-flags?period → {items}
 * GET  /billing/periods                               → {items: [{period, status, dueDate, billingRunId, runStatus, jobId, lines}]}
 * POST /billing/runs {period}                         → 202 {jobId} (poll GET /api/jobs/:id)
 * GET  /billing/runs/:id                              → run with the steps done
 * GET  /billing/runs/:id/summary                      → {items: per provider and service, with the previous month}
 * GET  /billing/runs/:id/outliers                     → {factor, items}
 * POST /billing/periods/:period/close                 → 202 {jobId}
 * GET  /billing/accounts/:id                          → {account, balance, statement, entries, pending}
 * GET  /billing/premises/:id/statement?period         → {periods, lines, period} (the unified account)
 * POST /billing/adjustments {accountId, amount, reason} → 201 {entryId, period}
 * POST /billing/recalculations {accountId, period, days, percent?, reason} → 201 {requestId}
 * GET  /billing/settings, PUT /billing/settings {penaltyEnabled?, penaltyMoratorium?, dueDay?, outlierFactor?, amountBounds?, tariffExcess?}
 * POST /billing/benefits {personId, premiseId, serviceId?, category, percent, validFrom, validTo?} → 201 {grantId}
 * POST /billing/subsidies {accountId, monthlyAmount, mode: credited|monetised, validFrom, validTo?} → 201 {awardId}
 * GET  /billing/premises/:id/support → {benefits, subsidies}
 * GET  /billing/premises/:id/persons → {items: persons registered there, current first} (who a benefit can go to)
 */
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { isoDate } from '../server/schemas';
import { actorOf, requireRole, STAFF } from '../server/access';
import type { RouteModule } from '../server/routes';
import { invalid } from '../shared/errors';
import { parsePeriod } from '../shared/period';
import * as billing from './service';
import { MONEY_FIELDS } from '../shared/amount-bounds';

const idParams = z.object({ id: z.coerce.number().int().positive() });
const decimal = z.string().regex(/^\d{1,8}(\.\d{1,6})?$/, 'decimal with a dot, up to 6 places');
const periodText = z.string().min(6).max(10);
const safeKopecks = z.number().int().min(-Number.MAX_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER);
const METHODS = ['metered', 'norm', 'per_person', 'area_total', 'area_heated', 'fixed_account', 'fixed_premise', 'capacity', 'heat_distribution'] as const;

function toPeriod(text: string, field = 'period'): string {
  const r = parsePeriod(text);
  if (!r.ok) throw invalid('invalid_period', r.reason, { field });
  return r.value;
}

/** Dates (timestamptz) to ISO strings, so responses are plain JSON. */
function plain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

const tariffSchema = z.object({
  tariff_id: z.number(),
  provider_id: z.number(),
  service_id: z.number(),
  provider: z.string(),
  service: z.string(),
  service_en: z.string(),
  service_code: z.string(),
  building_id: z.number().nullable(),
  consumer_category: z.string().nullable(),
  method: z.string(),
  price: z.string(),
  unit: z.string(),
  vat_rate: z.string(),
  zone_coefficients: z.array(z.string()).nullable(),
  norm_per_person: z.string().nullable(),
  subscriber_fee: z.string().nullable(),
  social_norm_per_person: z.string().nullable(),
  social_norm_per_household: z.string().nullable(),
  valid_from: z.string(),
  valid_to: z.string().nullable(),
  note: z.string().nullable(),
  tiers: z.array(z.object({ from: z.string(), to: z.string().nullable(), price: z.string() })),
});

const statementRow = z.object({
  period: z.string(),
  opening: z.number(),
  charged: z.number(),
  recalculations: z.number(),
  benefits: z.number(),
  subsidies: z.number(),
  penalties: z.number(),
  adjustments: z.number(),
  paid: z.number(),
  closing: z.number(),
});

export const billingRoutes: RouteModule = (app, ctx) => {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['billing'];

  api.get(
    '/billing/tariffs',
    {
      schema: {
        tags,
        summary: 'Tariffs with their history',
        querystring: z.object({ providerId: z.coerce.number().int().optional(), serviceId: z.coerce.number().int().optional(), current: z.coerce.boolean().optional() }),
        response: { 200: z.object({ items: z.array(tariffSchema) }) },
      },
    },
    async (request) => ({ items: await billing.listTariffs(ctx.db, actorOf(request), request.query) }),
  );

  api.post(
    '/billing/tariffs',
    {
      schema: {
        tags,
        summary: 'Add a tariff (the one in force closes the day before it starts)',
        body: z.object({
          providerId: z.number().int(),
          serviceId: z.number().int(),
          buildingId: z.number().int().nullable().optional(),
          consumerCategory: z.string().max(60).nullable().optional(),
          method: z.enum(METHODS),
          price: decimal,
          unit: z.string().min(1).max(40),
          validFrom: isoDate,
          zoneCoefficients: z.array(decimal).max(3).nullable().optional(),
          tiers: z.array(z.object({ from: decimal, to: decimal.nullable(), price: decimal })).max(10).nullable().optional(),
          normPerPerson: decimal.nullable().optional(),
          subscriberFee: decimal.nullable().optional(),
          socialNormPerPerson: decimal.nullable().optional(),
          socialNormPerHousehold: decimal.nullable().optional(),
          note: z.string().max(500).nullable().optional(),
        }),
        response: { 201: z.object({ tariffId: z.number() }) },
      },
    },
    async (request, reply) => {
      const tariffId = await billing.createTariff(ctx.db, actorOf(request), request.body);
      return reply.code(201).send({ tariffId });
    },
  );

  api.get(
    '/billing/approved-tariffs',
    { schema: { tags, summary: "The city's register of approved tariffs", response: { 200: z.object({ items: z.array(z.record(z.string(), z.unknown())) }) } } },
    async (request) => ({ items: await billing.listApprovedTariffs(ctx.db, actorOf(request)) }),
  );

  api.post(
    '/billing/approved-tariffs',
    {
      schema: {
        tags,
        summary: 'Register an approved tariff (city)',
        body: z.object({ serviceId: z.number().int(), providerId: z.number().int().nullable().optional(), price: decimal, validFrom: isoDate, validTo: isoDate.nullable().optional(), decision: z.string().min(3).max(300) }),
        response: { 201: z.object({ approvedId: z.number() }) },
      },
    },
    async (request, reply) => reply.code(201).send({ approvedId: await billing.createApprovedTariff(ctx.db, actorOf(request), request.body) }),
  );

  api.post(
    '/billing/tariff-flags/check',
    {
      schema: { tags, summary: "Flag providers' imported charges that differ from the approved tariff", body: z.object({ period: periodText }), response: { 200: z.object({ flagged: z.number() }) } },
    },
    async (request) => {
      const actor = actorOf(request);
      requireRole(actor, 'admin', 'operator', 'city');
      return { flagged: await billing.flagTariffMismatches(ctx.db, actor.communityId, toPeriod(request.body.period)) };
    },
  );

  api.get(
    '/billing/tariff-flags',
    {
      schema: {
        tags,
        summary: 'Charges that do not match the approved tariff',
        querystring: z.object({ period: periodText.optional() }),
        response: { 200: z.object({ items: z.array(z.record(z.string(), z.unknown())) }) },
      },
    },
    async (request) => ({ items: plain(await billing.listTariffFlags(ctx.db, actorOf(request), request.query.period ? toPeriod(request.query.period) : undefined)) }),
  );

  api.get(
    '/billing/periods',
    { schema: { tags, summary: 'Billing periods and their latest run', response: { 200: z.object({ items: z.array(z.record(z.string(), z.unknown())) }) } } },
    async (request) => ({ items: plain(await billing.listPeriods(ctx.db, actorOf(request))) }),
  );

  api.post(
    '/billing/runs',
    {
      schema: {
        tags,
        summary: 'Start a billing run for an open period (a job); it first recomputes the period\'s consumption from accepted readings',
        body: z.object({
          period: periodText,
          refreshConsumption: z.boolean().optional().describe('false: bill meter_consumption as it stands, without recomputing it from readings'),
        }),
        response: { 202: z.object({ jobId: z.number() }) },
      },
    },
    async (request, reply) =>
      reply.code(202).send({
        jobId: await billing.startBillingRun(ctx.db, ctx.jobs, actorOf(request), toPeriod(request.body.period), { refreshConsumption: request.body.refreshConsumption }),
      }),
  );

  api.post(
    '/billing/runs/:id/discard',
    {
      schema: {
        tags,
        summary: 'Discard a billing run that is not closed (admin): its lines removed, the period back to open, the reason audited',
        params: idParams,
        body: z.object({ reason: z.string().trim().min(3).max(500) }),
        response: { 200: z.object({ billingRunId: z.number(), period: z.string(), linesRemoved: z.number() }) },
      },
    },
    async (request) => billing.discardBillingRun(ctx.db, actorOf(request), request.params.id, request.body.reason),
  );

  api.get(
    '/billing/runs/:id',
    { schema: { tags, summary: 'A billing run and the steps it has done', params: idParams, response: { 200: z.record(z.string(), z.unknown()) } } },
    async (request) => plain(await billing.getRun(ctx.db, actorOf(request), request.params.id)),
  );

  api.get(
    '/billing/runs/:id/summary',
    {
      schema: {
        tags,
        summary: 'Totals per provider and service, beside the previous month',
        params: idParams,
        response: {
          200: z.object({
            items: z.array(
              z.object({
                provider_id: z.number(),
                provider: z.string(),
                service_id: z.number(),
                service: z.string(),
                service_en: z.string(),
                accounts: z.number(),
                charged: z.number(),
                estimated: z.number(),
                benefits: z.number(),
                subsidies: z.number(),
                recalculations: z.number(),
                penalties: z.number(),
                previous_charged: z.number(),
              }),
            ),
          }),
        },
      },
    },
    async (request) => ({ items: await billing.getRunSummary(ctx.db, actorOf(request), request.params.id) }),
  );

  api.get(
    '/billing/runs/:id/outliers',
    {
      schema: {
        tags,
        summary: 'Charges far above the usual one, to review before closing',
        params: idParams,
        response: {
          200: z.object({
            factor: z.string(),
            items: z.array(z.object({ account_id: z.number(), number: z.string(), provider: z.string(), service: z.string(), service_en: z.string(), address: z.string(), charged: z.number(), usual: z.number() })),
          }),
        },
      },
    },
    async (request) => billing.getRunOutliers(ctx.db, actorOf(request), request.params.id),
  );

  api.post(
    '/billing/periods/:period/close',
    { schema: { tags, summary: 'Close a calculated period (a job): posts to the ledger, freezes it', params: z.object({ period: periodText }), response: { 202: z.object({ jobId: z.number() }) } } },
    async (request, reply) => reply.code(202).send({ jobId: await billing.startClose(ctx.db, ctx.jobs, actorOf(request), toPeriod(request.params.period)) }),
  );

  api.get(
    '/billing/accounts/:id',
    {
      schema: {
        tags,
        summary: 'Account card: balance, statements, ledger entries and the lines of the calculated run',
        params: idParams,
        response: {
          200: z.object({
            account: z.object({ account_id: z.number(), number: z.string(), provider_id: z.number(), provider: z.string(), service: z.string(), service_en: z.string(), premise_id: z.number(), address: z.string(), unified_account: z.string().nullable() }),
            balance: z.number(),
            statement: z.array(statementRow),
            entries: z.array(z.record(z.string(), z.unknown())),
            pending: z.array(z.record(z.string(), z.unknown())),
          }),
        },
      },
    },
    async (request) => plain(await billing.getAccountCard(ctx.db, actorOf(request), request.params.id)),
  );

  api.get(
    '/billing/premises/:id/statement',
    {
      schema: {
        tags,
        summary: 'Statement of a unified account (all personal accounts of a premise)',
        params: idParams,
        querystring: z.object({ period: periodText.optional() }),
        response: { 200: z.object({ period: z.string(), periods: z.array(statementRow), lines: z.array(statementRow.extend({ account_id: z.number(), number: z.string(), provider: z.string(), service: z.string(), service_en: z.string() })) }) },
      },
    },
    async (request) => billing.getPremiseStatement(ctx.db, actorOf(request), request.params.id, request.query.period ? toPeriod(request.query.period) : undefined),
  );

  api.post(
    '/billing/adjustments',
    {
      schema: {
        tags,
        summary: 'A manual adjustment with its reason (posted to the open period)',
        body: z.object({ accountId: z.number().int(), amount: z.number().int(), reason: z.string().max(500) }),
        response: { 201: z.object({ entryId: z.number(), period: z.string() }) },
      },
    },
    async (request, reply) => reply.code(201).send(await billing.postAdjustment(ctx.db, actorOf(request), request.body)),
  );

  api.post(
    '/billing/recalculations',
    {
      schema: {
        tags,
        summary: 'Recalculation for days without service or of poor quality',
        body: z.object({ accountId: z.number().int(), period: periodText, days: z.number().int().min(1).max(31), percent: decimal.optional(), reason: z.string().min(3).max(500) }),
        response: { 201: z.object({ requestId: z.number() }) },
      },
    },
    async (request, reply) =>
      reply.code(201).send({ requestId: await billing.requestRecalculation(ctx.db, actorOf(request), { ...request.body, period: toPeriod(request.body.period) }) }),
  );

  const settingsSchema = z.object({
    dueDay: z.number(),
    penaltyEnabled: z.boolean(),
    penaltyRatePerDay: z.string(),
    penaltyMoratorium: z.boolean(),
    holidays: z.array(z.string()),
    outlierFactor: z.string(),
    firstPeriod: z.string().nullable(),
    amountBounds: z.record(z.string(), z.object({ min: z.number(), max: z.number(), perAccount: z.number() })),
    tariffExcess: z.enum(['flag', 'hold']),
  });
  api.get(
    '/billing/settings',
    { schema: { tags, summary: 'Penalty rules, moratorium, due day, outlier factor', response: { 200: settingsSchema } } },
    async (request) => {
      const actor = actorOf(request);
      requireRole(actor, ...STAFF);
      return billing.getSettings(ctx.db, actor);
    },
  );
  api.put(
    '/billing/settings',
    {
      schema: {
        tags,
        summary: 'Change penalty rules or the moratorium (admin)',
        body: z.object({
          penaltyEnabled: z.boolean().optional(),
          penaltyMoratorium: z.boolean().optional(),
          dueDay: z.number().int().min(1).max(28).optional(),
          outlierFactor: decimal.optional(),
          // The community's own bounds of plausible amounts, field by field (kopecks).
          amountBounds: z.partialRecord(z.enum(MONEY_FIELDS), z.object({ min: safeKopecks, max: safeKopecks, perAccount: safeKopecks.min(0) }).partial()).optional(),
          // A provider's imported charge above the approved tariff: 'flag' (posted, flagged) or 'hold' (review queue).
          tariffExcess: z.enum(['flag', 'hold']).optional(),
        }),
        response: { 200: settingsSchema },
      },
    },
    async (request) => billing.updateSettings(ctx.db, actorOf(request), request.body),
  );

  api.put(
    '/billing/settings/first-period',
    {
      schema: {
        tags,
        summary: "Set the community's first billing period (its go-live month), once (admin)",
        body: z.object({ period: periodText }),
        response: { 200: settingsSchema },
      },
    },
    async (request) => billing.setFirstBillingPeriod(ctx.db, actorOf(request), toPeriod(request.body.period)),
  );

  api.post(
    '/billing/benefits',
    {
      schema: {
        tags,
        summary: 'Grant a benefit to a registered member of a household (a percent within the social norm)',
        body: z.object({
          personId: z.number().int(),
          premiseId: z.number().int(),
          serviceId: z.number().int().nullable().optional(),
          category: z.string().min(2).max(200),
          percent: decimal,
          validFrom: isoDate,
          validTo: isoDate.nullable().optional(),
        }),
        response: { 201: z.object({ grantId: z.number() }) },
      },
    },
    async (request, reply) => reply.code(201).send({ grantId: await billing.grantBenefit(ctx.db, actorOf(request), request.body) }),
  );

  api.post(
    '/billing/subsidies',
    {
      schema: {
        tags,
        summary: 'Record a subsidy: credited to the account each month, or monetised (paid to the resident)',
        body: z.object({ accountId: z.number().int(), monthlyAmount: z.number().int(), mode: z.enum(['credited', 'monetised']), validFrom: isoDate, validTo: isoDate.nullable().optional() }),
        response: { 201: z.object({ awardId: z.number() }) },
      },
    },
    async (request, reply) => reply.code(201).send({ awardId: await billing.awardSubsidy(ctx.db, actorOf(request), request.body) }),
  );

  api.get(
    '/billing/premises/:id/support',
    {
      schema: {
        tags,
        summary: "Benefits of a premise's members and subsidies of its accounts",
        params: idParams,
        response: { 200: z.object({ benefits: z.array(z.record(z.string(), z.unknown())), subsidies: z.array(z.record(z.string(), z.unknown())) }) },
      },
    },
    async (request) => plain(await billing.listPremiseSupport(ctx.db, actorOf(request), request.params.id)),
  );

  api.get(
    '/billing/premises/:id/persons',
    {
      schema: {
        tags,
        summary: 'Persons registered at a premise (current first), to choose who a benefit goes to',
        params: idParams,
        response: {
          200: z.object({
            items: z.array(
              z.object({
                person_id: z.number(),
                last_name: z.string(),
                first_name: z.string(),
                patronymic: z.string().nullable(),
                registered_from: z.string(),
                registered_to: z.string().nullable(),
              }),
            ),
          }),
        },
      },
    },
    async (request) => ({ items: plain(await billing.listPremisePersons(ctx.db, actorOf(request), request.params.id)) }),
  );
};
