import type { AppContext } from '../server/context';
import { runDemoMonth, seedDemoTariffs } from '../billing/demo';
import { seedDemoOnFirstStart } from '../registry/seed/cli';
import { seedCityMeters } from '../metering/seed';
import { kyivToday, periodOf, prevPeriod } from '../shared/period';
import { seedDemoAcquirer, startDemoAcquirer } from '../payments/demo-acquirer';
import { seedDemoBillDesign } from '../bills/demo';

/**
 * On the first start (an empty database) the demo city is seeded with tariffs for every service
 * and with its meters and their last months of readings, so that a person can take readings and
 * bill it at once, and last month is billed and closed, so that statements, account cards and bills
 * are not empty on the first visit; the bill has a design (its payee), so bills, their QR and the
 * portal open at once. A database that holds a real community is left alone.
 */
async function demoOnFirstStart(ctx: AppContext): Promise<void> {
  if (!(await seedDemoOnFirstStart(ctx))) return;
  const tariffs = await seedDemoTariffs(ctx.db, ctx.communityId);
  console.log(`Демо-тарифи створено / demo tariffs created: ${tariffs}`);
  const meters = await seedCityMeters(ctx.db, ctx.communityId, kyivToday());
  console.log(`Демо-лічильники з показниками створено / demo meters with readings created: ${meters}`);
  const month = prevPeriod(periodOf(kyivToday()));
  const started = Date.now();
  const { posted } = await runDemoMonth(ctx.db, ctx.communityId, month);
  console.log(`Демо-місяць ${month.slice(0, 7)} нараховано й закрито / demo month billed and closed: ${posted} entries, ${((Date.now() - started) / 1000).toFixed(1)} s`);
  await seedDemoBillDesign(ctx.db, ctx.communityId);
  await seedDemoAcquirer(ctx.db, ctx.communityId);
}

/** Work done once when the server starts, before it listens. */
export const startupHooks: Array<(ctx: AppContext) => Promise<void>> = [demoOnFirstStart];

/**
 * What runs beside the server once it listens at `baseUrl`: the demo's sandbox card acquirer
 * (when no real one is configured). Answers what stops it.
 */
export async function startBesideServer(ctx: AppContext, baseUrl: string): Promise<() => Promise<void>> {
  const sandbox = await startDemoAcquirer(ctx.db, ctx.communityId, baseUrl);
  if (sandbox) console.log(`Пісочниця еквайра / sandbox card acquirer: ${sandbox.url} (картки / cards: 4242 4242 4242 4242 — успіх / approved, 4000 0000 0000 0002 — відмова / declined)`);
  return async () => sandbox?.close();
}
