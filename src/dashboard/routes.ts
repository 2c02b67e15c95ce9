import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../server/access';
import type { RouteModule } from '../server/routes';
import { kyivToday } from '../shared/period';
import { dashboardFor } from './service';

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
};
