/**
 * Payments benchmark: the agent pay call under concurrent load — signed with HMAC, over HTTP to
 * the real server, on PostgreSQL — beside a pgbench-style baseline measured in the same run: the
 * same number of clients each committing single-row inserts. Target: at least half the
 * baseline's rate with p99 under 25 ms.
 *
 * Each pay is a real call with its own transaction id and nonce: the server verifies the
 * signature, remembers the nonce, reads the household's balances, splits the amount and writes
 * the payment, its ledger entries and allocations (one statement); the chain is sealed after the
 * commits, in batches. The client runs in a process of its own (payments-client.ts, as a bank's
 * would), signs every request and writes it out before the clock starts, and sends them on kept-
 * alive TCP connections, one per client; a short warm-up (CLIENTS × 8 pays, not counted) lets each
 * pooled connection prepare its statements before the clock starts. After the run the whole
 * chain is verified. Beside the figure it prints where each pay's CPU goes (server, client,
 * PostgreSQL backends) and, as a ceiling, the rate of the same calls refused at their signature:
 * HTTP and the signature check with no database work.
 */
import type { AddressInfo } from 'node:net';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import pg from 'pg';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../src/db/schema';
import { BENCH_COMMUNITY, BENCH_URL, openBenchCity, printResult } from './lib';
import { buildApp } from '../src/server/app';
import type { LoadOrder, LoadReport } from './payments-client';
import { flushSeals, verifyPaymentsChain } from '../src/payments/service';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 16);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 4000);
const POOL = Number(process.env.BENCH_POOL ?? CLIENTS);
const WARMUP = CLIENTS * 8;
const BASELINE_ROWS = REQUESTS * 2;
const C = BENCH_COMMUNITY;

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

async function baseline(): Promise<number> {
  const setup = new pg.Client({ connectionString: BENCH_URL });
  await setup.connect();
  await setup.query('create table if not exists bench_commit (id bigserial primary key, community_id int not null, v int not null)');
  await setup.query('truncate bench_commit');
  const clients = await Promise.all(Array.from({ length: CLIENTS }, async () => {
    const c = new pg.Client({ connectionString: BENCH_URL });
    await c.connect();
    return c;
  }));
  let next = 0;
  const started = performance.now();
  await Promise.all(clients.map(async (c) => {
    while (next < BASELINE_ROWS) {
      next++;
      await c.query('insert into bench_commit (community_id, v) values ($1, $2)', [C, next]);
    }
  }));
  const rate = BASELINE_ROWS / ((performance.now() - started) / 1000);
  await Promise.all(clients.map((c) => c.end()));
  await setup.query('drop table bench_commit');
  await setup.end();
  return rate;
}

/**
 * CPU time so far, in ms, of the PostgreSQL backends serving this database, read from /proc: it
 * says where a pay's cost goes. Null when the server is not on this machine (or not Linux).
 */
async function backendsCpuMs(db: Kysely<Database>): Promise<number | null> {
  const pids = (await sql<{ pid: number }>`select pid from pg_stat_activity where datname = current_database()`.execute(db)).rows.map((r) => r.pid);
  const ticksPerMs = 100 / 1000; // USER_HZ is 100 on Linux
  let ms = 0;
  for (const pid of pids) {
    try {
      const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      ms += (Number(fields[11]) + Number(fields[12])) / ticksPerMs;
    } catch {
      return null;
    }
  }
  return ms;
}

/** Runs one load in a client process of its own (payments-client.ts). */
function loadFromClient(order: LoadOrder): Promise<LoadReport> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(new URL('./payments-client.ts', import.meta.url)), [], { execArgv: ['--import', 'tsx'] });
    child.once('message', (report) => {
      child.kill();
      resolve(report as LoadReport);
    });
    child.once('error', reject);
    child.send(order);
  });
}

