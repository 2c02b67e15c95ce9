/**
 * Import benchmark: a 1,030,000-row accounts CSV in Windows-1251 (semicolons, comma decimals,
 * addresses spelled the way providers spell them) imported onto the seeded `vinnytsia` city end
 * to end — hash, parse, validate, address keys, staging COPY, set-based matching, upsert of the
 * accounts, their reports and opening balances — beside a plain COPY of the same file into a
 * table of text columns, measured in the same run. Target: at least a third of the COPY rate.
 *
 * The bench provider's data is removed before and after the run so that the shared bench city
 * stays as seeded (its ledger entries too: the append-only trigger is bypassed for this one
 * session, as the seeder's wipe does — the rows are synthetic).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import iconv from 'iconv-lite';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { edrpouCheckDigit, generateValidIban } from '../src/shared/identifiers';
import { runImportNow } from '../src/onboarding/service';
import { BENCH_COMMUNITY, BENCH_URL, openBenchCity, printResult } from './lib';

const ROWS = 1_030_000;
const COMMUNITY = BENCH_COMMUNITY;
const BENCH_EDRPOU = (() => {
  const first7 = '4099001';
  return first7 + String(edrpouCheckDigit(first7));
})();
const SERVICES = ['cold_water', 'sewerage', 'heating', 'hot_water', 'waste', 'building_management', 'intercom'];

/** Removes everything the bench provider left: its accounts, their ledger entries and reports, its imports; then vacuums. */
async function removeBenchProvider(client: pg.Client) {
  const p = await client.query('select provider_id from provider where community_id = $1 and edrpou = $2', [COMMUNITY, BENCH_EDRPOU]);
  if (p.rowCount === 0) return;
  const providerId = p.rows[0].provider_id;
  await client.query('begin');
  await client.query('set local session_replication_role = replica');
  const accounts = 'select account_id from account where community_id = $1 and provider_id = $2';
  await client.query(`delete from ledger_entry where community_id = $1 and account_id in (${accounts})`, [COMMUNITY, providerId]);
  await client.query(`delete from account_report where community_id = $1 and account_id in (${accounts})`, [COMMUNITY, providerId]);
  await client.query('delete from import_posting where community_id = $1 and provider_id = $2', [COMMUNITY, providerId]);
  for (const table of ['import_match', 'import_row']) {
    await client.query(`delete from ${table} where community_id = $1 and import_id in (select import_id from data_import where provider_id = $2)`, [COMMUNITY, providerId]);
  }
  await client.query('delete from data_import where community_id = $1 and provider_id = $2', [COMMUNITY, providerId]);
  await client.query('delete from account where community_id = $1 and provider_id = $2', [COMMUNITY, providerId]);
  await client.query('delete from provider where community_id = $1 and provider_id = $2', [COMMUNITY, providerId]);
  await client.query('commit');
  // Each run deletes about a million rows from each of these tables; with autovacuum off (as on
  // the bench server) their dead tuples would pile up run after run and slow every later import.
  await client.query('vacuum (analyze) account, account_report, ledger_entry, import_row, import_match, import_posting, data_import');
  // Vacuum leaves the indexes as large as they grew: after a few runs the account indexes were
  // six times the table, and every later import slower for it.
  await client.query('reindex table account');
  await client.query('reindex table account_report');
  await client.query('reindex table ledger_entry');
}

const TYPE_SHORT: Record<string, string> = { вулиця: 'вул.', проспект: 'просп.', провулок: 'пров.', бульвар: 'бульв.', площа: 'пл.', тупик: 'туп.' };

/** The way one provider's clerks wrote one premise: four spellings, chosen per premise. */
function spell(i: number, type: string, name: string, house: string, apt: string): string {
  const short = TYPE_SHORT[type] ?? type;
  const flat = apt ? apt : '';
  switch (i % 4) {
    case 0:
      return `${short} ${name}, буд. ${house}${flat ? `, кв. ${flat}` : ''}`;
    case 1:
      return `${name} ${house}${flat ? ` кв ${flat}` : ''}`;
    case 2:
      return `${short.toUpperCase()} ${name.toUpperCase()}, ${house}${flat ? `, КВ.${flat}` : ''}`;
    default:
      return `${name} ${short.replace('.', '')}, ${house}${flat ? `/${flat}` : ''}`.replace(`${house}/${flat}`, `${house}, кв. ${flat}`);
  }
}

