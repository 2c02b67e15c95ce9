/**
 * Payments: the one core every channel goes through — the agents' JSON API, the PrivatBank
 * "Debt" XML adapter, card acquirers and registries. "To pay" is `amountDue` over
 * `premiseBalances`; the split is `allocate`; every part is a ledger entry of kind 'payment' in
 * the open period; payments and reversals are appended to the community's hash chain.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Db, DbOrTx } from '../db/index';
import { amountDue } from '../billing/amount-due';
import { postLedgerEntriesReturningIds } from '../billing/ledger';
import { choosePeriodForCorrections, openPeriodForCorrections } from '../billing/run';
import { premiseBalances, type PremiseAccountBalance } from '../billing/statements';
import { displayAddress } from '../registry/service';
import { AppError, conflict, invalid, notFound, type Bilingual } from '../shared/errors';
import { isValidUnifiedAccountNumber } from '../shared/identifiers';
import { kyivDateOf, periodOf } from '../shared/period';
import { allocate, type SplitPart } from './allocate';
import { canonicalPayment, canonicalReversal, chainHash, parseReceiptCode, receiptCode, receiptSecret, verifyChain, type ChainProblem } from './chain';
import type { PaymentChannel } from './tables';
import * as repo from './repo';
import { replayedNonce, unknownKey } from './agent-errors';
import type { ReceiptData } from './receipt';
import { submitReadingsForUnifiedAccount, type ReadingInput, type ReadingResult } from '../metering/service';
import type { SessionUser } from '../server/context';
import { searchAddresses } from '../registry/search';
import { sameSecret } from '../shared/same-secret';

/** The agent behind a verified request (see agent-auth.ts). */
export interface Agent {
  communityId: number;
  agentId: number;
  code: string;
  name: string;
  maxAmount: number;
}

/** An agent as `pay` takes it, from its payment_agent row. */
export function agentFromRow(communityId: number, row: { agent_id: number; code: string; name: string; max_amount: number }): Agent {
  return { communityId, agentId: row.agent_id, code: row.code, name: row.name, maxAmount: row.max_amount };
}

/** The staff-like actor the metering and registry services see when an agent's call reaches them. */
function agentActor(communityId: number, login: string, displayName: string): SessionUser {
  return { userId: 0, communityId, login, displayName, role: 'operator', providerId: null };
}

export interface DebtLineView {
  serviceCode: string;
  /** The service's name in Ukrainian and in English (a page shows the reader's). */
  service: string;
  serviceEn: string;
  provider: string;
  providerEdrpou: string;
  accountNumber: string;
  toPay: number;
  advance: number;
}

export interface HouseholdDebt {
  unifiedAccount: string;
  premiseId: number;
  address: string;
  /** Masked: «К***ь О.» — enough for the payer to recognise, not enough to harvest. */
  payer: string | null;
  /** The period the figures are for, 'YYYY-MM-01' (the current month). */
  period: string;
  lines: DebtLineView[];
  total: number;
  advance: number;
}

export interface PaymentPart {
  serviceCode: string;
  service: string;
  provider: string;
  accountNumber: string;
  amount: number;
}

export interface PaymentView {
  paymentId: number;
  txnId: string;
  status: 'posted' | 'cancelled';
  unifiedAccount: string;
  amount: number;
  paidAt: string;
  businessDate: string;
  parts: PaymentPart[];
  receiptCode: string;
}

/** «Коваль», «Олена» → «К***ь О.» */
export function maskName(lastName: string, firstName: string): string {
  const last = [...lastName];
  const masked = last.length <= 2 ? `${last[0]}*` : `${last[0]}***${last[last.length - 1]}`;
  return `${masked} ${[...firstName][0] ?? ''}.`;
}

const unknownAccount = (number: string) =>
  new AppError('unknown_account', 404, { uk: `Єдиний рахунок ${number} не знайдено`, en: `Unified account ${number} not found` }, { field: 'unifiedAccount' });

const invalidUnifiedAccount = (unifiedAccount: string) =>
  invalid('invalid_unified_account', { uk: `«${unifiedAccount}» — не номер єдиного рахунку (10 цифр з контрольною)`, en: `"${unifiedAccount}" is not a unified account number (10 digits with a check digit)` }, { field: 'unifiedAccount' });

