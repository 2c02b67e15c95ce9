/**
 * The review queue: rows an import could not match by itself. An operator accepts a candidate
 * premise (or the best one, in bulk), creates the address when it is new, or rejects the row.
 * Accepted decisions are remembered — the whole spelling as an address alias, the street spelling
 * as an operator street alias — so the next import of the same spelling matches exactly; and the
 * row is applied at once (its account, report and opening balance), in the same transaction.
 */
import { sql } from 'kysely';
import type { Db, Tx } from '../db/index';
import { conflict, forbidden, invalid, notFound } from '../shared/errors';
import { KIND_FIELDS, profileSettingsSchema, type FileKind } from './profile';
import { formatUah } from '../shared/money';
import * as repo from './repo';
import * as matchRepo from './match-repo';
import { ensureUnifiedAccounts, openingBalancePeriod } from './service';

export interface QueueItem {
  rowNo: number;
  status: 'review' | 'new';
  addressRaw: string | null;
  accountNumber: string | null;
  data: Record<string, unknown>;
  /** The row's fields as a person reads them: the field's label, and money in hryvnias. */
  fields: Array<{ field: string; uk: string; en: string; value: string }>;
  reasonUk: string | null;
  reasonEn: string | null;
  confidence: number | null;
  candidates: Array<{ premiseId: number; confidence: number; method: string; address: string; unifiedAccount: string | null }>;
}

/** Who decides; `role` matters for rows held above the approved tariff (see tariffDecision). */
type Actor = { communityId: number; userId: number | null; role?: string };

/** Whether a queue row is a charge held above the approved tariff (holdAboveApprovedTariff marks it so). */
const heldForTariff = (candidates: unknown) => (candidates as Array<{ method?: string }> | null)?.[0]?.method === 'tariff';

/**
 * A charge held above the approved tariff is the community's decision: the city or an administrator
 * accepts it, not the desk nor the provider. The city decides only such rows (matching addresses
 * is the desk's work); rejecting a held row, anyone of the queue may.
 */
function assertMayDecide(actor: Actor, rowNo: number, held: boolean, decision: 'accept' | 'reject') {
  if (held && decision === 'accept' && actor.role !== 'admin' && actor.role !== 'city') {
    throw forbidden({
      uk: `Рядок ${rowNo} затримано через ціну понад затверджений тариф: прийняти його може лише міська рада або адміністратор`,
      en: `Row ${rowNo} is held for a price above the approved tariff: only the city or an administrator may accept it`,
    });
  }
  if (!held && actor.role === 'city') {
    throw forbidden({
      uk: `Рядок ${rowNo} чекає зіставлення адреси: це вирішує оператор, а не міська рада`,
      en: `Row ${rowNo} awaits an address match: the desk decides it, not the city`,
    });
  }
}

async function importOf(db: Db | Tx, communityId: number, importId: number) {
  const imp = await repo.findImport(db, communityId, importId);
  if (!imp) throw notFound({ uk: `Імпорт №${importId}`, en: `Import #${importId}` });
  return imp;
}

type OpenRow = {
  row_no: number;
  status: 'review' | 'new';
  address_raw: string | null;
  account_number: string | null;
  data: Record<string, unknown>;
  reason_uk: string | null;
  reason_en: string | null;
  confidence: number | null;
  candidates: Array<{ premiseId: number; confidence: number; method: string }> | null;
};
const OPEN_ROW_COLUMNS = sql`m.row_no, m.status, r.address_raw, r.account_number, r.data, m.reason_uk, m.reason_en, m.confidence, m.candidates`;

