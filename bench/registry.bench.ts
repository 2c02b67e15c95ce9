/**
 * Registry benchmark: an agent's registry of 9,800,000 payments (a year of Vinnytsia) imported,
 * reconciled and allocated — the set-based path of registry-bulk.ts on PostgreSQL — beside a
 * plain COPY of the same file's rows into a table without indexes, measured in the same run.
 * Target: under 10 minutes (value = seconds of the import; baseline = seconds of the COPY).
 *
 * Set-up (not timed): a payment agent; an opening debt on every account of the bench city that
 * has none from this bench (so payments split over the households' providers); a few thousand
 * payments by `pay` (as if they had come by API): most of them in the file, some with another
 * amount (flagged), some absent from it (flagged missing_in_file); and the file itself, CSV with
 * the columns TXN;UNIFIED;AMOUNT. Rows: BENCH_REGISTRY_ROWS (default 9,800,000).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import copyStreams from 'pg-copy-streams';
import { sql } from 'kysely';
import { BENCH_COMMUNITY, BENCH_URL, openBenchCity, printResult } from './lib';
import { agentFromRow, pay } from '../src/payments/service';
import { importAgentRegistry } from '../src/payments/registry';
import { formatUahPlain } from '../src/shared/money';
import { kyivToday } from '../src/shared/period';

const ROWS = Number(process.env.BENCH_REGISTRY_ROWS ?? 9_800_000);
const API_PAYMENTS = Number(process.env.BENCH_REGISTRY_API ?? 1_000);
const C = BENCH_COMMUNITY;
const TARGET_SECONDS = 600;

/** A small deterministic generator, so a run's file can be described. */
function rng(seed: number) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}

async function copyBaseline(file: string): Promise<number> {
  const client = new pg.Client({ connectionString: BENCH_URL });
  await client.connect();
  try {
    await client.query('drop table if exists bench_registry_copy');
    await client.query('create table bench_registry_copy (txn_id text not null, unified text not null, amount numeric not null)');
    const started = performance.now();
    const stream = client.query(copyStreams.from(`copy bench_registry_copy from stdin with (format csv, delimiter ';', header true)`));
    const done = new Promise<void>((resolve, reject) => {
      stream.on('finish', () => resolve());
      stream.on('error', reject);
    });
    for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) {
      if (!stream.write(chunk)) await once(stream, 'drain');
    }
    stream.end();
    await done;
    const seconds = (performance.now() - started) / 1000;
    await client.query('drop table bench_registry_copy');
    return seconds;
  } finally {
    await client.end();
  }
}

