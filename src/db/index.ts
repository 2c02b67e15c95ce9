import path from 'node:path';
import fs from 'node:fs';
import { PGlite, types as pgliteTypes } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { Kysely, PostgresDialect, sql, type RawBuilder, type Transaction } from 'kysely';
import { createHash } from 'node:crypto';
import pg from 'pg';
import { PgliteDialect } from './pglite-dialect';
import type { Database } from './schema';

export type Db = Kysely<Database>;
export type Tx = Transaction<Database>;
export type DbOrTx = Db | Tx;

export interface DatabaseHandle {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** The embedded engine, when running on PGlite (used by the job queue and COPY). */
  pglite?: PGlite;
  /** The server pool, when running on PostgreSQL (used by the job queue and COPY). */
  pool?: pg.Pool;
  url?: string;
  close(): Promise<void>;
}

const INT8 = 20;
const DATE = 1082;
const NUMERIC = 1700;
const NUMERIC_ARRAY = 1231 as (typeof pg.types.builtins)[keyof typeof pg.types.builtins];
const TEXT_ARRAY = 1009 as (typeof pg.types.builtins)[keyof typeof pg.types.builtins];

// bigint columns hold kopecks and counts: all far below 2^53, so plain numbers are safe and simpler.
// Dates stay 'YYYY-MM-DD' strings so that no time zone can shift a period or a due date.
pg.types.setTypeParser(INT8, (v) => Number(v));
pg.types.setTypeParser(DATE, (v) => v);
pg.types.setTypeParser(NUMERIC, (v) => v);
// numeric[] (a tariff's zone coefficients) as strings too, as PGlite gives them: pg's default
// turns them into floats, which the response schema refuses (a 500 on PostgreSQL only).
pg.types.setTypeParser(NUMERIC_ARRAY, pg.types.getTypeParser(TEXT_ARRAY));

export interface OpenOptions {
  /** postgres://… to use a PostgreSQL server; otherwise embedded PGlite. */
  url?: string;
  /** PGlite data folder; memory:// for a throw-away database. */
  dataDir?: string;
  /** PGlite: start from a dumped data folder (tests clone a migrated template this way). */
  loadDataDir?: Blob;
  poolSize?: number;
}

export function defaultOptions(env = process.env): OpenOptions {
  if (env.DATABASE_URL) return { url: env.DATABASE_URL, poolSize: env.HROMADA_DB_POOL ? Number(env.HROMADA_DB_POOL) : undefined };
  return { dataDir: env.HROMADA_DATA_DIR ?? path.resolve('data') };
}

export async function openDatabase(options: OpenOptions = defaultOptions()): Promise<DatabaseHandle> {
  if (options.url) {
    const pool = new pg.Pool({ connectionString: options.url, max: options.poolSize ?? 10 });
    pool.on('connect', preparesMarkedStatements);
    // An idle connection the server ends (a restart, or a database dropped while the pool closes)
    // is dropped from the pool; without a listener pg would raise it as an uncaught exception.
    let closing = false;
    pool.on('error', (err) => {
      if (!closing) console.error(`PostgreSQL: an idle connection was lost (${err.message}); the pool opens another when needed`);
    });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    const close = () => {
      closing = true;
      return db.destroy();
    };
    return { db, kind: 'postgres', pool, url: options.url, close };
  }
  const dataDir = options.dataDir ?? 'memory://';
  if (!dataDir.startsWith('memory://')) fs.mkdirSync(dataDir, { recursive: true });
  const pglite = await PGlite.create({
    dataDir,
    extensions: { pg_trgm },
    loadDataDir: options.loadDataDir,
    parsers: {
      [pgliteTypes.INT8]: (v: string) => Number(v),
      [pgliteTypes.DATE]: (v: string) => v,
      [pgliteTypes.NUMERIC]: (v: string) => v,
    },
  });
  const db = new Kysely<Database>({ dialect: new PgliteDialect(pglite) });
  return {
    db,
    kind: 'pglite',
    pglite,
    close: async () => {
      await db.destroy();
      await pglite.close();
    },
  };
}

/** The mark that opts a statement into `prepared`: its text must not change from call to call. */
const PREPARE_MARK = '/*prepared*/';

/**
 * A hot statement of fixed text (only its parameters vary), run on PostgreSQL as a named prepared
 * statement on each pooled connection: parsed and planned once per connection instead of on every
 * call (for a statement of many joins the planning costs more than the execution). On PGlite the
 * mark is an ordinary comment.
 */
export function prepared<T>(query: RawBuilder<T>): RawBuilder<T> {
  return sql<T>`${sql.raw(PREPARE_MARK)}${query}`;
}

const statementNames = new Map<string, string>();

/** Gives a pooled connection's `query` the named form for statements marked by `prepared`. */
function preparesMarkedStatements(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as unknown as { query: (...args: unknown[]) => unknown }).query = (text: unknown, ...rest: unknown[]) => {
    if (typeof text !== 'string' || !text.startsWith(PREPARE_MARK) || !Array.isArray(rest[0])) return query(text, ...rest);
    let name = statementNames.get(text);
    if (!name) {
      // Named by the text itself, so two statements never share a name.
      name = `h_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
      if (statementNames.size < 1000) statementNames.set(text, name);
    }
    return query({ name, text, values: rest[0] }, ...rest.slice(1));
  };
}

/** Runs SQL text that may hold several statements (no parameters). */
export async function execSql(db: DbOrTx, text: string): Promise<void> {
  await sql.raw(text).execute(db);
}
