import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import pg from 'pg';
import iconv from 'iconv-lite';
import type { DatabaseHandle } from '../../src/db/index';
import { makeUnifiedAccountNumber } from '../../src/shared/identifiers';
import { kyivToday } from '../../src/shared/period';
import { importAgentRegistry } from '../../src/payments/registry';
import { cancelByAgent, pay, verifyPaymentsChain, type Agent } from '../../src/payments/service';
import { nextIds } from '../../src/payments/registry-bulk';
import { createTestDatabase } from '../helpers/db';
import { A, createBillingFixture } from './billing-fixture';

// The set-based registry path (registry-bulk.ts, PostgreSQL only: COPY) against the row-by-row
// one (`pay` per row): the same file on two databases made alike must leave the same payments,
// splits, ledger entries and report, and a sound chain; bad rows refuse the file with nothing
// posted; a bulk import killed mid-way and run again posts every row exactly once.

const UA = [1, 2, 3, 4, 5, 6].map((p) => makeUnifiedAccountNumber(400000 + p));
const today = kyivToday();

async function world(): Promise<{ h: DatabaseHandle; agent: Agent }> {
  const h = await createTestDatabase();
  await createBillingFixture(h.db);
  await h.db.insertInto('unified_account').values(UA.map((number, i) => ({ community_id: 1, premise_id: i + 1, number }))).execute();
  // Debts with odd kopecks on several accounts of premises 1–3, so payments split with remainders.
  await sql`insert into ledger_entry (community_id, account_id, period, kind, amount, source) values
    (1, ${A.p1Heating}, '2026-09-01', 'opening_balance', 45679, 'import'),
    (1, ${A.p1Management}, '2026-09-01', 'opening_balance', 12347, 'import'),
    (1, ${A.p1Intercom}, '2026-09-01', 'opening_balance', 3331, 'import'),
    (1, ${A.p2Cold}, '2026-09-01', 'opening_balance', 50003, 'import'),
    (1, ${A.p2Electricity}, '2026-09-01', 'opening_balance', 7001, 'import'),
    (1, ${A.p3Electricity}, '2026-09-01', 'opening_balance', 30001, 'import'),
    (1, ${A.p3Waste}, '2026-09-01', 'opening_balance', 1234, 'import'),
    (1, ${A.p3Parking}, '2026-09-01', 'opening_balance', -500, 'import')`.execute(h.db);
  const row = await h.db.insertInto('payment_agent').values({ community_id: 1, code: 'post', name: 'Укрпошта', max_amount: 1_000_000_000 }).returning('agent_id').executeTakeFirstOrThrow();
  const agent = { communityId: 1, agentId: row.agent_id, code: 'post', name: 'Укрпошта', maxAmount: 1_000_000_000 };
  for (const [txnId, i, amount] of [['t1', 0, 10000], ['t2', 1, 5000], ['t3', 2, 2000], ['x1', 0, 700], ['x2', 1, 800]] as const) await pay(h.db, agent, { txnId, unifiedAccount: UA[i]!, amount });
  // x2 is cancelled on its day; the file still lists it (and lists x1 under another household).
  await cancelByAgent(h.db, agent, 'x2', 'помилка касира');
  return { h, agent };
}

/** What an import leaves, in a form two databases can be compared by (ids differ, the rest must not). */
async function outcome(h: DatabaseHandle) {
  const payments = await sql<Record<string, unknown>>`
select p.txn_id, p.channel, p.premise_id, p.amount::bigint as amount, p.payer, p.request_hash, p.period::text as period, p.status,
       (select json_agg(json_build_array(pa.account_id, pa.amount::bigint, le.amount::bigint, le.kind, le.reason, le.period::text) order by pa.account_id)
          from payment_allocation pa join ledger_entry le on le.community_id = pa.community_id and le.entry_id = pa.entry_id
         where pa.community_id = p.community_id and pa.payment_id = p.payment_id) as parts
  from payment p order by p.txn_id`.execute(h.db);
  const balances = await sql<{ account_id: number; b: number }>`select account_id, sum(amount)::bigint as b from ledger_entry group by 1 order by 1`.execute(h.db);
  return { payments: payments.rows, balances: balances.rows };
}

