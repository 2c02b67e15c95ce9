/**
 * Address keys beside the main thread. Parsing an address is the costliest step of reading a
 * file (tens of microseconds each, for every distinct spelling), so large files hand the distinct
 * spellings of each batch to a worker thread while the main thread reads and stages the next
 * batch. Small files parse in the main thread: starting a worker costs more than it saves.
 */
import { isMainThread, parentPort, Worker } from 'node:worker_threads';
import { addressKeysOf, type AddressKeysResult } from './address-keys';

if (!isMainThread && parentPort) {
  const port = parentPort;
  port.on('message', (texts: string[]) => port.postMessage(texts.map((text) => addressKeysOf(text))));
}

/** Keys of a batch of spellings, each distinct spelling computed once per file (up to a bound). */
export class AddressKeyResolver {
  private readonly cache = new Map<string, AddressKeysResult>();
  private worker?: Worker;
  /** Answers come back in the order of the requests: one waiting promise per request. */
  private readonly waiting: Array<{ resolve: (r: AddressKeysResult[]) => void; reject: (e: unknown) => void }> = [];

  constructor(useWorker: boolean) {
    if (!useWorker) return;
    // The worker runs this module's TypeScript through tsx, as the process itself does.
    const url = new URL(import.meta.url).href;
    this.worker = new Worker(`import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(url)}); })`, { eval: true });
    this.worker.on('message', (results: AddressKeysResult[]) => this.waiting.shift()?.resolve(results));
    this.worker.on('error', (err) => {
      for (const w of this.waiting.splice(0)) w.reject(err);
    });
  }

  /** Starts computing the batch's keys; the promise gives the keys of every spelling in it. */
  resolve(texts: Iterable<string>): Promise<Map<string, AddressKeysResult>> {
    const batch = new Map<string, AddressKeysResult>();
    const missing = new Set<string>();
    for (const text of texts) {
      const known = this.cache.get(text);
      if (known) batch.set(text, known);
      else missing.add(text);
    }
    const list = [...missing];
    const remember = (results: AddressKeysResult[]) => {
      if (this.cache.size > 500_000) this.cache.clear();
      list.forEach((text, i) => {
        batch.set(text, results[i]);
        this.cache.set(text, results[i]);
      });
      return batch;
    };
    if (list.length === 0) return Promise.resolve(batch);
    if (!this.worker) return Promise.resolve(remember(list.map((text) => addressKeysOf(text))));
    const answer = new Promise<AddressKeysResult[]>((resolve, reject) => this.waiting.push({ resolve, reject }));
    this.worker.postMessage(list);
    return answer.then(remember);
  }

  async close() {
    await this.worker?.terminate();
  }
}