async function household(db: DbOrTx, communityId: number, unifiedAccount: string) {
  const number = unifiedAccount.replace(/\s+/g, '');
  if (!/^\d{10}$/.test(number) || !isValidUnifiedAccountNumber(number)) throw invalidUnifiedAccount(unifiedAccount);
  const h = await repo.householdByUnifiedAccount(db, communityId, number);
  if (!h) throw unknownAccount(number);
  return h;
}

/** What the household owes now, per account and in total (`amountDue`), as an agent may see it. */
export async function findDebt(db: DbOrTx, communityId: number, unifiedAccount: string, now = new Date()): Promise<HouseholdDebt> {
  const h = await household(db, communityId, unifiedAccount);
  const due = amountDue(await premiseBalances(db, communityId, h.premise_id));
  return {
    unifiedAccount: h.unified_account,
    premiseId: h.premise_id,
    address: displayAddress({ streetType: h.street_type, streetName: h.street_name, house: h, apartment: h.apartment }),
    payer: h.last_name && h.first_name ? maskName(h.last_name, h.first_name) : null,
    period: periodOf(now),
    lines: due.lines.map((l) => ({
      serviceCode: l.account.serviceCode,
      service: l.account.serviceUk,
      serviceEn: l.account.serviceEn,
      provider: l.account.provider,
      providerEdrpou: l.account.providerEdrpou,
      accountNumber: l.account.number,
      toPay: l.toPay,
      advance: l.advance,
    })),
    total: due.total,
    advance: due.advance,
  };
}

/**
 * The debt of the household at an address as a payer says it («Соборна 12 кв 5», a former street
 * name, Latin letters): only when the address names exactly one flat (or a private house) and the
 * street matched surely. Several that fit → 409 with them to choose from; none → 404. Never a guess.
 */
export async function findDebtByAddress(db: Db, communityId: number, address: string, now = new Date()): Promise<HouseholdDebt> {
  const found = await searchAddresses(db, agentActor(communityId, 'agent', 'agent'), address, 10);
  const wanted = found.parsed?.apartment ?? null;
  const house = found.parsed?.houseKey ?? null;
  // A flat, or a private house (a building of one premise) when no flat was said.
  const households = found.items.filter((i) => i.unifiedAccount !== null && i.score >= SURE_STREET_SCORE && (i.kind === 'premise' || (i.kind === 'building' && wanted === null && i.premiseId !== null)));
  // The house and flat must be those said: «12 кв 5» is never 12а, nor flat 15.
  const exact = households.filter((p) => house !== null && p.houseKey === house && (wanted === null || p.apartment === wanted));
  // The household fits best both by how surely the street matched and by the street type said
  // («пров. Соборна» is the lane when a street of that name has the same house and flat). When
  // the two disagree, or several fit equally, the payer is asked, never answered with a guess.
  const typed = found.parsed?.streetType ?? null;
  const ofType = exact.filter((p) => p.streetType === typed);
  const byType = ofType.length > 0 ? ofType : exact;
  const topScore = Math.max(...exact.map((p) => p.score));
  const fitting = byType.filter((p) => p.score === topScore);
  const best = fitting.length > 0 ? fitting : exact;
  if (best.length === 0) throw notFound({ uk: `Адреса «${address}»`, en: `Address "${address}"` }, { field: 'address' });
  if (best.length > 1) {
    throw conflict('address_ambiguous', { uk: `Адресі «${address}» відповідає кілька помешкань: уточніть або вкажіть єдиний рахунок`, en: `Several households fit "${address}": be more precise or give the unified account` }, {
      field: 'address',
      candidates: best.slice(0, 10).map((p) => ({ address: p.address, unifiedAccount: p.unifiedAccount })),
    });
  }
  return findDebt(db, communityId, best[0]!.unifiedAccount!, now);
}

/** A street matched at least this well (1 = its exact name) is taken as the one meant. */
const SURE_STREET_SCORE = 0.8;

function checkAmount(agent: Agent, amount: number): void {
  if (!Number.isSafeInteger(amount) || amount <= 0) {
    throw invalid('amount_invalid', { uk: 'Сума має бути цілим числом копійок, більшим за нуль', en: 'The amount must be a whole number of kopecks above zero' }, { field: 'amount' });
  }
  if (amount > agent.maxAmount) {
    throw invalid('amount_over_limit', { uk: `Сума ${amount} коп. більша за ліміт агента ${agent.maxAmount} коп.`, en: `The amount ${amount} exceeds the agent's limit of ${agent.maxAmount} kopecks` }, { field: 'amount', limit: agent.maxAmount });
  }
}

