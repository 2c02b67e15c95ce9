/**
 * The hash chain per community over payments and reversals: each record carries the hash of the
 * one before, and its own hash is SHA-256 over that previous hash and the record's canonical
 * text. Changing a record breaks its own hash; removing one leaves a gap in the sequence or a
 * previous hash that no longer matches. Pure.
 */
import { createHash } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

export interface ChainRecord {
  seq: number;
  kind: 'payment' | 'reversal' | 'settlement';
  /** Payment id (a reversal is named by the payment it reverses), or the settlement registry's id. */
  id: number;
  /** The record's fields in a fixed order (see `canonicalPayment` / `canonicalReversal`). */
  text: string;
  /** A payment's status says cancelled (a reversal record must exist for it, and only then). */
  cancelled?: boolean;
  prevHash: string;
  hash: string;
}

export function chainHash(prevHash: string, text: string): string {
  return createHash('sha256').update(`${prevHash}\n${text}`).digest('hex');
}

export interface ChainedPayment {
  paymentId: number;
  agentId: number;
  txnId: string;
  channel: string;
  premiseId: number;
  amount: number;
  payer: string | null;
  paidAt: Date;
  /** The settlement day (YYYY-MM-DD) and the ledger period (YYYY-MM-01) the payment counts in. */
  businessDate: string;
  period: string;
  allocations: ReadonlyArray<{ accountId: number; amount: number }>;
}

/** Every field that decides where the money went and when; the status is checked against the reversals instead (it changes when one is made). */
export function canonicalPayment(p: ChainedPayment): string {
  const parts = [...p.allocations].sort((a, b) => a.accountId - b.accountId).map((a) => `${a.accountId}:${a.amount}`);
  return ['payment', p.paymentId, p.agentId, p.txnId, p.channel, p.premiseId, p.amount, JSON.stringify(p.payer), p.paidAt.toISOString(), p.businessDate, p.period, parts.join(',')].join('|');
}

export function canonicalReversal(r: { paymentId: number; reason: string; reversedAt: Date }): string {
  return ['reversal', r.paymentId, r.reason, r.reversedAt.toISOString()].join('|');
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** A settlement registry's record; a debt carried in is written only when there is one, so older records keep their hashes. */
export function canonicalSettlement(r: { registryId: number; providerId: number; businessDate: string; lines: number; gross: number; commission: number; net: number; carriedIn: number; csv: Buffer; dbf: Buffer }): string {
  const carried = r.carriedIn !== 0 ? [`carried${r.carriedIn}`] : [];
  return ['settlement', r.registryId, r.providerId, r.businessDate, r.lines, r.gross, r.commission, r.net, ...carried, sha(r.csv), sha(r.dbf)].join('|');
}

/** The random part of a receipt code: 12 hex digits of `hex`, in groups of four. */
export function receiptSecret(hex: string): string {
  return hex.slice(0, 12).toUpperCase().match(/.{4}/g)!.join('-');
}

/**
 * The code printed on the receipt: the payment's id, so the receipt is found by its key, and the
 * random part, so whoever holds the code (and only they) may see it.
 */
export function receiptCode(paymentId: number, secret: string): string {
  return `${paymentId}-${secret}`;
}

/** A receipt code, in either case (the route's pattern and `parseReceiptCode`'s). */
export const RECEIPT_CODE_PATTERN = '([1-9][0-9]{0,14})-([0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4})';
const RECEIPT_CODE = new RegExp(`^${RECEIPT_CODE_PATTERN}$`);

/** The payment id and random part of a receipt code, or null when it is not one. */
export function parseReceiptCode(code: string): { paymentId: number; secret: string } | null {
  const m = RECEIPT_CODE.exec(code);
  return m ? { paymentId: Number(m[1]), secret: m[2]!.toUpperCase() } : null;
}

export type ChainProblem = { seq: number; kind: ChainRecord['kind'] | 'missing'; id: number | null; problem: 'changed' | 'removed' };

/**
 * Walks the records in sequence from 1 and names the first that was changed or removed;
 * `headSeq` is the last sequence number the community handed out. A payment marked cancelled
 * without a reversal in the chain, or reversed but not marked, counts as changed.
 */
export function verifyChain(records: readonly ChainRecord[], headSeq: number): ChainProblem | null {
  const sorted = [...records].sort((a, b) => a.seq - b.seq);
  let prev = GENESIS_HASH;
  let expected = 1;
  for (const r of sorted) {
    if (r.seq !== expected) return { seq: expected, kind: 'missing', id: null, problem: 'removed' };
    if (r.prevHash !== prev) return { seq: r.seq, kind: r.kind, id: r.id, problem: r.seq === 1 ? 'changed' : 'removed' };
    if (chainHash(r.prevHash, r.text) !== r.hash) return { seq: r.seq, kind: r.kind, id: r.id, problem: 'changed' };
    prev = r.hash;
    expected++;
  }
  if (expected <= headSeq) return { seq: expected, kind: 'missing', id: null, problem: 'removed' };
  // The records all stand; a status that disagrees with them was changed (a removed reversal was named above).
  const reversed = new Set(sorted.filter((r) => r.kind === 'reversal').map((r) => r.id));
  const wrongStatus = sorted.find((r) => r.kind === 'payment' && r.cancelled !== undefined && r.cancelled !== reversed.has(r.id));
  return wrongStatus ? { seq: wrongStatus.seq, kind: 'payment', id: wrongStatus.id, problem: 'changed' } : null;
}
