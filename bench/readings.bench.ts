/**
 * Readings benchmark: 200,000 meter readings imported onto the seeded `vinnytsia` city through
 * submitReadingsBulk (the path of provider files: meter lookup, history, window, every validation
 * rule, duplicates, one insert per chunk) beside a plain COPY of the same rows into meter_reading,
 * measured in the same run. Target: at least a fifth of the COPY rate.
 *
 * The city's meters come from seedCityMeters (as the demo city has them, with four months of
 * readings). Each run first removes this month's readings, which earlier runs (and bench:billing)
 * added, so it always measures fresh inserts.
 */
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { BENCH_COMMUNITY, BENCH_URL, openBenchCity, printResult } from './lib';
import { kyivToday, periodOf } from '../src/shared/period';
import { seedCityMeters } from '../src/metering/seed';
import { submitReadingsBulk } from '../src/metering/service';
import type { SessionUser } from '../src/server/context';

const READINGS = 200_000;
const COMMUNITY = BENCH_COMMUNITY;


interface Row {
  meterId: number;
  value: string;
}

/** One reading for each of the first single-zone meters: its latest value and 1 to 5 units more. */
async function readingRows(client: pg.Client): Promise<Row[]> {
  const res = await client.query<{ meter_id: string; value1: string }>(
    `select distinct on (r.meter_id) r.meter_id, r.value1
       from meter_reading r join meter m on m.community_id = r.community_id and m.meter_id = r.meter_id
      where r.community_id = $1 and m.zones = 1 and r.status = 'accepted'
      order by r.meter_id, r.read_on desc, r.reading_id desc limit $2`,
    [COMMUNITY, READINGS],
  );
  // Less than a month's use: plausible, so the rows go the whole way to accepted.
  return res.rows.map((r) => ({ meterId: Number(r.meter_id), value: String(Number(r.value1) + 1 + (Number(r.meter_id) % 5)) }));
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
    const meters = await seedCityMeters(ctx.db, COMMUNITY, today);
    if (meters) console.log(`meters created, with their readings: ${meters.toLocaleString('en')}`);
    await client.query(`delete from meter_reading where community_id = $1 and period = $2 and kind <> 'initial'`, [COMMUNITY, periodOf(today)]);
    await client.query('vacuum analyze meter_reading');
    const rows = await readingRows(client);
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