async function main() {
  const ctx = await openBenchCity();
  const run = randomBytes(3).toString('hex');
  // An agent of this run only, so that its day holds only this run's payments.
  const code = `bench-registry-${run}`;
  const agentRow = await ctx.db.insertInto('payment_agent').values({ community_id: C, code, name: 'Registry benchmark bank', max_amount: 1_000_000_000 }).returningAll().executeTakeFirstOrThrow();
  const agent = agentFromRow(C, agentRow);

  // Opening debts (once per database): 50.00–1,549.99 ₴ per account, from its id.
  const debts = await sql<{ n: number }>`
insert into ledger_entry (community_id, account_id, period, kind, amount, source, reason)
select a.community_id, a.account_id, date_trunc('month', current_date)::date, 'opening_balance', 5000 + (a.account_id * 7919) % 150000, 'import', 'bench:registry opening debt'
  from account a
 where a.community_id = ${C}
   and not exists (select 1 from ledger_entry le where le.community_id = a.community_id and le.account_id = a.account_id and le.reason = 'bench:registry opening debt')
returning 1 as n`.execute(ctx.db);
  if (debts.rows.length) console.log(`Opening debts put on ${debts.rows.length.toLocaleString('en')} accounts.`);
  await sql`analyze ledger_entry`.execute(ctx.db);

  const households = (await ctx.db.selectFrom('unified_account').select('number').where('community_id', '=', C).orderBy('premise_id').execute()).map((r) => r.number);
  const random = rng(0x5eed);
  const pick = () => households[Math.floor(random() * households.length)]!;
  const amount = () => 2000 + Math.floor(random() * 148_000);

  // Payments that came by API today: the first API_PAYMENTS rows of the file; every 50th of them
  // the file gives another amount; and 20 more the file lacks.
  const apiStarted = performance.now();
  const apiRows = new Map<number, { unified: string; amount: number }>();
  for (let i = 0; i < API_PAYMENTS + 20; i++) {
    const row = { unified: pick(), amount: amount() };
    await pay(ctx.db, agent, { txnId: `${run}-${i}`, unifiedAccount: row.unified, amount: row.amount });
    apiRows.set(i, row);
  }
  console.log(`Set-up: ${(API_PAYMENTS + 20).toLocaleString('en')} payments by API in ${((performance.now() - apiStarted) / 1000).toFixed(1)} s.`);

  const file = path.join(os.tmpdir(), `hromada-registry-bench-${run}.csv`);
  const out = fs.createWriteStream(file);
  out.write('TXN;UNIFIED;AMOUNT\r\n');
  let fileTotal = 0;
  let lines: string[] = [];
  for (let i = 0; i < ROWS; i++) {
    const api = i < API_PAYMENTS ? apiRows.get(i)! : undefined;
    const row = api ? { unified: api.unified, amount: i % 50 === 0 ? api.amount + 100 : api.amount } : { unified: pick(), amount: amount() };
    fileTotal += row.amount;
    lines.push(`${run}-${i < API_PAYMENTS ? i : i + 20};${row.unified};${formatUahPlain(row.amount)}\r\n`);
    if (lines.length === 10_000) {
      if (!out.write(lines.join(''))) await once(out, 'drain');
      lines = [];
    }
  }
  out.end(lines.join(''));
  await once(out, 'finish');
  const size = fs.statSync(file).size;
  console.log(`File: ${ROWS.toLocaleString('en')} rows, ${(size / 1e6).toFixed(0)} MB, ${formatUahPlain(fileTotal)} ₴.`);

  try {
    const baseline = await copyBaseline(file);
    console.log(`Baseline: COPY of the same rows into a table without indexes: ${baseline.toFixed(1)} s (${Math.round(ROWS / baseline).toLocaleString('en')} rows/s).`);

    const started = performance.now();
    const report = await importAgentRegistry(ctx.db, agent, kyivToday(), file, path.basename(file), { bulkUrl: BENCH_URL });
    const seconds = (performance.now() - started) / 1000;
    const { flags, timings: _t, ...counts } = report;
    console.log(`Import: ${seconds.toFixed(1)} s (${Math.round(ROWS / seconds).toLocaleString('en')} rows/s):`, JSON.stringify({ ...counts, flags: flags.length }));
    if (report.timings) console.log('Phases (s):', JSON.stringify(report.timings));

    // What holds afterwards: every row is a payment once, its parts add up to it, the ledger to the parts.
    const check = await sql<{ n: number; p: number; a: number; l: number; parts: number }>`
with ps as (select payment_id, amount from payment where community_id = ${C} and agent_id = ${agent.agentId} and txn_id like ${`${run}-%`})
select (select count(*) from ps)::bigint as n, (select sum(amount) from ps)::bigint as p,
       (select sum(pa.amount) from payment_allocation pa join ps on ps.payment_id = pa.payment_id where pa.community_id = ${C})::bigint as a,
       (select count(*) from payment_allocation pa join ps on ps.payment_id = pa.payment_id where pa.community_id = ${C})::bigint as parts,
       (select -sum(le.amount) from ledger_entry le where le.community_id = ${C} and le.kind = 'payment' and le.reason like ${`${code} ${run}-%`})::bigint as l`.execute(ctx.db);
    const v = check.rows[0]!;
    console.log(`After: ${Number(v.n).toLocaleString('en')} payments (${Number(v.parts).toLocaleString('en')} parts); Σ payments ${formatUahPlain(Number(v.p))}, Σ allocations ${formatUahPlain(Number(v.a))}, Σ ledger ${formatUahPlain(Number(v.l))}.`);
    if (Number(v.n) !== ROWS + 20 || Number(v.p) !== Number(v.a) || Number(v.a) !== Number(v.l)) throw new Error('the invariants do not hold after the import');
    if (report.posted !== ROWS - API_PAYMENTS || report.matched + report.amountDiffers !== API_PAYMENTS || report.missingInFile !== 20) throw new Error(`unexpected reconciliation: ${JSON.stringify(counts)}`);
    printResult({ bench: 'registry', value: seconds, unit: 's', baseline, ratio: seconds / baseline, target: TARGET_SECONDS, met: seconds < TARGET_SECONDS });
  } finally {
    fs.rmSync(file, { force: true });
    await ctx.handle.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