describe.skipIf(!process.env.TEST_DATABASE_URL)('agent registries, the set-based path (PostgreSQL)', () => {
  let rowWorld: { h: DatabaseHandle; agent: Agent };
  let bulkWorld: { h: DatabaseHandle; agent: Agent };
  let dir: string;
  const csv = (name: string, lines: string[]) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, iconv.encode(['TXN;UNIFIED;AMOUNT;FIO', ...lines].join('\r\n') + '\r\n', 'windows-1251'));
    return file;
  };
  const bulk = (h: DatabaseHandle, chunkRows = 17) => ({ bulkUrl: h.url!, bulk: true, chunkRows });
  const count = async (h: DatabaseHandle) => (await sql<{ n: number; s: number }>`select count(*)::int as n, coalesce(sum(amount), 0)::bigint as s from payment`.execute(h.db)).rows[0]!;

  beforeAll(async () => {
    [rowWorld, bulkWorld] = await Promise.all([world(), world()]);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hromada-registry-bulk-'));
  }, 120_000);
  afterAll(async () => {
    await rowWorld?.h.close();
    await bulkWorld?.h.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a bad row — an unknown household, over the limit, a repeated id — naming it, with nothing posted', async () => {
    const { h, agent } = bulkWorld;
    const before = await count(h);
    const unknown = csv('unknown.csv', [`b1;${UA[0]};1.00;x`, `b2;${makeUnifiedAccountNumber(499999)};1.00;x`]);
    await expect(importAgentRegistry(h.db, agent, today, unknown, 'unknown.csv', bulk(h))).rejects.toMatchObject({ code: 'registry_row', details: { file: 'unknown.csv', row: 3, field: 'unifiedAccount' } });
    const over = csv('over.csv', [`b1;${UA[0]};1.00;x`, `b2;${UA[1]};1.00;x`, `b3;${UA[1]};20000000.00;x`]);
    await expect(importAgentRegistry(h.db, { ...agent, maxAmount: 1_000_000 }, today, over, 'over.csv', bulk(h))).rejects.toMatchObject({ details: { row: 4, field: 'amount' } });
    const dup = csv('dup.csv', [`b1;${UA[0]};1.00;x`, `b2;${UA[0]};1.00;x`, `b1;${UA[0]};1.00;x`]);
    await expect(importAgentRegistry(h.db, agent, today, dup, 'dup.csv', bulk(h))).rejects.toMatchObject({ details: { row: 4, field: 'txnId' } });
    const bad = csv('bad.csv', [`b1;${UA[0]};1.00;x`, `b2;${UA[0]};один;x`]);
    await expect(importAgentRegistry(h.db, agent, today, bad, 'bad.csv', bulk(h))).rejects.toMatchObject({ details: { row: 3, field: 'amount' } });
    expect(await count(h)).toEqual(before);
  });

  it('leaves exactly what posting row by row through pay leaves: payments, splits to the kopeck, ledger, report; the chain verifies; a rerun posts nothing', async () => {
    // 132 rows over six households: partial payments, overpayments (advances), one household owing nothing, t1 matched, t2 with another amount, x1 under another household, x2 cancelled since, t3 missing.
    const lines = [`t1;${UA[0]};100.00;Коваль`, `t2;${UA[1]};55.00;Мельник`, `x1;${UA[2]};7.00;Коваль`, `x2;${UA[1]};8.00;Мельник`];
    for (let i = 0; i < 128; i++) lines.push(`r${i};${UA[(i * 7) % 6]};${(((i * 3517) % 90000) / 100 + 0.01).toFixed(2)};Платник`);
    const file = csv('year.csv', lines);
    const viaRows = await importAgentRegistry(rowWorld.h.db, rowWorld.agent, today, file, 'year.csv', { bulk: false });
    const viaBulk = await importAgentRegistry(bulkWorld.h.db, bulkWorld.agent, today, file, 'year.csv', bulk(bulkWorld.h));
    expect(viaBulk.timings).toBeDefined();
    const { timings: _t, ...bulkReport } = viaBulk;
    expect(bulkReport).toEqual(viaRows);
    expect(viaRows).toMatchObject({ rows: 132, matched: 1, posted: 128, amountDiffers: 1, missingInFile: 1 });
    expect(viaRows.flags.map((f) => [f.problem, f.txnId])).toEqual([['amount_differs', 't2'], ['household_differs', 'x1'], ['cancelled_in_api', 'x2'], ['missing_in_file', 't3']]);
    const [a, b] = [await outcome(rowWorld.h), await outcome(bulkWorld.h)];
    expect(b.payments).toHaveLength(5 + 128);
    expect(b).toEqual(a);
    // Some payments split over several accounts; every payment's parts add up to it.
    expect(b.payments.some((p) => (p.parts as unknown[]).length > 1)).toBe(true);
    for (const p of b.payments) expect((p.parts as Array<[number, number]>).reduce((s, x) => s + Number(x[1]), 0)).toBe(Number(p.amount));
    expect((await verifyPaymentsChain(bulkWorld.h.db, 1)).problem).toBeNull();
    const head = (await sql<{ seq: number }>`select seq::int as seq from payment_chain_head`.execute(bulkWorld.h.db)).rows[0]!;
    expect(head.seq).toBe(5 + 1 + 128); // the payments of the API and x2's reversal, then the file's

    const again = await importAgentRegistry(bulkWorld.h.db, bulkWorld.agent, today, file, 'year.csv', bulk(bulkWorld.h));
    expect(again).toMatchObject({ matched: 1, posted: 128, amountDiffers: 1, missingInFile: 1 });
    expect(await outcome(bulkWorld.h)).toEqual(b);
    // A rerun whose row now says another amount for a transaction it posted is the conflict `pay` gives.
    const changed = csv('changed.csv', [...lines.slice(0, 5), lines[5]!.replace(/;[\d.]+;Платник$/, ';1.23;Платник')]);
    await expect(importAgentRegistry(bulkWorld.h.db, bulkWorld.agent, today, changed, 'changed.csv', bulk(bulkWorld.h))).rejects.toMatchObject({ code: 'txn_conflict', details: { row: 7 } });
  }, 120_000);

  it('a bulk import killed with SIGKILL mid-way and run again ends with exactly the right totals', async () => {
    const { h, agent } = bulkWorld;
    const rows = Array.from({ length: 600 }, (_, i) => `k${i};${UA[i % 6]};${(1 + (i % 50)).toFixed(2)};Платник`);
    const expected = Array.from({ length: 600 }, (_, i) => (1 + (i % 50)) * 100).reduce((s, x) => s + x, 0);
    const file = csv('kill.csv', rows);
    const kPayments = async () => (await sql<{ n: number; s: number }>`select count(*)::int as n, coalesce(sum(amount), 0)::bigint as s from payment where txn_id like 'k%'`.execute(h.db)).rows[0]!;
    const child = spawn(process.execPath, ['--import', 'tsx', path.resolve('tests/integration/registry-import-child.ts'), h.url!, String(agent.agentId), today, file, 'bulk:10'], { stdio: 'ignore' });
    for (let i = 0; i < 600 && (await kPayments()).n < 30; i++) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const partial = await kPayments();
    expect(partial.n).toBeGreaterThan(0);
    expect(partial.n).toBeLessThan(600);
    // Whole chunks only: a chunk is one transaction.
    expect(partial.n % 10).toBe(0);
    const report = await importAgentRegistry(h.db, agent, today, file, 'kill.csv', bulk(h, 50));
    expect(report.posted).toBe(600);
    expect(await kPayments()).toEqual({ n: 600, s: expected });
    const inv = await sql<{ p: number; a: number; l: number }>`
      select (select sum(amount) from payment)::bigint as p, (select sum(amount) from payment_allocation)::bigint as a,
             (select -sum(amount) from ledger_entry where kind = 'payment')::bigint as l`.execute(h.db);
    expect(inv.rows[0]!.p).toBe(inv.rows[0]!.a);
    expect(inv.rows[0]!.a).toBe(inv.rows[0]!.l);
    expect((await verifyPaymentsChain(h.db, 1)).problem).toBeNull();
  }, 60_000);

  it('draws ids in order, as a run when no one else draws meanwhile and one by one when someone does', async () => {
    const { h } = bulkWorld;
    await sql`create sequence bulk_ids_test`.execute(h.db);
    // A sequence that steps by 3 never gives a run, so its values take the one-by-one way.
    await sql`create sequence bulk_ids_step increment by 3`.execute(h.db);
    const [mine, other] = [new pg.Client({ connectionString: h.url! }), new pg.Client({ connectionString: h.url! })];
    await Promise.all([mine.connect(), other.connect()]);
    try {
      const alone = await nextIds(mine, `'bulk_ids_test'`, 1000);
      expect([...alone]).toEqual(Array.from({ length: 1000 }, (_, i) => 1 + i));
      expect([...(await nextIds(mine, `'bulk_ids_step'`, 5))]).toEqual([1, 4, 7, 10, 13]);
      // Two sessions drawing at once: every value is drawn once, each call's in order.
      // (Each session draws four times in turn: one pg client runs one query at a time.)
      const drawInTurn = async (session: pg.Client) => {
        const runs: Array<Awaited<ReturnType<typeof nextIds>>> = [];
        for (let k = 0; k < 4; k++) runs.push(await nextIds(session, `'bulk_ids_test'`, 20_000));
        return runs;
      };
      const drawn = (await Promise.all([mine, other].map(drawInTurn))).flat();
      for (const ids of drawn) expect([...ids]).toEqual([...ids].sort((x, y) => x - y));
      const all = new Set([...alone, ...drawn.flatMap((x) => [...x])]);
      expect(all.size).toBe(1000 + 8 * 20_000);
      expect([...all].every((v) => v >= 1 && v <= all.size)).toBe(true);
    } finally {
      await Promise.all([mine.end(), other.end()]);
    }
  });
});
