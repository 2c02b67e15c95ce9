/**
 * Payments benchmark: the agent pay call under concurrent load — signed with HMAC, over HTTP to
 * the real server, on PostgreSQL — beside a pgbench-style baseline measured in the same run: the
 * same number of clients each committing single-row inserts. Target: at least half the
 * baseline's rate with p99 under 25 ms.
 *
 * Each pay verifies the signature, remembers the nonce, reads the household's balances, splits
 * the amount, writes the ledger entries, the payment and its allocations, and moves the
 * community's hash-chain head (the one serial point, held only for the commit).
 */
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { BENCH_COMMUNITY, BENCH_URL, openBenchCity, printResult } from './lib';
import { buildApp } from '../src/server/app';
import { agentHeaders } from '../src/payments/signature';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 16);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 4000);
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

async function main() {
  const ctx = await openBenchCity();
  const code = 'bench';
  const agent =
    (await ctx.db.selectFrom('payment_agent').select('agent_id').where('community_id', '=', C).where('code', '=', code).executeTakeFirst()) ??
    (await ctx.db.insertInto('payment_agent').values({ community_id: C, code, name: 'Benchmark bank', max_amount: 1_000_000_000 }).returning('agent_id').executeTakeFirstOrThrow());
  const key = { keyId: `bench-${randomBytes(4).toString('hex')}`, secret: randomBytes(32).toString('base64url') };
  await ctx.db.insertInto('agent_key').values({ community_id: C, agent_id: agent.agent_id, key_id: key.keyId, secret: key.secret }).execute();
  const households = (await ctx.db.selectFrom('unified_account').select('number').where('community_id', '=', C).orderBy('premise_id').limit(REQUESTS).execute()).map((r) => r.number);

  const app = await buildApp(ctx);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const run = randomBytes(4).toString('hex');
  const latencies: number[] = [];
  let failures = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (next < REQUESTS) {
        const i = next++;
        const body = JSON.stringify({ txnId: `${run}-${i}`, unifiedAccount: households[i % households.length], amount: 10000 + (i % 5000) });
        const t0 = performance.now();
        const res = await fetch(`${base}/api/agent/v1/pay`, { method: 'POST', body, headers: { 'content-type': 'application/json', ...agentHeaders(key.keyId, key.secret, 'POST', '/api/agent/v1/pay', body) } });
        await res.arrayBuffer();
        latencies.push(performance.now() - t0);
        if (res.status !== 201) failures++;
      }
    }),
  );
  const rate = REQUESTS / ((performance.now() - started) / 1000);
  await app.close();
  await ctx.handle.close();
  if (failures) throw new Error(`${failures} pay calls failed`);
  latencies.sort((a, b) => a - b);
  const p50 = percentile(latencies, 50);
  const p99 = percentile(latencies, 99);
  const base_ = await baseline();
  console.log(`pay: ${REQUESTS} signed calls, ${CLIENTS} clients: ${rate.toFixed(0)}/s, p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms`);
  console.log(`baseline: single-row insert commits, ${CLIENTS} clients: ${base_.toFixed(0)}/s`);
  const ratio = rate / base_;
  printResult({ bench: 'payments', value: rate, unit: 'pay/s', baseline: base_, ratio, target: 0.5, met: ratio >= 0.5 && p99 < 25 });
}

await main();