/** The split of `amount` over the household's accounts, or the reason it cannot be made. */
async function split(db: DbOrTx, communityId: number, premiseId: number, amount: number, parts?: readonly SplitPart[]) {
  return splitOf(await premiseBalances(db, communityId, premiseId), amount, parts);
}

/** The same on balances already read (`premiseBalances`, or pay's lookup). */
function splitOf(balances: readonly PremiseAccountBalance[], amount: number, parts?: readonly SplitPart[]) {
  const due = amountDue(balances);
  const r = allocate(amount, due.lines.map((l) => ({ accountId: l.account.accountId, serviceCode: l.account.serviceCode, toPay: l.toPay })), parts);
  if (!r.ok) throw invalid(r.code, r.reason, r.field ? { field: r.field } : undefined);
  const byId = new Map(balances.map((b) => [b.accountId, b]));
  return r.parts.map((p) => ({ ...p, account: byId.get(p.accountId)! }));
}

export interface CheckInput {
  unifiedAccount: string;
  amount: number;
  split?: SplitPart[];
}

/** Checks that an amount (and split) can be paid; the reference it returns may be quoted by the pay call. */
export async function checkPayment(db: Db, agent: Agent, input: CheckInput): Promise<{ reference: string; amount: number; parts: PaymentPart[] }> {
  checkAmount(agent, input.amount);
  const h = await household(db, agent.communityId, input.unifiedAccount);
  const parts = await split(db, agent.communityId, h.premise_id, input.amount, input.split);
  const reference = randomBytes(9).toString('base64url');
  await db
    .insertInto('payment_check')
    .values({ community_id: agent.communityId, reference, agent_id: agent.agentId, premise_id: h.premise_id, amount: input.amount, split: input.split ? JSON.stringify(input.split) : null })
    .execute();
  return { reference, amount: input.amount, parts: parts.map((p) => ({ serviceCode: p.account.serviceCode, service: p.account.serviceUk, provider: p.account.provider, accountNumber: p.account.number, amount: p.amount })) };
}

export interface PayInput {
  /** The agent's own id of the transaction: retries carry the same one. */
  txnId: string;
  unifiedAccount: string;
  amount: number;
  split?: SplitPart[];
  /** A reference from `checkPayment`: its split is used when none is given here. */
  reference?: string;
  channel?: PaymentChannel;
}

const txnConflict = (txnId: string) =>
  conflict('txn_conflict', { uk: `Транзакція ${txnId} вже є з іншими даними`, en: `Transaction ${txnId} already exists with other data` }, { field: 'txnId' });

/**
 * What the agent's signed request proved, handed to `pay` so that the nonce is remembered and the
 * key re-checked in pay's own first statement rather than in a round trip of their own.
 */
/**
 * What makes two pays of one txnId the same request (a retry) or not (409): the household, the
 * amount, the payer's split and the check reference. An empty split is no split.
 */
export function payRequestHash(unifiedAccount: string, amount: number, split?: readonly SplitPart[] | null, reference?: string | null): string {
  return createHash('sha256')
    .update(JSON.stringify([unifiedAccount, amount, split?.length ? split : null, reference ?? null]))
    .digest('hex');
}

export interface AgentProof {
  keyId: string;
  nonce: string;
}

/**
 * Posts a payment, once: the same agent and txnId with the same request return the first answer;
 * with another request, 409. A plain pay (no split of the payer's, no check reference) is one
 * statement shared with the plain pays arriving at the same time (`payBatched`, `payManyQuery`):
 * the nonce, the key, the household, its balances, the split and the inserts. A pay with a split
 * or a reference takes two: `payLookup`, then, after `allocate` has split the amount,
 * `insertPayment` (the payment, its ledger entries and allocations, atomically). A concurrent
 * retry's insert waits on the first's unique key, writes nothing, and answers from its row. The
 * chain is sealed after the commit, in batches (`scheduleSeal`), so payments never queue on the
 * chain head.
 */
