/**
 * Seed benchmark: the `vinnytsia` synthetic city (170,000 premises, 1,030,000 accounts, persons,
 * registrations, ≥40 providers) seeded into a freshly created PostgreSQL database, beside a
 * baseline measured in the same run: a plain COPY of 1,030,000 account-like rows into a scratch
 * table without indexes or keys. Target: the seed completes in under 180 s.
 *
 * DATABASE_URL (default postgres://root@127.0.0.1:5432/hromada_bench) is dropped and created
 * anew, so the seeded city is left there for the other benchmarks.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { openContext } from '../src/server/start';
import { runSeed } from '../src/registry/seed/cli';
import { SCALES } from '../src/registry/seed/plan';
import { BENCH_URL, ensureDatabase, printResult } from './lib';

const TARGET_SECONDS = 180;
const url = BENCH_URL;


/** The baseline: the same number of account-shaped rows, COPYed into a table with nothing to maintain. */
async function copyBaseline(rows: number): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`drop table if exists bench_seed_baseline`);
  await client.query(`create table bench_seed_baseline (
    community_id int, account_id bigint, provider_id bigint, premise_id bigint, service_id bigint, number text, opened_on date)`);
  const started = performance.now();
  async function* chunks() {
    let text = '';
    for (let i = 1; i <= rows; i++) {
      const day = String(1 + (i % 28)).padStart(2, '0');
      text += `1\t${i}\t${1 + (i % 45)}\t${1 + (i % 170_000)}\t${1 + (i % 12)}\t${String(4_000_017 + i * 13).padStart(9, '0')}\t2015-03-${day}\n`;
      if (i % 5_000 === 0) {
        yield text;
        text = '';
      }
    }
    if (text) yield text;
  }
  await pipeline(Readable.from(chunks()), client.query(copyFrom(`copy bench_seed_baseline from stdin`)));
  const seconds = (performance.now() - started) / 1000;
  await client.query(`drop table bench_seed_baseline`);
  await client.end();
  return seconds;
}

async function main() {
  console.log(`seed benchmark on ${url.replace(/\/\/[^@]*@/, '//')} (dropped and created anew)`);
  await ensureDatabase(url, { fresh: true });
  const ctx = await openContext({ url });
  let seconds: number;
  try {
    const started = performance.now();
    const result = await runSeed(ctx, { scale: 'vinnytsia', seed: 1, communityId: 1 });
    seconds = (performance.now() - started) / 1000;
    const c = result.counts;
    console.log(
      `seeded vinnytsia: ${c.streets} streets, ${c.buildings} buildings, ${c.premises} premises, ${c.persons} persons, ` +
        `${c.registrations} registrations, ${c.providers} providers, ${c.services} services, ${c.accounts} accounts, ${c.unifiedAccounts} unified accounts`,
    );
    if (c.premises !== SCALES.vinnytsia.premises || c.accounts !== SCALES.vinnytsia.accounts || c.providers < 40) {
      throw new Error('the vinnytsia city does not have the counts it must have');
    }
  } finally {
    await ctx.handle.close();
  }
  const baseline = await copyBaseline(SCALES.vinnytsia.accounts);
  console.log(`seed (vinnytsia, all tables, keys checked, demo users):   ${seconds.toFixed(1)} s`);
  console.log(`baseline: COPY of ${SCALES.vinnytsia.accounts.toLocaleString('en')} account-like rows, no indexes: ${baseline.toFixed(1)} s`);
  printResult({ bench: 'seed', value: seconds, unit: 's', baseline, ratio: seconds / baseline, target: TARGET_SECONDS, met: seconds < TARGET_SECONDS });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
