/**
 * Payments benchmark: the agent pay call under concurrent load — signed with HMAC, over HTTP to
 * the real server, on PostgreSQL — beside a pgbench-style baseline measured in the same run: the
 * same number of clients each committing single-row inserts. Target: at least half the
 * baseline's rate with p99 under 25 ms.
 *
 * Each pay is a real call with its own transaction id and nonce: the server verifies the
 * signature, remembers the nonce, reads the household's balances, splits the amount and writes
 * the payment, its ledger entries and allocations (two statements); the chain is sealed after the
 * commits, in batches. The client keeps its connections alive (node:http, one socket per client)
 * and signs every request itself; a short warm-up (CLIENTS × 8 pays, not counted) lets each
 * pooled connection prepare its statements before the clock starts.
 */
import type { AddressInfo } from 'node:net';
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { BENCH_COMMUNITY, BENCH_URL, openBenchCity, printResult } from './lib';
import { buildApp } from '../src/server/app';
import { agentHeaders } from '../src/payments/signature';
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

/** One POST over a kept-alive connection: the status and the time to the answer's last byte. */
function post(agent: http.Agent, port: number, path: string, body: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request({ agent, host: '127.0.0.1', port, path, method: 'POST', headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.on('data', () => undefined);
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
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
  const httpAgent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS });
  const run = randomBytes(4).toString('hex');
  const path = '/api/agent/v1/pay';

  /** `count` pays from `CLIENTS` clients at once, each signed and with its own txn id; the latencies. */
  async function load(label: string, count: number, offset: number) {
    const latencies: number[] = [];
    let failures = 0;
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        while (next < count) {
          const i = offset + next++;
          const body = JSON.stringify({ txnId: `${run}-${label}-${i}`, unifiedAccount: households[i % households.length], amount: 10000 + (i % 5000) });
          const t0 = performance.now();
          const status = await post(httpAgent, port, path, body, agentHeaders(key.keyId, key.secret, 'POST', path, body));
          latencies.push(performance.now() - t0);
          if (status !== 201) failures++;
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    if (failures) throw new Error(`${failures} of ${count} pay calls failed`);
    return { rate: count / seconds, latencies: latencies.sort((a, b) => a - b) };
  }

  await load('warm', WARMUP, 0);
  const { rate, latencies } = await load('pay', REQUESTS, WARMUP);
  httpAgent.destroy();
  await app.close();
  await flushSeals(ctx.db);
  const chain = await verifyPaymentsChain(ctx.db, C);
  if (chain.problem) throw new Error(`the chain is broken after the run: ${JSON.stringify(chain.problem)}`);
  await ctx.handle.close();
  const p50 = percentile(latencies, 50);
  const p99 = percentile(latencies, 99);
  const base_ = await baseline();
  console.log(`pay: ${REQUESTS} signed calls, ${CLIENTS} clients, pool ${POOL}: ${rate.toFixed(0)}/s, p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms (chain of ${chain.records} records verified)`);
  console.log(`baseline: single-row insert commits, ${CLIENTS} clients: ${base_.toFixed(0)}/s`);
  const ratio = rate / base_;
  printResult({ bench: 'payments', value: rate, unit: 'pay/s', baseline: base_, ratio, target: 0.5, met: ratio >= 0.5 && p99 < 25 });
}

await main();