export async function pay(db: Db, agent: Agent, input: PayInput, now = new Date(), proof?: AgentProof): Promise<PaymentView & { replayed: boolean }> {
  const c = agent.communityId;
  let nonceTaken = false;
  // A request refused before the lookup still spends its nonce (and a replayed one is told so first).
  const refuseEarly = async (error: unknown): Promise<never> => {
    if (proof && !nonceTaken) {
      nonceTaken = true;
      if (!(await repo.rememberNonce(db, c, agent.agentId, proof.nonce))) throw replayedNonce();
    }
    throw error;
  };
  try {
    if (!/^[\x21-\x7e]{1,64}$/.test(input.txnId)) {
      throw invalid('invalid_txn_id', { uk: 'Ідентифікатор транзакції: 1–64 друкованих символи ASCII', en: 'The transaction id must be 1–64 printable ASCII characters' }, { field: 'txnId' });
    }
    checkAmount(agent, input.amount);
  } catch (error) {
    return refuseEarly(error);
  }
  const number = input.unifiedAccount.replace(/\s+/g, '');
  const requestHash = payRequestHash(number, input.amount, input.split, input.reference);
  const replay = async (existing: { request_hash: string; payment_id: number }) => {
    if (existing.request_hash !== requestHash) throw txnConflict(input.txnId);
    return { ...(await paymentView(db, c, existing.payment_id)), replayed: true };
  };
  nonceTaken = true;
  const paidAt = new Date(now.getTime());
  const businessDate = kyivDateOf(paidAt);
  const secret = receiptSecret(randomBytes(6).toString('hex'));
  if (!input.split?.length && !input.reference) {
    // The plain pay, with the others arriving now (the payer's own split and check references take the two-statement path below).
    const r = await payBatched(db, c, periodOf(now), {
      agentId: agent.agentId,
      channel: input.channel ?? 'api',
      txnId: input.txnId,
      requestHash,
      amount: input.amount,
      paidAt,
      businessDate,
      receiptSecret: secret,
      reason: `${agent.code} ${input.txnId}`,
      number,
      nonce: proof?.nonce ?? null,
      keyId: proof?.keyId ?? null,
    });
    if (r.max_amount === null) throw new Error(`payment agent ${agent.agentId} of community ${c} not found`);
    if (r.payment_id !== null) {
      scheduleSeal(db, c);
      return {
        paymentId: r.payment_id,
        txnId: input.txnId,
        status: 'posted',
        unifiedAccount: r.unified_account!,
        amount: input.amount,
        paidAt: paidAt.toISOString(),
        businessDate,
        parts: r.parts!.map((p) => ({ serviceCode: p.serviceCode, service: p.serviceUk, provider: p.provider, accountNumber: p.number, amount: Number(p.amount) })),
        receiptCode: receiptCode(r.payment_id, secret),
        replayed: false,
      };
    }
    // Nothing posted: say why, in the order of the checks.
    if (r.nonce_new === false) throw replayedNonce();
    if (r.key_ok === false) throw unknownKey();
    checkAmount({ ...agent, maxAmount: r.max_amount }, input.amount);
    if (r.existing_id !== null) return replay({ request_hash: r.existing_hash!, payment_id: r.existing_id });
    if (!/^\d{10}$/.test(number) || !isValidUnifiedAccountNumber(number)) throw invalidUnifiedAccount(input.unifiedAccount);
    if (r.premise_id === null) throw unknownAccount(number);
    if (!r.has_accounts) splitOf([], input.amount); // allocate's own refusal (no accounts)
    // A concurrent call with the same txnId committed first: answer from its row.
    return replay((await repo.paymentByTxn(db, c, agent.agentId, input.txnId))!);
  }
  // Its balances are read, then written after allocate: nothing else of the household runs between.
  return holdingHousehold(db, c, number, async () => {
    const look = await repo.payLookup(db, { communityId: c, agentId: agent.agentId, txnId: input.txnId, number, reference: input.reference ?? null, nonce: proof?.nonce ?? null, keyId: proof?.keyId ?? null, at: now });
    if (look.nonce_new === false) throw replayedNonce();
    if (look.key_ok === false) throw unknownKey();
    checkAmount({ ...agent, maxAmount: look.max_amount }, input.amount);
    if (look.existing_id !== null) return replay({ request_hash: look.existing_hash!, payment_id: look.existing_id });
    if (!/^\d{10}$/.test(number) || !isValidUnifiedAccountNumber(number)) throw invalidUnifiedAccount(input.unifiedAccount);
    if (look.premise_id === null || look.balances === null) throw unknownAccount(number);
    const premiseId = look.premise_id;
    let splitParts = input.split;
    if (input.reference) {
      if (!look.check_found || look.check_premise_id !== premiseId || look.check_amount !== input.amount) {
        throw invalid('reference_mismatch', { uk: 'Посилання перевірки не відповідає рахунку або сумі', en: 'The check reference does not match the account or amount' }, { field: 'reference' });
      }
      splitParts ??= (look.check_split as SplitPart[] | null) ?? undefined;
    }
    const parts = splitOf(look.balances, input.amount, splitParts);
    const period = choosePeriodForCorrections(look.last_closed, look.first_open, periodOf(now));
    const id = await repo.insertPayment(db, {
      communityId: c,
      agentId: agent.agentId,
      channel: input.channel ?? 'api',
      txnId: input.txnId,
      requestHash,
      premiseId,
      amount: input.amount,
      reference: input.reference ?? null,
      payer: look.last_name && look.first_name ? maskName(look.last_name, look.first_name) : null,
      paidAt,
      businessDate,
      period,
      receiptSecret: secret,
      reason: `${agent.code} ${input.txnId}`,
      parts,
    });
    // A concurrent call with the same txnId committed first: answer from its row.
    if (id === null) return replay((await repo.paymentByTxn(db, c, agent.agentId, input.txnId))!);
    scheduleSeal(db, c);
    return {
      paymentId: id,
      txnId: input.txnId,
      status: 'posted',
      unifiedAccount: look.unified_account!,
      amount: input.amount,
      paidAt: paidAt.toISOString(),
      businessDate,
      // The same parts, in the same order, as `paymentView` reads back (the statement's order).
      parts: parts.map((p) => ({ serviceCode: p.account.serviceCode, service: p.account.serviceUk, provider: p.account.provider, accountNumber: p.account.number, amount: p.amount })),
      receiptCode: receiptCode(id, secret),
      replayed: false,
    };
  });
}

