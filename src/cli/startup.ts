import type { AppContext } from '../server/context';

/** Work done once when the server starts, before it listens (e.g. seeding the demo city on first start). */
export const startupHooks: Array<(ctx: AppContext) => Promise<void>> = [];
