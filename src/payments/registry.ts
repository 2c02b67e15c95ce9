/**
 * An agent's daily registry of payments (DBF in cp866/cp1125, CSV in Windows-1251 — read by the
 * onboarding readers) reconciled against what arrived by API. Every row is checked before
 * anything is posted (a bad row refuses the file, naming row and field). Then each row is:
 *   matched — the API has the same transaction, for the same household and amount, standing;
 *   posted — the API never had it, so it is posted now through the same idempotent `pay`;
 *   flagged, nothing posted — the API has the transaction with another amount (amount_differs), for
 *   another household (household_differs), or cancelled since (cancelled_in_api).
 * The agent's API payments of the day that the file lacks are flagged missing_in_file. Because
 * posting goes through `pay`, an import killed mid-way and run again posts each row exactly once.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import type { Db } from '../db/index';
import { openTable, refuseFile } from '../onboarding/readers';
import type { TextEncoding } from '../onboarding/encoding';
import { AppError, conflict, notFound } from '../shared/errors';
import { sql } from 'kysely';
import { parseUah } from '../shared/money';
import * as repo from './repo';
import type { Agent } from './service';
import { agentFromRow, pay, payRequestHash } from './service';
import type { RegistryFlag } from './tables';

const COLUMNS = {
  // The agent's own id of the payment, as its API calls carry it (not a row number such as NPP, which restarts each file).
  txnId: ['TXN', 'TXN_ID', 'ID', 'ID_PLAT'],
  unifiedAccount: ['UNIFIED', 'OWN_NUM', 'LS', 'ACCOUNT', 'BILL'],
  amount: ['AMOUNT', 'SUMMA', 'SUM', 'SUMA'],
} as const;

export interface RegistryRow {
  rowNo: number;
  txnId: string;
  unifiedAccount: string;
  amount: number;
}

export interface RegistryReport {
  agentId: number;
  businessDate: string;
  fileName: string;
  rows: number;
  total: number;
  matched: number;
  posted: number;
  amountDiffers: number;
  missingInFile: number;
  flags: RegistryFlag[];
  /** Seconds per phase of the set-based path (registry-bulk.ts), when it ran. */
  timings?: Record<string, number>;
}

/**
 * Reads the file's rows, checking each as it comes (a bad one refuses the file, naming row and
 * field). `seen` catches a transaction id given twice; the bulk path passes none and checks that in
 * SQL instead (a set of millions of ids does not belong in memory).
 */
export async function* registryRows(filePath: string, displayName: string, encoding?: TextEncoding, seen?: Set<string>): AsyncGenerator<RegistryRow> {
  const table = await openTable(filePath, { displayName, ...(encoding ? { encoding } : {}) });
  try {
    const headers = table.headers.map((h) => h.trim().toUpperCase());
    const index = Object.fromEntries(
      Object.entries(COLUMNS).map(([field, names]) => {
        const i = headers.findIndex((h) => (names as readonly string[]).includes(h));
        if (i < 0) throw refuseFile(displayName, 'missing_column', `немає стовпця ${names.join(' / ')}`, `no column ${names.join(' / ')}`, { field });
        return [field, i];
      }),
    ) as Record<keyof typeof COLUMNS, number>;
    for await (const r of table.rows()) {
      const cell = (f: keyof typeof COLUMNS) => (r.values[index[f]] ?? '').trim();
      const bad = (field: string, uk: string, en: string) => registryRowError(displayName, r.rowNo, field, uk, en);
      const txnId = cell('txnId');
      if (!txnId) throw bad('txnId', 'немає ідентифікатора транзакції', 'no transaction id');
      if (!/^[\x21-\x7e]{1,64}$/.test(txnId)) throw bad('txnId', `«${txnId}» — не 1–64 друкованих символи ASCII`, `"${txnId}" is not 1–64 printable ASCII characters`);
      if (seen) {
        if (seen.has(txnId)) throw bad('txnId', `транзакція ${txnId} повторюється`, `transaction ${txnId} appears twice`);
        seen.add(txnId);
      }
      const unifiedAccount = cell('unifiedAccount');
      if (!/^\d{10}$/.test(unifiedAccount)) throw bad('unifiedAccount', `«${unifiedAccount}» — не номер єдиного рахунку`, `"${unifiedAccount}" is not a unified account number`);
      const amount = parseUah(cell('amount'));
      if (!amount.ok || amount.value <= 0) throw bad('amount', `«${cell('amount')}» — не сума більша за нуль`, `"${cell('amount')}" is not an amount above zero`);
      yield { rowNo: r.rowNo, txnId, unifiedAccount, amount: amount.value };
    }
  } finally {
    await table.close();
  }
}

