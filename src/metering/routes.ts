/**
 * Metering over HTTP (under /api/metering):
 *
 * GET  /metering/lookup?q=…                          premises by unified/personal account number, surname or address (staff, provider)
 * GET  /metering/lookup/examples                 a real address, account and surname for the desk's hint
 * GET  /metering/premises/:premiseId/meters          a premise's meters with their last readings
 * GET  /metering/buildings/:buildingId/premises      a building's flats in order (the desk walks them)
 * GET  /metering/meters/:meterId/history             replacements, last readings, consumption by period
 * POST /metering/meters/:meterId/readings            one reading (resident: linked premises; operator: any; provider: own)
 * POST /metering/meters/:meterId/readings/check      the same, validated only: nothing stored (the desk, as it is typed)
 * POST /metering/readings/bulk                       many readings: JSON {rows} or a text/csv file (provider, operator)
 * POST /metering/accounts/:unifiedNumber/readings    a payment agent's readings with a payment, by unified account number
 * GET  /metering/review                              readings held for review (keyset pages)
 * POST /metering/review/:readingId/accept | /reject  decide one
 * POST /metering/meters                              create or update meters (bulk, keyed by service and serial)
 * POST /metering/meters/:meterId/replace             replace a meter (final + initial readings)
 * POST /metering/meters/:meterId/status              away for verification / back
 * POST /metering/consumption/:period                 (re)compute meter_consumption for a period (operator, admin)
 * GET  /metering/settings, PUT /metering/settings     submission window, estimation months, plausibility (community or provider)
 * PUT  /metering/norms/:serviceId                     monthly norm per registered person of a service
 *
 * Every submission answers with the consumption it implies and its reasons in Ukrainian and English.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { parse as parseCsv } from 'csv-parse/sync';
import { z } from 'zod';
import { isoDate } from '../server/schemas';
import type { RouteModule } from '../server/routes';
import type { AppContext } from '../server/context';
import { actorOf, requireRole } from '../server/access';
import { invalid } from '../shared/errors';
import { pageQuerySchema, pageSchema } from '../shared/pagination';
import { parsePeriod } from '../shared/period';
import {
  buildingPremises,
  findPremises,
  lookupExamples,
  listMeteringSettings,
  listReviewQueue,
  meterHistory,
  premiseMeters,
  replaceMeter,
  reviewReading,
  saveMeteringSettings,
  saveMeterNorm,
  setMeterStatus,
  submitReading,
  submitReadingsBulk,
  submitReadingsForUnifiedAccount,
  upsertMetersBulk,
  type ReadingInput,
} from './service';
import { computeConsumption } from './consumption';
import { READING_CHANNELS, type ReadingChannel } from './tables';

const tags = ['metering'];
const value = z.union([z.string().max(20), z.number().nonnegative()]).transform(String);
const values = z.array(value).min(1).max(3);
const channel = z.enum(READING_CHANNELS);

const readingResultSchema = z.object({
  row: z.number(),
  meterId: z.number().nullable(),
  readingId: z.number().nullable(),
  status: z.enum(['accepted', 'needs_review', 'rejected']),
  duplicate: z.boolean(),
  period: z.string().nullable(),
  volumes: z.array(z.string().nullable()),
  messages: z.array(z.object({ level: z.enum(['reject', 'review', 'flag']), code: z.string(), uk: z.string(), en: z.string(), zone: z.number().optional() })),
  message_uk: z.string(),
  message_en: z.string(),
});
const bulkResultSchema = z.object({
  total: z.number(),
  accepted: z.number(),
  needsReview: z.number(),
  rejected: z.number(),
  duplicates: z.number(),
  results: z.array(readingResultSchema),
});

const readingRowSchema = z.object({
  meterId: z.number().int().optional(),
  serial: z.string().max(64).optional(),
  serviceCode: z.string().max(64).optional(),
  readOn: isoDate.optional(),
  values,
  externalRef: z.string().max(100).optional(),
});

const readingSchema = z.object({
  id: z.number(),
  readOn: z.string(),
  period: z.string(),
  kind: z.string(),
  values: z.array(z.string()),
  channel: z.string(),
  status: z.string(),
  reason_uk: z.string().nullable(),
  reason_en: z.string().nullable(),
  flags: z.array(z.string()),
});

const meterSchema = z.object({
  meterId: z.number(),
  serial: z.string(),
  kind: z.string(),
  zones: z.number(),
  digits: z.number(),
  multiplier: z.string(),
  status: z.string(),
  verifiedUntil: z.string().nullable(),
  installedOn: z.string(),
  serviceId: z.number(),
  serviceCode: z.string(),
  serviceNameUk: z.string(),
  serviceNameEn: z.string(),
  unit: z.string(),
  readings: z.array(readingSchema),
});

const summarise = (results: Awaited<ReturnType<typeof submitReadingsBulk>>) => ({
  total: results.length,
  accepted: results.filter((r) => r.status === 'accepted' && !r.duplicate).length,
  needsReview: results.filter((r) => r.status === 'needs_review' && !r.duplicate).length,
  rejected: results.filter((r) => r.status === 'rejected').length,
  duplicates: results.filter((r) => r.duplicate).length,
  results,
});

/** The channel a role submits through when it does not say. */
function defaultChannel(role: string, bulk: boolean): ReadingChannel {
  if (role === 'resident') return 'portal';
  if (role === 'provider') return bulk ? 'provider_file' : 'controller';
  return bulk ? 'provider_file' : 'call_centre';
}

