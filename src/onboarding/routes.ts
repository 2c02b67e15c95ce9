/**
 * Onboarding HTTP API (under /api). Staff read (admin, operator, city); admin and operator write
 * (with the x-csrf-token header); a provider user imports and reviews only its own files
 * (`access.ts`: naming another provider is refused with 403). Files are uploaded as the raw request body
 * (application/octet-stream), streamed to disk — never held in memory — with the options in the
 * query string.
 *
 * POST /imports/preview?kind=&fileName=&format=&encoding=&delimiter=  (body: the file)
 *        → {format, encoding, delimiter, headers, rows: string[][] (first 20), suggested: {field: column}, fields}
 * POST /imports?kind=&providerId=&fileName=&profile=<name>|&settings=<json>&dryRun=  (body: the file)
 *        → 202 {importId, jobId|null, status}; the same file again → 200 {status: 'unchanged', sameAs}
 * GET  /imports?limit=                → {items: [import]}  (newest first, with job progress)
 * GET  /imports/:id                   → import
 * GET  /imports/:id/report.csv?status=error,review   GET /imports/:id/report.xlsx?status=…
 * GET  /imports/:id/queue?after=&limit= → {items: [queue row with candidates]}
 * POST /imports/:id/queue/accept {rows: [{rowNo, premiseId?}]}  (no premiseId: the best candidate)
 * POST /imports/:id/queue/create {rowNos}   POST /imports/:id/queue/reject {rowNos}
 * GET  /import-profiles?providerId=   POST /import-profiles {name, providerId, settings}
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { Transform, type Readable } from 'node:stream';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, requireRole, STAFF } from '../server/access';
import { assertImportAccess, IMPORT_READERS, IMPORT_WRITERS, QUEUE_DECIDERS, uploadProvider, visibleProvider } from './access';
import type { RouteModule } from '../server/routes';
import type { SessionUser } from '../server/context';
import { AppError, invalid, notFound } from '../shared/errors';
import { TEXT_ENCODINGS } from './encoding';
import { FILE_KINDS, KIND_FIELDS, profileSettingsSchema, suggestColumns, type FileKind, type ProfileInput } from './profile';
import { openTable, DEFAULT_MAX_FILE_BYTES } from './readers';
import { createImport, IMPORT_JOB } from './service';
import { findProfileByName, listProfiles, saveProfile } from './profiles';
import { writeReportCsv, writeReportXlsx } from './report-file';
import { acceptRows, createAddresses, listQueue, listTariffHolds, rejectRows } from './queue';

const tags = ['onboarding'];
const uploadDir = () => path.resolve(process.env.HROMADA_UPLOAD_DIR ?? path.join(process.env.HROMADA_DATA_DIR ?? 'data', 'uploads'));

/** Streams the request body to a new file, refusing it past the size limit. */
async function saveUpload(body: Readable | undefined, fileName: string): Promise<string> {
  if (!body || typeof body.pipe !== 'function') {
    throw new AppError('file_missing', 400, {
      uk: 'Немає файлу: надішліть його тілом запиту з Content-Type: application/octet-stream',
      en: 'No file: send it as the request body with Content-Type: application/octet-stream',
    }, { field: 'body' });
  }
  fs.mkdirSync(uploadDir(), { recursive: true });
  const target = path.join(uploadDir(), `${Date.now()}-${randomBytes(6).toString('hex')}${path.extname(fileName).toLowerCase().replace(/[^.a-z0-9]/g, '')}`);
  let bytes = 0;
  const limit = new Transform({
    transform(chunk: Buffer, _enc, done) {
      bytes += chunk.length;
      if (bytes > DEFAULT_MAX_FILE_BYTES) {
        done(new AppError('file_too_large', 413, { uk: `Файл «${fileName}» більший за ${DEFAULT_MAX_FILE_BYTES} байт`, en: `File "${fileName}" exceeds ${DEFAULT_MAX_FILE_BYTES} bytes` }));
      } else done(null, chunk);
    },
  });
  try {
    await pipeline(body, limit, fs.createWriteStream(target));
  } catch (err) {
    fs.rmSync(target, { force: true });
    throw err;
  }
  if (bytes === 0) {
    fs.rmSync(target, { force: true });
    throw invalid('file_empty', { uk: `Файл «${fileName}» порожній`, en: `File "${fileName}" is empty` });
  }
  return target;
}

const importSchema = z.object({
  importId: z.number(),
  kind: z.enum(FILE_KINDS),
  providerId: z.number().nullable(),
  providerName: z.string().nullable(),
  fileName: z.string(),
  fileBytes: z.number(),
  format: z.string().nullable(),
  encoding: z.string().nullable(),
  dryRun: z.boolean(),
  status: z.string(),
  counters: z.record(z.string(), z.number()),
  error: z.unknown(),
  jobId: z.number().nullable(),
  progressDone: z.number().nullable(),
  message: z.string().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});