/** Open queue rows of an import in row order, with each candidate's printed address. */
export async function listQueue(db: Db, communityId: number, importId: number, afterRow = 0, limit = 50): Promise<QueueItem[]> {
  const imp = await importOf(db, communityId, importId);
  const rows = await sql<OpenRow>`
    select ${OPEN_ROW_COLUMNS}
      from import_match m
      join import_row r on r.community_id = m.community_id and r.import_id = m.import_id and r.row_no = m.row_no
     where m.community_id = ${communityId} and m.import_id = ${importId} and m.status in ('review', 'new') and m.resolution is null
       and m.row_no > ${afterRow}
     order by m.row_no limit ${limit}`.execute(db);
  return describeRows(db, communityId, imp.kind as FileKind, rows.rows);
}

/** A charge held above the approved tariff, with the import and provider it came from. */
export type TariffHold = QueueItem & { importId: number; fileName: string; providerName: string | null; importedAt: string };

/**
 * Every open row, in every applied import of the community, held for a price above the approved
 * tariff (holdAboveApprovedTariff): what waits for the city's decision, oldest first.
 */
export async function listTariffHolds(db: Db, communityId: number, limit = 200): Promise<TariffHold[]> {
  const rows = await sql<OpenRow & { import_id: number; file_name: string; provider_name: string | null; created_at: Date }>`
    select ${OPEN_ROW_COLUMNS}, i.import_id, i.file_name, pr.name as provider_name, i.created_at
      from import_match m
      join import_row r on r.community_id = m.community_id and r.import_id = m.import_id and r.row_no = m.row_no
      join data_import i on i.community_id = m.community_id and i.import_id = m.import_id
      left join provider pr on pr.community_id = i.community_id and pr.provider_id = i.provider_id
     where m.community_id = ${communityId} and m.status = 'review' and m.resolution is null
       and m.candidates -> 0 ->> 'method' = 'tariff' and i.dry_run = false
     order by i.import_id, m.row_no limit ${limit}`.execute(db);
  const items = await describeRows(db, communityId, 'charges', rows.rows);
  return items.map((item, i) => {
    const r = rows.rows[i]!;
    return { ...item, importId: r.import_id, fileName: r.file_name, providerName: r.provider_name, importedAt: new Date(r.created_at).toISOString() };
  });
}

/** Queue rows as a person reads them: the row's fields by their labels, each candidate's printed address. */
async function describeRows(db: Db, communityId: number, kind: FileKind, rows: OpenRow[]): Promise<QueueItem[]> {
  const specs = new Map((KIND_FIELDS[kind] ?? []).map((f) => [f.name, f]));
  const ids = [...new Set(rows.flatMap((r) => (r.candidates ?? []).map((c) => c.premiseId)))];
  const addresses = new Map<number, { address: string; unified: string | null }>();
  if (ids.length) {
    const found = await sql<{ premise_id: number; address: string; unified: string | null }>`
      select p.premise_id, ${repo.premiseAddressSql('p', 'b', 'st')} as address, ua.number as unified
        from premise p
        join building b on b.community_id = p.community_id and b.building_id = p.building_id
        join street st on st.community_id = b.community_id and st.street_id = b.street_id
        left join unified_account ua on ua.community_id = p.community_id and ua.premise_id = p.premise_id
       where p.community_id = ${communityId} and p.premise_id = any(${ids}::bigint[])`.execute(db);
    for (const f of found.rows) addresses.set(f.premise_id, { address: f.address, unified: f.unified });
  }
  return rows.map((r) => ({
    rowNo: r.row_no,
    status: r.status,
    addressRaw: r.address_raw,
    accountNumber: r.account_number,
    data: r.data,
    fields: Object.entries(r.data).flatMap(([field, value]) => {
      const spec = specs.get(field);
      if (!spec || value === null || value === undefined) return [];
      return [{ field, uk: spec.label.uk, en: spec.label.en, value: spec.type === 'money' && typeof value === 'number' ? `${formatUah(value, { currency: false })} грн` : String(value) }];
    }),
    reasonUk: r.reason_uk,
    reasonEn: r.reason_en,
    confidence: r.confidence,
    candidates: (r.candidates ?? []).map((c) => ({
      ...c,
      address: addresses.get(c.premiseId)?.address ?? '',
      unifiedAccount: addresses.get(c.premiseId)?.unified ?? null,
    })),
  }));
}

