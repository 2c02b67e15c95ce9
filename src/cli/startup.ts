import type { AppContext } from '../server/context';
import { seedDemoTariffsOnStart } from '../billing/demo';
import { seedDemoOnFirstStart } from '../registry/seed/cli';

/** Work done once when the server starts, before it listens (e.g. seeding the demo city on first start). */
export const startupHooks: Array<(ctx: AppContext) => Promise<void>> = [
  seedDemoOnFirstStart,
  seedDemoTariffsOnStart,
];