async function writeCsv(client: pg.Client, file: string): Promise<number> {
  const premises = await client.query<{ premise_id: number; type: string; name: string; house_key: string; apartment_key: string; total_area: string | null }>(
    `select p.premise_id, st.type, st.name, b.house_key, p.apartment_key, p.total_area
       from premise p join building b on b.community_id = p.community_id and b.building_id = p.building_id
       join street st on st.community_id = b.community_id and st.street_id = b.street_id
      where p.community_id = $1 order by p.premise_id`,
    [COMMUNITY],
  );
  if (premises.rowCount === 0) throw new Error('the bench city has no premises');
  const perPremise = Math.floor(ROWS / premises.rows.length);
  const extra = ROWS - perPremise * premises.rows.length;
  const out = fs.createWriteStream(file);
  const put = async (text: string) => {
    if (!out.write(iconv.encode(text, 'win1251'))) await new Promise<void>((r) => out.once('drain', () => r()));
  };
  await put('ОС_РАХУНОК;АДРЕСА;ПІБ;ПЛОЩА;ОСІБ;ПОСЛУГА;САЛЬДО\r\n');
  let n = 0;
  let chunk = '';
  for (let i = 0; i < premises.rows.length; i++) {
    const p = premises.rows[i];
    const address = spell(i, p.type, p.name, p.house_key, p.apartment_key);
    const count = perPremise + (i < extra ? 1 : 0);
    for (let k = 0; k < count; k++) {
      n++;
      const balance = ((n * 7919) % 500000) - 100000; // kopecks, some negative (overpaid)
      const uah = `${balance < 0 ? '-' : ''}${Math.floor(Math.abs(balance) / 100).toLocaleString('uk-UA').replace(/\s/g, ' ')},${String(Math.abs(balance) % 100).padStart(2, '0')}`;
      chunk += `${String(n).padStart(8, '0')};"${address}";Платник ${i};${(p.total_area ?? '45.5').replace('.', ',')};${(i % 4) + 1};${SERVICES[k % SERVICES.length]};${uah}\r\n`;
    }
    if (chunk.length > 1 << 20) {
      await put(chunk);
      chunk = '';
    }
  }
  await put(chunk);
  out.end();
  await new Promise<void>((r) => out.once('finish', () => r()));
  return n;
}

async function copyBaseline(client: pg.Client, file: string): Promise<number> {
  await client.query('drop table if exists bench_import_baseline');
  await client.query('create table bench_import_baseline (account text, address text, payer text, area text, persons text, service text, balance text)');
  const started = performance.now();
  await pipeline(
    fs.createReadStream(file, { highWaterMark: 1 << 20 }),
    client.query(copyFrom(`copy bench_import_baseline from stdin with (format csv, delimiter ';', header true, encoding 'WIN1251')`)),
  );
  const seconds = (performance.now() - started) / 1000;
  await client.query('drop table bench_import_baseline');
  return seconds;
}

/**
 * The floor under any import design: the accounts the import created, COPYed once more (new
 * numbers, same provider, premises and services) straight into `account` with its keys and
 * indexes, in a transaction rolled back. No parsing, no matching, no reports, no ledger: only the
 * one write an accounts import cannot skip. Its time against the baseline COPY bounds the ratio
 * every design can reach on this schema.
 */
async function copyAccountsFloor(client: pg.Client, providerId: number, { foreignKeyChecks }: { foreignKeyChecks: boolean }): Promise<{ rows: number; seconds: number }> {
  const reader = new pg.Client({ connectionString: BENCH_URL });
  await reader.connect();
  try {
    await client.query('checkpoint');
    await client.query('begin');
    // As a superuser the bench may switch off the foreign-key triggers for this transaction only:
    // what is left is the table and its indexes, a floor no design can go under.
    if (!foreignKeyChecks) await client.query('set local session_replication_role = replica');
    const started = performance.now();
    const target = client.query(copyFrom('copy account (community_id, provider_id, premise_id, service_id, number, opened_on) from stdin'));
    await pipeline(
      reader.query(
        copyTo(`copy (select community_id, provider_id, premise_id, service_id, number || '-floor', opened_on
                        from account where community_id = ${COMMUNITY} and provider_id = ${Number(providerId)} order by account_id) to stdout`),
      ),
      target,
    );
    const seconds = (performance.now() - started) / 1000;
    await client.query('rollback');
    return { rows: Number(target.rowCount ?? 0), seconds };
  } finally {
    await reader.end();
  }
}

