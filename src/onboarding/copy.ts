/**
 * Bulk loading of staged rows with COPY on both deployments: a streamed COPY FROM STDIN over its
 * own pooled connection on PostgreSQL (parsing and loading then run on separate cores), and
 * COPY FROM '/dev/blob' in batches on PGlite (its one connection is taken through Kysely's queue
 * so that no other statement interleaves).
 */
import { Writable } from 'node:stream';
import { once } from 'node:events';
import { from as copyFrom } from 'pg-copy-streams';
import type { DatabaseHandle } from '../db/index';

export type CopyValue = string | number | boolean | null | undefined;

/** One value in COPY's text format. */
export function copyText(value: CopyValue): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value !== 'string') return String(value);
  return /[\\\t\n\r]/.test(value) ? value.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r')) : value;
}

export interface CopyWriter {
  write(row: readonly CopyValue[]): Promise<void> | void;
  /** Finishes the load; returns the number of rows written. */
  end(): Promise<number>;
  abort(): Promise<void>;
}

const PGLITE_BATCH_ROWS = 20_000;

export async function openCopy(handle: DatabaseHandle, table: string, columns: readonly string[]): Promise<CopyWriter> {
  const statement = `copy ${table} (${columns.join(', ')}) from stdin`;
  let count = 0;
  if (handle.kind === 'postgres') {
    const client = await handle.pool!.connect();
    const stream: Writable = client.query(copyFrom(statement));
    let failure: Error | undefined;
    stream.on('error', (err) => (failure = err));
    let buffer = '';
    const flush = async () => {
      if (failure) throw failure;
      const chunk = buffer;
      buffer = '';
      if (!stream.write(chunk)) await Promise.race([once(stream, 'drain'), once(stream, 'error')]);
      if (failure) throw failure;
    };
    return {
      write(row) {
        count++;
        buffer += row.map(copyText).join('\t') + '\n';
        if (buffer.length > 256 * 1024) return flush();
      },
      async end() {
        try {
          await flush();
          stream.end();
          await Promise.race([once(stream, 'finish'), once(stream, 'error')]);
          if (failure) throw failure;
          return count;
        } finally {
          client.release();
        }
      },
      async abort() {
        stream.destroy();
        client.release(true);
      },
    };
  }
  const pglite = handle.pglite!;
  let lines: string[] = [];
  const flush = async () => {
    if (lines.length === 0) return;
    const blob = new Blob([lines.join('')]);
    lines = [];
    await handle.db.connection().execute(() => pglite.query(`copy ${table} (${columns.join(', ')}) from '/dev/blob'`, [], { blob }));
  };
  return {
    write(row) {
      count++;
      lines.push(row.map(copyText).join('\t') + '\n');
      if (lines.length >= PGLITE_BATCH_ROWS) return flush();
    },
    async end() {
      await flush();
      return count;
    },
    async abort() {
      lines = [];
    },
  };
}