/** Only a real, applied import has rows to resolve: a dry run changes nothing, ever. */
async function resolvableImport(trx: Tx, communityId: number, importId: number) {
  const imp = await importOf(trx, communityId, importId);
  if (imp.dry_run) {
    throw conflict('dry_run_import', { uk: 'Це пробний прогін: він нічого не змінює. Імпортуйте файл насправді', en: 'This is a dry run: it changes nothing. Import the file for real' });
  }
  if (imp.status !== 'applied' && imp.status !== 'partial') {
    throw conflict('import_not_applied', { uk: `Імпорт №${importId} ще не завершено (стан: ${imp.status})`, en: `Import #${importId} is not finished (status: ${imp.status})` });
  }
  return imp;
}

/** Applies resolved rows the way the import applied its matched rows. */
async function applyRows(trx: Tx, imp: NonNullable<Awaited<ReturnType<typeof repo.findImport>>>, rows: number[]): Promise<Record<string, number>> {
  const settings = profileSettingsSchema.parse(imp.settings);
  const scope = { communityId: imp.community_id, importId: imp.import_id };
  if (imp.provider_id === null) return {};
  // Rows held for an implausible amount, accepted by a person.
  if (settings.kind === 'charges') return { ledgerEntries: await repo.postCharges(trx, scope, imp.provider_id, rows) };
  if (settings.kind === 'payments') return { ledgerEntries: await repo.postPayments(trx, scope, imp.provider_id, rows) };
  if (settings.kind !== 'accounts') return {};
  const today = new Date().toISOString().slice(0, 10);
  const accounts = await repo.upsertAccounts(trx, scope, imp.provider_id, today, rows);
  await repo.linkAccounts(trx, scope, imp.provider_id, rows);
  const reports = await repo.upsertAccountReports(trx, scope, rows);
  const ledger = await repo.postOpeningBalances(trx, scope, await openingBalancePeriod(trx, imp.community_id, settings, today));
  return { accountsCreated: accounts.created, accountsMoved: accounts.moved, reportsChanged: reports, ledgerEntries: ledger };
}

async function refreshCounters(trx: Tx, communityId: number, importId: number) {
  const counts = await matchRepo.countByStatus(trx, { communityId, importId });
  await sql`update data_import set counters = counters || ${JSON.stringify(counts)}::jsonb
             where community_id = ${communityId} and import_id = ${importId}`.execute(trx);
}

/**
 * Accepts a premise for each row (the best candidate when none is given). Returns how many rows
 * were accepted and what applying them changed.
 */
export async function acceptRows(db: Db, actor: Actor, importId: number, decisions: Array<{ rowNo: number; premiseId?: number }>): Promise<Record<string, number>> {
  return db.transaction().execute((trx) => acceptInTransaction(trx, actor, importId, decisions, 'accepted'));
}