async function main() {
  const ctx = await openBenchCity();
  const client = new pg.Client({ connectionString: BENCH_URL });
  await client.connect();
  try {
    await removeBenchProvider(client);
    const provider = await ctx.db
      .insertInto('provider')
      .values({ community_id: COMMUNITY, edrpou: BENCH_EDRPOU, iban: generateValidIban('302076', 4099001), name: 'Бенч: постачальник для імпорту' })
      .returning('provider_id')
      .executeTakeFirstOrThrow();

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hromada-import-bench-'));
    const file = path.join(dir, 'accounts.csv');
    const rows = await writeCsv(client, file);
    console.log(`file: ${rows} rows, ${(fs.statSync(file).size / 1e6).toFixed(1)} MB, Windows-1251`);

    const copySeconds = await copyBaseline(client, file);
    const copyRate = rows / copySeconds;
    console.log(`COPY of the same rows: ${copySeconds.toFixed(2)} s, ${Math.round(copyRate)} rows/s`);

    const started = performance.now();
    let phase = '';
    let phaseStarted = started;
    const onProgress = (_done: number, _total: number | null, message?: string) => {
      const name = message?.split(' / ')[1]?.replace(/^\d+ /, '') ?? '';
      if (name && !name.includes('rows read') && name !== phase) {
        const now = performance.now();
        if (phase) console.log(`  ${phase}: ${((now - phaseStarted) / 1000).toFixed(2)} s`);
        phase = name;
        phaseStarted = now;
      }
    };
    const summary = await runImportNow(ctx, {
      communityId: COMMUNITY,
      providerId: provider.provider_id,
      kind: 'accounts',
      filePath: file,
      settings: {
        kind: 'accounts',
        columns: { account: 'ОС_РАХУНОК', address: 'АДРЕСА', payer: 'ПІБ', area: 'ПЛОЩА', persons: 'ОСІБ', service: 'ПОСЛУГА', opening_balance: 'САЛЬДО' },
      },
    }, onProgress);
    console.log(`  ${phase}: ${((performance.now() - phaseStarted) / 1000).toFixed(2)} s`);
    const importSeconds = (performance.now() - started) / 1000;
    const importRate = rows / importSeconds;
    console.log(`import end to end: ${importSeconds.toFixed(2)} s, ${Math.round(importRate)} rows/s`);
    console.log(JSON.stringify(summary.counters));
    // Rows left for review are addresses no machine may decide (e.g. a street name shared by a
    // street and a lane, spelled without its type); errors are premises whose apartment key no
    // address text could produce before «прим. 1» was understood.
    console.log(`matched ${((summary.counters.matched / rows) * 100).toFixed(1)}% of the rows automatically`);
    fs.rmSync(dir, { recursive: true, force: true });
    for (const foreignKeyChecks of [true, false]) {
      const floor = await copyAccountsFloor(client, provider.provider_id, { foreignKeyChecks });
      console.log(
        `floor: the ${floor.rows.toLocaleString('en')} accounts alone, COPYed straight into account ` +
          `(its indexes, ${foreignKeyChecks ? 'with' : 'WITHOUT'} its foreign-key checks): ` +
          `${floor.seconds.toFixed(2)} s, ${(floor.seconds / copySeconds).toFixed(1)}× the baseline COPY; ` +
          `an import that writes them cannot pass ${(copySeconds / floor.seconds).toFixed(3)} of the COPY rate`,
      );
    }
    await removeBenchProvider(client);

    const ratio = importRate / copyRate;
    const target = 1 / 3;
    printResult({ bench: 'import', value: Math.round(importRate), unit: 'rows/s', baseline: Math.round(copyRate), ratio, target, met: ratio >= target });
  } finally {
    await client.end();
    await ctx.handle.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
