import { Command, Option } from 'commander';
import type { DatabaseHandle } from '../../db/index';
import type { AppContext, OpenContext } from '../../server/context';
import { invalid } from '../../shared/errors';
import { DEMO_LOGINS, DEMO_PASSWORD_SUFFIX, prepareCommunity, type SeedOptions, type SeedResult } from './seed';
import { SEED_JOB } from './job';
import { SCALES, SCALE_NAMES, isScale, type ScaleName } from './plan';

/** Prints one progress line: rewritten in place on a terminal, every 10% in a log. */
function progressPrinter() {
  const tty = process.stdout.isTTY;
  let lastTenth = -1;
  let lastMessage = '';
  return (done: number, total: number | null, message?: string) => {
    const pct = total ? Math.min(100, Math.floor((done * 100) / total)) : 0;
    const line = `seed: ${pct}%  ${done.toLocaleString('en')} / ${(total ?? 0).toLocaleString('en')} rows  (${message ?? ''})`;
    if (tty) {
      process.stdout.write(`\r${line.padEnd(78)}`);
    } else if (Math.floor(pct / 10) !== lastTenth || message !== lastMessage) {
      console.log(line);
    }
    lastTenth = Math.floor(pct / 10);
    lastMessage = message ?? '';
  };
}

/** Seeds through a job (progress lands in the `job` table too) and prints progress lines. */
export async function runSeed(ctx: AppContext, options: SeedOptions, quiet = false): Promise<SeedResult> {
  const communityId = await prepareCommunity(ctx.handle, options);
  const { result } = await ctx.jobs.runNow(communityId, SEED_JOB, { scale: options.scale, seed: options.seed ?? 1, users: options.users ?? true }, quiet ? undefined : progressPrinter());
  if (!quiet && process.stdout.isTTY) process.stdout.write('\n');
  return result as SeedResult;
}

export function formatSignIns(users: ReadonlyArray<{ login: string; password: string; role: string }>): string {
  const lines = users.map((u) => `  ${u.login.padEnd(16)} ${u.password.padEnd(22)} ${u.role}`);
  return ['Демо-входи / demo sign-ins (login, password, role):', ...lines].join('\n');
}

export function seedCommand(program: Command, openContext: OpenContext): void {
  program
    .command('seed')
    .description('Seed a synthetic city (Vinnytsia streets, buildings, premises, residents, providers, accounts, demo sign-ins)')
    .addOption(new Option('--scale <scale>', `${SCALE_NAMES.map((s) => `${s} (${SCALES[s].premises.toLocaleString('en')} premises)`).join(', ')}`).default('demo'))
    .option('--seed <n>', 'random seed: the same seed gives the same city', '1')
    .option('--community-id <n>', 'community to seed', '1')
    .option('--force', "wipe the community's existing data first")
    .option('--no-users', 'do not create the demo sign-ins')
    .action(async (opts: { scale: string; seed: string; communityId: string; force?: boolean; users: boolean }) => {
      if (!isScale(opts.scale)) {
        throw invalid('invalid_scale', {
          uk: `Невідомий масштаб --scale ${opts.scale}: можливі ${SCALE_NAMES.join(', ')}`,
          en: `Unknown --scale ${opts.scale}: use one of ${SCALE_NAMES.join(', ')}`,
        });
      }
      const seed = integerOption('--seed', opts.seed);
      const communityId = integerOption('--community-id', opts.communityId);
      const ctx = await openContext();
      try {
        const result = await runSeed(ctx, { scale: opts.scale as ScaleName, seed, communityId, force: opts.force, users: opts.users });
        const c = result.counts;
        console.log(
          `Seeded community ${result.communityId} (${result.scale}, seed ${result.seed}) in ${result.seconds.toFixed(1)} s: ` +
            `${c.streets} streets, ${c.buildings} buildings, ${c.premises} premises, ${c.persons} persons, ${c.registrations} registrations, ` +
            `${c.providers} providers, ${c.services} services, ${c.accounts} accounts, ${c.unifiedAccounts} unified accounts.`,
        );
        if (result.users.length) console.log(formatSignIns(result.users));
      } finally {
        await ctx.handle.close();
      }
    });
}

function integerOption(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0) {
    throw invalid('invalid_option', { uk: `${name}: потрібне ціле невід'ємне число, а не «${value}»`, en: `${name}: a non-negative integer is needed, not "${value}"` });
  }
  return n;
}

async function hasAnyCommunity(handle: DatabaseHandle): Promise<boolean> {
  return !!(await handle.db.selectFrom('community').select('community_id').limit(1).executeTakeFirst());
}

/**
 * Startup hook: on an empty database (first start) seeds the demo city, and whenever the demo
 * sign-ins exist prints them, so that `npm start` tells a newcomer how to sign in.
 */
/** Seeds the demo city into an empty database and prints the demo sign-ins; says whether it seeded. */
export async function seedDemoOnFirstStart(ctx: AppContext): Promise<boolean> {
  const empty = !(await hasAnyCommunity(ctx.handle));
  if (empty) {
    console.log('Перший запуск: засіваю демонстраційне місто… / First start: seeding the demo city…');
    const result = await runSeed(ctx, { scale: 'demo', seed: 1, communityId: 1 });
    ctx.communityId = result.communityId;
    console.log(`Demo city seeded in ${result.seconds.toFixed(1)} s (${result.counts.premises} premises, ${result.counts.accounts} accounts).`);
  }
  const logins = DEMO_LOGINS.map((u) => u.login);
  const present = await ctx.db
    .selectFrom('app_user')
    .select(['login', 'role'])
    .where('login', 'in', logins)
    .where('disabled', '=', false)
    .execute();
  if (present.length === 0) return empty;
  const byLogin = new Map(present.map((u) => [u.login, u.role]));
  console.log(
    formatSignIns(DEMO_LOGINS.filter((u) => byLogin.has(u.login)).map((u) => ({ login: u.login, password: u.login + DEMO_PASSWORD_SUFFIX, role: u.role }))),
  );
  return empty;
}
