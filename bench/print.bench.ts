/**
 * Print benchmark: the print run of one closed period for every paper premise of the seeded
 * `vinnytsia` city (about 167,500 bills), as the `bills.print` job does it — the data of each batch
 * of 500 in four set-based statements, rendered on worker threads, stored with SHA-256 — beside a
 * naive baseline measured in the same run on a sample: each bill from its own per-premise queries
 * into its own PDF document (the fonts embedded in every one) with the QR as a PNG image, the way
 * a first version would do it. Target: at least 600 bills/s, a month's print run in under 5 minutes.
 *
 * The database is DATABASE_URL, else postgres://root@127.0.0.1:5432/hromada_bench, created and
 * seeded if missing. The first time it bills the first open month (demo tariffs, and the city's
 * meters with their readings, added if the city has none) and closes it, and gives the community a bill design; later runs reuse that period.
 * Earlier print runs of the period are removed before the clock starts (on this bench database
 * only: print files are immutable, so the trigger is set aside for the removal).
 */
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { sql } from 'kysely';
import { seedDemoTariffs } from '../src/billing/demo';
import { BILLING_CLOSE_JOB, BILLING_RUN_JOB } from '../src/billing/jobs';
import { PRINT_RUN_JOB } from '../src/bills/print-run';
import { drawBill, finishDocument, periodInstant } from '../src/bills/pdf';
import { loadDesignRow, premiseHeaders } from '../src/bills/repo';
import { buildBill, designOf } from '../src/bills/service';
import { seedCityMeters } from '../src/metering/seed';
import { kyivToday } from '../src/shared/period';
import { BENCH_COMMUNITY, openBenchCity, printResult } from './lib';

const C = BENCH_COMMUNITY;
const TARGET = 600;
const SAMPLE = Number(process.env.PRINT_BASELINE_SAMPLE ?? 100);

const ctx = await openBenchCity();
const { db } = ctx;

/** The closed period the bills are printed for: the latest closed one, else the first open month billed and closed now. */
async function closedPeriod(): Promise<string> {
  const closed = await sql<{ period: string | null }>`select max(period)::text as period from billing_period where community_id = ${C} and status = 'closed'`.execute(db);
  if (closed.rows[0].period) return closed.rows[0].period;
  await seedDemoTariffs(db, C);
  // The city's meters with four months of readings, so bills carry their meter lines.
  const meters = await seedCityMeters(db, C, kyivToday());
  if (meters) console.log(`meters created, with their readings: ${meters.toLocaleString('en')}`);
  const open = await sql<{ period: string | null }>`select min(period)::text as period from billing_period where community_id = ${C} and status <> 'closed'`.execute(db);
  const period = open.rows[0].period ?? '2026-11-01';
  console.log(`billing and closing ${period.slice(0, 7)} (once)…`);
  await ctx.jobs.runNow(C, BILLING_RUN_JOB, { period });
  await ctx.jobs.runNow(C, BILLING_CLOSE_JOB, { period });
  return period;
}

const period = await closedPeriod();
if (!(await loadDesignRow(db, C))) {
  await db.insertInto('bill_design').values({
    community_id: C, recipient_name: 'КП «Вінницький інформаційний центр»', collecting_iban: 'UA213223130000026007233566001',
    recipient_code: '32855961', locality: 'м. Вінниця', contacts: ['Гаряча лінія 0 800 500 000', 'portal.hromada.local'], footer: 'Дякуємо, що сплачуєте вчасно',
  }).execute();
}
await sql`alter table print_file disable trigger print_file_immutable`.execute(db);
await sql`delete from print_file where community_id = ${C} and print_run_id in (select print_run_id from print_run where community_id = ${C} and period = ${period}::date)`.execute(db);
await sql`delete from print_run where community_id = ${C} and period = ${period}::date`.execute(db);
await sql`alter table print_file enable trigger print_file_immutable`.execute(db);
await sql`checkpoint`.execute(db);

// The baseline: a sample of paper premises, each on its own, the QR a PNG.
const design = designOf(await loadDesignRow(db, C));
const due = (await db.selectFrom('billing_period').select('due_date').where('community_id', '=', C).where('period', '=', period).executeTakeFirstOrThrow()).due_date;
const headers = (await premiseHeaders(db, C, period)).filter((h) => h.delivery !== 'ebill' && h.street && h.unifiedAccount);
const sample = headers.filter((_, i) => i % Math.max(1, Math.floor(headers.length / SAMPLE)) === 0).slice(0, SAMPLE);
const baselineStarted = performance.now();
for (const header of sample) {
  const model = await buildBill(db, C, header, period, design, due);
  const doc = new PDFDocument({ size: 'A4', margin: 0, autoFirstPage: false, info: { CreationDate: periodInstant(period) } });
  for (const [name, file] of [['regular', 'DejaVuSans.ttf'], ['bold', 'DejaVuSans-Bold.ttf'], ['condensed', 'DejaVuSansCondensed.ttf']]) {
    doc.registerFont(name, new URL(`../node_modules/dejavu-fonts-ttf/ttf/${file}`, import.meta.url).pathname);
  }
  // The bill without its vector QR, and the QR placed over its box as a PNG.
  drawBill(doc, { ...model, qr: null }, null);
  if (model.qr) doc.image(await QRCode.toBuffer(model.qr.url, { errorCorrectionLevel: 'Q', width: 480 }), 425, 136, { width: 119 });
  await finishDocument(doc);
}
const baselineRate = sample.length / ((performance.now() - baselineStarted) / 1000);
console.log(`baseline: ${sample.length} bills one document each with a PNG QR, ${baselineRate.toFixed(1)} bills/s`);

console.log(`print run of ${period.slice(0, 7)}: ${headers.length.toLocaleString('en')} printable paper premises on ${ctx.handle.kind}`);
const started = performance.now();
const { result } = await ctx.jobs.runNow(C, PRINT_RUN_JOB, { period });
const seconds = (performance.now() - started) / 1000;
const r = result as { printed: number; skipped: number; batches: number };
const files = await sql<{ n: number; bytes: number }>`
  select count(*)::int as n, coalesce(sum(size), 0)::bigint as bytes from print_file f join print_run p using (community_id, print_run_id)
   where p.community_id = ${C} and p.period = ${period}::date`.execute(db);
const rate = r.printed / seconds;
console.log(`printed ${r.printed.toLocaleString('en')} bills (${r.skipped} skipped) in ${r.batches} batches, ${files.rows[0].n} files, ${(files.rows[0].bytes / 1e9).toFixed(2)} GB, in ${seconds.toFixed(1)} s: ${rate.toFixed(0)} bills/s`);
await ctx.handle.close();
printResult({ bench: 'print', value: rate, unit: 'bills/s', baseline: baselineRate, ratio: rate / baselineRate, target: TARGET, met: rate >= TARGET });
