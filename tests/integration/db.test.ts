import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestDatabase } from '../helpers/db';
import type { DatabaseHandle } from '../../src/db/index';

describe('database', () => {
  let h: DatabaseHandle;
  beforeAll(async () => {
    h = await createTestDatabase();
  });
  afterAll(() => h?.close());

  it('is migrated, returns bigint as number and dates as strings', async () => {
    await h.db.insertInto('community').values({ community_id: 1, name: 'Вінницька', katottg: 'UA05020030000031457' }).execute();
    const r = await sql<{ n: number; d: string }>`select 9007199254740::bigint as n, date '2026-11-01' as d`.execute(h.db);
    expect(r.rows[0]).toEqual({ n: 9007199254740, d: '2026-11-01' });
  });

  it('reports affected rows and queues concurrent work outside an open transaction', async () => {
    const res = await h.db.updateTable('community').set({ name: 'Вінниця' }).where('community_id', '=', 1).executeTakeFirst();
    expect(res.numUpdatedRows).toBe(1n);
    // A query issued while a transaction is open must not join it and be rolled back with it.
    const tx = h.db.transaction().execute(async (trx) => {
      await trx.updateTable('community').set({ name: 'Rolled back' }).where('community_id', '=', 1).execute();
      await new Promise((r) => setTimeout(r, 50));
      throw new Error('rollback');
    });
    const outside = h.db.insertInto('community').values({ community_id: 2, name: 'Десна', katottg: 'UA05020030020063505' }).execute();
    await expect(tx).rejects.toThrow('rollback');
    await outside;
    const rows = await h.db.selectFrom('community').select(['community_id', 'name']).orderBy('community_id').execute();
    expect(rows).toEqual([
      { community_id: 1, name: 'Вінниця' },
      { community_id: 2, name: 'Десна' },
    ]);
  });

  it('counts rows written by a statement that starts with a common table expression', async () => {
    const r = await sql`with c as (select 3 as id, 'Третя' as name) insert into community (community_id, name, katottg) select id, name, 'UA05020030030083783' from c`.execute(h.db);
    expect(r.numAffectedRows).toBe(1n);
  });

  it('keeps the audit log append-only in the database itself', async () => {
    await h.db.insertInto('audit_log').values({ community_id: 1, action: 'create', entity: 'test' }).execute();
    await expect(h.db.deleteFrom('audit_log').execute()).rejects.toThrow(/append-only/);
  });
});

describe.skipIf(!process.env.TEST_DATABASE_URL)('the PostgreSQL pool', () => {
  it('survives the server ending its idle connections: the next query opens another', async () => {
    const h = await createTestDatabase();
    try {
      await Promise.all([1, 2, 3].map(() => sql`select pg_sleep(0.05)`.execute(h.db)));
      // Ends every other connection of this database, as a restart or an administrator would.
      await sql`select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`.execute(h.db);
      await new Promise((resolve) => setTimeout(resolve, 200));
      const after = await Promise.all([1, 2, 3].map(() => sql<{ one: number }>`select 1 as one`.execute(h.db)));
      expect(after.map((r) => r.rows[0]!.one)).toEqual([1, 1, 1]);
    } finally {
      await h.close();
    }
  });
});
