/**
 * Readings benchmark: 200,000 meter readings imported onto the seeded `vinnytsia` city through
 * submitReadingsBulk (the path of provider files: meter lookup, history, window, every validation
 * rule, duplicates, one insert per chunk) beside a plain COPY of the same rows into meter_reading,
 * measured in the same run. Target: at least a fifth of the COPY rate.
 *
 * The city's meters come from ensureBenchMeters (lib.ts). Each run first removes the readings
 * earlier runs added, so it always measures fresh inserts.
 */
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { BENCH_COMMUNITY, BENCH_URL, ensureBenchMeters, openBenchCity, printResult } from './lib';
import { addDays, kyivToday, periodOf } from '../src/shared/period';
import { submitReadingsBulk } from '../src/metering/service';
import type { SessionUser } from '../src/server/context';

const READINGS = 200_000;
const COMMUNITY = BENCH_COMMUNITY;


interface Row {
  meterId: number;
  value: string;
}

async function readingRows(client: pg.Client, monthAgo: string): Promise<Row[]> {
  const res = await client.query<{ meter_id: string; value1: string }>(
    `select r.meter_id, r.value1 from meter_reading r join meter m on m.community_id = r.community_id and m.meter_id = r.meter_id
     where r.community_id = $1 and r.read_on = $2 and m.serial like 'BENCH-%'
     order by r.meter_id limit $3`,
    [COMMUNITY, monthAgo, READINGS],
  );
  // A month's use of 1..15 units: plausible, so the rows go the whole way to accepted.
  return res.rows.map((r) => ({ meterId: Number(r.meter_id), value: String(Number(r.value1) + 1 + (Number(r.meter_id) % 15)) }));
}

async function copyBaseline(client: pg.Client, rows: Row[], today: string): Promise<number> {
  const period = periodOf(today);
  const before = await client.query<{ max: string | null }>('select max(reading_id) as max from meter_reading');
  const started = performance.now();
  const stream = client.query(copyFrom('copy meter_reading (community_id, meter_id, read_on, period, kind, value1, channel, status, external_ref) from stdin'));
  const chunk: string[] = [];
  const flush = () =>
    new Promise<void>((resolve, reject) => {
      const ok = stream.write(chunk.join(''));
      chunk.length = 0;
      if (ok) resolve();
      else stream.once('drain', resolve).once('error', reject);
    });
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    chunk.push(`${COMMUNITY}\t${r.meterId}\t${today}\t${period}\tregular\t${r.value}\tprovider_file\taccepted\tcopy-${i}\n`);
    if (chunk.length === 5000) await flush();
  }
  await flush();
  await new Promise<void>((resolve, reject) => stream.end(() => resolve()).once('error', reject));
  const seconds = (performance.now() - started) / 1000;
  await client.query('delete from meter_reading where reading_id > $1', [before.rows[0]?.max ?? 0]);
  return seconds;
}

async function main() {
  const ctx = await openBenchCity();
  const client = new pg.Client({ connectionString: BENCH_URL });
  await client.connect();
  try {
    const today = kyivToday();
    await ensureBenchMeters(client, today, { resetReadings: true });
    const rows = await readingRows(client, addDays(today, -30));
    if (rows.length < READINGS) throw new Error(`only ${rows.length} bench meters: the vinnytsia city should give more than ${READINGS}`);

    const copySeconds = await copyBaseline(client, rows, today);
    const copyRate = rows.length / copySeconds;
    console.log(`COPY of the same rows: ${copySeconds.toFixed(2)} s, ${Math.round(copyRate)} readings/s`);

    const actor: SessionUser = { userId: 0, communityId: COMMUNITY, login: 'bench', displayName: 'Бенчмарк', role: 'operator', providerId: null };
    const started = performance.now();
    let lastTenth = -1;
    const results = await submitReadingsBulk(
      ctx.db,
      actor,
      rows.map((r, i) => ({ meterId: r.meterId, readOn: today, values: [r.value], externalRef: `bench-${i}` })),
      {
        channel: 'provider_file',
        today,
        source: 'readings.bench',
        onProgress: (done, total) => {
          const tenth = Math.floor((done * 10) / total);
          if (tenth !== lastTenth) console.log(`  ${done.toLocaleString('en')} / ${total.toLocaleString('en')}`);
          lastTenth = tenth;
        },
      },
    );
    const seconds = (performance.now() - started) / 1000;
    const rate = rows.length / seconds;
    const count = (s: string) => results.filter((r) => r.status === s).length;
    console.log(`submitReadingsBulk: ${seconds.toFixed(2)} s, ${Math.round(rate)} readings/s (accepted ${count('accepted')}, needs review ${count('needs_review')}, rejected ${count('rejected')})`);

    const ratio = rate / copyRate;
    const target = 0.2;
    printResult({ bench: 'readings', value: Math.round(rate), unit: 'readings/s', baseline: Math.round(copyRate), ratio, target, met: ratio >= target });
  } finally {
    await client.end();
    await ctx.handle.close();
  }
}

await main();