/**
 * A provider file as CSV: a header row naming columns meter_id or serial (+ service, a service
 * code, where serials repeat), read_on, value1 (value2, value3 for multi-zone meters) and
 * optionally external_ref; "," or ";" separated.
 */
export function readingsFromCsv(text: string): ReadingInput[] {
  const firstLine = text.slice(0, text.indexOf('\n') >>> 0);
  const delimiter = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  let records: Record<string, string>[];
  try {
    records = parseCsv(text, { columns: (h: string[]) => h.map((c) => c.trim().toLowerCase()), delimiter, skip_empty_lines: true, trim: true, bom: true }) as Record<string, string>[];
  } catch (err) {
    const e = err as { lines?: number; message?: string };
    throw invalid('csv_unreadable', { uk: `Файл: рядок ${e.lines ?? '?'} не читається як CSV (${e.message})`, en: `File: row ${e.lines ?? '?'} cannot be read as CSV (${e.message})` }, { row: e.lines });
  }
  const header = records.length ? Object.keys(records[0]!) : [];
  if (records.length && (!header.includes('value1') || (!header.includes('meter_id') && !header.includes('serial')))) {
    throw invalid('csv_header', {
      uk: `Файл: рядок 1 має містити стовпці meter_id або serial, read_on, value1 (є: ${header.join(', ')})`,
      en: `File: row 1 must name the columns meter_id or serial, read_on, value1 (found: ${header.join(', ')})`,
    }, { row: 1 });
  }
  return records.map((r) => ({
    ...(r.meter_id ? { meterId: Number(r.meter_id) } : {}),
    ...(r.serial ? { serial: r.serial } : {}),
    ...(r.service ? { serviceCode: r.service } : {}),
    ...(r.read_on ? { readOn: r.read_on } : {}),
    values: [r.value1, r.value2, r.value3].filter((v): v is string => v !== undefined && v !== ''),
    ...(r.external_ref ? { externalRef: r.external_ref } : {}),
  }));
}

export const meteringRoutes: RouteModule = async (app, ctx) => {
  // Scoped, so that the text/csv parser is ours alone.
  await app.register(async (scoped) => registerRoutes(scoped, ctx));
};

