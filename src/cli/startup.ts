import type { AppContext } from '../server/context';
import { seedDemoTariffs } from '../billing/demo';
import { seedDemoOnFirstStart } from '../registry/seed/cli';

/**
 * On the first start (an empty database) the demo city is seeded with tariffs for every service,
 * so that a person can bill it at once; a database that holds a real community is left alone.
 */
async function demoOnFirstStart(ctx: AppContext): Promise<void> {
  if (!(await seedDemoOnFirstStart(ctx))) return;
  const tariffs = await seedDemoTariffs(ctx.db, ctx.communityId);
  console.log(`Демо-тарифи створено / demo tariffs created: ${tariffs}`);
}

/** Work done once when the server starts, before it listens. */
export const startupHooks: Array<(ctx: AppContext) => Promise<void>> = [demoOnFirstStart];
