import pg from 'pg';
import { openContext } from '../src/server/start';
import type { AppContext } from '../src/server/context';
import { communityHasData } from '../src/registry/seed/seed';
import { runSeed } from '../src/registry/seed/cli';

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
export async function openBenchCity(url = BENCH_URL, options: { poolSize?: number } = {}): Promise<AppContext> {
  await ensureDatabase(url);
  const ctx = await openContext({ url, poolSize: options.poolSize });
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