/** A plain pay waiting for its batch, and the caller waiting for its answer. */
interface QueuedPay {
  pay: repo.PlainPay;
  fallbackPeriod: string;
  resolve: (row: repo.PlainPayAnswer) => void;
  reject: (error: unknown) => void;
}
interface PayQueue {
  waiting: QueuedPay[];
  inFlight: number;
  /** The households, txnIds and nonces of the statements under way (`payKeys`). */
  busy: Set<string>;
  /** A send is due at the end of this turn of the event loop. */
  gathering: boolean;
  /** Two-statement pays waiting for their household to be free (`holdingHousehold`). */
  freed: Array<() => void>;
}
const payQueues = new WeakMap<Db, Map<number, PayQueue>>();
/**
 * Pays in one statement at most, and statements under way at once per database and community. One
 * at a time makes the groups larger (the statement's own cost is shared by more pays): in
 * bench:payments it took 0.42–0.45 ms of the backends' CPU a pay against 0.53–0.54 with two, and
 * p99 21–22 ms against 26–27, at the same rate.
 */
const PAY_BATCH = 64;
const PAY_STATEMENTS = 1;

/**
 * Group commit for plain pays: at the end of the event loop's turn the pays that arrived in it go
 * out together when fewer than `PAY_STATEMENTS` are under way; otherwise they wait for one to
 * finish and go with every pay that arrived meanwhile. Each batch is one statement
 * (`payManyQuery`) and so one commit. A pay whose household, txnId or nonce is already in a
 * statement under way or in the batch waits for a later one, so that it sees the first's writes
 * (a household paid twice at once splits its second payment over what the first left owing).
 * When a batch's statement fails, each of its pays is tried alone, so one pay's fault is its own.
 */
function payBatched(db: Db, communityId: number, fallbackPeriod: string, pay: repo.PlainPay): Promise<repo.PlainPayAnswer> {
  const q = payQueueOf(db, communityId);
  const answer = new Promise<repo.PlainPayAnswer>((resolve, reject) => q.waiting.push({ pay, fallbackPeriod, resolve, reject }));
  // The pays reaching here in this turn of the event loop (the requests read together) go out together.
  if (!q.gathering) {
    q.gathering = true;
    setImmediate(() => {
      q.gathering = false;
      sendPays(db, communityId, q);
    });
  }
  return answer;
}

function payQueueOf(db: Db, communityId: number): PayQueue {
  let queues = payQueues.get(db);
  if (!queues) payQueues.set(db, (queues = new Map()));
  let queue = queues.get(communityId);
  if (!queue) queues.set(communityId, (queue = { waiting: [], inFlight: 0, busy: new Set(), gathering: false, freed: [] }));
  return queue;
}

