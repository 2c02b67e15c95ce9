import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import iconv from 'iconv-lite';
import { DBFFile } from 'dbffile';
import type { DatabaseHandle } from '../../src/db/index';
import { makeUnifiedAccountNumber } from '../../src/shared/identifiers';
import { kyivToday } from '../../src/shared/period';
import { importAgentRegistry } from '../../src/payments/registry';
import { pay, reversePayment, type Agent } from '../../src/payments/service';
import { createTestDatabase } from '../helpers/db';
import { createBillingFixture } from './billing-fixture';

const UA = [1, 2, 3, 4, 5, 6].map((p) => makeUnifiedAccountNumber(300000 + p));

describe('agent registries reconciled against the API', () => {
  let h: DatabaseHandle;
  let dir: string;
  let agent: Agent;
  const today = kyivToday();
  const sum = async (where = sql`true`) => (await sql<{ n: number; s: number }>`select count(*)::int as n, coalesce(sum(amount), 0)::bigint as s from payment where agent_id = ${agent.agentId} and ${where}`.execute(h.db)).rows[0]!;
  const csv = (name: string, lines: string[]) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, iconv.encode(['TXN;UNIFIED;AMOUNT;FIO', ...lines].join('\r\n') + '\r\n', 'windows-1251'));
    return file;
  };

  beforeAll(async () => {
    h = await createTestDatabase();
    await createBillingFixture(h.db);
    await h.db.insertInto('unified_account').values(UA.map((number, i) => ({ community_id: 1, premise_id: i + 1, number }))).execute();
    const row = await h.db.insertInto('payment_agent').values({ community_id: 1, code: 'post', name: 'Укрпошта', max_amount: 1_000_000_000 }).returning('agent_id').executeTakeFirstOrThrow();
    agent = { communityId: 1, agentId: row.agent_id, code: 'post', name: 'Укрпошта', maxAmount: 1_000_000_000 };
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hromada-registry-'));
    for (const [txnId, i, amount] of [['t1', 0, 10000], ['t2', 1, 5000], ['t3', 2, 2000]] as const) await pay(h.db, agent, { txnId, unifiedAccount: UA[i]!, amount });
  }, 120_000);
  afterAll(async () => {
    await h?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a file with a bad row, naming row and field, and posts nothing', async () => {
    const before = await sum();
    const file = csv('bad.csv', [`t1;${UA[0]};100.00;Коваль`, `t9;${UA[3]};сто;Іванів`]);
    await expect(importAgentRegistry(h.db, agent, today, file, 'bad.csv')).rejects.toMatchObject({ code: 'registry_row', details: { file: 'bad.csv', row: 3, field: 'amount' } });
    const dup = csv('dup.csv', [`t1;${UA[0]};100.00;Коваль`, `t1;${UA[0]};100.00;Коваль`]);
    await expect(importAgentRegistry(h.db, agent, today, dup, 'dup.csv')).rejects.toMatchObject({ details: { row: 3, field: 'txnId' } });
    expect(await sum()).toEqual(before);
  });

  it('refuses, before posting any row, a file whose later row names an unknown household or exceeds the limit', async () => {
    const before = await sum();
    const unknown = makeUnifiedAccountNumber(399999);
    const file = csv('unknown.csv', [`u1;${UA[0]};10.00;Коваль`, `u2;${unknown};10.00;Іванів`]);
    await expect(importAgentRegistry(h.db, agent, today, file, 'unknown.csv')).rejects.toMatchObject({ code: 'registry_row', details: { file: 'unknown.csv', row: 3, field: 'unifiedAccount' } });
    const small = { ...agent, maxAmount: 50_00 };
    const over = csv('over.csv', [`u3;${UA[0]};10.00;Коваль`, `u4;${UA[1]};50.01;Мельник`]);
    await expect(importAgentRegistry(h.db, small, today, over, 'over.csv')).rejects.toMatchObject({ code: 'registry_row', details: { row: 3, field: 'amount' } });
    expect(await sum()).toEqual(before);
  });

  it('takes the payment id, not the row number NPP, as the transaction id', async () => {
    const file = path.join(dir, 'npp.csv');
    fs.writeFileSync(file, iconv.encode(`NPP;UNIFIED;AMOUNT\r\n1;${UA[0]};10.00\r\n`, 'windows-1251'));
    await expect(importAgentRegistry(h.db, agent, today, file, 'npp.csv')).rejects.toMatchObject({ code: 'file_missing_column', details: { field: 'txnId' } });
  });

  it('matches, posts what the API missed, flags differing amounts and payments missing from the file; a rerun changes nothing', async () => {
    const file = csv('day.csv', [`t1;${UA[0]};100.00;Коваль Олена`, `t2;${UA[1]};55.00;Мельник`, `t4;${UA[3]};30.00;Бондар`]);
    const report = await importAgentRegistry(h.db, agent, today, file, 'day.csv');
    expect(report).toMatchObject({ rows: 3, total: 18500, matched: 1, posted: 1, amountDiffers: 1, missingInFile: 1 });
    expect(report.flags).toEqual([
      { problem: 'amount_differs', txnId: 't2', rowNo: 3, fileAmount: 5500, apiAmount: 5000 },
      { problem: 'missing_in_file', txnId: 't3', rowNo: null, fileAmount: null, apiAmount: 2000 },
    ]);
    expect(await sum()).toEqual({ n: 4, s: 10000 + 5000 + 2000 + 3000 });
    await importAgentRegistry(h.db, agent, today, file, 'day.csv');
    expect(await sum()).toEqual({ n: 4, s: 20000 });
    const stored = await h.db.selectFrom('agent_registry').selectAll().where('agent_id', '=', agent.agentId).execute();
    expect(stored.map((r) => [r.business_date, r.matched, r.amount_differs, r.missing_in_file])).toEqual([[today, 1, 1, 1]]);
  });

  it('flags a row whose API payment is of another household or was cancelled since, rather than matching it', async () => {
    const x1 = await pay(h.db, agent, { txnId: 'x1', unifiedAccount: UA[0]!, amount: 700 });
    const x2 = await pay(h.db, agent, { txnId: 'x2', unifiedAccount: UA[1]!, amount: 800 });
    await reversePayment(h.db, 1, x2.paymentId, 'помилка', { sameDayOnly: true });
    const before = await sum();
    const file = csv('other.csv', [`x1;${UA[2]};7.00;Коваль`, `x2;${UA[1]};8.00;Мельник`]);
    const report = await importAgentRegistry(h.db, agent, today, file, 'other.csv');
    expect(report).toMatchObject({ matched: 0, posted: 0 });
    expect(report.flags.filter((f) => f.txnId.startsWith('x'))).toEqual([
      { problem: 'household_differs', txnId: 'x1', rowNo: 2, fileAmount: 700, apiAmount: 700 },
      { problem: 'cancelled_in_api', txnId: 'x2', rowNo: 3, fileAmount: 800, apiAmount: 800 },
    ]);
    expect(await sum()).toEqual(before);
    expect(x1.status).toBe('posted');
  });

  it('reads a DBF in cp866', async () => {
    const file = path.join(dir, 'day.dbf');
    const dbf = await DBFFile.create(file, [{ name: 'ID_PLAT', type: 'C', size: 20 }, { name: 'OWN_NUM', type: 'C', size: 10 }, { name: 'SUMMA', type: 'N', size: 12, decimalPlaces: 2 }, { name: 'FIO', type: 'C', size: 40 }], { encoding: 'cp866' });
    await dbf.appendRecords([{ ID_PLAT: 'd1', OWN_NUM: UA[4], SUMMA: 12.34, FIO: 'Ткач Юрiй' }]);
    const report = await importAgentRegistry(h.db, agent, today, file, 'day.dbf', 'cp866');
    expect(report).toMatchObject({ rows: 1, total: 1234, posted: 1 });
  });

  it.skipIf(!process.env.TEST_DATABASE_URL)('an import killed with SIGKILL mid-way and run again ends with exactly the right totals', async () => {
    const rows = Array.from({ length: 300 }, (_, i) => `k${i};${UA[i % 6]};${(1 + (i % 50)).toFixed(2)};Платник`);
    const expected = Array.from({ length: 300 }, (_, i) => (1 + (i % 50)) * 100).reduce((s, x) => s + x, 0);
    const file = csv('kill.csv', rows);
    const child = spawn(process.execPath, ['--import', 'tsx', path.resolve('tests/integration/registry-import-child.ts'), h.url!, String(agent.agentId), today, file], { stdio: 'ignore' });
    const kPayments = () => sum(sql`txn_id like 'k%'`);
    for (let i = 0; i < 600 && (await kPayments()).n < 20; i++) await new Promise((r) => setTimeout(r, 50));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const partial = await kPayments();
    expect(partial.n).toBeGreaterThan(0);
    expect(partial.n).toBeLessThan(300);
    await importAgentRegistry(h.db, agent, today, file, 'kill.csv');
    expect(await kPayments()).toEqual({ n: 300, s: expected });
    // The invariants: allocations sum to payments, the ledger's payment entries to the allocations.
    const inv = await sql<{ p: number; a: number; l: number }>`
      select (select sum(amount) from payment)::bigint as p, (select sum(amount) from payment_allocation)::bigint as a,
             (select -sum(amount) from ledger_entry where kind = 'payment')::bigint as l`.execute(h.db);
    expect(inv.rows[0]!.p).toBe(inv.rows[0]!.a);
    expect(inv.rows[0]!.a).toBe(inv.rows[0]!.l);
  }, 60_000);
});
