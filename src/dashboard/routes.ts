import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../server/access';
import type { RouteModule } from '../server/routes';
import { kyivToday } from '../shared/period';
import { dashboardFor } from './service';
import { providerAccounts, providerHome } from './provider';

const dashboardSchema = z.object({
  today: z.string(),
  counts: z.object({
    buildings: z.number(),
    premises: z.number(),
    registeredPersons: z.number(),
    openAccounts: z.number(),
    providers: z.number(),
    services: z.number(),
  }),
  accountsByService: z.array(
    z.object({ serviceId: z.number(), code: z.string(), nameUk: z.string(), nameEn: z.string(), openAccounts: z.number() }),
  ),
});

/** GET /api/dashboard → the staff home page's figures (admin, operator, city). */
export const dashboardRoutes: RouteModule = (app, ctx) => {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/dashboard',
    {
      schema: {
        tags: ['registry'],
        summary: 'Size of the registry today and open accounts per service (staff)',
        response: { 200: dashboardSchema },
      },
    },
    async (request) => dashboardFor(ctx.db, actorOf(request), kyivToday()),
  );

  const api = app.withTypeProvider<ZodTypeProvider>();
  api.get('/provider/home', { schema: { tags: ['providers'], summary: "A provider's own figures: accounts, latest charges, readings, what waits for review (provider)" } }, async (request) =>
    providerHome(ctx.db, actorOf(request), kyivToday()),
  );
  api.get(
    '/provider/accounts',
    {
      schema: {
        tags: ['providers'],
        summary: "The provider's own accounts, by number; q searches the number, the address or the unified account (provider)",
        querystring: z.object({ q: z.string().max(200).default(''), after: z.string().max(64).optional(), limit: z.coerce.number().int().min(1).max(200).default(50) }),
      },
    },
    async (request) => providerAccounts(ctx.db, actorOf(request), request.query.q, request.query.after ?? null, request.query.limit),
  );
};