async function acceptInTransaction(
  trx: Tx,
  actor: Actor,
  importId: number,
  decisions: Array<{ rowNo: number; premiseId?: number }>,
  resolution: 'accepted' | 'created',
): Promise<Record<string, number>> {
  {
    const imp = await resolvableImport(trx, actor.communityId, importId);
    const open = await trx
      .selectFrom('import_match as m')
      .innerJoin('import_row as r', (j) => j.onRef('r.community_id', '=', 'm.community_id').onRef('r.import_id', '=', 'm.import_id').onRef('r.row_no', '=', 'm.row_no'))
      .select(['m.row_no', 'm.candidates', 'r.address_key', 'r.street_key', 'r.street_type'])
      .where('m.community_id', '=', actor.communityId)
      .where('m.import_id', '=', importId)
      .where('m.row_no', 'in', decisions.length ? decisions.map((d) => d.rowNo) : [-1])
      .where('m.status', 'in', ['review', 'new'])
      .where('m.resolution', 'is', null)
      .execute();
    const byRow = new Map(open.map((o) => [o.row_no, o]));
    const chosen: Array<{ rowNo: number; premiseId: number; addressKey: string | null; streetKey: string | null }> = [];
    for (const d of decisions) {
      const row = byRow.get(d.rowNo);
      if (!row) throw invalid('row_not_in_queue', { uk: `Рядка ${d.rowNo} немає в черзі перевірки`, en: `Row ${d.rowNo} is not in the review queue` }, { row: d.rowNo });
      assertMayDecide(actor, d.rowNo, heldForTariff(row.candidates), 'accept');
      const premiseId = d.premiseId ?? (row.candidates as Array<{ premiseId: number }> | null)?.[0]?.premiseId;
      if (!premiseId) {
        throw invalid('no_candidate', { uk: `Для рядка ${d.rowNo} немає кандидата: оберіть приміщення`, en: `Row ${d.rowNo} has no candidate: choose a premise` }, { row: d.rowNo });
      }
      chosen.push({ rowNo: d.rowNo, premiseId, addressKey: row.address_key, streetKey: row.street_key });
    }
    if (chosen.length === 0) return { accepted: 0 };
    const premises = await trx
      .selectFrom('premise as p')
      .innerJoin('building as b', (j) => j.onRef('b.community_id', '=', 'p.community_id').onRef('b.building_id', '=', 'p.building_id'))
      .innerJoin('street as st', (j) => j.onRef('st.community_id', '=', 'b.community_id').onRef('st.street_id', '=', 'b.street_id'))
      .select(['p.premise_id', 'st.street_id', 'st.name_key'])
      .where('p.community_id', '=', actor.communityId)
      .where('p.premise_id', 'in', chosen.map((c) => c.premiseId))
      .execute();
    const premiseStreet = new Map(premises.map((p) => [p.premise_id, p]));
    for (const c of chosen) {
      const p = premiseStreet.get(c.premiseId);
      if (!p) throw notFound({ uk: `Приміщення ${c.premiseId}`, en: `Premise ${c.premiseId}` }, { row: c.rowNo });
      await trx
        .updateTable('import_match')
        .set({ status: 'matched', premise_id: c.premiseId, method: 'operator', confidence: 1, resolution, resolved_by: actor.userId, resolved_at: new Date() })
        .where('community_id', '=', actor.communityId)
        .where('import_id', '=', importId)
        .where('row_no', '=', c.rowNo)
        .execute();
      if (c.addressKey) {
        await trx
          .insertInto('address_alias')
          .values({ community_id: actor.communityId, alias_key: c.addressKey, premise_id: c.premiseId, created_by: actor.userId })
          .onConflict((oc) => oc.columns(['community_id', 'alias_key']).doUpdateSet({ premise_id: c.premiseId, created_by: actor.userId }))
          .execute();
      }
      if (c.streetKey && c.streetKey !== p.name_key) {
        await trx
          .insertInto('street_alias')
          .values({ community_id: actor.communityId, alias_key: c.streetKey, street_id: p.street_id, source: 'operator' })
          .onConflict((oc) => oc.doNothing())
          .execute();
      }
    }
    const applied: Record<string, number> = await applyRows(trx, imp, chosen.map((c) => c.rowNo));
    await refreshCounters(trx, actor.communityId, importId);
    await trx
      .insertInto('audit_log')
      .values({
        community_id: actor.communityId,
        user_id: actor.userId,
        action: `import.queue.${resolution === 'created' ? 'create' : 'accept'}`,
        entity: 'data_import',
        entity_id: String(importId),
        after: JSON.stringify({ rows: chosen, ...applied }),
      })
      .execute();
    return { accepted: chosen.length, ...applied };
  }
}

/**
 * Creates the addresses of 'new' rows (the street is certain; the house or the apartment is not
 * in the registry yet), then accepts each row with its new premise.
 */
