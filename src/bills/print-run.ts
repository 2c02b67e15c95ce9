/**
 * The print run of a closed period, as a resumable job: every premise whose bill goes on paper
 * (courier or Ukrposhta), in delivery route order (postal code, street, building, apartment), in
 * batch PDFs of BATCH_SIZE bills, with a manifest per route (CSV and PDF) and the premises that
 * could not be printed listed with the reason. Files are written once to `print_file` with their
 * SHA-256; the bytes depend only on the period's data, so a rerun gives identical files.
 *
 * Speed: each batch's data comes in four set-based statements (loadBillData), and the batches
 * are rendered on a pool of worker threads, one per CPU core, while the main thread loads the
 * next ones. Resumable: the run's plan (its premises in print order) is stored when it starts; a
 * retried job keeps the batches already stored without rendering them again, and the manifest's
 * page ranges follow from the plan.
 */
import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import type { Db } from '../db/index';
import type { JobQueue, JobRun } from '../jobs/queue';
import { requireRole } from '../server/access';
import type { SessionUser } from '../server/context';
import { notFound } from '../shared/errors';
import { missingForBill, type BillModel } from './model';
import { finishDocument, openBillDocument, periodInstant } from './pdf';
import { renderBatch, type BatchTask } from './render-batch';
import { loadDesignRow, noticesInPeriod, premiseHeaders, type PremiseHeader } from './repo';
import { billFromData, billInputReason, designOf, loadBillData, requireClosedPeriod } from './service';

export const PRINT_RUN_JOB = 'bills.print';
export const BATCH_SIZE = 500;

interface PrintParams {
  period: string;
  userId?: number;
  batchSize?: number;
}

export interface ManifestRow {
  route: string;
  building: string;
  bills: number;
  batch: string;
  firstPage: number;
  lastPage: number;
}

/** Route of a premise: its postal code and street (a courier's or postman's round). */
export const routeOf = (h: PremiseHeader) => `${h.postalCode ?? '—'} ${h.streetName}`;

/** Groups the printed bills, in order, into manifest rows per route and building with page ranges. */
export function manifestRows(printed: Array<{ header: PremiseHeader; batch: string; page: number }>): ManifestRow[] {
  const rows: ManifestRow[] = [];
  for (const p of printed) {
    const route = routeOf(p.header);
    const building = `${p.header.streetName}, ${p.header.houseKey}`;
    const last = rows.at(-1);
    if (last && last.route === route && last.building === building && last.batch === p.batch) {
      last.bills++;
      last.lastPage = p.page;
    } else {
      rows.push({ route, building, bills: 1, batch: p.batch, firstPage: p.page, lastPage: p.page });
    }
  }
  return rows;
}

/** The batches of a plan: its printable premises in order, `size` to a file, and those it cannot print. */
export function planBatches(plan: PremiseHeader[], size: number) {
  const printable: PremiseHeader[] = [];
  const skipped: Array<{ header: PremiseHeader; reason: { uk: string; en: string } }> = [];
  for (const header of plan) {
    const missing = missingForBill(header);
    if (missing) skipped.push({ header, reason: billInputReason(missing) });
    else printable.push(header);
  }
  const batches: Array<{ name: string; headers: PremiseHeader[] }> = [];
  for (let b = 0; b * size < printable.length; b++) {
    batches.push({ name: `batch-${String(b + 1).padStart(4, '0')}.pdf`, headers: printable.slice(b * size, (b + 1) * size) });
  }
  return { batches, skipped };
}