async function listImports(db: Parameters<RouteModule>[1]['db'], communityId: number, providerId: number | null, importId?: number, limit = 50) {
  let q = db
    .selectFrom('data_import as i')
    .leftJoin('provider as p', (j) => j.onRef('p.community_id', '=', 'i.community_id').onRef('p.provider_id', '=', 'i.provider_id'))
    .leftJoin('job as j', (j) => j.onRef('j.community_id', '=', 'i.community_id').onRef('j.job_id', '=', 'i.job_id'))
    .select([
      'i.import_id',
      'i.kind',
      'i.provider_id',
      'p.name as provider_name',
      'i.file_name',
      'i.file_bytes',
      'i.format',
      'i.encoding',
      'i.dry_run',
      'i.status',
      'i.counters',
      'i.error',
      'i.job_id',
      'j.progress_done',
      'j.message',
      'i.created_at',
      'i.finished_at',
    ])
    .where('i.community_id', '=', communityId);
  if (importId !== undefined) q = q.where('i.import_id', '=', importId);
  if (providerId !== null) q = q.where('i.provider_id', '=', providerId);
  const rows = await q.orderBy('i.import_id', 'desc').limit(limit).execute();
  return rows.map((r) => ({
    importId: r.import_id,
    kind: r.kind,
    providerId: r.provider_id,
    providerName: r.provider_name,
    fileName: r.file_name,
    fileBytes: r.file_bytes,
    format: r.format,
    encoding: r.encoding,
    dryRun: r.dry_run,
    status: r.status,
    counters: r.counters as Record<string, number>,
    error: r.error,
    jobId: r.job_id,
    progressDone: r.progress_done ?? null,
    message: r.message ?? null,
    createdAt: new Date(r.created_at).toISOString(),
    finishedAt: r.finished_at ? new Date(r.finished_at).toISOString() : null,
  }));
}

const actorFor = (u: SessionUser) => ({ communityId: u.communityId, userId: u.userId, role: u.role });

/** A profile's settings, or a refusal naming each bad setting as the field `settings.<path>` (the form labels them). */
function parseProfileSettings(given: unknown) {
  const parsed = profileSettingsSchema.safeParse(given);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => ({ field: ['settings', ...i.path].join('.'), code: i.code, message: i.message }));
  throw invalid('bad_profile', { uk: 'Некоректні налаштування профілю', en: 'Invalid profile settings' }, { issues });
}

