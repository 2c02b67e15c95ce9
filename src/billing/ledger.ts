/**
 * Writing to the ledger. Every module that moves money (billing runs, provider imports, payments,
 * manual adjustments) posts through `postLedgerEntries`, so the sign convention and the checks
 * live in one place. The database refuses entries into a closed period (trigger), and never lets
 * an entry change or disappear: a correction is a new entry.
 */
import type { Insertable } from 'kysely';
import type { Tx } from '../db/index';
import type { BillingTables, LedgerKind, LedgerSource } from './tables';

export interface NewLedgerEntry {
  communityId: number;
  accountId: number;
  /** First day of the month, 'YYYY-MM-01'. */
  period: string;
  kind: LedgerKind;
  /** Kopecks: > 0 increases what the resident owes; payments, benefits and subsidies are < 0. */
  amount: number;
  source: LedgerSource;
  volume?: string | number | null;
  tariff?: string | number | null;
  billingRunId?: number | null;
  importId?: number | null;
  reason?: string | null;
  reversesEntryId?: number | null;
  createdBy?: number | null;
}

/** Rows per INSERT: 14 parameters each stays far below PostgreSQL's 65,535-parameter limit. */
const CHUNK = 2000;

/**
 * Appends entries in multi-row INSERTs (set-based; no per-entry round trip beyond the chunking).
 * Call inside the caller's transaction so an import or payment batch lands whole or not at all.
 * Returns the number of entries written.
 */
export async function postLedgerEntries(trx: Tx, entries: readonly NewLedgerEntry[]): Promise<number> {
  for (let i = 0; i < entries.length; i += CHUNK) {
    await trx.insertInto('ledger_entry').values(entries.slice(i, i + CHUNK).map(toRow)).execute();
  }
  return entries.length;
}

/** The same for a handful of entries whose ids the caller keeps (a payment's allocations), in input order. */
export async function postLedgerEntriesReturningIds(trx: Tx, entries: readonly NewLedgerEntry[]): Promise<number[]> {
  if (entries.length === 0) return [];
  if (entries.length > CHUNK) throw new RangeError(`at most ${CHUNK} entries at once`);
  const rows = await trx.insertInto('ledger_entry').values(entries.map(toRow)).returning('entry_id').execute();
  return rows.map((r) => r.entry_id);
}

function toRow(e: NewLedgerEntry): Insertable<BillingTables['ledger_entry']> {
  if (!Number.isSafeInteger(e.amount)) throw new RangeError(`ledger amount must be whole kopecks, got ${e.amount}`);
  return {
    community_id: e.communityId,
    account_id: e.accountId,
    period: e.period,
    kind: e.kind,
    amount: e.amount,
    source: e.source,
    volume: e.volume ?? null,
    tariff: e.tariff ?? null,
    billing_run_id: e.billingRunId ?? null,
    import_id: e.importId ?? null,
    reason: e.reason ?? null,
    reverses_entry_id: e.reversesEntryId ?? null,
    created_by: e.createdBy ?? null,
  };
}