/** Keys were let go: the two-statement pays waiting look again, and the plain pays waiting go out. */
function release(db: Db, communityId: number, q: PayQueue, keys: readonly string[]): void {
  for (const k of keys) q.busy.delete(k);
  for (const wake of q.freed.splice(0)) wake();
  sendPays(db, communityId, q);
}

/**
 * Runs a pay with the payer's split or a check reference (a lookup, then the insert) while its
 * household is held in the queue's busy set, so that no other pay of the household (plain or
 * not) runs between its reading of the balances and its insert, within this process.
 */
async function holdingHousehold<T>(db: Db, communityId: number, number: string, run: () => Promise<T>): Promise<T> {
  const q = payQueueOf(db, communityId);
  const key = `h${number}`;
  while (q.busy.has(key)) await new Promise<void>((wake) => q.freed.push(wake));
  q.busy.add(key);
  try {
    return await run();
  } finally {
    release(db, communityId, q, [key]);
  }
}

function sendPays(db: Db, communityId: number, q: PayQueue): void {
  while (q.inFlight < PAY_STATEMENTS && q.waiting.length > 0) {
    const { batch, keys } = takeBatch(q);
    if (batch.length === 0) return; // every waiting pay waits for one under way
    for (const k of keys) q.busy.add(k);
    q.inFlight++;
    void runPays(db, communityId, batch).finally(() => {
      q.inFlight--;
      release(db, communityId, q, keys);
    });
  }
}

/** What two pays of one statement, or of two at once, may not share. */
function payKeys(pay: repo.PlainPay): string[] {
  return [`h${pay.number}`, `t${pay.agentId}:${pay.txnId}`, ...(pay.nonce ? [`n${pay.agentId}:${pay.nonce}`] : [])];
}

/**
 * The first waiting pays, in order, that share nothing (`payKeys`) with each other or with those
 * under way, and share their fallback period; the rest stay. Answers the batch and its keys.
 */
function takeBatch(q: PayQueue): { batch: QueuedPay[]; keys: string[] } {
  const batch: QueuedPay[] = [];
  const taken = new Set<string>();
  const left: QueuedPay[] = [];
  for (const w of q.waiting) {
    const own = payKeys(w.pay);
    if (batch.length < PAY_BATCH && w.fallbackPeriod === (batch[0] ?? w).fallbackPeriod && !own.some((k) => q.busy.has(k) || taken.has(k))) {
      batch.push(w);
      for (const k of own) taken.add(k);
    } else left.push(w);
  }
  q.waiting.splice(0, q.waiting.length, ...left);
  return { batch, keys: [...taken] };
}

async function runPays(db: Db, communityId: number, batch: QueuedPay[]): Promise<void> {
  try {
    const rows = (await repo.payManyQuery(communityId, batch[0]!.fallbackPeriod, batch.map((w) => w.pay)).execute(db)).rows;
    batch.forEach((w, i) => w.resolve(rows[i]!));
  } catch (error) {
    if (batch.length === 1) return batch[0]!.reject(error);
    await Promise.all(batch.map((w) => runPays(db, communityId, [w])));
  }
}

interface SealState {
  running: Promise<void> | null;
  again: boolean;
}
const sealStates = new WeakMap<Db, Map<number, SealState>>();
/** How long a seal waits for more payments to seal with it. */
const SEAL_DELAY_MS = 100;

/**
 * Seals the community's committed payments soon, in the background: one seal runs at a time per
 * database and community, `SEAL_DELAY_MS` after the first payment that wants it, and the payments
 * committed while it waits or runs are sealed with it or by the next one, together. A seal that fails (the server going away) leaves its payments for the next seal;
 * `verifyPaymentsChain` seals everything before it reads.
 */
export function scheduleSeal(db: Db, communityId: number): void {
  let states = sealStates.get(db);
  if (!states) sealStates.set(db, (states = new Map()));
  let state = states.get(communityId);
  if (!state) states.set(communityId, (state = { running: null, again: false }));
  if (state.running) {
    state.again = true;
    return;
  }
  const s = state;
  s.running = (async () => {
    do {
      // A short wait gathers the payments committing meanwhile into the same seal.
      await new Promise((resolve) => setTimeout(resolve, SEAL_DELAY_MS));
      s.again = false;
      try {
        await sealChain(db, communityId);
      } catch {
        s.again = false; // left unsealed: the next payment's seal, or verify, takes them
      }
    } while (s.again);
    s.running = null;
  })();
}