export function registryRowError(displayName: string, rowNo: number, field: string, uk: string, en: string): AppError {
  return new AppError('registry_row', 422, { uk: `«${displayName}», рядок ${rowNo}, ${field}: ${uk}`, en: `"${displayName}", row ${rowNo}, ${field}: ${en}` }, { file: displayName, row: rowNo, field });
}

/** Reads and checks every row; refuses the whole file on the first bad one. */
export async function readRegistry(filePath: string, displayName: string, encoding?: TextEncoding): Promise<RegistryRow[]> {
  const rows: RegistryRow[] = [];
  for await (const row of registryRows(filePath, displayName, encoding, new Set())) rows.push(row);
  return rows;
}

/** Files from this size up go the set-based way on PostgreSQL (registry-bulk.ts). */
export const BULK_MIN_BYTES = 256 * 1024;

export interface RegistryImportOptions {
  encoding?: TextEncoding;
  /** The PostgreSQL connection string: with it, a large file (or any, with `bulk`) is imported set-based. */
  bulkUrl?: string;
  /** Force the set-based path (needs `bulkUrl`); `false` forces the row-by-row one. */
  bulk?: boolean;
  /** Rows per transaction on the set-based path. */
  chunkRows?: number;
}

/** Imports and reconciles a day's file of an agent; the report replaces any earlier one of that day. */
export async function importAgentRegistry(db: Db, agent: Agent, businessDate: string, filePath: string, displayName: string, encodingOrOptions?: TextEncoding | RegistryImportOptions): Promise<RegistryReport> {
  const options: RegistryImportOptions = typeof encodingOrOptions === 'string' ? { encoding: encodingOrOptions } : (encodingOrOptions ?? {});
  const encoding = options.encoding;
  if (options.bulkUrl && options.bulk !== false && (options.bulk || fs.statSync(filePath).size >= BULK_MIN_BYTES)) {
    const { importAgentRegistryBulk } = await import('./registry-bulk');
    const { timings, ...counts } = await importAgentRegistryBulk(db, options.bulkUrl, agent, businessDate, filePath, displayName, { encoding, chunkRows: options.chunkRows });
    return { ...(await saveReport(db, agent, businessDate, filePath, displayName, counts)), timings };
  }
  const rows = await readRegistry(filePath, displayName, encoding);
  const c = agent.communityId;
  let matched = 0;
  let posted = 0;
  const flags: RegistryFlag[] = [];
  const byTxn = new Map((await repo.paymentsByTxn(db, c, agent.agentId, rows.map((r) => r.txnId))).map((p) => [p.txn_id, p]));
  const existing = rows.map((row) => byTxn.get(row.txnId));
  const toPost = rows.filter((_, i) => !existing[i] || existing[i]!.channel === 'registry');
  await checkRowsToPost(db, agent, displayName, toPost, existing.filter((p) => p?.channel === 'registry').map((p) => p!));
  const premiseOf = new Map((await repo.premisesOfUnifiedAccounts(db, c, rows.map((r) => r.unifiedAccount))).map((u) => [u.number, u.premise_id]));
  rows.forEach((row, i) => {
    const api = existing[i];
    if (!api || api.channel === 'registry') return;
    const flag = reconcileWithApi({ ...row, premiseId: premiseOf.get(row.unifiedAccount) ?? null }, { amount: api.amount, status: api.status, premiseId: api.premise_id });
    if (flag) flags.push(flag);
    else matched++;
  });
  for (const row of toPost) {
    await pay(db, agent, { txnId: row.txnId, unifiedAccount: row.unifiedAccount, amount: row.amount, channel: 'registry' });
    posted++;
  }
  const inFile = new Set(rows.map((r) => r.txnId));
  const api = await db
    .selectFrom('payment')
    .select(['txn_id', 'amount'])
    .where('community_id', '=', c)
    .where('agent_id', '=', agent.agentId)
    .where('business_date', '=', businessDate)
    .where('channel', '<>', 'registry')
    .where('status', '=', 'posted')
    .orderBy('payment_id')
    .execute();
  for (const p of api) if (!inFile.has(p.txn_id)) flags.push({ problem: 'missing_in_file', txnId: p.txn_id, rowNo: null, fileAmount: null, apiAmount: p.amount });
  return saveReport(db, agent, businessDate, filePath, displayName, { rows: rows.length, total: rows.reduce((s, r) => s + r.amount, 0), matched, posted, flags });
}

