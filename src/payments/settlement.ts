/**
 * Settlement with providers: per provider and day, the parts of payments allocated to its
 * accounts (and reversals made that day, negative), the commission by contract, the totals and
 * the transfer order. A day is settled once it is over (Kyiv time); the first export stores the
 * CSV and DBF bytes and joins the hash chain, and every later export returns those same bytes.
 * A day that leaves the provider owing (more reversed than paid) transfers nothing, and its debt
 * is set against the provider's next registry formed (`afterCarry`): in the order registries are
 * formed, so a day formed late still takes its share and no kopeck is counted twice.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql, type Selectable } from 'kysely';
import { DBFFile } from 'dbffile';
import type { Db, DbOrTx } from '../db/index';
import { AppError, conflict, notFound } from '../shared/errors';
import { kyivToday } from '../shared/period';
import { canonicalSettlement, chainHash } from './chain';
import * as repo from './repo';
import { afterCarry, commissionsOf, contractInForce, settlementCsv, totals, transferPurpose, type DatedContract, type SettlementLine } from './settlement-format';
import type { PaymentsTables, TransferOrder } from './tables';

/** A registry's figures and transfer order, without its files. */
export interface SettlementSummary {
  registryId: number;
  providerId: number;
  businessDate: string;
  lines: number;
  gross: number;
  commission: number;
  net: number;
  /** What earlier registries left the provider owing, set against this one (≤ 0). */
  carriedIn: number;
  /** What this registry leaves the provider owing, for its next one (≤ 0). */
  carriedOut: number;
  transfer: TransferOrder;
  exportedAt: string;
}

export interface SettlementRegistry extends SettlementSummary {
  csv: Buffer;
  dbf: Buffer;
}

async function linesOf(db: DbOrTx, communityId: number, providerId: number, date: string): Promise<SettlementLine[]> {
  const contracts = (await db.selectFrom('settlement_contract').select(['agent_id', 'percent', 'fixed', 'valid_from']).where('community_id', '=', communityId).where('provider_id', '=', providerId).execute()).map(
    (c): DatedContract => ({ agentId: c.agent_id, validFrom: c.valid_from, percent: c.percent, fixed: c.fixed }),
  );
  const r = await sql<{ kind: 'payment' | 'reversal'; payment_id: number; agent_id: number; agent: string; txn_id: string; paid_at: Date; business_date: string; unified_account: string | null; account_number: string; service_code: string; amount: number }>`
with parts as (
  select p.payment_id, p.agent_id, ag.code as agent, p.txn_id, p.paid_at, p.business_date, ua.number as unified_account, a.number as account_number, s.code as service_code, pa.amount
    from payment_allocation pa
    join payment p on p.community_id = pa.community_id and p.payment_id = pa.payment_id
    join payment_agent ag on ag.community_id = p.community_id and ag.agent_id = p.agent_id
    join account a on a.community_id = pa.community_id and a.account_id = pa.account_id
    join service s on s.community_id = a.community_id and s.service_id = a.service_id
    left join unified_account ua on ua.community_id = p.community_id and ua.premise_id = p.premise_id
   where pa.community_id = ${communityId} and a.provider_id = ${providerId}
)
select 'payment' as kind, parts.* from parts
 where payment_id in (select payment_id from payment where community_id = ${communityId} and business_date = ${date}::date)
union all
select 'reversal' as kind, parts.payment_id, parts.agent_id, parts.agent, parts.txn_id, parts.paid_at, parts.business_date, parts.unified_account, parts.account_number, parts.service_code, -parts.amount
  from parts
 where payment_id in (select payment_id from payment_reversal where community_id = ${communityId} and (reversed_at at time zone 'Europe/Kyiv')::date = ${date}::date)
 order by kind, payment_id, account_number`.execute(db);
  // A reversal takes back the commission its payment paid: by the contract of the payment's day.
  const commissions = commissionsOf(r.rows.map((l) => ({ kind: l.kind, paymentId: l.payment_id, amount: l.amount, contract: contractInForce(contracts, l.agent_id, l.business_date) })));
  return r.rows.map((l, i) => ({
    kind: l.kind,
    paymentId: l.payment_id,
    agent: l.agent,
    txnId: l.txn_id,
    paidAt: new Date(l.paid_at).toISOString(),
    unifiedAccount: l.unified_account ?? '',
    accountNumber: l.account_number,
    serviceCode: l.service_code,
    amount: l.amount,
    commission: commissions[i]!,
  }));
}

