/**
 * One batch of a print run rendered to a PDF: the bills' models (plain data, so they cross to a
 * worker thread) → the document's bytes. The print run hands batches to a pool of worker threads
 * (piscina) through `src/shared/ts-worker.mjs`, one per CPU core, while it loads the next ones.
 */
import type { BillModel } from './model';
import { drawBill, embedLogo, finishDocument, openBillDocument } from './pdf';

export interface BatchTask {
  models: BillModel[];
  logo: Uint8Array | null;
  /** The document's CreationDate (ms since the epoch): fixed by the period, so the bytes are too. */
  createdAt: number;
  title: string;
}

export async function renderBatch(task: BatchTask): Promise<Uint8Array> {
  const doc = openBillDocument({ createdAt: new Date(task.createdAt), title: task.title });
  const logo = task.logo ? await embedLogo(doc, Buffer.from(task.logo)) : null;
  for (const model of task.models) drawBill(doc, model, logo);
  return new Uint8Array(await finishDocument(doc));
}

export default renderBatch;
