import pg from 'pg';
import { openContext } from '../src/server/start';
import type { AppContext } from '../src/server/context';
import { communityHasData } from '../src/registry/seed/seed';
import { runSeed } from '../src/registry/seed/cli';
import { addDays } from '../src/shared/period';

/** Benchmarks run on the PostgreSQL of DATABASE_URL, by default a database of their own. */
export const BENCH_URL = process.env.DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/hromada_bench';
export const BENCH_COMMUNITY = 1;

/** Connects to the server's `postgres` database to create (or, with `fresh`, recreate) the bench database. */
export async function ensureDatabase(url = BENCH_URL, { fresh = false } = {}) {
  const name = new URL(url).pathname.slice(1);
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`unexpected database name in DATABASE_URL: ${name}`);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  if (fresh) await client.query(`drop database if exists ${name} with (force)`);
  const exists = await client.query('select 1 from pg_database where datname = $1', [name]);
  if (exists.rowCount === 0) await client.query(`create database ${name}`);
  await client.end();
}

/** The bench database with the vinnytsia city in it (seeded once, then reused by every benchmark). */
export async function openBenchCity(url = BENCH_URL): Promise<AppContext> {
  await ensureDatabase(url);
  const ctx = await openContext({ url });
  if (!(await communityHasData(ctx.handle, BENCH_COMMUNITY))) {
    console.log('Seeding the vinnytsia city (once)…');
    await runSeed(ctx, { scale: 'vinnytsia', communityId: BENCH_COMMUNITY, users: false }, true);
  }
  return ctx;
}

export interface BenchResult {
  bench: string;
  value: number;
  unit: string;
  baseline: number;
  ratio: number;
  target: number;
  met: boolean;
}

/** The last line of every benchmark: one JSON object, so that runs can be compared. */
export function printResult(result: BenchResult) {
  const round = (x: number) => Math.round(x * 1000) / 1000;
  console.log(JSON.stringify({ ...result, value: round(result.value), baseline: round(result.baseline), ratio: round(result.ratio), target: round(result.target) }));
}

const METERED = ['cold_water', 'hot_water', 'electricity', 'gas_supply'];

/**
 * The city's individual meters, as a real city has them (the seed makes none): one per open
 * account of a metered service, created set-based once, each with an initial reading on
 * 2026-01-01 and readings 90, 60 and 30 days before `today` (a month's use of 3 to 14 units), so
 * that plausibility and estimates have a history. With `resetReadings`, every other reading
 * earlier runs added goes first.
 */
export async function ensureBenchMeters(client: pg.Client, today: string, { resetReadings = false } = {}) {
  const started = performance.now();
  const made = await client.query(
    `insert into meter (community_id, kind, premise_id, building_id, service_id, provider_id, serial, zones, digits, installed_on, verified_until)
     select a.community_id, 'individual', a.premise_id, p.building_id, a.service_id, a.provider_id, 'BENCH-' || a.account_id, 1,
            case when s.code = 'electricity' then 6 else 5 end, date '2026-01-01', date '2030-01-01' + (a.account_id % 700)::int
     from account a
     join service s on s.community_id = a.community_id and s.service_id = a.service_id
     join premise p on p.community_id = a.community_id and p.premise_id = a.premise_id
     where a.community_id = $1 and s.code = any($2) and a.closed_on is null
     on conflict do nothing`,
    [BENCH_COMMUNITY, METERED],
  );
  const initial = await client.query(
    `insert into meter_reading (community_id, meter_id, read_on, period, kind, value1, channel, status)
     select m.community_id, m.meter_id, m.installed_on, date '2026-01-01', 'initial', (m.meter_id * 7919) % 5000, 'controller', 'accepted'
     from meter m
     where m.community_id = $1 and m.serial like 'BENCH-%'
       and not exists (select 1 from meter_reading r where r.community_id = m.community_id and r.meter_id = m.meter_id and r.kind = 'initial')`,
    [BENCH_COMMUNITY],
  );
  if (resetReadings) {
    await client.query(
      `delete from meter_reading where community_id = $1 and kind <> 'initial' and meter_id in (select meter_id from meter where community_id = $1 and serial like 'BENCH-%')`,
      [BENCH_COMMUNITY],
    );
  }
  let history = 0;
  for (const [monthsBack, daysBack] of [[3, 90], [2, 60], [1, 30]] as const) {
    const readOn = addDays(today, -daysBack);
    const added = await client.query(
      `insert into meter_reading (community_id, meter_id, read_on, period, kind, value1, channel, status)
       select r.community_id, r.meter_id, $2::date, date_trunc('month', $2::date)::date, 'regular',
              r.value1 + (4 - $3::int) * (3 + r.meter_id % 12), 'provider_file', 'accepted'
       from meter_reading r join meter m on m.community_id = r.community_id and m.meter_id = r.meter_id
       where r.community_id = $1 and r.kind = 'initial' and m.serial like 'BENCH-%'
         and not exists (select 1 from meter_reading h where h.community_id = r.community_id and h.meter_id = r.meter_id and h.read_on = $2::date)`,
      [BENCH_COMMUNITY, readOn, monthsBack],
    );
    history += added.rowCount ?? 0;
  }
  if (made.rowCount || initial.rowCount || history || resetReadings) await client.query('analyze meter; analyze meter_reading');
  console.log(
    `meters: ${made.rowCount} created, ${initial.rowCount} initial and ${history} earlier readings added; ` +
      `prepared in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
}