/** Waits for the seals under way (before the database is closed, and before the chain is read). */
export async function flushSeals(db: Db): Promise<void> {
  const states = sealStates.get(db);
  if (!states) return;
  await Promise.all([...states.values()].map((s) => s.running));
}

/**
 * Appends every committed payment not yet in the chain, in one transaction on the chain head:
 * the first seal after a batch of commits links them all, so the chain costs one short
 * transaction per batch rather than a lock held through every payment.
 */
export async function sealChain(db: Db, communityId: number): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const head = await repo.lockChainHead(trx, communityId);
    const open = await repo.unsealedPayments(trx, communityId);
    let { seq, hash } = head;
    const sealed = open.map((p) => {
      const prev = hash;
      hash = chainHash(prev, canonicalPayment(p));
      seq += 1;
      return { paymentId: p.paymentId, seq, prevHash: prev, hash };
    });
    if (sealed.length === 0) return 0;
    await repo.sealPayments(trx, communityId, sealed);
    await repo.moveChainHead(trx, communityId, seq, hash);
    return sealed.length;
  });
}

/** A payment as its agent, the portal and the receipt see it. */
export async function paymentView(db: DbOrTx, communityId: number, paymentId: number): Promise<PaymentView> {
  const p = await repo.paymentById(db, communityId, paymentId);
  if (!p) throw notFound({ uk: 'Платіж', en: 'Payment' }, { paymentId });
  const parts = await repo.allocationsOf(db, communityId, paymentId);
  return {
    paymentId: p.payment_id,
    txnId: p.txn_id,
    status: p.status,
    unifiedAccount: (await repo.unifiedAccountOfPremise(db, communityId, p.premise_id)) ?? '',
    amount: p.amount,
    paidAt: new Date(p.paid_at).toISOString(),
    businessDate: p.business_date,
    parts: parts.map((x) => ({ serviceCode: x.service_code, service: x.service_uk, provider: x.provider, accountNumber: x.account_number, amount: x.amount })),
    receiptCode: receiptCode(p.payment_id, p.receipt_secret),
  };
}

export async function paymentStatus(db: DbOrTx, agent: Agent, txnId: string): Promise<PaymentView> {
  const p = await repo.paymentByTxn(db, agent.communityId, agent.agentId, txnId);
  if (!p) throw notFound({ uk: `Транзакція ${txnId}`, en: `Transaction ${txnId}` }, { field: 'txnId' });
  return paymentView(db, agent.communityId, p.payment_id);
}

/**
 * Reverses a payment: a 'reversal' entry per allocated account in the open period, and a chain
 * record. `sameDayOnly` is the agents' rule (they may cancel only on the day of payment); staff
 * may reverse later, with a reason.
 */
export async function reversePayment(db: Db, communityId: number, paymentId: number, reason: string, opts: { sameDayOnly: boolean; userId?: number | null }, now = new Date()): Promise<PaymentView> {
  if (!reason.trim()) throw invalid('reason_required', { uk: 'Вкажіть причину сторнування', en: 'Give a reason for the reversal' }, { field: 'reason' });
  await db.transaction().execute(async (trx) => {
    const head = await repo.lockChainHead(trx, communityId);
    const p = await repo.paymentById(trx, communityId, paymentId);
    if (!p) throw notFound({ uk: 'Платіж', en: 'Payment' }, { paymentId });
    if (p.status === 'cancelled') throw conflict('already_cancelled', { uk: 'Платіж уже скасовано', en: 'The payment is already cancelled' });
    if (opts.sameDayOnly && p.business_date !== kyivDateOf(now)) {
      throw conflict('cancel_day_closed', { uk: `Скасувати можна лише в день платежу (${p.business_date})`, en: `A payment can be cancelled only on its day (${p.business_date})` }, { businessDate: p.business_date });
    }
    const period = await openPeriodForCorrections(trx, communityId, periodOf(now));
    const parts = await repo.allocationsOf(trx, communityId, paymentId);
    await postLedgerEntriesReturningIds(
      trx,
      parts.map((x) => ({ communityId, accountId: x.account_id, period, kind: 'reversal', amount: x.amount, source: 'payment', reason: reason.slice(0, 500), reversesEntryId: x.entry_id, createdBy: opts.userId ?? null })),
    );
    const reversedAt = new Date(now.getTime());
    const hash = chainHash(head.hash, canonicalReversal({ paymentId, reason, reversedAt }));
    await trx
      .insertInto('payment_reversal')
      .values({ community_id: communityId, payment_id: paymentId, reason, reversed_by: opts.userId ?? null, reversed_at: reversedAt, chain_seq: head.seq + 1, prev_hash: head.hash, hash })
      .execute();
    await trx.updateTable('payment').set({ status: 'cancelled' }).where('community_id', '=', communityId).where('payment_id', '=', paymentId).execute();
    await repo.moveChainHead(trx, communityId, head.seq + 1, hash);
  });
  return paymentView(db, communityId, paymentId);
}