const csvCell = (v: string | number) => (/[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v));
const csv = (header: string[], rows: Array<Array<string | number>>) => '\ufeff' + [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';

async function storeFile(db: Db, communityId: number, printRunId: number, name: string, kind: 'batch' | 'manifest_csv' | 'manifest_pdf' | 'skipped_csv', content: Buffer, bills = 0, route: string | null = null) {
  await db
    .insertInto('print_file')
    .values({ community_id: communityId, print_run_id: printRunId, name, kind, route, bills, content, size: content.length, sha256: createHash('sha256').update(content).digest('hex') })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

/** Renders on worker threads when there is more than one batch to render (a pool costs more than one small batch). */
function renderer(batches: number): { render: (task: BatchTask) => Promise<Uint8Array>; threads: number; close: () => Promise<void> } {
  if (batches < 2) return { render: renderBatch, threads: 1, close: async () => {} };
  const threads = availableParallelism();
  const pool = new Piscina({
    filename: new URL('../shared/ts-worker.mjs', import.meta.url).href,
    workerData: { module: new URL('./render-batch.ts', import.meta.url).href },
    minThreads: threads,
    maxThreads: threads,
  });
  return { render: (task) => pool.run(task), threads, close: () => pool.destroy() };
}

export async function printRunJob(job: JobRun<PrintParams>) {
  const { db, communityId, params } = job;
  const period = params.period;
  const p = await requireClosedPeriod(db, communityId, period);
  const row = await loadDesignRow(db, communityId);
  const design = designOf(row);
  const size = params.batchSize ?? BATCH_SIZE;

  // The plan: the paper premises in route order, stored with the run so that a resumed job prints
  // the same premises in the same batches even if the registry changed in between.
  let run = await db.selectFrom('print_run').select(['print_run_id', 'plan']).where('community_id', '=', communityId).where('job_id', '=', job.jobId).executeTakeFirst();
  let plan: PremiseHeader[];
  if (run?.plan) {
    const order = new Map(run.plan.map((id, i) => [Number(id), i]));
    plan = (await premiseHeaders(db, communityId, period, [...order.keys()])).sort((a, b) => order.get(a.premiseId)! - order.get(b.premiseId)!);
  } else {
    plan = (await premiseHeaders(db, communityId, period)).filter((h) => h.delivery !== 'ebill');
    const ids = plan.map((h) => h.premiseId);
    run = run
      ? await db.updateTable('print_run').set({ plan: ids }).where('community_id', '=', communityId).where('print_run_id', '=', run.print_run_id).returning(['print_run_id', 'plan']).executeTakeFirstOrThrow()
      : await db.insertInto('print_run').values({ community_id: communityId, period, job_id: job.jobId, created_by: params.userId ?? null, plan: ids }).returning(['print_run_id', 'plan']).executeTakeFirstOrThrow();
  }
  const runId = run.print_run_id;
  const { batches, skipped } = planBatches(plan, size);
  const stored = new Set((await db.selectFrom('print_file').select('name').where('community_id', '=', communityId).where('print_run_id', '=', runId).execute()).map((f) => f.name));
  const createdAt = periodInstant(period).getTime();
  const notices = await noticesInPeriod(db, communityId, period);
  const toRender = batches.filter((b) => !stored.has(b.name));
  const { render, threads, close } = renderer(toRender.length);

  let done = batches.length - toRender.length;
  const progress = () => job.progress(done, batches.length, `пакет ${done} з ${batches.length} / batch ${done} of ${batches.length}`);
  const printBatch = async (batch: (typeof batches)[number], index: number) => {
    const data = await loadBillData(db, communityId, batch.headers.map((h) => h.premiseId), period);
    const models: BillModel[] = batch.headers.map((h) => billFromData(h, data(h.premiseId), period, design, p.due_date, notices));
    const bytes = await render({ models, logo: row?.logo ?? null, createdAt, title: `Рахунки ${period.slice(0, 7)}, пакет ${index + 1}` });
    await storeFile(db, communityId, runId, batch.name, 'batch', Buffer.from(bytes), models.length);
    done++;
    await progress();
  };
  // As many batches in flight as there are threads, and one more being loaded meanwhile. After a
  // failure no new batch starts; those in flight end, then the job fails with the first error and
  // its retry resumes from the batches stored.
  await progress();
  const queue = toRender.map((b) => [b, batches.indexOf(b)] as const);
  let failure = null as { error: unknown } | null;
  await Promise.all(Array.from({ length: threads + 1 }, async () => {
    for (let next = queue.shift(); next && !failure; next = queue.shift()) {
      try {
        await printBatch(...next);
      } catch (error) {
        failure ??= { error };
      }
    }
  }));
  await close();
  if (failure) throw failure.error;

  const printed = batches.flatMap((b) => b.headers.map((header, i) => ({ header, batch: b.name, page: i + 1 })));
  const rows = manifestRows(printed);
  await storeFile(db, communityId, runId, 'manifest.csv', 'manifest_csv',
    Buffer.from(csv(['route', 'building', 'bills', 'batch', 'first_page', 'last_page'], rows.map((r) => [r.route, r.building, r.bills, r.batch, r.firstPage, r.lastPage]))), printed.length);
  await storeFile(db, communityId, runId, 'manifest.pdf', 'manifest_pdf', await manifestPdf(period, rows, new Date(createdAt)), printed.length);
  await storeFile(db, communityId, runId, 'skipped.csv', 'skipped_csv',
    Buffer.from(csv(['premise_id', 'unified_account', 'reason_uk', 'reason_en'], skipped.map((s) => [s.header.premiseId, s.header.unifiedAccount ?? '', s.reason.uk, s.reason.en]))), skipped.length);
  const summary = { printed: printed.length, skipped: skipped.length, batches: batches.length, rendered: toRender.length, routes: new Set(rows.map((r) => r.route)).size };
  await db.updateTable('print_run').set({ status: 'done', summary: JSON.stringify(summary) }).where('community_id', '=', communityId).where('print_run_id', '=', runId).execute();
  return { printRunId: runId, ...summary };
}

async function manifestPdf(period: string, rows: ManifestRow[], createdAt: Date): Promise<Buffer> {
  const doc = openBillDocument({ createdAt, title: `Маніфест ${period.slice(0, 7)}` });
  let y = 0;
  let route = '';
  for (const r of rows) {
    if (y === 0 || y > 800 || r.route !== route) {
      doc.addPage({ size: 'A4', margin: 0 });
      route = r.route;
      doc.font('bold').fontSize(12).fillColor('#000000').text(`Маршрут ${r.route} · ${period.slice(0, 7)}`, 40, 40, { lineBreak: false });
      y = 70;
    }
    doc.font('regular').fontSize(9).text(`${r.building}`, 40, y, { lineBreak: false });
    doc.text(`${r.bills} рах.`, 330, y, { lineBreak: false });
    doc.text(`${r.batch} с. ${r.firstPage}–${r.lastPage}`, 400, y, { lineBreak: false });
    y += 14;
  }
  if (rows.length === 0) doc.addPage({ size: 'A4', margin: 0 }).font('regular').fontSize(10).text('Немає рахунків для друку', 40, 40);
  return finishDocument(doc);
}

export function registerBillsJobs(queue: JobQueue): void {
  queue.register(PRINT_RUN_JOB, printRunJob);
}

export async function startPrintRun(db: Db, jobs: JobQueue, actor: SessionUser, period: string) {
  requireRole(actor, 'admin', 'operator');
  await requireClosedPeriod(db, actor.communityId, period);
  designOf(await loadDesignRow(db, actor.communityId));
  return jobs.enqueue(actor.communityId, PRINT_RUN_JOB, { period, userId: actor.userId }, actor.userId);
}

/** The community's print runs, newest first (the print-runs page lists them). */
export async function listPrintRuns(db: Db, actor: SessionUser) {
  requireRole(actor, 'admin', 'operator', 'city');
  const rows = await db.selectFrom('print_run').select(['print_run_id', 'period', 'status', 'job_id', 'summary', 'created_at'])
    .where('community_id', '=', actor.communityId).orderBy('print_run_id', 'desc').limit(100).execute();
  return rows.map((r) => ({ printRunId: r.print_run_id, period: String(r.period), status: r.status, jobId: r.job_id, summary: r.summary, createdAt: new Date(r.created_at).toISOString() }));
}

export async function printRunFiles(db: Db, actor: SessionUser, printRunId: number) {
  requireRole(actor, 'admin', 'operator', 'city');
  const run = await db.selectFrom('print_run').selectAll().where('community_id', '=', actor.communityId).where('print_run_id', '=', printRunId).executeTakeFirst();
  if (!run) throw notFound({ uk: `Друк ${printRunId}`, en: `Print run ${printRunId}` });
  const files = await db.selectFrom('print_file').select(['name', 'kind', 'route', 'bills', 'sha256', 'size']).where('community_id', '=', actor.communityId).where('print_run_id', '=', printRunId).orderBy('name').execute();
  return { printRunId, period: run.period, status: run.status, jobId: run.job_id, summary: run.summary, files };
}

export async function printRunFile(db: Db, actor: SessionUser, printRunId: number, name: string) {
  requireRole(actor, 'admin', 'operator', 'city');
  const f = await db.selectFrom('print_file').select(['content', 'kind', 'sha256']).where('community_id', '=', actor.communityId).where('print_run_id', '=', printRunId).where('name', '=', name).executeTakeFirst();
  if (!f) throw notFound({ uk: `Файл ${name}`, en: `File ${name}` });
  return { content: Buffer.from(f.content), sha256: f.sha256, type: f.kind.endsWith('csv') ? 'text/csv; charset=utf-8' : 'application/pdf' };
}