async function main() {
  const ctx = await openBenchCity(BENCH_URL, { poolSize: POOL });
  const code = 'bench';
  const agent =
    (await ctx.db.selectFrom('payment_agent').select('agent_id').where('community_id', '=', C).where('code', '=', code).executeTakeFirst()) ??
    (await ctx.db.insertInto('payment_agent').values({ community_id: C, code, name: 'Benchmark bank', max_amount: 1_000_000_000 }).returning('agent_id').executeTakeFirstOrThrow());
  const key = { keyId: `bench-${randomBytes(4).toString('hex')}`, secret: randomBytes(32).toString('base64url') };
  await ctx.db.insertInto('agent_key').values({ community_id: C, agent_id: agent.agent_id, key_id: key.keyId, secret: key.secret }).execute();
  const households = (await ctx.db.selectFrom('unified_account').select('number').where('community_id', '=', C).orderBy('premise_id').limit(REQUESTS + WARMUP).execute()).map((r) => r.number);

  const app = await buildApp(ctx);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.server.address() as AddressInfo).port;
  const run = randomBytes(4).toString('hex');

  /**
   * `count` pays from `CLIENTS` clients at once, each signed and with its own txn id; signed with
   * a wrong secret, every call is refused (401) at its signature, before any database work.
   */
  async function load(label: string, count: number, offset: number, secret = key.secret) {
    const calls = Array.from({ length: count }, (_, n): [string, string, number] => {
      const i = offset + n;
      return [`${run}-${label}-${i}`, households[i % households.length]!, 10000 + (i % 5000)];
    });
    const expectStatus = secret === key.secret ? 201 : 401;
    const report = await loadFromClient({ port, keyId: key.keyId, secret, clients: CLIENTS, calls, expectStatus });
    if (report.failures.length) throw new Error(`${label} calls failed, e.g. ${JSON.stringify(report.failures)}`);
    return { rate: count / report.seconds, latencies: report.latencies.sort((a, b) => a - b), clientCpuMs: report.cpuMs };
  }

  await load('warm', WARMUP, 0);
  // The pool's connections are all open after the warm-up, so the backends counted are the same before and after.
  const pgBefore = await backendsCpuMs(ctx.db);
  const serverBefore = process.cpuUsage();
  const { rate, latencies, clientCpuMs } = await load('pay', REQUESTS, WARMUP);
  const server = process.cpuUsage(serverBefore);
  const pgAfter = await backendsCpuMs(ctx.db);
  // The same calls refused at the signature: what HTTP and signing alone allow on this machine.
  const refused = await load('refused', REQUESTS, WARMUP, `${key.secret}-wrong`);
  await app.close();
  await flushSeals(ctx.db);
  const chain = await verifyPaymentsChain(ctx.db, C);
  if (chain.problem) throw new Error(`the chain is broken after the run: ${JSON.stringify(chain.problem)}`);
  await ctx.handle.close();
  const p50 = percentile(latencies, 50);
  const p99 = percentile(latencies, 99);
  const base_ = await baseline();
  console.log(`pay: ${REQUESTS} signed calls, ${CLIENTS} clients, pool ${POOL}: ${rate.toFixed(0)}/s, p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms (chain of ${chain.records} records verified)`);
  const perPay = (ms: number) => `${(ms / REQUESTS).toFixed(2)} ms`;
  console.log(
    `CPU per pay: server ${perPay((server.user + server.system) / 1000)}, client ${perPay(clientCpuMs)}, ` +
      `PostgreSQL backends ${pgBefore === null || pgAfter === null ? 'not on this machine' : perPay(pgAfter - pgBefore)}`,
  );
  console.log(`ceiling: the same calls refused at their signature, no database work: ${refused.rate.toFixed(0)}/s, p99 ${percentile(refused.latencies, 99).toFixed(1)} ms`);
  console.log(`baseline: single-row insert commits, ${CLIENTS} clients: ${base_.toFixed(0)}/s`);
  const ratio = rate / base_;
  printResult({ bench: 'payments', value: rate, unit: 'pay/s', baseline: base_, ratio, target: 0.5, met: ratio >= 0.5 && p99 < 25 });
}

await main();
