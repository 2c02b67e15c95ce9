import type { FastifyInstance } from 'fastify';
import type { AppContext } from './context';
import { authRoutes } from '../auth/routes';
import { billingRoutes } from '../billing/routes';
import { meteringRoutes } from '../metering/routes';
import { registryRoutes } from '../registry/routes';
import { onboardingRoutes } from '../onboarding/routes';
import { jobRoutes } from '../jobs/routes';
import { dashboardRoutes } from '../dashboard/routes';
import { billsRoutes } from '../bills/routes';
import { paymentsRoutes } from '../payments/routes';
import { portalRoutes } from '../portal/routes';

/** A domain's HTTP routes: a function that adds them to the app (under /api). */
export type RouteModule = (app: FastifyInstance, ctx: AppContext) => Promise<void> | void;

/** Every domain's routes, in one list so that the app and the OpenAPI document see them all. */
export const routeModules: RouteModule[] = [
  authRoutes,
  billingRoutes,
  meteringRoutes,
  registryRoutes,
  onboardingRoutes,
  jobRoutes,
  dashboardRoutes,
  billsRoutes(),
  paymentsRoutes,
  portalRoutes(),
];
