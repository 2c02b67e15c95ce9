import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../server/access';
import type { RouteModule } from '../server/routes';
import { pageQuerySchema, pageSchema } from '../shared/pagination';
import { getJob, listJobs } from './service';

export const jobSchema = z.object({
  jobId: z.number(),
  kind: z.string(),
  status: z.enum(['queued', 'running', 'succeeded', 'failed']),
  progressDone: z.number(),
  progressTotal: z.number().nullable(),
  message: z.string().nullable(),
  result: z.unknown(),
  error: z.unknown(),
  createdBy: z.number().nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});

/**
 * GET /api/jobs/:id → job (poll it for progress: progressDone / progressTotal, message; result or error at the end)
 * GET /api/jobs?kind=&cursor=&limit= → {items: job[], nextCursor} newest first
 * Staff see every job; other users only the jobs they started.
 */
export const jobRoutes: RouteModule = (app, ctx) => {
  const api = app.withTypeProvider<ZodTypeProvider>();
  api.get(
    '/jobs/:id',
    { schema: { tags: ['jobs'], summary: 'Progress and outcome of long work', params: z.object({ id: z.coerce.number().int() }), response: { 200: jobSchema } } },
    async (request) => getJob(ctx.db, actorOf(request), request.params.id),
  );
  api.get(
    '/jobs',
    {
      schema: {
        tags: ['jobs'],
        summary: 'Recent jobs, newest first',
        querystring: pageQuerySchema.extend({ kind: z.string().max(100).optional() }),
        response: { 200: pageSchema(jobSchema) },
      },
    },
    async (request) => listJobs(ctx.db, actorOf(request), request.query),
  );
};