function registerRoutes(app: FastifyInstance, ctx: AppContext) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  app.addContentTypeParser('text/csv', { parseAs: 'string' }, (_request, body, done) => done(null, body));

  api.get(
    '/metering/lookup',
    {
      schema: {
        tags,
        summary: 'Find a premise by unified or personal account number, meter serial, surname, or street + house (+ flat)',
        querystring: z.object({ q: z.string().min(1).max(200), limit: z.coerce.number().int().min(1).max(50).default(20) }),
        response: {
          200: z.array(
            z.object({
              premiseId: z.number(),
              buildingId: z.number(),
              premiseNumber: z.string().nullable(),
              houseKey: z.string(),
              address: z.string(),
              unifiedNumber: z.string().nullable(),
              persons: z.string().nullable(),
            }),
          ),
        },
      },
    },
    async (request) => {
      const hits = await findPremises(ctx.db, actorOf(request), request.query.q, request.query.limit);
      return hits.map((h) => ({
        premiseId: h.premise_id,
        buildingId: h.building_id,
        premiseNumber: h.premise_number,
        houseKey: h.house_key,
        address: h.address,
        unifiedNumber: h.unified_number,
        persons: h.persons,
      }));
    },
  );

  api.get(
    '/metering/lookup/examples',
    {
      schema: {
        tags,
        summary: "A flat's address, unified account and a resident's surname from this community, for the desk's hint",
        response: { 200: z.object({ address: z.string().nullable(), unifiedNumber: z.string().nullable(), lastName: z.string().nullable() }) },
      },
    },
    async (request) => lookupExamples(ctx.db, actorOf(request)),
  );

  api.get(
    '/metering/premises/:premiseId/meters',
    {
      schema: { tags, summary: "A premise's meters with their last three readings", params: z.object({ premiseId: z.coerce.number().int() }), response: { 200: z.array(meterSchema) } },
    },
    async (request) => {
      const meters = await premiseMeters(ctx.db, actorOf(request), request.params.premiseId);
      return meters.map((m) => ({
        meterId: m.meter_id,
        serial: m.serial,
        kind: m.kind,
        zones: m.zones,
        digits: m.digits,
        multiplier: m.multiplier,
        status: m.status,
        verifiedUntil: m.verified_until,
        installedOn: m.installed_on,
        serviceId: m.service_id,
        serviceCode: m.service_code,
        serviceNameUk: m.service_name_uk,
        serviceNameEn: m.service_name_en,
        unit: m.unit,
        readings: m.readings.map((r) => ({
          id: r.reading_id,
          readOn: r.read_on,
          period: r.period,
          kind: r.kind,
          values: [r.value1, r.value2, r.value3].slice(0, m.zones).map((v) => (v === null ? '' : String(Number(v)))),
          channel: r.channel,
          status: r.status,
          reason_uk: r.reason_uk,
          reason_en: r.reason_en,
          flags: r.flags,
        })),
      }));
    },
  );

  api.get(
    '/metering/buildings/:buildingId/premises',
    {
      schema: {
        tags,
        summary: "A building's flats in order, for walking through them at the desk",
        params: z.object({ buildingId: z.coerce.number().int() }),
        response: { 200: z.array(z.object({ premiseId: z.number(), premiseNumber: z.string().nullable(), unifiedNumber: z.string().nullable(), meters: z.number() })) },
      },
    },
    async (request) => {
      const rows = await buildingPremises(ctx.db, actorOf(request), request.params.buildingId);
      return rows.map((r) => ({ premiseId: r.premise_id, premiseNumber: r.premise_number, unifiedNumber: r.unified_number, meters: r.meters }));
    },
  );

  api.get(
    '/metering/meters/:meterId/history',
    {
      schema: {
        tags,
        summary: "A meter's replacements (both ways), its last 24 readings and its consumption by period",
        params: z.object({ meterId: z.coerce.number().int() }),
        response: {
          200: z.object({
            chain: z.array(z.object({ meterId: z.number(), serial: z.string(), installedOn: z.string(), removedOn: z.string().nullable(), status: z.string(), replacesMeterId: z.number().nullable() })),
            readings: z.array(readingSchema),
            consumption: z.array(z.object({ period: z.string(), zone: z.number(), volume: z.string(), estimated: z.boolean(), verificationExpired: z.boolean() })),
          }),
        },
      },
    },
    async (request) => {
      const h = await meterHistory(ctx.db, actorOf(request), request.params.meterId);
      return {
        chain: h.chain.map((m) => ({ meterId: m.meter_id, serial: m.serial, installedOn: m.installed_on, removedOn: m.removed_on, status: m.status, replacesMeterId: m.replaces_meter_id })),
        readings: h.readings.map((r) => ({
          id: r.reading_id,
          readOn: r.read_on,
          period: r.period,
          kind: r.kind,
          values: [r.value1, r.value2, r.value3].filter((v): v is string => v !== null).map((v) => String(Number(v))),
          channel: r.channel,
          status: r.status,
          reason_uk: r.reason_uk,
          reason_en: r.reason_en,
          flags: r.flags,
        })),
        consumption: h.consumption.map((c) => ({ period: c.period, zone: c.zone, volume: c.volume, estimated: c.estimated, verificationExpired: c.verification_expired })),
      };
    },
  );

  const singleBody = z.object({ values, readOn: isoDate.optional(), channel: channel.optional() });
  for (const dryRun of [false, true]) {
    api.post(
      dryRun ? '/metering/meters/:meterId/readings/check' : '/metering/meters/:meterId/readings',
      {
        schema: {
          tags,
          summary: dryRun ? 'Validate a reading without storing it' : 'Submit a reading of one meter',
          params: z.object({ meterId: z.coerce.number().int() }),
          body: singleBody,
          response: { 200: readingResultSchema },
        },
      },
      async (request) => {
        const actor = actorOf(request);
        const { values: v, readOn, channel: ch } = request.body;
        return submitReading(ctx.db, actor, request.params.meterId, { values: v, readOn }, { channel: ch ?? defaultChannel(actor.role, false), dryRun });
      },
    );
  }

  api.post(
    '/metering/readings/bulk',
    {
      schema: {
        tags,
        summary: 'Submit many readings: JSON {rows, channel?} or a CSV file (columns meter_id|serial, read_on, value1[, value2, value3, external_ref])',
        querystring: z.object({ channel: channel.optional(), fileName: z.string().max(200).optional() }),
        body: z.union([z.object({ rows: z.array(readingRowSchema).max(200_000), channel: channel.optional() }), z.string()]),
        response: { 200: bulkResultSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      requireRole(actor, 'admin', 'operator', 'provider');
      const body = request.body;
      const rows = typeof body === 'string' ? readingsFromCsv(body) : body.rows;
      const ch = (typeof body === 'string' ? undefined : body.channel) ?? request.query.channel ?? defaultChannel(actor.role, true);
      const results = await submitReadingsBulk(ctx.db, actor, rows, { channel: ch, source: request.query.fileName });
      return summarise(results);
    },
  );

  api.post(
    '/metering/accounts/:unifiedNumber/readings',
    {
      schema: {
        tags,
        summary: 'Readings brought with a payment (cash desk, terminal), keyed by the unified account number',
        params: z.object({ unifiedNumber: z.string().regex(/^\d{10}$/) }),
        body: z.object({ paymentRef: z.string().max(100).optional(), readings: z.array(readingRowSchema).min(1).max(20) }),
        response: { 200: bulkResultSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      requireRole(actor, 'admin', 'operator');
      const results = await submitReadingsForUnifiedAccount(ctx.db, actor, request.params.unifiedNumber, request.body.readings, {
        channel: 'cash_desk',
        paymentRef: request.body.paymentRef,
      });
      return summarise(results);
    },
  );

  const reviewItem = z.object({
    reading_id: z.number(),
    meter_id: z.number(),
    serial: z.string(),
    premise_id: z.number().nullable(),
    building_id: z.number(),
    premise_number: z.string().nullable(),
    address: z.string(),
    service_name_uk: z.string(),
    service_name_en: z.string(),
    unit: z.string(),
    read_on: z.string(),
    period: z.string(),
    value1: z.string(),
    value2: z.string().nullable(),
    value3: z.string().nullable(),
    channel: z.string(),
    submitted_at: z.string(),
    reason_code: z.string().nullable(),
    reason_uk: z.string().nullable(),
    reason_en: z.string().nullable(),
    previous: z.object({ read_on: z.string(), value1: z.string(), value2: z.string().nullable(), value3: z.string().nullable() }).nullable(),
  });
  api.get(
    '/metering/review',
    { schema: { tags, summary: 'Readings held for review, oldest first', querystring: pageQuerySchema, response: { 200: pageSchema(reviewItem) } } },
    async (request) => listReviewQueue(ctx.db, actorOf(request), request.query),
  );

  const decided = z.object({ readingId: z.number(), status: z.string(), reason_uk: z.string().nullable(), reason_en: z.string().nullable() });
  api.post(
    '/metering/review/:readingId/accept',
    { schema: { tags, summary: 'Accept a reading held for review', params: z.object({ readingId: z.coerce.number().int() }), response: { 200: decided } } },
    async (request) => {
      const r = await reviewReading(ctx.db, actorOf(request), request.params.readingId, { accept: true });
      return { readingId: r.reading_id, status: r.status, reason_uk: r.reason_uk, reason_en: r.reason_en };
    },
  );
  api.post(
    '/metering/review/:readingId/reject',
    {
      schema: {
        tags,
        summary: 'Reject a reading held for review, saying why',
        params: z.object({ readingId: z.coerce.number().int() }),
        body: z.object({ reason: z.string().trim().min(3).max(500) }),
        response: { 200: decided },
      },
    },
    async (request) => {
      const r = await reviewReading(ctx.db, actorOf(request), request.params.readingId, { accept: false, reason: request.body.reason });
      return { readingId: r.reading_id, status: r.status, reason_uk: r.reason_uk, reason_en: r.reason_en };
    },
  );

  api.post(
    '/metering/meters',
    {
      schema: {
        tags,
        summary: 'Create or update meters (keyed by service and serial); a new meter’s initialValues become its initial reading',
        body: z.object({
          meters: z
            .array(
              z.object({
                serial: z.string().min(1).max(64),
                serviceId: z.number().int().optional(),
                serviceCode: z.string().optional(),
                premiseId: z.number().int().nullable().optional(),
                buildingId: z.number().int().optional(),
                providerId: z.number().int().nullable().optional(),
                zones: z.number().int().optional(),
                digits: z.number().int().min(3).max(10).optional(),
                multiplier: value.optional(),
                installedOn: isoDate,
                verifiedUntil: isoDate.nullable().optional(),
                initialValues: values.optional(),
              }),
            )
            .min(1)
            .max(50_000),
        }),
        response: {
          200: z.array(z.object({ row: z.number(), meterId: z.number().nullable(), outcome: z.enum(['created', 'updated', 'rejected']), message_uk: z.string(), message_en: z.string() })),
        },
      },
    },
    async (request) => upsertMetersBulk(ctx.db, actorOf(request), request.body.meters),
  );

  api.post(
    '/metering/meters/:meterId/replace',
    {
      schema: {
        tags,
        summary: 'Replace a meter: final reading of the old one, initial reading of the new one',
        params: z.object({ meterId: z.coerce.number().int() }),
        body: z.object({
          on: isoDate,
          finalValues: values,
          serial: z.string().min(1).max(64),
          zones: z.number().int().min(1).max(3).optional(),
          digits: z.number().int().min(3).max(10).optional(),
          multiplier: value.optional(),
          verifiedUntil: isoDate.nullable().optional(),
          initialValues: values,
        }),
        response: { 200: z.object({ oldMeterId: z.number(), newMeterId: z.number(), final: readingResultSchema }) },
      },
    },
    async (request) => replaceMeter(ctx.db, actorOf(request), request.params.meterId, request.body),
  );

  api.post(
    '/metering/meters/:meterId/status',
    {
      schema: {
        tags,
        summary: 'Take a meter away for verification, or bring it back with its new verification date',
        params: z.object({ meterId: z.coerce.number().int() }),
        body: z.object({ status: z.enum(['active', 'removed_for_verification']), verifiedUntil: isoDate.nullable().optional() }),
        response: { 200: z.object({ meterId: z.number(), status: z.string(), verifiedUntil: z.string().nullable() }) },
      },
    },
    async (request) => {
      const m = await setMeterStatus(ctx.db, actorOf(request), request.params.meterId, request.body);
      return { meterId: m.meter_id, status: m.status, verifiedUntil: m.verified_until };
    },
  );

  const settingsRow = z.object({
    settings_id: z.number(),
    provider_id: z.number().nullable(),
    window_opens_day: z.number(),
    window_closes_day: z.number(),
    estimate_months: z.number(),
    plausibility_factor: z.string(),
  });
  api.get(
    '/metering/settings',
    {
      schema: {
        tags,
        summary: 'Submission windows, estimation months and plausibility factors (community and per provider), and norms per service',
        response: { 200: z.object({ settings: z.array(settingsRow), norms: z.array(z.object({ service_id: z.number(), monthly_per_person: z.string() })) }) },
      },
    },
    async (request) => listMeteringSettings(ctx.db, actorOf(request)),
  );
  api.put(
    '/metering/settings',
    {
      schema: {
        tags,
        summary: 'Set the rules of the community (providerId null) or of one provider. Days: 1..31 from the start of the month, 0 = last day, −4 = fifth from the end',
        body: z.object({
          providerId: z.number().int().nullable(),
          windowOpensDay: z.number().int().min(-30).max(31),
          windowClosesDay: z.number().int().min(-30).max(31),
          estimateMonths: z.number().int().min(1).max(24),
          plausibilityFactor: value.refine((v) => /^\d+(\.\d{1,2})?$/.test(v) && Number(v) >= 1, 'a number ≥ 1'),
        }),
        response: { 200: settingsRow },
      },
    },
    async (request) => saveMeteringSettings(ctx.db, actorOf(request), request.body),
  );
  api.put(
    '/metering/norms/:serviceId',
    {
      schema: {
        tags,
        summary: 'Monthly norm per registered person of a metered service (plausibility bound, estimate without history)',
        params: z.object({ serviceId: z.coerce.number().int() }),
        body: z.object({ monthlyPerPerson: value.refine((v) => /^\d+(\.\d{1,3})?$/.test(v), 'a number with at most 3 decimals') }),
        response: { 200: z.object({ service_id: z.number(), monthly_per_person: z.string() }) },
      },
    },
    async (request) => {
      const n = await saveMeterNorm(ctx.db, actorOf(request), request.params.serviceId, request.body.monthlyPerPerson);
      return { service_id: n.service_id, monthly_per_person: n.monthly_per_person };
    },
  );

  api.post(
    '/metering/consumption/:period',
    {
      schema: {
        tags,
        summary: 'Recompute consumption per meter and zone for a period (what billing reads)',
        params: z.object({ period: z.string() }),
        response: { 200: z.object({ period: z.string(), rows: z.number(), estimated: z.number() }) },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      requireRole(actor, 'admin', 'operator');
      const period = parsePeriod(request.params.period);
      if (!period.ok) throw invalid('invalid_period', period.reason, { field: 'period' });
      return computeConsumption(ctx.db, actor.communityId, period.value);
    },
  );
}
