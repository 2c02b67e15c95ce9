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
 * alive TCP connections, one per client; a warm-up of 3,000 pays, not counted, brings the server to
 * its steady state before the clock starts. After the run the whole
 * chain is verified. Beside the figure it prints where each pay's CPU goes (server, client,
 * PostgreSQL backends); as a ceiling, the rate of the same calls refused at their signature (HTTP
 * and the signature check with no database work); and as a floor, the most pays per second this
 * machine's cores could carry if a pay cost only a refused call plus the reads and writes no pay
 * can do without (`readsAndWritesAloneCpuMs`).
 */
import type { AddressInfo } from 'node:net';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
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
// Not counted: brings the server to the state it runs in all day (statements prepared on every
// pooled connection, the hot paths compiled by V8); after only 128 calls a pay took 0.63 ms of the
// server's CPU, after 3,000 0.40 ms.
const WARMUP = 3000;
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

/** CPU time so far, in ms, of these processes, read from /proc; null when one is not on this machine (or not Linux). */
function processesCpuMs(pids: readonly number[]): number | null {
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

/** CPU time so far of the PostgreSQL backends serving this database: it says where a pay's cost goes. */
async function backendsCpuMs(db: Kysely<Database>): Promise<number | null> {
  const pids = (await sql<{ pid: number }>`select pid from pg_stat_activity where datname = current_database()`.execute(db)).rows.map((r) => r.pid);
  return processesCpuMs(pids);
}

/**
 * The CPU (ms per pay, the database's backend and this process together) of what no pay can do
 * without: find the household by its unified account and read its accounts' balances, then write
 * the nonce, the payment, one ledger entry and one allocation — for `group` pays per statement and
 * commit, the largest group `CLIENTS` concurrent calls can make. The rows go to copies of the four
 * tables with their indexes and checks but not their triggers; there is no key or idempotency
 * check, no split, no seal. No pay can cost the database less.
 */
async function readsAndWritesAloneCpuMs(group: number, households: readonly string[]): Promise<number | null> {
  const db = new pg.Client({ connectionString: BENCH_URL });
  await db.connect();
  const tables = ['agent_nonce', 'payment', 'ledger_entry', 'payment_allocation'];
  // Dropped first too: a run stopped half-way leaves them behind.
  for (const t of tables) await db.query(`drop table if exists bench_floor_${t}; create table bench_floor_${t} (like ${t} including all)`);
  const statement = `
with input as (
  select * from json_to_recordset($1::json) as i(txn_id text, number text, amount bigint)
), household as (
  select distinct on (i.txn_id) i.txn_id, i.amount, ua.premise_id, a.account_id,
         (select sum(le.amount) from ledger_entry le where le.community_id = ${C} and le.account_id = a.account_id) as balance
    from input i
    join unified_account ua on ua.community_id = ${C} and ua.number = i.number
    join account a on a.community_id = ${C} and a.premise_id = ua.premise_id
   order by i.txn_id, a.account_id
), nonce as (
  insert into bench_floor_agent_nonce (community_id, agent_id, nonce) select ${C}, 1, txn_id from input
), pay as (
  insert into bench_floor_payment (community_id, agent_id, channel, txn_id, request_hash, premise_id, amount, payer, business_date, period, receipt_secret)
  select ${C}, 1, 'api', txn_id, txn_id, premise_id, amount, 'К***ь О.', current_date, date_trunc('month', current_date)::date, txn_id from household
  returning payment_id, txn_id
), entries as (
  insert into bench_floor_ledger_entry (community_id, account_id, period, kind, amount, source, reason)
  select ${C}, account_id, date_trunc('month', current_date)::date, 'payment', -amount, 'payment', 'bench' from household
  returning entry_id, account_id
)
insert into bench_floor_payment_allocation (community_id, payment_id, account_id, amount, entry_id)
select ${C}, pay.payment_id, h.account_id, h.amount, entries.entry_id
  from household h join pay on pay.txn_id = h.txn_id join entries on entries.account_id = h.account_id`;
  const groups = Array.from({ length: Math.ceil(REQUESTS / group) }, (_, g) =>
    JSON.stringify(households.slice(g * group, (g + 1) * group).map((number, n) => ({ txn_id: `floor-${g}-${n}`, number, amount: 10000 }))),
  );
  await db.query({ name: 'floor', text: statement, values: [groups[0]] }); // prepared before the count
  const pid = (await db.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid;
  const backendBefore = processesCpuMs([pid]);
  const ownBefore = process.cpuUsage();
  for (const values of groups.slice(1)) await db.query({ name: 'floor', text: statement, values: [values] });
  const own = process.cpuUsage(ownBefore);
  const backendAfter = processesCpuMs([pid]);
  for (const t of tables) await db.query(`drop table bench_floor_${t}`);
  await db.end();
  if (backendBefore === null || backendAfter === null) return null;
  const pays = REQUESTS - Math.min(group, REQUESTS);
  return (backendAfter - backendBefore + (own.user + own.system) / 1000) / pays;
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
  const refusedServerBefore = process.cpuUsage();
  const refused = await load('refused', REQUESTS, WARMUP, `${key.secret}-wrong`);
  const refusedServer = process.cpuUsage(refusedServerBefore);
  await app.close();
  await flushSeals(ctx.db);
  const chain = await verifyPaymentsChain(ctx.db, C);
  if (chain.problem) throw new Error(`the chain is broken after the run: ${JSON.stringify(chain.problem)}`);
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
  // The floor: what no pay on this machine can go below — the refused call's CPU (HTTP and the
  // signature, server and client) and the pay's reads and writes alone — spread over every core.
  const refusedCpu = ((refusedServer.user + refusedServer.system) / 1000 + refused.clientCpuMs) / REQUESTS;
  const readsAndWritesCpu = await readsAndWritesAloneCpuMs(CLIENTS, households);
  await ctx.handle.close();
  if (readsAndWritesCpu !== null) {
    const cores = os.availableParallelism();
    const floorRate = (cores * 1000) / (refusedCpu + readsAndWritesCpu);
    console.log(
      `floor: a refused call ${refusedCpu.toFixed(2)} ms of CPU + a pay's reads and four rows alone (${CLIENTS} a commit) ${readsAndWritesCpu.toFixed(2)} ms ` +
        `= at most ${floorRate.toFixed(0)} pays/s on ${cores} cores, with every core busy; the target needs ${(base_ / 2).toFixed(0)}/s`,
    );
  }
  const ratio = rate / base_;
  printResult({ bench: 'payments', value: rate, unit: 'pay/s', baseline: base_, ratio, target: 0.5, met: ratio >= 0.5 && p99 < 25 });
}

await main();
