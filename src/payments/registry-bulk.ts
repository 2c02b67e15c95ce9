/**
 * The set-based way of a large agent registry (millions of rows) on PostgreSQL, with the same
 * outcome as posting row by row through `pay` (registry.ts):
 *   1. the rows are checked as they are read and COPYed into a session-temporary staging table
 *      (a transaction id given twice is found there, in SQL);
 *   2. they are matched against the agent's payments by transaction id in one join: matched,
 *      amount_differs (flagged), already posted by an earlier run of this file (counted posted,
 *      as `pay` would replay it), or missing — and everything the missing rows need is checked
 *      before anything is posted, in one pass (a known unified account, the agent's limit, a
 *      household with accounts; the first faulty row in file order is named), so a bad row refuses
 *      the file with nothing posted; the agent's payments of the day that came another way and that
 *      the file lacks are found too (the rows this import posts are never among them);
 *   3. the missing rows are allocated in file order with `allocate` (allocate.ts: largest
 *      remainder, to the kopeck) over balances loaded once and carried forward in memory, exactly
 *      as successive `pay` calls would see them; per chunk of rows, in one transaction, their
 *      ledger entries (kind `payment`, in the open period), then — holding the chain head — the
 *      payments (already sealed into the hash chain as `sealChain` would seal them:
 *      `canonicalPayment`, `chainHash`) and their `payment_allocation` rows are written with COPY.
 *      Two chunks are written at once on two connections: one writes its ledger entries while the
 *      one before it holds the head; they commit in file order.
 * A run killed mid-way leaves whole chunks committed; run again, their rows are "already posted"
 * and the balances are read afresh, so each row is posted exactly once.
 *
 * The balances are read without a database lock (as `pay` reads them, which holds households apart
 * only within its own process): payments to the same households arriving by API while the file is
 * posted split over the balances as they were read.
 */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import pg from 'pg';
import copyStreams from 'pg-copy-streams';
import type { Db } from '../db/index';
import { owedOn } from '../billing/amount-due';
import { openPeriodForCorrections } from '../billing/run';
import { conflict, invalid } from '../shared/errors';
import type { TextEncoding } from '../onboarding/encoding';
import { kyivDateOf, periodOf } from '../shared/period';
import { allocate, type AllocatedPart, type DebtLine } from './allocate';
import { canonicalPayment, chainHash, GENESIS_HASH, receiptSecret } from './chain';
import { reconcileWithApi, registryRowError, registryRows } from './registry';
import type { Agent } from './service';
import { maskName, payRequestHash } from './service';
import type { RegistryFlag } from './tables';

const { from: copyFrom } = copyStreams;

export interface BulkCounts {
  rows: number;
  total: number;
  matched: number;
  posted: number;
  flags: RegistryFlag[];
  /** Seconds per phase, for the benchmark. */
  timings: Record<string, number>;
}

// Each chunk walks the ledger's account index once, so fewer, larger chunks are faster (the import
// then holds about 2.8 GB at 9.8 M rows).
const DEFAULT_CHUNK = 500_000;

