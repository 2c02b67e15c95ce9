/**
 * The whole API over the billing town and the access fixture, for the tests that walk every route
 * of /api/openapi.json (the access matrix and the fuzz): one user per role (the provider works
 * for Водоканал, the resident lives in premise 1), each signed in, and the server's log lines
 * kept so that a 5xx can be traced to its error by the request id.
 */
import type { FastifyInstance } from 'fastify';
import { execSql, type DatabaseHandle } from '../../src/db/index';
import { buildApp } from '../../src/server/app';
import type { AppContext, Role } from '../../src/server/context';
import { createUser } from '../../src/auth/service';
import { createTestDatabase } from '../helpers/db';
import { signInAs, testContext, type Signed } from '../helpers/http';
import { operationsOf, type Operation } from '../helpers/openapi';
import { createBillingFixture } from './billing-fixture';
import { accessFixtureSql } from './access-fixture';

export const ROLES: Role[] = ['admin', 'operator', 'city', 'provider', 'resident'];
const PASSWORD = 'api-world-password';

export interface ApiWorld {
  app: FastifyInstance;
  db: DatabaseHandle['db'];
  operations: Operation[];
  /** The signed-in headers of each role (refresh with signIn after a sign-out). */
  as: Record<Role, Signed>;
  signIn(role: Role): Promise<void>;
  /** The error the server logged for a request id, if any. */
  loggedError(requestId: string | undefined): string | undefined;
  close(): Promise<void>;
}

export async function startApiWorld(): Promise<ApiWorld> {
  const h: DatabaseHandle = await createTestDatabase();
  await createBillingFixture(h.db);
  const userIds: Partial<Record<Role, number>> = {};
  for (const role of ROLES) {
    userIds[role] = await createUser(h.db, {
      communityId: 1,
      login: `world-${role}`,
      password: PASSWORD,
      role,
      providerId: role === 'provider' ? 1 : null,
      displayName: role,
      premiseIds: role === 'resident' ? [1] : [],
    });
  }
  await execSql(h.db, accessFixtureSql(userIds.provider!));
  const ctx: AppContext = testContext(h);
  await ctx.jobs.start({ work: false }); // jobs are queued, never run: the fixture stays as it is
  const logged: Array<{ requestId?: string; err?: { message?: string; stack?: string } }> = [];
  const app = await buildApp(ctx, { logger: { level: 'error', stream: { write: (line) => void logged.push(JSON.parse(line)) } } });
  await app.ready();
  const as = {} as Record<Role, Signed>;
  const signIn = async (role: Role) => {
    as[role] = await signInAs(app, `world-${role}`, PASSWORD);
  };
  for (const role of ROLES) await signIn(role);
  return {
    app,
    db: h.db,
    operations: operationsOf(app.swagger()),
    as,
    signIn,
    loggedError: (requestId) => {
      const line = logged.find((l) => requestId !== undefined && l.requestId === requestId);
      return line?.err?.stack ?? line?.err?.message;
    },
    close: async () => {
      await app.close();
      await ctx.jobs.stop();
      await h.close();
    },
  };
}
