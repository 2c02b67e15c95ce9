/**
 * Bulk loading for both deployments: COPY FROM STDIN through pg-copy-streams on a PostgreSQL
 * server, COPY FROM '/dev/blob' in batches on PGlite. Rows arrive from a generator and leave in
 * batches, so a million-row table is never held in memory.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { DatabaseHandle } from '../../db/index';

type Query = (text: string, params?: unknown[]) => Promise<unknown[]>;

export type Cell = string | number | boolean | null | readonly string[];

export interface BulkWriter {
  query<R = Record<string, unknown>>(text: string, params?: unknown[]): Promise<R[]>;
  /** COPYs every row of `rows` into `table`; `onBatch(n)` after each batch written. Returns the row count. */
  copy(table: string, columns: readonly string[], rows: Iterable<Cell[]>, onBatch?: (rows: number) => Promise<void>): Promise<number>;
  /**
   * Runs `work` with triggers and foreign-key checks off for this session (superuser only);
   * `work` must send its statements through the `query` it is given.
   */
  withoutTriggers<T>(work: (query: Query) => Promise<T>): Promise<T>;
  /**
   * Bulk-load mode for this session: with `on`, triggers and foreign-key checks are skipped
   * (as pg_restore --disable-triggers does); the caller then checks the keys set-based. Only on a
   * PostgreSQL server and only for a superuser; returns whether the mode is now on.
   */
  fastLoad(on: boolean): Promise<boolean>;
  release(): Promise<void>;
}

const PG_BATCH_ROWS = 5_000;
const PGLITE_BATCH_ROWS = 20_000;

/** One COPY text-format field: \N for null, backslash escapes for the characters that need them. */
function field(v: Cell): string {
  if (v === null) return '\\N';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return v ? 't' : 'f';
  const text = typeof v === 'string' ? v : `{${v.map((e) => `"${e.replace(/[\\"]/g, '\\$&')}"`).join(',')}}`;
  return /[\\\t\n\r]/.test(text) ? text.replace(/[\\\t\n\r]/g, (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c]!) : text;
}

export function copyLine(row: Cell[]): string {
  let line = field(row[0]);
  for (let i = 1; i < row.length; i++) line += '\t' + field(row[i]);
  return line + '\n';
}

function* batches(rows: Iterable<Cell[]>, size: number): Generator<{ text: string; count: number }> {
  let text = '';
  let count = 0;
  for (const row of rows) {
    text += copyLine(row);
    if (++count === size) {
      yield { text, count };
      text = '';
      count = 0;
    }
  }
  if (count > 0) yield { text, count };
}

const copySql = (table: string, columns: readonly string[], source: string) =>
  `copy ${table} (${columns.join(', ')}) from ${source}`;

export async function openBulkWriter(handle: DatabaseHandle): Promise<BulkWriter> {
  if (handle.kind === 'postgres') return openPgWriter(await handle.pool!.connect());
  return pgliteWriter(handle);
}

function openPgWriter(client: pg.PoolClient): BulkWriter {
  return {
    async query<R>(text: string, params?: unknown[]) {
      return (await client.query(text, params)).rows as R[];
    },
    async copy(table, columns, rows, onBatch) {
      let total = 0;
      async function* chunks() {
        for (const batch of batches(rows, PG_BATCH_ROWS)) {
          yield batch.text;
          total += batch.count;
          await onBatch?.(batch.count);
        }
      }
      await pipeline(Readable.from(chunks()), client.query(copyFrom(copySql(table, columns, 'stdin'))));
      return total;
    },
    async fastLoad(on) {
      if (!on) {
        await client.query('reset session_replication_role');
        return false;
      }
      const [role] = (await client.query(`select rolsuper from pg_roles where rolname = current_user`)).rows;
      if (!role?.rolsuper) return false;
      await client.query('set session_replication_role = replica');
      return true;
    },
    async withoutTriggers(work) {
      await client.query('set session_replication_role = replica');
      try {
        return await work(async (text, params) => (await client.query(text, params)).rows);
      } finally {
        await client.query('reset session_replication_role');
      }
    },
    async release() {
      client.release();
    },
  };
}

function pgliteWriter(handle: DatabaseHandle): BulkWriter {
  const pglite = handle.pglite!;
  // Every statement waits its turn for PGlite's one connection (see db/pglite-dialect.ts).
  const exclusive = <T>(work: () => Promise<T>) => handle.db.connection().execute(work);
  return {
    async query<R>(text: string, params?: unknown[]) {
      return exclusive(async () => (await pglite.query<R>(text, params ?? [])).rows);
    },
    async copy(table, columns, rows, onBatch) {
      let total = 0;
      for (const batch of batches(rows, PGLITE_BATCH_ROWS)) {
        const blob = new Blob([batch.text]);
        await exclusive(() => pglite.query(copySql(table, columns, `'/dev/blob'`), [], { blob }));
        total += batch.count;
        await onBatch?.(batch.count);
      }
      return total;
    },
    async withoutTriggers(work) {
      // The one session is shared by everything: hold it for the whole of `work`.
      return exclusive(async () => {
        await pglite.exec('set session_replication_role = replica');
        try {
          return await work(async (text, params) => (await pglite.query(text, params ?? [])).rows);
        } finally {
          await pglite.exec('reset session_replication_role');
        }
      });
    },
    // PGlite has one session, shared with progress writes and the job queue: never switch it.
    async fastLoad() {
      return false;
    },
    async release() {},
  };
}