async function dbfBytes(lines: readonly SettlementLine[]): Promise<Buffer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hromada-settlement-'));
  try {
    const file = path.join(dir, 'registry.dbf');
    const dbf = await DBFFile.create(
      file,
      [
        { name: 'KIND', type: 'C', size: 8 },
        { name: 'PAYMENT', type: 'N', size: 12, decimalPlaces: 0 },
        { name: 'AGENT', type: 'C', size: 32 },
        { name: 'TXN', type: 'C', size: 64 },
        { name: 'UNIFIED', type: 'C', size: 10 },
        { name: 'ACCOUNT', type: 'C', size: 30 },
        { name: 'SERVICE', type: 'C', size: 30 },
        { name: 'AMOUNT', type: 'N', size: 14, decimalPlaces: 2 },
        { name: 'COMMISSION', type: 'N', size: 14, decimalPlaces: 2 },
      ],
      { encoding: 'cp1125' },
    );
    await dbf.appendRecords(
      lines.map((l) => ({ KIND: l.kind, PAYMENT: l.paymentId, AGENT: l.agent, TXN: l.txnId, UNIFIED: l.unifiedAccount, ACCOUNT: l.accountNumber, SERVICE: l.serviceCode, AMOUNT: l.amount / 100, COMMISSION: l.commission / 100 })),
    );
    return fs.readFileSync(file);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const SUMMARY_COLUMNS = ['registry_id', 'provider_id', 'business_date', 'lines', 'gross', 'commission', 'net', 'carried_in', 'transfer', 'exported_at'] as const;

function summaryOf(r: Pick<Selectable<PaymentsTables['settlement_registry']>, (typeof SUMMARY_COLUMNS)[number]>): SettlementSummary {
  return {
    registryId: r.registry_id,
    providerId: r.provider_id,
    businessDate: r.business_date,
    lines: r.lines,
    gross: r.gross,
    commission: r.commission,
    net: r.net,
    carriedIn: r.carried_in,
    carriedOut: afterCarry(r.net, r.carried_in).carriedOut,
    transfer: r.transfer as TransferOrder,
    exportedAt: new Date(r.exported_at).toISOString(),
  };
}

function view(row: Awaited<ReturnType<typeof stored>>): SettlementRegistry {
  const r = row!;
  return { ...summaryOf(r), csv: Buffer.from(r.csv), dbf: Buffer.from(r.dbf) };
}

const stored = (db: DbOrTx, communityId: number, providerId: number, date: string) =>
  db.selectFrom('settlement_registry').selectAll().where('community_id', '=', communityId).where('provider_id', '=', providerId).where('business_date', '=', date).executeTakeFirst();

/**
 * How long after midnight a day's registries wait: a payment is stamped with its day when it
 * arrives and commits a moment later (a pay, milliseconds; a registry chunk waiting its turn,
 * seconds), so one stamped at 23:59:59 is in before its day is frozen.
 */
const SETTLEMENT_GRACE_MS = 2 * 60_000;

/** A day's registry for a provider: made on the first call after the day is over, the same bytes ever after. */
export async function exportSettlement(db: Db, communityId: number, providerId: number, date: string, now = new Date()): Promise<SettlementRegistry> {
  const done = await stored(db, communityId, providerId, date);
  if (done) return view(done);
  if (date >= kyivToday(new Date(now.getTime() - SETTLEMENT_GRACE_MS))) {
    throw conflict(
      'day_not_closed',
      { uk: `День ${date} ще не завершився (реєстр — з 00:0${SETTLEMENT_GRACE_MS / 60_000} наступного дня)`, en: `The day ${date} is not over (its registry comes from 00:0${SETTLEMENT_GRACE_MS / 60_000} the next day)` },
      { field: 'date' },
    );
  }
  const provider = await db.selectFrom('provider').select(['name', 'edrpou', 'iban']).where('community_id', '=', communityId).where('provider_id', '=', providerId).executeTakeFirst();
  if (!provider) throw notFound({ uk: 'Надавач', en: 'Provider' }, { providerId });
  await db.transaction().execute(async (trx) => {
    const head = await repo.lockChainHead(trx, communityId);
    if (await stored(trx, communityId, providerId, date)) return;
    const lines = await linesOf(trx, communityId, providerId, date);
    const t = totals(lines);
    // The chain head's lock orders every registry's forming, so the last one formed is the one before.
    const last = await trx.selectFrom('settlement_registry').select(['net', 'carried_in']).where('community_id', '=', communityId).where('provider_id', '=', providerId).orderBy('chain_seq', 'desc').limit(1).executeTakeFirst();
    const carriedIn = last ? afterCarry(last.net, last.carried_in).carriedOut : 0;
    const csv = settlementCsv(lines, carriedIn);
    const dbf = await dbfBytes(lines);
    const id = (await sql<{ id: number }>`select nextval(pg_get_serial_sequence('settlement_registry', 'registry_id'))::bigint as id`.execute(trx)).rows[0]!.id;
    const transfer: TransferOrder = { recipient: provider.name, edrpou: provider.edrpou, iban: provider.iban, amount: afterCarry(t.net, carriedIn).transfer, purpose: transferPurpose(date, id) };
    const hash = chainHash(head.hash, canonicalSettlement({ registryId: id, providerId, businessDate: date, lines: lines.length, ...t, carriedIn, csv, dbf }));
    await trx
      .insertInto('settlement_registry')
      .values({ community_id: communityId, registry_id: id, provider_id: providerId, business_date: date, lines: lines.length, ...t, carried_in: carriedIn, csv, dbf, transfer: JSON.stringify(transfer), chain_seq: head.seq + 1, prev_hash: head.hash, hash })
      .execute();
    await repo.moveChainHead(trx, communityId, head.seq + 1, hash);
  });
  return view(await stored(db, communityId, providerId, date));
}

/**
 * The registries of a day already formed (to look at; forming is `exportSettlementDay`'s): all of
 * them, or one provider's own (`onlyProvider`, for its users).
 */
export async function formedSettlements(db: DbOrTx, communityId: number, date: string, onlyProvider: number | null = null): Promise<SettlementSummary[]> {
  const rows = await db
    .selectFrom('settlement_registry')
    .select(SUMMARY_COLUMNS)
    .where('community_id', '=', communityId)
    .where('business_date', '=', date)
    .$if(onlyProvider !== null, (q) => q.where('provider_id', '=', onlyProvider!))
    .orderBy('provider_id')
    .execute();
  return rows.map(summaryOf);
}

/** The registries of a day, one per provider that had money allocated or reversed. */
export async function exportSettlementDay(db: Db, communityId: number, date: string, now = new Date()): Promise<SettlementRegistry[]> {
  const providers = await sql<{ provider_id: number }>`
select distinct a.provider_id from payment p
  join payment_allocation pa on pa.community_id = p.community_id and pa.payment_id = p.payment_id
  join account a on a.community_id = pa.community_id and a.account_id = pa.account_id
 where p.community_id = ${communityId}
   and (p.business_date = ${date}::date
        or p.payment_id in (select payment_id from payment_reversal where community_id = ${communityId} and (reversed_at at time zone 'Europe/Kyiv')::date = ${date}::date))
 order by 1`.execute(db);
  const out: SettlementRegistry[] = [];
  for (const p of providers.rows) out.push(await exportSettlement(db, communityId, p.provider_id, date, now));
  return out;
}

export interface ContractInput {
  providerId: number;
  /** Null or absent: the provider's general contract, for every agent without one of its own. */
  agentId?: number | null;
  percent?: string;
  fixed?: number;
  /** The first business day in force (Kyiv); today when absent, never a day already over. */
  validFrom?: string;
}

/**
 * A commission contract, in force from its day on (replacing the same agent's earlier one from
 * then): a day already over may have been settled, so a contract never reaches back into one.
 */
export async function addContract(db: Db, communityId: number, input: ContractInput, now = new Date()): Promise<void> {
  if ((input.percent === undefined) === (input.fixed === undefined)) throw new AppError('contract_terms', 422, { uk: 'Вкажіть або відсоток, або фіксовану суму', en: 'Give either a percent or a fixed sum' }, { field: 'percent' });
  const today = kyivToday(now);
  const validFrom = input.validFrom ?? today;
  if (validFrom < today) {
    throw new AppError('contract_in_past', 422, { uk: `Договір не може діяти з минулого дня (${validFrom}): ті дні вже могли бути розраховані`, en: `A contract cannot start on a past day (${validFrom}): those days may be settled already` }, { field: 'validFrom' });
  }
  try {
    await db.insertInto('settlement_contract').values({ community_id: communityId, provider_id: input.providerId, agent_id: input.agentId ?? null, percent: input.percent ?? null, fixed: input.fixed ?? null, valid_from: validFrom }).execute();
  } catch (error) {
    if ((error as { code?: string }).code !== '23505') throw error;
    throw conflict('contract_exists', { uk: `Договір цього постачальника з цим агентом від ${validFrom} уже є`, en: `This provider already has a contract with this agent from ${validFrom}` }, { field: 'validFrom' });
  }
}

/** The contracts (all, or one provider's own), oldest first per provider and agent, with the names a reader needs. */
export async function listContracts(db: DbOrTx, communityId: number, onlyProvider: number | null = null) {
  const rows = await db
    .selectFrom('settlement_contract as c')
    .innerJoin('provider as p', (j) => j.onRef('p.community_id', '=', 'c.community_id').onRef('p.provider_id', '=', 'c.provider_id'))
    .leftJoin('payment_agent as a', (j) => j.onRef('a.community_id', '=', 'c.community_id').onRef('a.agent_id', '=', 'c.agent_id'))
    .select(['c.contract_id', 'c.provider_id', 'p.name as provider', 'c.agent_id', 'a.name as agent', 'c.percent', 'c.fixed', 'c.valid_from'])
    .where('c.community_id', '=', communityId)
    .$if(onlyProvider !== null, (q) => q.where('c.provider_id', '=', onlyProvider!))
    .orderBy('p.name')
    .orderBy('c.agent_id', (o) => o.nullsFirst())
    .orderBy('c.valid_from')
    .execute();
  return rows.map((c) => ({ contractId: c.contract_id, providerId: c.provider_id, provider: c.provider, agentId: c.agent_id, agent: c.agent, percent: c.percent, fixed: c.fixed, validFrom: c.valid_from }));
}

/**
 * The providers left owing by their last registry formed (more taken back than came in): the debt
 * comes off their next transfer, and until they have one the desk may have to claim it back.
 */
export async function owingProviders(db: DbOrTx, communityId: number, onlyProvider: number | null = null) {
  const r = await sql<{ provider_id: number; provider: string; business_date: string; net: number; carried_in: number }>`
select last.provider_id, p.name as provider, last.business_date, last.net, last.carried_in
  from (select distinct on (provider_id) provider_id, business_date, net, carried_in
          from settlement_registry
         where community_id = ${communityId} ${onlyProvider !== null ? sql`and provider_id = ${onlyProvider}` : sql``}
         order by provider_id, chain_seq desc) last
  join provider p on p.community_id = ${communityId} and p.provider_id = last.provider_id
 order by p.name`.execute(db);
  // What is still owed is afterCarry's to say, as when the next registry is formed.
  return r.rows
    .map((o) => ({ providerId: o.provider_id, provider: o.provider, since: o.business_date, owed: -afterCarry(o.net, o.carried_in).carriedOut }))
    .filter((o) => o.owed > 0);
}