/** COPY text format: backslash, tab, newline and carriage return escaped; null as \N. */
function cell(v: string | number | null): string {
  if (v === null) return '\\N';
  if (typeof v === 'number') return String(v);
  if (!/[\\\t\n\r]/.test(v)) return v;
  return v.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

/**
 * COPY text lines gathered into Buffers of a few thousand lines each: a chunk's rows wait there,
 * outside the JavaScript heap, until they are written, so the garbage collector neither copies
 * them nor walks them.
 */
class CopyBuffers {
  readonly buffers: Buffer[] = [];
  private pending: string[] = [];

  push(line: string): void {
    this.pending.push(line);
    if (this.pending.length >= 5_000) this.seal();
  }

  /** The lines pushed, as Buffers in order. */
  done(): Buffer[] {
    this.seal();
    return this.buffers;
  }

  private seal(): void {
    if (this.pending.length) this.buffers.push(Buffer.from(this.pending.join('')));
    this.pending = [];
  }
}

/** Writes lines (already in COPY text format, each ending in \n), or Buffers of them, through COPY … FROM STDIN. */
async function copyLines(client: pg.Client, statement: string, lines: AsyncIterable<string> | Iterable<string | Buffer>): Promise<void> {
  const stream = client.query(copyFrom(statement));
  const done = new Promise<void>((resolve, reject) => {
    stream.on('finish', () => resolve());
    stream.on('error', reject);
  });
  let batch: string[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    if (!stream.write(batch.join(''))) await once(stream, 'drain');
    batch = [];
  };
  try {
    for await (const line of lines) {
      if (typeof line === 'string') {
        batch.push(line);
        if (batch.length >= 5_000) await flush();
      } else {
        await flush();
        if (!stream.write(line)) await once(stream, 'drain');
      }
    }
    await flush();
  } catch (err) {
    stream.destroy(err as Error);
    await done.catch(() => undefined);
    throw err;
  }
  stream.end();
  await done;
}

interface Household {
  /** The accounts in the statement's order, as `allocate` takes them; `toPay` follows the balance. */
  debts: DebtLine[];
  balances: number[];
  payer: string | null;
}

export async function importAgentRegistryBulk(
  db: Db,
  url: string,
  agent: Agent,
  businessDate: string,
  filePath: string,
  displayName: string,
  options: { encoding?: TextEncoding; chunkRows?: number } = {},
): Promise<BulkCounts> {
  const c = agent.communityId;
  const a = agent.agentId;
  const chunkRows = options.chunkRows ?? DEFAULT_CHUNK;
  const timings: Record<string, number> = {};
  let mark = performance.now();
  const lap = (name: string) => {
    const now = performance.now();
    timings[name] = Math.round(now - mark) / 1000;
    mark = now;
  };
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // 1. Read, check, COPY into staging.
    await client.query('create temp table registry_row (row_no int not null, txn_id text not null, unified text not null, amount bigint not null) on commit preserve rows');
    let rows = 0;
    let total = 0;
    await copyLines(
      client,
      'copy registry_row (row_no, txn_id, unified, amount) from stdin',
      (async function* () {
        for await (const r of registryRows(filePath, displayName, options.encoding)) {
          rows++;
          total += r.amount;
          yield `${r.rowNo}\t${cell(r.txnId)}\t${r.unifiedAccount}\t${r.amount}\n`;
        }
      })(),
    );
    lap('read_and_copy');
    const dup = await client.query<{ txn_id: string; row_no: number }>(
      `select txn_id, (array_agg(row_no order by row_no))[2] as row_no from registry_row group by txn_id having count(*) > 1 order by 2 limit 1`,
    );
    if (dup.rows[0]) throw registryRowError(displayName, dup.rows[0].row_no, 'txnId', `транзакція ${dup.rows[0].txn_id} повторюється`, `transaction ${dup.rows[0].txn_id} appears twice`);
    lap('duplicates');

    // 2. Match by transaction id, in one join.
    await client.query(
      `create temp table registry_match as
       select r.row_no, r.txn_id, r.unified, r.amount, p.payment_id, p.channel, p.amount as api_amount, p.status as api_status, p.premise_id as api_premise_id, p.request_hash, ua.premise_id
         from registry_row r
         left join payment p on p.community_id = $1 and p.agent_id = $2 and p.txn_id = r.txn_id
         left join unified_account ua on ua.community_id = $1 and ua.number = r.unified`,
      [c, a],
    );
    // The rows to post, and the few the agent's payments already have, each reached by row number.
    await client.query('create index on registry_match (row_no) where payment_id is null');
    await client.query('create index on registry_match (row_no) where payment_id is not null');
    await client.query('analyze registry_match');
    lap('match');
    // Everything the rows to post need, checked in one pass: the first row of each fault, in file order.
    const faults = (
      await client.query<{ unknown: number | null; over: number | null; empty: number | null; from_api: number }>(
        `with wanted as (select distinct premise_id from registry_match where payment_id is null and premise_id is not null),
              empty as (select premise_id from wanted w where not exists (select 1 from account x where x.community_id = $1 and x.premise_id = w.premise_id))
         select min(row_no) filter (where payment_id is null and premise_id is null) as unknown,
                min(row_no) filter (where payment_id is null and amount > $2) as over,
                min(row_no) filter (where payment_id is null and premise_id in (select premise_id from empty)) as empty,
                count(*) filter (where payment_id is not null and channel <> 'registry')::int as from_api
           from registry_match`,
        [c, agent.maxAmount],
      )
    ).rows[0]!;
    const rowAt = async (rowNo: number) =>
      (await client.query<{ row_no: number; unified: string; amount: number }>(`select row_no, unified, amount::bigint as amount from registry_match where payment_id is null and row_no = $1`, [rowNo])).rows[0]!;
    const firstFault = Math.min(...[faults.unknown, faults.over, faults.empty].filter((x): x is number => x !== null));
    if (Number.isFinite(firstFault)) {
      // Row by row, `pay` would have refused this row first; a row with several faults is named for the first of them.
      const bad = await rowAt(firstFault);
      if (bad.row_no === faults.unknown) throw registryRowError(displayName, bad.row_no, 'unifiedAccount', `єдиний рахунок ${bad.unified} не знайдено`, `unified account ${bad.unified} not found`);
      if (bad.row_no === faults.over) throw registryRowError(displayName, bad.row_no, 'amount', `сума ${bad.amount} коп. більша за ліміт агента ${agent.maxAmount} коп.`, `the amount ${bad.amount} exceeds the agent's limit of ${agent.maxAmount} kopecks`);
      throw registryRowError(displayName, bad.row_no, 'unifiedAccount', `у помешкання ${bad.unified} немає особових рахунків`, `the household ${bad.unified} has no personal accounts`);
    }
    // A row an earlier run posted must be the same request, as `pay` demands of a retry.
    const earlier = await client.query<{ row_no: number; txn_id: string; unified: string; amount: number; request_hash: string }>(
      `select row_no, txn_id, unified, amount::bigint as amount, request_hash from registry_match where payment_id is not null and channel = 'registry' order by row_no`,
    );
    for (const r of earlier.rows) {
      if (r.request_hash !== payRequestHash(r.unified, Number(r.amount))) {
        throw conflict('txn_conflict', { uk: `Транзакція ${r.txn_id} вже є з іншими даними (рядок ${r.row_no})`, en: `Transaction ${r.txn_id} already exists with other data (row ${r.row_no})` }, { field: 'txnId', row: r.row_no });
      }
    }
    // The rows the API had that do not match it (`reconcileWithApi` says why); the rest matched.
    const flags: RegistryFlag[] = (
      await client.query<{ txn_id: string; row_no: number; amount: number; api_amount: number; api_status: string; api_premise_id: number; premise_id: number | null }>(
        `select txn_id, row_no, amount::bigint as amount, api_amount::bigint as api_amount, api_status, api_premise_id, premise_id from registry_match
          where payment_id is not null and channel <> 'registry'
            and (amount <> api_amount or api_status <> 'posted' or premise_id is distinct from api_premise_id)
          order by row_no`,
      )
    ).rows.flatMap((r) => reconcileWithApi({ txnId: r.txn_id, rowNo: r.row_no, amount: Number(r.amount), premiseId: r.premise_id === null ? null : Number(r.premise_id) }, { amount: Number(r.api_amount), status: r.api_status, premiseId: Number(r.api_premise_id) }) ?? []);
    const matched = faults.from_api - flags.length;
    // The agent's payments of the day that the file lacks: those that came another way than a registry
    // (so the ones this import posts are never among them, and they are found before it posts).
    const missing = await client.query<{ txn_id: string; amount: number }>(
      `select p.txn_id, p.amount::bigint as amount from payment p
        where p.community_id = $1 and p.agent_id = $2 and p.business_date = $3::date and p.channel <> 'registry' and p.status = 'posted'
          and not exists (select 1 from registry_row r where r.txn_id = p.txn_id)
        order by p.payment_id`,
      [c, a, businessDate],
    );
    for (const p of missing.rows) flags.push({ problem: 'missing_in_file', txnId: p.txn_id, rowNo: null, fileAmount: null, apiAmount: Number(p.amount) });
    lap('checks');

    // 3. Allocate the missing rows in file order over balances carried forward, and post them in chunks.
    const period = await openPeriodForCorrections(db, c, periodOf(new Date()));
    const households = await loadHouseholds(client, c);
    lap('balances');

    let posted = earlier.rows.length;
    let after = 0;
    let allocateMs = 0;
    let prepareMs = 0;
    let writeMs = 0;
    const part: Record<string, number> = {};
    /** Adds the time since `since` to the phase `name`; the next phase starts now. */
    const stepper = (since: number) => (name: string) => {
      const now = performance.now();
      part[name] = (part[name] ?? 0) + (now - since);
      since = now;
    };
    type ChunkRow = { row_no: number; txn_id: string; unified: string; amount: number; premise_id: number };
    const fetchChunk = async () => {
      const chunk = (
        await client.query<ChunkRow>(`select row_no, txn_id, unified, amount::bigint as amount, premise_id from registry_match where payment_id is null and row_no > $1 order by row_no limit $2`, [after, chunkRows])
      ).rows;
      if (chunk.length) after = chunk[chunk.length - 1]!.row_no;
      return chunk;
    };
    const breathe = () => new Promise<void>((resolve) => setImmediate(resolve));

    /**
     * Everything of a chunk that does not depend on the chain head: the split (carrying the
     * balances forward), the ids (drawn on the second connection), the rows' COPY lines and the
     * payments' canonical texts. It runs while the chunk before is being written, yielding now and
     * then so that the COPY streams keep flowing.
     */
    const prepare = async (chunk: ChunkRow[]) => {
      let t0 = performance.now();
      const split: AllocatedPart[][] = [];
      let partsCount = 0;
      for (const [i, r] of chunk.entries()) {
        const h = households.get(Number(r.premise_id))!;
        const result = allocate(Number(r.amount), h.debts);
        if (!result.ok) throw invalid(result.code, result.reason);
        // The parts come in the debts' order (those with nothing left out): carry the balances forward.
        let j = 0;
        for (const x of result.parts) {
          while (h.debts[j]!.accountId !== x.accountId) j++;
          h.balances[j]! -= x.amount;
          h.debts[j]!.toPay = owedOn(h.balances[j]!);
        }
        split.push(result.parts);
        partsCount += result.parts.length;
        if (i % 2_000 === 1_999) await breathe();
      }
      allocateMs += performance.now() - t0;
      t0 = performance.now();
      const paymentIds = await nextIds(ids, `pg_get_serial_sequence('payment', 'payment_id')`, chunk.length);
      const entryIds = await nextIds(ids, `pg_get_serial_sequence('ledger_entry', 'entry_id')`, partsCount);
      const paidAt = new Date();
      const paidAtText = paidAt.toISOString();
      const day = kyivDateOf(paidAt);
      const random = randomBytes(6 * chunk.length).toString('hex');
      // Each payment's line up to its receipt code (the chain's columns follow once the head is known).
      const lines: string[] = [];
      const texts: string[] = [];
      const allocations = new CopyBuffers();
      // The entries by index, to be written in account order.
      const entryAccount = new Float64Array(partsCount);
      const entryAmount = new Float64Array(partsCount);
      const entryRow = new Uint32Array(partsCount);
      let e = 0;
      for (const [i, x] of chunk.entries()) {
        const id = paymentIds[i]!;
        const amount = Number(x.amount);
        const premiseId = Number(x.premise_id);
        const parts = split[i]!;
        const payer = households.get(premiseId)!.payer;
        texts.push(canonicalPayment({ paymentId: id, agentId: a, txnId: x.txn_id, channel: 'registry', premiseId, amount, payer, paidAt, businessDate: day, period, allocations: parts }));
        lines.push(`${c}\t${id}\t${a}\tregistry\t${cell(x.txn_id)}\t${payRequestHash(x.unified, amount)}\t${premiseId}\t${amount}\t\\N\t${cell(payer)}\t${paidAtText}\t${day}\t${period}\tposted\t${receiptSecret(random.slice(12 * i, 12 * i + 12))}`);
        for (const y of parts) {
          entryAccount[e] = y.accountId;
          entryAmount[e] = y.amount;
          entryRow[e] = i;
          allocations.push(`${c}\t${id}\t${y.accountId}\t${y.amount}\t${entryIds[e]}\n`);
          e++;
        }
        if (i % 2_000 === 1_999) await breathe();
      }
      // In account order, so the account index and the account key checks walk their pages in order.
      const order = new Uint32Array(partsCount).map((_, k) => k).sort((x, y) => entryAccount[x]! - entryAccount[y]! || x - y);
      const entries = new CopyBuffers();
      for (const k of order) {
        const reason = cell(`${agent.code} ${chunk[entryRow[k]!]!.txn_id}`);
        entries.push(`${c}\t${entryIds[k]}\t${entryAccount[k]}\t${period}\tpayment\t${-entryAmount[k]!}\tpayment\t${reason}\n`);
      }
      prepareMs += performance.now() - t0;
      return { count: chunk.length, lines, texts, entryLines: entries.done(), allocationLines: allocations.done() };
    };

    /**
     * One chunk in one transaction on its own connection: first its ledger entries, which need
     * nothing of the chain (so they are written while the chunk before still holds the head); then,
     * once the chunk before has committed, the chain head, the sealed payments, the allocations.
     */
    const write = async (conn: pg.Client, p: Awaited<ReturnType<typeof prepare>>, before: Promise<void>) => {
      const t0 = performance.now();
      const step = stepper(t0);
      await conn.query('begin');
      try {
        await copyLines(conn, 'copy ledger_entry (community_id, entry_id, account_id, period, kind, amount, source, reason) from stdin', p.entryLines);
        step('copy_ledger');
        await before;
        step('wait');
        await conn.query('insert into payment_chain_head (community_id, seq, hash) values ($1, 0, $2) on conflict do nothing', [c, GENESIS_HASH]);
        const head = (await conn.query<{ seq: string; hash: string }>('select seq, hash from payment_chain_head where community_id = $1 for update', [c])).rows[0]!;
        step('head');
        let seq = Number(head.seq);
        let hash = head.hash;
        const sealed = new CopyBuffers();
        for (const [i, text] of p.texts.entries()) {
          const prev = hash;
          hash = chainHash(prev, text);
          seq += 1;
          sealed.push(`${p.lines[i]}\t${seq}\t${prev}\t${hash}\n`);
        }
        step('chain');
        await copyLines(
          conn,
          'copy payment (community_id, payment_id, agent_id, channel, txn_id, request_hash, premise_id, amount, reference, payer, paid_at, business_date, period, status, receipt_secret, chain_seq, prev_hash, hash) from stdin',
          sealed.done(),
        );
        step('copy_payment');
        await copyLines(conn, 'copy payment_allocation (community_id, payment_id, account_id, amount, entry_id) from stdin', p.allocationLines);
        await conn.query('update payment_chain_head set seq = $2, hash = $3 where community_id = $1', [c, seq, hash]);
        step('copy_allocation');
        await conn.query('commit');
        step('commit');
      } catch (err) {
        await conn.query('rollback').catch(() => undefined);
        throw err;
      }
      writeMs += performance.now() - t0;
    };

    // Chunk n is prepared while the two before it are written, on two connections of their own,
    // committing in file order.
    const ids = new pg.Client({ connectionString: url });
    const writers = [new pg.Client({ connectionString: url }), new pg.Client({ connectionString: url })];
    await Promise.all([ids, ...writers].map((x) => x.connect()));
    const loopStarted = performance.now();
    const inFlight: Array<Promise<void>> = [];
    try {
      let committed: Promise<void> = Promise.resolve();
      for (let n = 0; ; n++) {
        const rows = await fetchChunk();
        if (rows.length === 0) break;
        const ready = await prepare(rows);
        if (inFlight.length === writers.length) await inFlight.shift();
        committed = write(writers[n % writers.length]!, ready, committed);
        const count = ready.count;
        const done = committed.then(() => void (posted += count));
        done.catch(() => undefined); // marked handled now; awaited (and thrown) below
        inFlight.push(done);
      }
      await Promise.all(inFlight);
    } catch (err) {
      // Let the writes still running end (each rolls back once the one before it failed) before the connections close.
      await Promise.allSettled(inFlight);
      throw err;
    } finally {
      await Promise.all([ids, ...writers].map((x) => x.end()));
    }
    timings.post = Math.round(performance.now() - loopStarted) / 1000;
    timings.prepare = Math.round(prepareMs) / 1000;
    timings.allocate = Math.round(allocateMs) / 1000;
    timings.write = Math.round(writeMs) / 1000;
    for (const [k, v] of Object.entries(part)) timings[`write.${k}`] = Math.round(v) / 1000;
    return { rows, total, matched, posted, flags, timings };
  } finally {
    await client.end();
  }
}