/**
 * A file row against the agent's API payment of the same transaction id: null when they match (the
 * same household and amount, the payment standing), else what a person must look at.
 */
export function reconcileWithApi(row: { txnId: string; rowNo: number; amount: number; premiseId: number | null }, api: { amount: number; status: string; premiseId: number }): RegistryFlag | null {
  const flag = (problem: RegistryFlag['problem']): RegistryFlag => ({ problem, txnId: row.txnId, rowNo: row.rowNo, fileAmount: row.amount, apiAmount: api.amount });
  if (api.status === 'cancelled') return flag('cancelled_in_api');
  if (row.premiseId !== api.premiseId) return flag('household_differs');
  return row.amount === api.amount ? null : flag('amount_differs');
}

/**
 * Refuses the file, before anything is posted, on the first row (in file order) that `pay` would
 * refuse: an unknown household, an amount over the agent's limit, a household without accounts,
 * or a transaction an earlier import posted with other data. (registry-bulk.ts checks the same in SQL.)
 */
async function checkRowsToPost(db: Db, agent: Agent, displayName: string, rows: RegistryRow[], postedBefore: ReadonlyArray<{ txn_id: string; request_hash: string }>): Promise<void> {
  const numbers = [...new Set(rows.map((r) => r.unifiedAccount))];
  const households = numbers.length
    ? await db
        .selectFrom('unified_account as ua')
        .select(['ua.number', sql<boolean>`exists (select 1 from account x where x.community_id = ua.community_id and x.premise_id = ua.premise_id)`.as('has_accounts')])
        .where('ua.community_id', '=', agent.communityId)
        .where('ua.number', 'in', numbers)
        .execute()
    : [];
  const hasAccounts = new Map(households.map((h) => [h.number, h.has_accounts]));
  const hashBefore = new Map(postedBefore.map((p) => [p.txn_id, p.request_hash]));
  for (const r of rows) {
    const bad = (field: string, uk: string, en: string) => registryRowError(displayName, r.rowNo, field, uk, en);
    if (!hasAccounts.has(r.unifiedAccount)) throw bad('unifiedAccount', `єдиний рахунок ${r.unifiedAccount} не знайдено`, `unified account ${r.unifiedAccount} not found`);
    if (r.amount > agent.maxAmount) throw bad('amount', `сума ${r.amount} коп. більша за ліміт агента ${agent.maxAmount} коп.`, `the amount ${r.amount} exceeds the agent's limit of ${agent.maxAmount} kopecks`);
    if (!hasAccounts.get(r.unifiedAccount)) throw bad('unifiedAccount', `у помешкання ${r.unifiedAccount} немає особових рахунків`, `the household ${r.unifiedAccount} has no personal accounts`);
    const before = hashBefore.get(r.txnId);
    if (before !== undefined && before !== payRequestHash(r.unifiedAccount, r.amount)) {
      throw conflict('txn_conflict', { uk: `Транзакція ${r.txnId} вже є з іншими даними (рядок ${r.rowNo})`, en: `Transaction ${r.txnId} already exists with other data (row ${r.rowNo})` }, { field: 'txnId', row: r.rowNo });
    }
  }
}

