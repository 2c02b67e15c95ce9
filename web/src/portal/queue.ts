import { api, ApiError } from '../api';

/**
 * Readings typed without a connection wait here (localStorage, so a reload keeps them) and go when
 * the browser is online again. Each carries its idempotency key from the moment it was typed, so
 * a reading sent twice (a retry after a lost answer) is stored once by the server.
 */
export interface QueuedReading {
  meterId: number;
  serial: string;
  values: string[];
  idempotencyKey: string;
  queuedAt: string;
}

const KEY = 'hromada.portal.readings-queue';
const listeners = new Set<() => void>();

export function newIdempotencyKey(): string {
  return typeof crypto !== 'undefined' && 'randomUUID' in crypto ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

export function queuedReadings(): QueuedReading[] {
  try {
    return JSON.parse(localStorage.getItem(KEY) ?? '[]') as QueuedReading[];
  } catch {
    return [];
  }
}

function save(items: QueuedReading[]) {
  localStorage.setItem(KEY, JSON.stringify(items));
  for (const l of listeners) l();
}

export function enqueueReading(item: QueuedReading) {
  save([...queuedReadings().filter((q) => q.idempotencyKey !== item.idempotencyKey), item]);
}

export function onQueueChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export interface SentReading {
  status: string;
  message_uk: string;
  message_en: string;
  volumes: (string | null)[];
  replayed: boolean;
  messages: { level: string; uk: string; en: string }[];
}

export function sendReading(item: Pick<QueuedReading, 'meterId' | 'values' | 'idempotencyKey'>) {
  return api.post<SentReading>('/portal/readings', { meterId: item.meterId, values: item.values, idempotencyKey: item.idempotencyKey });
}

let flushing = false;

/** Sends what waits; a reading the server answered (accepted or not) leaves the queue, a network failure keeps it. */
export async function flushQueue(): Promise<number> {
  if (flushing) return 0;
  flushing = true;
  let sent = 0;
  try {
    for (const item of queuedReadings()) {
      try {
        await sendReading(item);
      } catch (e) {
        if (e instanceof ApiError && e.status === 0) break;
      }
      save(queuedReadings().filter((q) => q.idempotencyKey !== item.idempotencyKey));
      sent++;
    }
  } finally {
    flushing = false;
  }
  return sent;
}

/** Once per app: send the queue when the browser comes online, and now. */
export function startQueue() {
  window.addEventListener('online', () => void flushQueue());
  if (navigator.onLine) void flushQueue();
}