/**
 * The households the missing rows pay to: their accounts in the statement's order with their
 * balances, and the payer as `pay` names it (the first person registered there now, masked).
 */
async function loadHouseholds(client: pg.Client, c: number): Promise<Map<number, Household>> {
  const households = new Map<number, Household>();
  const loaded = await client.query<{ premise_id: number; account_id: number; service_code: string; balance: number }>(
    `with wanted as (select distinct premise_id from registry_match where payment_id is null),
          bal as (select le.account_id, sum(le.amount) as balance from ledger_entry le
                   where le.community_id = $1 and le.account_id in (select x.account_id from account x join wanted w on w.premise_id = x.premise_id where x.community_id = $1)
                   group by le.account_id)
     select x.premise_id, x.account_id, s.code as service_code, coalesce(bal.balance, 0)::bigint as balance
       from account x join wanted w on w.premise_id = x.premise_id
       join service s on s.community_id = x.community_id and s.service_id = x.service_id
       join provider v on v.community_id = x.community_id and v.provider_id = x.provider_id
       left join bal on bal.account_id = x.account_id
      where x.community_id = $1
      order by x.premise_id, (x.closed_on is not null), s.sort_order, s.service_id, x.number`,
    [c],
  );
  for (const r of loaded.rows) {
    let h = households.get(Number(r.premise_id));
    if (!h) households.set(Number(r.premise_id), (h = { debts: [], balances: [], payer: null }));
    h.debts.push({ accountId: Number(r.account_id), serviceCode: r.service_code, toPay: owedOn(Number(r.balance)) });
    h.balances.push(Number(r.balance));
  }
  // The payer as `pay` names it: the first person registered there now, masked.
  const payers = await client.query<{ premise_id: number; last_name: string; first_name: string }>(
    `select distinct on (r.premise_id) r.premise_id, pe.last_name, pe.first_name
       from registration r join person pe on pe.community_id = r.community_id and pe.person_id = r.person_id
      where r.community_id = $1 and r.premise_id in (select distinct premise_id from registry_match where payment_id is null)
        and r.registered_from <= current_date and (r.registered_to is null or r.registered_to >= current_date)
      order by r.premise_id, r.registered_from, pe.person_id`,
    [c],
  );
  for (const p of payers.rows) {
    const h = households.get(Number(p.premise_id));
    if (h && p.last_name && p.first_name) h.payer = maskName(p.last_name, p.first_name);
  }
  return households;
}

/** The request hash `pay` stores for a registry row (no split, no reference). */
/** `n` values of a sequence, in order, taken in one statement. */
export async function nextIds(client: pg.Client, sequence: string, n: number): Promise<Float64Array> {
  if (n === 0) return new Float64Array(0);
  // One row back, not n: when no one else drew from the sequence meanwhile (the usual case) the
  // values are a run, told by its first value; otherwise they come as one text, in drawn order.
  const r = await client.query<{ first: string; last: string; ids: string | null }>(
    `with drawn as (select array_agg(nextval(${sequence})) as ids from generate_series(1, $1::int))
     select ids[1]::text as first, ids[$1]::text as last,
            case when ids[$1] - ids[1] + 1 = $1 then null else array_to_string(ids, ',') end as ids
       from drawn`,
    [n],
  );
  const { first, ids } = r.rows[0]!;
  if (ids === null) return new Float64Array(n).map((_, i) => Number(first) + i);
  return Float64Array.from(ids.split(','), Number).sort();
}