export async function cancelByAgent(db: Db, agent: Agent, txnId: string, reason: string, now = new Date()): Promise<PaymentView> {
  const p = await repo.paymentByTxn(db, agent.communityId, agent.agentId, txnId);
  if (!p) throw notFound({ uk: `Транзакція ${txnId}`, en: `Transaction ${txnId}` }, { field: 'txnId' });
  return reversePayment(db, agent.communityId, p.payment_id, reason || `cancelled by ${agent.code}`, { sameDayOnly: true }, now);
}

/** Recomputes the community's chain: null when intact, else the first record changed or removed. */
export async function verifyPaymentsChain(db: Db, communityId: number): Promise<{ records: number; problem: ChainProblem | null }> {
  await flushSeals(db);
  await sealChain(db, communityId);
  const { records, headSeq } = await repo.chainRecords(db, communityId);
  return { records: records.length, problem: verifyChain(records, headSeq) };
}

export function chainProblemText(p: ChainProblem): Bilingual {
  const uk = { payment: 'платіж', reversal: 'сторно платежу', settlement: 'реєстр розрахунків' };
  const what = p.kind === 'missing' ? { uk: `запис №${p.seq}`, en: `record #${p.seq}` } : { uk: `${uk[p.kind]} ${p.id} (запис №${p.seq})`, en: `${p.kind} ${p.id} (record #${p.seq})` };
  return p.problem === 'changed' ? { uk: `Змінено ${what.uk}`, en: `Changed: ${what.en}` } : { uk: `Видалено ${what.uk}`, en: `Removed: ${what.en}` };
}

/** The receipt of a payment found by its verification code (public: the code is the secret). */
export async function receiptByCode(db: DbOrTx, communityId: number, code: string): Promise<ReceiptData> {
  const parsed = parseReceiptCode(code);
  const p = parsed && (await repo.paymentById(db, communityId, parsed.paymentId));
  if (!p || !sameSecret(parsed.secret, p.receipt_secret)) throw notFound({ uk: `Квитанція ${code}`, en: `Receipt ${code}` });
  return receiptOf(db, communityId, p.payment_id);
}

/** The receipt of a payment: what the portal shows the resident after paying. */
export async function receiptOf(db: DbOrTx, communityId: number, paymentId: number): Promise<ReceiptData> {
  const view = await paymentView(db, communityId, paymentId);
  const meta = await repo.receiptMeta(db, communityId, paymentId);
  const h = await repo.householdByUnifiedAccount(db, communityId, view.unifiedAccount);
  return {
    ...view,
    community: meta.community,
    agent: meta.agent,
    payer: meta.payer,
    address: h ? displayAddress({ streetType: h.street_type, streetName: h.street_name, house: h, apartment: h.apartment }) : '',
  };
}

/** The staff search and the per-day chart read the rows as they are. */
export { dailyByChannel, searchPayments, type PaymentRow } from './repo';

/**
 * Meter readings brought with a payment (a cash desk or terminal asks for them at the counter):
 * through the metering rules like any other channel, keyed by the unified account, each naming its
 * meter by id or serial; only that household's meters are taken. The payment stands whatever the
 * readings' verdicts are.
 */
export async function readingsWithPayment(db: Db, agent: Agent, unifiedAccount: string, txnId: string, readings: ReadingInput[]): Promise<ReadingResult[]> {
  const actor = agentActor(agent.communityId, `agent:${agent.code}`, agent.name);
  return submitReadingsForUnifiedAccount(db, actor, unifiedAccount.replace(/\s+/g, ''), readings, { channel: 'cash_desk', paymentRef: `${agent.code}:${txnId}` });
}