/** The day's report, stored (replacing an earlier one of that day) and returned. */
export async function saveReport(db: Db, agent: Agent, businessDate: string, filePath: string, displayName: string, r: { rows: number; total: number; matched: number; posted: number; flags: RegistryFlag[] }): Promise<RegistryReport> {
  const c = agent.communityId;
  const { matched, posted, flags } = r;
  const report: RegistryReport = {
    agentId: agent.agentId,
    businessDate,
    fileName: displayName,
    rows: r.rows,
    total: r.total,
    matched,
    posted,
    amountDiffers: flags.filter((f) => f.problem === 'amount_differs').length,
    missingInFile: flags.filter((f) => f.problem === 'missing_in_file').length,
    flags,
  };
  const values = {
    file_name: displayName,
    file_sha256: await fileSha256(filePath),
    rows: report.rows,
    total: report.total,
    matched,
    posted,
    amount_differs: report.amountDiffers,
    missing_in_file: report.missingInFile,
    flags: JSON.stringify(flags),
    imported_at: new Date(),
  };
  await db
    .insertInto('agent_registry')
    .values({ community_id: c, agent_id: agent.agentId, business_date: businessDate, ...values })
    .onConflict((oc) => oc.columns(['community_id', 'agent_id', 'business_date']).doUpdateSet(values))
    .execute();
  return report;
}

async function fileSha256(filePath: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of fs.createReadStream(filePath)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** The agent of the community, as `pay` and the registry import take it; 404 for another's. */
export async function agentOf(db: Db, communityId: number, agentId: number): Promise<Agent> {
  const a = await db.selectFrom('payment_agent').selectAll().where('community_id', '=', communityId).where('agent_id', '=', agentId).executeTakeFirst();
  if (!a) throw notFound({ uk: `Агент №${agentId}`, en: `Agent #${agentId}` });
  return agentFromRow(communityId, a);
}

/** The agents' registries of recent days, newest first, with their reconciliation (the reconciliation page). */
export async function listRegistries(db: Db, communityId: number, days = 31) {
  const rows = await db
    .selectFrom('agent_registry as r')
    .innerJoin('payment_agent as a', (j) => j.onRef('a.community_id', '=', 'r.community_id').onRef('a.agent_id', '=', 'r.agent_id'))
    .select(['r.agent_id', 'a.code', 'a.name', 'r.business_date', 'r.file_name', 'r.rows', 'r.total', 'r.matched', 'r.posted', 'r.amount_differs', 'r.missing_in_file', 'r.flags', 'r.imported_at'])
    .where('r.community_id', '=', communityId)
    .where('r.business_date', '>=', sql<string>`current_date - ${days}::int`)
    .orderBy('r.business_date', 'desc')
    .orderBy('a.code')
    .execute();
  return rows.map((r) => ({
    agentId: r.agent_id,
    agent: r.code,
    agentName: r.name,
    businessDate: String(r.business_date).slice(0, 10),
    fileName: r.file_name,
    rows: r.rows,
    total: Number(r.total),
    matched: r.matched,
    posted: r.posted,
    amountDiffers: r.amount_differs,
    missingInFile: r.missing_in_file,
    flags: r.flags as RegistryFlag[],
    importedAt: new Date(r.imported_at).toISOString(),
  }));
}