export async function createAddresses(db: Db, actor: Actor, importId: number, rowNos: number[]): Promise<Record<string, number>> {
  return db.transaction().execute(async (trx): Promise<Record<string, number>> => {
    await resolvableImport(trx, actor.communityId, importId);
    const rows = await sql<{ row_no: number; premise_id: number }>`
      with target as (
        select r.*, st.street_id
          from import_match m
          join import_row r on r.community_id = m.community_id and r.import_id = m.import_id and r.row_no = m.row_no
          cross join lateral (
            select st.street_id from street st
             where st.community_id = r.community_id and st.name_key = r.street_key and st.type = coalesce(r.street_type, st.type)
            union all
            select a.street_id from street_alias a where a.community_id = r.community_id and a.alias_key = r.street_key
            limit 1) st
         where m.community_id = ${actor.communityId} and m.import_id = ${importId} and m.status = 'new' and m.resolution is null
           and m.row_no = any(${rowNos}::int[])),
      b_ins as (
        insert into building (community_id, street_id, number, letter, fraction, block, house_key)
        select distinct on (street_id, house_key) community_id, street_id, house_number, house_letter, house_fraction, house_block, house_key
          from target order by street_id, house_key
        on conflict (community_id, street_id, house_key) do nothing
        returning building_id, street_id, house_key),
      b as (
        select building_id, street_id, house_key from b_ins
        union
        select bb.building_id, bb.street_id, bb.house_key from building bb join target t
            on bb.community_id = t.community_id and bb.street_id = t.street_id and bb.house_key = t.house_key),
      p_ins as (
        insert into premise (community_id, building_id, number, apartment_key, kind)
        select distinct on (b.building_id, t.apartment_key) t.community_id, b.building_id, t.apartment, t.apartment_key,
               case when t.apartment_key like 'п%' then 'non_residential' else 'residential' end -- 'п1' is «прим. 1»
          from target t join b on b.street_id = t.street_id and b.house_key = t.house_key
        on conflict (community_id, building_id, apartment_key) do nothing
        returning premise_id, building_id, apartment_key)
      select t.row_no, p.premise_id
        from target t join b on b.street_id = t.street_id and b.house_key = t.house_key
        join p_ins p on p.building_id = b.building_id and p.apartment_key = t.apartment_key`.execute(trx);
    await ensureUnifiedAccounts(trx, actor.communityId);
    if (rows.rows.length === 0) return { created: 0, accepted: 0 };
    const accepted = await acceptInTransaction(trx, actor, importId, rows.rows.map((r) => ({ rowNo: r.row_no, premiseId: r.premise_id })), 'created');
    return { ...accepted, created: rows.rows.length };
  });
}

/** Rejects rows: they stay unapplied and leave the queue. */
export async function rejectRows(db: Db, actor: Actor, importId: number, rowNos: number[]) {
  return db.transaction().execute(async (trx) => {
    await resolvableImport(trx, actor.communityId, importId);
    const open = await trx
      .selectFrom('import_match')
      .select(['row_no', 'candidates'])
      .where('community_id', '=', actor.communityId)
      .where('import_id', '=', importId)
      .where('row_no', 'in', rowNos.length ? rowNos : [-1])
      .where('status', 'in', ['review', 'new'])
      .where('resolution', 'is', null)
      .execute();
    for (const row of open) assertMayDecide(actor, row.row_no, heldForTariff(row.candidates), 'reject');
    if (open.length === 0) return { rejected: 0 };
    // The rows just read and allowed; `resolution is null` again in case another decision came first.
    const r = await trx
      .updateTable('import_match')
      .set({ resolution: 'rejected', resolved_by: actor.userId, resolved_at: new Date() })
      .where('community_id', '=', actor.communityId)
      .where('import_id', '=', importId)
      .where('row_no', 'in', open.map((row) => row.row_no))
      .where('resolution', 'is', null)
      .executeTakeFirst();
    return { rejected: Number(r.numUpdatedRows) };
  });
}