export const onboardingRoutes: RouteModule = async (app, ctx) => {
  await app.register(async (scope) => {
    // The file is the body: hand the stream to the route untouched (no buffering, no size cap
    // here — saveUpload counts the bytes).
    scope.addContentTypeParser('application/octet-stream', (_request, payload, done) => done(null, payload));
    const typed = scope.withTypeProvider<ZodTypeProvider>();

    typed.post(
      '/imports/preview',
      {
        schema: {
          tags,
          summary: 'Reads the first rows of a file and suggests a column mapping',
          querystring: z.object({
            kind: z.enum(FILE_KINDS),
            fileName: z.string().min(1).default('upload'),
            format: z.enum(['csv', 'xlsx', 'dbf']).optional(),
            encoding: z.enum(TEXT_ENCODINGS as unknown as [string, ...string[]]).optional(),
            delimiter: z.string().max(1).optional(),
          }),
        },
      },
      async (request) => {
        requireRole(actorOf(request), ...IMPORT_WRITERS);
        const q = request.query;
        const file = await saveUpload(request.body as Readable | undefined, q.fileName);
        try {
          const reader = await openTable(file, { format: q.format, encoding: q.encoding as never, delimiter: q.delimiter, displayName: q.fileName });
          const rows: string[][] = [];
          for await (const row of reader.rows()) {
            rows.push(row.values);
            if (rows.length >= 20) break;
          }
          await reader.close();
          return {
            format: reader.format,
            encoding: reader.encoding ?? null,
            delimiter: reader.delimiter ?? null,
            headers: reader.headers,
            rows,
            suggested: suggestColumns(q.kind as FileKind, reader.headers),
            fields: KIND_FIELDS[q.kind as FileKind].map((f) => ({ name: f.name, required: !!f.required, labelUk: f.label.uk, labelEn: f.label.en })),
          };
        } finally {
          fs.rmSync(file, { force: true });
        }
      },
    );

    typed.post(
      '/imports',
      {
        schema: {
          tags,
          summary: 'Uploads a provider file and starts its import (or a dry run) as a job',
          querystring: z.object({
            kind: z.enum(FILE_KINDS),
            providerId: z.coerce.number().int().positive().optional(),
            fileName: z.string().min(1).default('upload'),
            profile: z.string().optional(),
            settings: z.string().optional(),
            dryRun: z.enum(['true', 'false']).default('false'),
          }),
        },
      },
      async (request, reply) => {
        const actor = actorOf(request);
        const q = request.query;
        const providerId = uploadProvider(actor, q.kind, q.providerId ?? null);
        let settings: ProfileInput = { kind: q.kind };
        if (q.profile) {
          const saved = await findProfileByName(ctx.db, actor.communityId, q.profile);
          if (!saved || (actor.role === 'provider' && saved.providerId !== actor.providerId)) throw notFound({ uk: `Профіль «${q.profile}»`, en: `Profile "${q.profile}"` });
          settings = saved.settings;
        } else if (q.settings) {
          let given: unknown;
          try {
            given = JSON.parse(q.settings);
          } catch {
            throw invalid('bad_profile', { uk: 'Налаштування профілю — не JSON', en: 'Profile settings are not JSON' }, { field: 'settings' });
          }
          settings = parseProfileSettings({ ...(given as object), kind: q.kind });
        }
        const filePath = await saveUpload(request.body as Readable | undefined, q.fileName);
        const created = await createImport(ctx.db, {
          communityId: actor.communityId,
          providerId,
          kind: q.kind,
          filePath,
          fileName: q.fileName,
          settings: { ...settings, kind: q.kind },
          dryRun: q.dryRun === 'true',
          createdBy: actor.userId,
        });
        if (created.unchanged) {
          fs.rmSync(filePath, { force: true });
          return reply.status(200).send({ importId: created.importId, jobId: null, status: 'unchanged', sameAs: created.unchanged.sameAs ?? null, message: created.unchanged.message });
        }
        const jobId = await ctx.jobs.enqueue(actor.communityId, IMPORT_JOB, { importId: created.importId, filePath }, actor.userId);
        await ctx.db.updateTable('data_import').set({ job_id: jobId }).where('community_id', '=', actor.communityId).where('import_id', '=', created.importId).execute();
        return reply.status(202).send({ importId: created.importId, jobId, status: 'staging', sameAs: null, message: null });
      },
    );
  });

  const typed = app.withTypeProvider<ZodTypeProvider>();
  const idParams = z.object({ id: z.coerce.number().int().positive() });

  typed.get(
    '/imports',
    { schema: { tags, summary: 'Imports, newest first', querystring: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }), response: { 200: z.object({ items: z.array(importSchema) }) } } },
    async (request) => {
      const actor = actorOf(request);
      return { items: await listImports(ctx.db, actor.communityId, visibleProvider(actor), undefined, request.query.limit) };
    },
  );

  typed.get('/imports/:id', { schema: { tags, summary: 'One import with its counters and progress', params: idParams, response: { 200: importSchema } } }, async (request) => {
    const actor = actorOf(request);
    const [item] = await listImports(ctx.db, actor.communityId, visibleProvider(actor), request.params.id, 1);
    if (!item) throw notFound({ uk: `Імпорт №${request.params.id}`, en: `Import #${request.params.id}` });
    return item;
  });

  for (const ext of ['csv', 'xlsx'] as const) {
    typed.get(
      `/imports/:id/report.${ext}`,
      {
        schema: {
          tags,
          summary: `The per-row report as ${ext.toUpperCase()} (status=error,review,new,matched to filter)`,
          params: idParams,
          querystring: z.object({ status: z.string().optional() }),
        },
      },
      async (request, reply) => {
        const actor = actorOf(request);
        await assertImportAccess(ctx.db, actor, request.params.id, IMPORT_READERS);
        const scope = { communityId: actor.communityId, importId: request.params.id };
        const statuses = request.query.status?.split(',').filter((s) => ['matched', 'review', 'new', 'error'].includes(s));
        const file = path.join(os.tmpdir(), `hromada-report-${randomBytes(6).toString('hex')}.${ext}`);
        if (ext === 'csv') await writeReportCsv(ctx.db, scope, file, statuses);
        else await writeReportXlsx(ctx.db, scope, file, statuses);
        const stream = fs.createReadStream(file);
        stream.on('close', () => fs.rmSync(file, { force: true }));
        return reply
          .type(ext === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
          .header('content-disposition', `attachment; filename="import-${scope.importId}-report.${ext}"`)
          .send(stream);
      },
    );
  }

  const candidate = z.object({ premiseId: z.number(), confidence: z.number(), method: z.string(), address: z.string(), unifiedAccount: z.string().nullable() });
  const queueItem = z.object({
    rowNo: z.number(),
    status: z.enum(['review', 'new']),
    addressRaw: z.string().nullable(),
    accountNumber: z.string().nullable(),
    data: z.record(z.string(), z.unknown()),
    fields: z.array(z.object({ field: z.string(), uk: z.string(), en: z.string(), value: z.string() })),
    reasonUk: z.string().nullable(),
    reasonEn: z.string().nullable(),
    confidence: z.number().nullable(),
    candidates: z.array(candidate),
  });
  typed.get(
    '/imports/:id/queue',
    {
      schema: {
        tags,
        summary: 'Rows waiting for an operator: the raw row, the reason and the candidate premises',
        params: idParams,
        querystring: z.object({ after: z.coerce.number().int().min(0).default(0), limit: z.coerce.number().int().min(1).max(500).default(50) }),
        response: {
          200: z.object({
            items: z.array(queueItem),
          }),
        },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      await assertImportAccess(ctx.db, actor, request.params.id, IMPORT_READERS);
      return { items: await listQueue(ctx.db, actor.communityId, request.params.id, request.query.after, request.query.limit) };
    },
  );

  typed.get(
    '/imports/tariff-holds',
    {
      schema: {
        tags,
        summary: "Providers' charges held above the approved tariff, in every import: what waits for the city's decision",
        response: {
          200: z.object({ items: z.array(queueItem.extend({ importId: z.number(), fileName: z.string(), providerName: z.string().nullable(), importedAt: z.string() })) }),
        },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      requireRole(actor, ...STAFF);
      return { items: await listTariffHolds(ctx.db, actor.communityId) };
    },
  );

  const resultSchema = z.record(z.string(), z.number());
  typed.post(
    '/imports/:id/queue/accept',
    {
      schema: {
        tags,
        summary: 'Accepts premises for queue rows (the best candidate when none is given); remembered for the next import',
        params: idParams,
        body: z.object({ rows: z.array(z.object({ rowNo: z.number().int(), premiseId: z.number().int().optional() })).min(1).max(5000) }),
        response: { 200: resultSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      await assertImportAccess(ctx.db, actor, request.params.id, QUEUE_DECIDERS);
      return acceptRows(ctx.db, actorFor(actor), request.params.id, request.body.rows);
    },
  );
  typed.post(
    '/imports/:id/queue/create',
    { schema: { tags, summary: 'Creates the new addresses of queue rows and applies them', params: idParams, body: z.object({ rowNos: z.array(z.number().int()).min(1).max(5000) }), response: { 200: resultSchema } } },
    async (request) => {
      const actor = actorOf(request);
      // New addresses enter the community's register: staff only, not a provider.
      requireRole(actor, 'admin', 'operator');
      await assertImportAccess(ctx.db, actor, request.params.id, IMPORT_WRITERS);
      return createAddresses(ctx.db, actorFor(actor), request.params.id, request.body.rowNos);
    },
  );
  typed.post(
    '/imports/:id/queue/reject',
    { schema: { tags, summary: 'Rejects queue rows', params: idParams, body: z.object({ rowNos: z.array(z.number().int()).min(1).max(5000) }), response: { 200: resultSchema } } },
    async (request) => {
      const actor = actorOf(request);
      await assertImportAccess(ctx.db, actor, request.params.id, QUEUE_DECIDERS);
      return rejectRows(ctx.db, actorFor(actor), request.params.id, request.body.rowNos);
    },
  );

  const profileSchema = z.object({ profileId: z.number(), name: z.string(), providerId: z.number().nullable(), kind: z.enum(FILE_KINDS), settings: z.record(z.string(), z.unknown()) });
  typed.get(
    '/import-profiles',
    { schema: { tags, summary: 'Saved import profiles', querystring: z.object({ providerId: z.coerce.number().int().positive().optional() }), response: { 200: z.object({ items: z.array(profileSchema) }) } } },
    async (request) => {
      const actor = actorOf(request);
      const own = visibleProvider(actor);
      return { items: await listProfiles(ctx.db, actor.communityId, own ?? request.query.providerId) };
    },
  );
  typed.post(
    '/import-profiles',
    {
      schema: {
        tags,
        summary: 'Saves a profile (the same name replaces its settings)',
        body: z.object({ name: z.string().min(1).max(100), providerId: z.number().int().positive().nullable(), settings: z.record(z.string(), z.unknown()) }),
        response: { 200: profileSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const settings = parseProfileSettings(request.body.settings);
      const providerId = uploadProvider(actor, settings.kind, request.body.providerId);
      return saveProfile(ctx.db, actor.communityId, { name: request.body.name, providerId, settings }, actor.userId);
    },
  );

};
