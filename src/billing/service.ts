/**
 * Billing use cases: access checks, validation, transactions and the audit log around tariffs,
 * runs, periods, adjustments and the city's tariff control. SQL lives in run.ts, statements.ts,
 * flags.ts and below; the arithmetic in ./methods.
 */
import { sql } from 'kysely';
import type { Db, DbOrTx } from '../db/index';
import { writeAudit } from '../auth/audit';
import type { JobQueue } from '../jobs/queue';
import type { SessionUser } from '../server/context';
import { providerScope, requireRole, STAFF } from '../server/access';
import { conflict, invalid, notFound } from '../shared/errors';
import { addDays, kyivToday, periodOf, type Period } from '../shared/period';
import { postLedgerEntries } from './ledger';
import { BILLING_CLOSE_JOB, BILLING_RUN_JOB, type BillingRunParams } from './jobs';
import { checkRunPeriod, discardRun, loadSettings, openPeriodForCorrections, setFirstPeriod, stepsDone } from './run';
import { runOutliers, runSummary } from './run-report';
import { accountBalance, accountStatement, premisePeriodLines, premiseStatement } from './statements';
import type { TariffMethod } from './tables';
import { boundsOf, requirePlausible, type Bounds, type MoneyField } from '../shared/amount-bounds';

const OPERATORS = ['admin', 'operator'] as const;

// ---------------------------------------------------------------------------------------------
// Tariffs
// ---------------------------------------------------------------------------------------------

export interface TariffInput {
  providerId: number;
  serviceId: number;
  buildingId?: number | null;
  consumerCategory?: string | null;
  method: TariffMethod;
  price: string;
  unit: string;
  validFrom: string;
  zoneCoefficients?: string[] | null;
  tiers?: Array<{ from: string; to: string | null; price: string }> | null;
  normPerPerson?: string | null;
  subscriberFee?: string | null;
  socialNormPerPerson?: string | null;
  socialNormPerHousehold?: string | null;
  note?: string | null;
}

export async function listTariffs(db: DbOrTx, actor: SessionUser, filter: { providerId?: number; serviceId?: number; current?: boolean }) {
  const scope = providerScope(actor);
  let q = db
    .selectFrom('tariff as t')
    .innerJoin('provider as p', (j) => j.onRef('p.community_id', '=', 't.community_id').onRef('p.provider_id', '=', 't.provider_id'))
    .innerJoin('service as s', (j) => j.onRef('s.community_id', '=', 't.community_id').onRef('s.service_id', '=', 't.service_id'))
    .select([
      't.tariff_id',
      't.provider_id',
      't.service_id',
      'p.name as provider',
      's.name_uk as service',
      's.name_en as service_en',
      's.code as service_code',
      't.building_id',
      't.consumer_category',
      't.method',
      't.price',
      't.unit',
      't.vat_rate',
      't.zone_coefficients',
      't.norm_per_person',
      't.subscriber_fee',
      't.social_norm_per_person',
      't.social_norm_per_household',
      't.valid_from',
      't.valid_to',
      't.note',
    ])
    .where('t.community_id', '=', actor.communityId);
  const providerId = scope ?? filter.providerId;
  if (providerId) q = q.where('t.provider_id', '=', providerId);
  if (filter.serviceId) q = q.where('t.service_id', '=', filter.serviceId);
  if (filter.current) {
    const today = kyivToday();
    q = q.where('t.valid_from', '<=', today).where((eb) => eb.or([eb('t.valid_to', 'is', null), eb('t.valid_to', '>=', today)]));
  }
  const rows = await q.orderBy('s.sort_order').orderBy('p.name').orderBy('t.valid_from', 'desc').execute();
  const tiers = rows.length
    ? await db
        .selectFrom('tariff_tier')
        .selectAll()
        .where('community_id', '=', actor.communityId)
        .where('tariff_id', 'in', rows.map((r) => r.tariff_id))
        .orderBy('volume_from')
        .execute()
    : [];
  return rows.map((r) => ({
    ...r,
    tiers: tiers.filter((t) => t.tariff_id === r.tariff_id).map((t) => ({ from: t.volume_from, to: t.volume_to, price: t.price })),
  }));
}

const DECIMAL = /^\d{1,8}(\.\d{1,6})?$/;

function checkDecimal(value: string | null | undefined, field: string) {
  if (value === null || value === undefined) return;
  if (!DECIMAL.test(value)) {
    throw invalid('invalid_decimal', { uk: `Поле ${field}: «${value}» — не число (крапка як роздільник, до 6 знаків)`, en: `Field ${field}: "${value}" is not a number (dot separator, up to 6 decimals)` }, { field });
  }
}

/**
 * Adds a tariff. History is kept: the tariff of the same scope that is in force closes the day
 * before the new one starts; a tariff that starts on or after it is refused (overlap).
 */
export async function createTariff(db: Db, actor: SessionUser, input: TariffInput) {
  requireRole(actor, ...OPERATORS);
  for (const [field, v] of Object.entries({ price: input.price, normPerPerson: input.normPerPerson, subscriberFee: input.subscriberFee, socialNormPerPerson: input.socialNormPerPerson, socialNormPerHousehold: input.socialNormPerHousehold })) {
    checkDecimal(v, field);
  }
  input.zoneCoefficients?.forEach((c, i) => checkDecimal(c, `zoneCoefficients[${i}]`));
  input.tiers?.forEach((t, i) => {
    checkDecimal(t.from, `tiers[${i}].from`);
    checkDecimal(t.to, `tiers[${i}].to`);
    checkDecimal(t.price, `tiers[${i}].price`);
  });
  if (input.tiers?.length && input.zoneCoefficients?.length) {
    throw invalid('tiers_and_zones', { uk: 'Тариф має або зони, або пороги обсягу, не обидва', en: 'A tariff has either zones or volume tiers, not both' }, { field: 'tiers' });
  }
  if (input.tiers?.length && input.method !== 'metered') {
    throw invalid('tiers_need_metered', { uk: 'Пороги обсягу можливі лише для тарифу за лічильником', en: 'Volume tiers apply to metered tariffs only' }, { field: 'tiers' });
  }
  return db.transaction().execute(async (trx) => {
    const sameScope = (q: any) => {
      let r = q
        .where('community_id', '=', actor.communityId)
        .where('provider_id', '=', input.providerId)
        .where('service_id', '=', input.serviceId);
      r = input.buildingId ? r.where('building_id', '=', input.buildingId) : r.where('building_id', 'is', null);
      r = input.consumerCategory ? r.where('consumer_category', '=', input.consumerCategory) : r.where('consumer_category', 'is', null);
      return r;
    };
    const later = await sameScope(trx.selectFrom('tariff').select(['tariff_id', 'valid_from']).where('valid_from', '>=', input.validFrom)).executeTakeFirst();
    if (later) {
      throw conflict('tariff_overlap', {
        uk: `Для цього постачальника й послуги вже є тариф з ${later.valid_from}: новий має починатися пізніше`,
        en: `This provider and service already have a tariff from ${later.valid_from}: the new one must start later`,
      }, { field: 'validFrom', tariffId: later.tariff_id });
    }
    const current = await sameScope(trx.selectFrom('tariff').selectAll().where('valid_from', '<', input.validFrom))
      .where((eb: any) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>=', input.validFrom)]))
      .execute();
    for (const c of current) {
      const closedTo = addDays(input.validFrom, -1);
      await trx.updateTable('tariff').set({ valid_to: closedTo }).where('community_id', '=', actor.communityId).where('tariff_id', '=', c.tariff_id).execute();
      await writeAudit(trx, actor, 'close', 'tariff', c.tariff_id, c, { ...c, valid_to: closedTo });
    }
    const row = await trx
      .insertInto('tariff')
      .values({
        community_id: actor.communityId,
        provider_id: input.providerId,
        service_id: input.serviceId,
        building_id: input.buildingId ?? null,
        consumer_category: input.consumerCategory ?? null,
        method: input.method,
        price: input.price,
        unit: input.unit,
        zone_coefficients: input.zoneCoefficients?.length ? input.zoneCoefficients : null,
        norm_per_person: input.normPerPerson ?? null,
        subscriber_fee: input.subscriberFee ?? null,
        social_norm_per_person: input.socialNormPerPerson ?? null,
        social_norm_per_household: input.socialNormPerHousehold ?? null,
        valid_from: input.validFrom,
        note: input.note ?? null,
        created_by: actor.userId,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    if (input.tiers?.length) {
      await trx
        .insertInto('tariff_tier')
        .values(input.tiers.map((t) => ({ community_id: actor.communityId, tariff_id: row.tariff_id, volume_from: t.from, volume_to: t.to, price: t.price })))
        .execute();
    }
    await writeAudit(trx, actor, 'create', 'tariff', row.tariff_id, null, { ...row, tiers: input.tiers ?? [] });
    return row.tariff_id;
  });
}

// ---------------------------------------------------------------------------------------------
// The city's register of approved tariffs and the flags it raises
// ---------------------------------------------------------------------------------------------

export async function listApprovedTariffs(db: DbOrTx, actor: SessionUser) {
  requireRole(actor, ...STAFF);
  return db
    .selectFrom('approved_tariff as a')
    .innerJoin('service as s', (j) => j.onRef('s.community_id', '=', 'a.community_id').onRef('s.service_id', '=', 'a.service_id'))
    .leftJoin('provider as p', (j) => j.onRef('p.community_id', '=', 'a.community_id').onRef('p.provider_id', '=', 'a.provider_id'))
    .select(['a.approved_id', 'a.service_id', 's.name_uk as service', 's.name_en as service_en', 'a.provider_id', 'p.name as provider', 'a.price', 'a.valid_from', 'a.valid_to', 'a.decision'])
    .where('a.community_id', '=', actor.communityId)
    .orderBy('s.sort_order')
    .orderBy('a.valid_from', 'desc')
    .execute();
}

export async function createApprovedTariff(
  db: Db,
  actor: SessionUser,
  input: { serviceId: number; providerId?: number | null; price: string; validFrom: string; validTo?: string | null; decision: string },
) {
  requireRole(actor, 'admin', 'city');
  checkDecimal(input.price, 'price');
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('approved_tariff')
      .values({
        community_id: actor.communityId,
        service_id: input.serviceId,
        provider_id: input.providerId ?? null,
        price: input.price,
        valid_from: input.validFrom,
        valid_to: input.validTo ?? null,
        decision: input.decision,
        created_by: actor.userId,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await writeAudit(trx, actor, 'create', 'approved_tariff', row.approved_id, null, row);
    return row.approved_id;
  });
}

export { flagTariffMismatches } from './flags';

export async function listTariffFlags(db: DbOrTx, actor: SessionUser, period?: string) {
  requireRole(actor, ...STAFF);
  let q = db
    .selectFrom('tariff_flag as f')
    .innerJoin('provider as p', (j) => j.onRef('p.community_id', '=', 'f.community_id').onRef('p.provider_id', '=', 'f.provider_id'))
    .innerJoin('service as s', (j) => j.onRef('s.community_id', '=', 'f.community_id').onRef('s.service_id', '=', 'f.service_id'))
    .select(['f.flag_id', 'f.provider_id', 'p.name as provider', 'f.service_id', 's.name_uk as service', 's.name_en as service_en', 'f.period', 'f.implied_price', 'f.approved_price', 'f.entries', 'f.amount', 'f.overcharge', 'f.status'])
    .where('f.community_id', '=', actor.communityId);
  if (period) q = q.where('f.period', '=', period);
  return q.orderBy('f.period', 'desc').orderBy('f.overcharge', 'desc').execute();
}

// ---------------------------------------------------------------------------------------------
// Periods and runs
// ---------------------------------------------------------------------------------------------

export async function listPeriods(db: DbOrTx, actor: SessionUser) {
  requireRole(actor, ...STAFF);
  const r = await sql<{
    period: string;
    status: string;
    due_date: string | null;
    closed_at: Date | null;
    billing_run_id: number | null;
    run_status: string | null;
    job_id: number | null;
    lines: number | null;
  }>`
select p.period, p.status, p.due_date, p.closed_at, r.billing_run_id, r.status as run_status, r.job_id,
       (r.summary ->> 'lines')::int as lines
  from billing_period p
  left join lateral (select * from billing_run r where r.community_id = p.community_id and r.period = p.period
                      order by r.billing_run_id desc limit 1) r on true
 where p.community_id = ${actor.communityId}
 order by p.period desc`.execute(db);
  return r.rows;
}

/** `refreshConsumption: false` bills meter_consumption as it stands instead of recomputing it from readings first. */
export async function startBillingRun(db: DbOrTx, jobs: JobQueue, actor: SessionUser, period: Period, options: { refreshConsumption?: boolean } = {}) {
  requireRole(actor, ...OPERATORS);
  // Refused here with the reason, not later in the job (the job checks again).
  await checkRunPeriod(db, actor.communityId, period);
  const params: BillingRunParams = { period, userId: actor.userId, ...(options.refreshConsumption === false ? { refreshConsumption: false } : {}) };
  return jobs.enqueue(actor.communityId, BILLING_RUN_JOB, { ...params }, actor.userId);
}

export async function startClose(db: DbOrTx, jobs: JobQueue, actor: SessionUser, period: Period) {
  requireRole(actor, ...OPERATORS);
  const p = await db.selectFrom('billing_period').select('status').where('community_id', '=', actor.communityId).where('period', '=', period).executeTakeFirst();
  if (p?.status !== 'calculated') {
    throw conflict('period_not_calculated', {
      uk: `Період ${period.slice(0, 7)} не розраховано або вже закрито (${p?.status ?? 'немає'})`,
      en: `Period ${period.slice(0, 7)} is not calculated or already closed (${p?.status ?? 'missing'})`,
    });
  }
  return jobs.enqueue(actor.communityId, BILLING_CLOSE_JOB, { period, userId: actor.userId }, actor.userId);
}

/** Discards a run that is not closed (admin), with the reason in the audit log. */
export async function discardBillingRun(db: Db, actor: SessionUser, billingRunId: number, reason: string) {
  requireRole(actor, 'admin');
  return discardRun(db, actor, billingRunId, reason);
}

/** Sets the community's first billing period, once (admin). */
export async function setFirstBillingPeriod(db: Db, actor: SessionUser, period: Period) {
  requireRole(actor, 'admin');
  await setFirstPeriod(db, actor, period);
  return loadSettings(db, actor.communityId);
}

async function runOf(db: DbOrTx, actor: SessionUser, billingRunId: number) {
  requireRole(actor, ...STAFF);
  const run = await db.selectFrom('billing_run').selectAll().where('community_id', '=', actor.communityId).where('billing_run_id', '=', billingRunId).executeTakeFirst();
  if (!run) throw notFound({ uk: `Нарахування №${billingRunId}`, en: `Billing run ${billingRunId}` });
  return run;
}

export async function getRun(db: DbOrTx, actor: SessionUser, billingRunId: number) {
  const run = await runOf(db, actor, billingRunId);
  return { ...run, steps: await stepsDone(db, actor.communityId, billingRunId) };
}

export async function getRunSummary(db: DbOrTx, actor: SessionUser, billingRunId: number) {
  const run = await runOf(db, actor, billingRunId);
  return runSummary(db, actor.communityId, billingRunId, run.period);
}

export async function getRunOutliers(db: DbOrTx, actor: SessionUser, billingRunId: number) {
  const run = await runOf(db, actor, billingRunId);
  const settings = await loadSettings(db, actor.communityId);
  return { factor: settings.outlierFactor, items: await runOutliers(db, actor.communityId, billingRunId, run.period, settings.outlierFactor) };
}

// ---------------------------------------------------------------------------------------------
// Accounts: the card with its ledger and statements; manual adjustments
// ---------------------------------------------------------------------------------------------

async function accountFor(db: DbOrTx, actor: SessionUser, accountId: number) {
  const scope = providerScope(actor);
  const a = await sql<{ account_id: number; number: string; provider_id: number; provider: string; service: string; service_en: string; premise_id: number; address: string; unified_account: string | null }>`
select a.account_id, a.number, a.provider_id, p.name as provider, s.name_uk as service, s.name_en as service_en, a.premise_id,
       premise_address(st.type, st.name, b.house_key, pr.apartment_key) as address,
       ua.number as unified_account
  from account a
  join provider p on p.community_id = a.community_id and p.provider_id = a.provider_id
  join service s on s.community_id = a.community_id and s.service_id = a.service_id
  join premise pr on pr.community_id = a.community_id and pr.premise_id = a.premise_id
  join building b on b.community_id = pr.community_id and b.building_id = pr.building_id
  join street st on st.community_id = b.community_id and st.street_id = b.street_id
  left join unified_account ua on ua.community_id = a.community_id and ua.premise_id = a.premise_id
 where a.community_id = ${actor.communityId} and a.account_id = ${accountId}`.execute(db);
  const account = a.rows[0];
  if (!account || (scope !== null && account.provider_id !== scope)) throw notFound({ uk: `Особовий рахунок ${accountId}`, en: `Account ${accountId}` });
  return account;
}

export async function getAccountCard(db: DbOrTx, actor: SessionUser, accountId: number) {
  const account = await accountFor(db, actor, accountId);
  const entries = await db
    .selectFrom('ledger_entry')
    .select(['entry_id', 'period', 'kind', 'amount', 'volume', 'tariff', 'source', 'reason', 'reverses_entry_id', 'created_at'])
    .where('community_id', '=', actor.communityId)
    .where('account_id', '=', accountId)
    .orderBy('period', 'desc')
    .orderBy('entry_id', 'desc')
    .limit(500)
    .execute();
  // Lines of a calculated run not yet closed: what the next bill will carry.
  const pending = await sql<{ period: string; kind: string; method: string; zone: number | null; amount: number; volume: string | null; tariff: string | null; estimated: boolean }>`
select cl.period, cl.kind, cl.method, cl.zone, cl.amount, cl.volume, cl.tariff, cl.estimated
  from charge_line cl
  join billing_run r on r.community_id = cl.community_id and r.billing_run_id = cl.billing_run_id and r.status = 'calculated'
 where cl.community_id = ${actor.communityId} and cl.account_id = ${accountId}
 order by cl.kind, cl.method, cl.zone`.execute(db);
  return {
    account,
    balance: await accountBalance(db, actor.communityId, accountId),
    statement: await accountStatement(db, actor.communityId, accountId),
    entries,
    pending: pending.rows,
  };
}

export async function getPremiseStatement(db: DbOrTx, actor: SessionUser, premiseId: number, period?: string) {
  requireRole(actor, ...STAFF);
  const p = period ?? periodOf(kyivToday());
  return {
    periods: await premiseStatement(db, actor.communityId, premiseId),
    lines: await premisePeriodLines(db, actor.communityId, premiseId, p),
    period: p,
  };
}

/**
 * A manual adjustment (a correction by an operator, with its reason), posted to the open period:
 * a closed period cannot change, so a correction after close lands in the next one. Audited.
 */
export async function postAdjustment(db: Db, actor: SessionUser, input: { accountId: number; amount: number; reason: string }) {
  requireRole(actor, ...OPERATORS);
  if (!Number.isSafeInteger(input.amount) || input.amount === 0) {
    throw invalid('invalid_amount', { uk: 'Сума коригування — ціле число копійок, не нуль', en: 'The adjustment is a non-zero whole number of kopecks' }, { field: 'amount' });
  }
  if (input.reason.trim().length < 5) {
    throw invalid('reason_required', { uk: 'Вкажіть підставу коригування (не менше 5 символів)', en: 'Give the reason for the adjustment (at least 5 characters)' }, { field: 'reason' });
  }
  requirePlausible('adjustment', input.amount, (await loadSettings(db, actor.communityId)).amountBounds);
  await accountFor(db, actor, input.accountId);
  const period = await openPeriodForCorrections(db, actor.communityId, periodOf(kyivToday()));
  return db.transaction().execute(async (trx) => {
    await postLedgerEntries(trx, [
      { communityId: actor.communityId, accountId: input.accountId, period, kind: 'adjustment', amount: input.amount, source: 'manual', reason: input.reason.trim(), createdBy: actor.userId },
    ]);
    const row = await trx
      .selectFrom('ledger_entry')
      .selectAll()
      .where('community_id', '=', actor.communityId)
      .where('account_id', '=', input.accountId)
      .orderBy('entry_id', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    await writeAudit(trx, actor, 'create', 'ledger_entry', row.entry_id, null, row);
    return { entryId: row.entry_id, period };
  });
}

/** A recalculation request for days without service (absence, poor quality); applied by the period's run. */
export async function requestRecalculation(db: Db, actor: SessionUser, input: { accountId: number; period: string; days: number; percent?: string; reason: string }) {
  requireRole(actor, ...OPERATORS);
  await accountFor(db, actor, input.accountId);
  const p = await db.selectFrom('billing_period').select('status').where('community_id', '=', actor.communityId).where('period', '=', input.period).executeTakeFirst();
  if (p?.status === 'closed') {
    throw conflict('period_closed', { uk: `Період ${input.period.slice(0, 7)} закрито: вкажіть наступний відкритий`, en: `Period ${input.period.slice(0, 7)} is closed: use the next open one` }, { field: 'period' });
  }
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('recalculation_request')
      .values({ community_id: actor.communityId, account_id: input.accountId, period: input.period, days: input.days, percent: input.percent ?? '100', reason: input.reason, created_by: actor.userId })
      .returningAll()
      .executeTakeFirstOrThrow();
    await writeAudit(trx, actor, 'create', 'recalculation_request', row.request_id, null, row);
    return row.request_id;
  });
}

export async function getSettings(db: DbOrTx, actor: SessionUser) {
  requireRole(actor, ...STAFF);
  return loadSettings(db, actor.communityId);
}

/** Penalty rules and the moratorium switch (admin only), audited. */
export async function updateSettings(
  db: Db,
  actor: SessionUser,
  input: { penaltyEnabled?: boolean; penaltyMoratorium?: boolean; dueDay?: number; outlierFactor?: string; amountBounds?: Partial<Record<MoneyField, Partial<Bounds>>>; tariffExcess?: 'flag' | 'hold' },
) {
  requireRole(actor, 'admin');
  return db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('billing_settings').selectAll().where('community_id', '=', actor.communityId).executeTakeFirst();
    await trx.insertInto('billing_settings').values({ community_id: actor.communityId }).onConflict((oc) => oc.doNothing()).execute();
    const set: Record<string, unknown> = {};
    if (input.penaltyEnabled !== undefined) set.penalty_enabled = input.penaltyEnabled;
    if (input.penaltyMoratorium !== undefined) set.penalty_moratorium = input.penaltyMoratorium;
    if (input.dueDay !== undefined) set.due_day = input.dueDay;
    if (input.outlierFactor !== undefined) set.outlier_factor = input.outlierFactor;
    if (input.tariffExcess !== undefined) set.tariff_excess = input.tariffExcess;
    if (input.amountBounds !== undefined) {
      const merged = { ...(boundsOf(before?.amount_bounds) as Record<string, Bounds>) };
      for (const [field, b] of Object.entries(input.amountBounds)) merged[field] = { ...merged[field]!, ...b };
      for (const [field, b] of Object.entries(merged)) {
        if (b.min > b.max) throw invalid('bounds_inverted', { uk: `Межі «${field}»: найменша сума більша за найбільшу`, en: `Bounds of "${field}": the minimum is above the maximum` }, { field: `amountBounds.${field}` });
      }
      set.amount_bounds = JSON.stringify(merged);
    }
    if (Object.keys(set).length) await trx.updateTable('billing_settings').set(set).where('community_id', '=', actor.communityId).execute();
    const after = await trx.selectFrom('billing_settings').selectAll().where('community_id', '=', actor.communityId).executeTakeFirstOrThrow();
    await writeAudit(trx, actor, 'update', 'billing_settings', actor.communityId, before ?? null, after);
    return loadSettings(trx, actor.communityId);
  });
}

// ---------------------------------------------------------------------------------------------
// Benefits and subsidies (inputs of the run), audited
// ---------------------------------------------------------------------------------------------

export async function grantBenefit(
  db: Db,
  actor: SessionUser,
  input: { personId: number; premiseId: number; serviceId?: number | null; category: string; percent: string; validFrom: string; validTo?: string | null },
) {
  requireRole(actor, ...OPERATORS);
  checkDecimal(input.percent, 'percent');
  if (Number(input.percent) <= 0 || Number(input.percent) > 100) {
    throw invalid('invalid_percent', { uk: 'Відсоток пільги — від 0 до 100', en: 'A benefit percent is between 0 and 100' }, { field: 'percent' });
  }
  if (input.validTo && input.validTo < input.validFrom) {
    throw invalid('invalid_dates', { uk: 'Пільга не може закінчитися раніше, ніж почалася', en: 'A benefit cannot end before it starts' }, { field: 'validTo' });
  }
  return db.transaction().execute(async (trx) => {
    // Billing counts a benefit only for a member registered at the premise: a grant to anyone
    // else would be accepted and never applied, and nobody would know why.
    const registered = await trx
      .selectFrom('registration')
      .select('registration_id')
      .where('community_id', '=', actor.communityId)
      .where('person_id', '=', input.personId)
      .where('premise_id', '=', input.premiseId)
      .where((eb) => eb.or([eb('registered_to', 'is', null), eb('registered_to', '>=', input.validFrom)]))
      .$if(Boolean(input.validTo), (q) => q.where('registered_from', '<=', input.validTo!))
      .executeTakeFirst();
    if (!registered) {
      throw invalid('person_not_registered', {
        uk: 'Ця особа не зареєстрована в цьому приміщенні протягом строку пільги',
        en: 'This person is not registered at this premise during the benefit',
      }, { field: 'personId' });
    }
    const row = await trx
      .insertInto('benefit_grant')
      .values({
        community_id: actor.communityId,
        person_id: input.personId,
        premise_id: input.premiseId,
        service_id: input.serviceId ?? null,
        category: input.category,
        percent: input.percent,
        valid_from: input.validFrom,
        valid_to: input.validTo ?? null,
        created_by: actor.userId,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await writeAudit(trx, actor, 'create', 'benefit_grant', row.grant_id, null, row);
    return row.grant_id;
  });
}

export async function awardSubsidy(
  db: Db,
  actor: SessionUser,
  input: { accountId: number; monthlyAmount: number; mode: 'credited' | 'monetised'; validFrom: string; validTo?: string | null },
) {
  requireRole(actor, ...OPERATORS);
  await accountFor(db, actor, input.accountId);
  if (!Number.isSafeInteger(input.monthlyAmount) || input.monthlyAmount <= 0) {
    throw invalid('invalid_amount', { uk: 'Сума субсидії — додатне ціле число копійок', en: 'A subsidy is a positive whole number of kopecks' }, { field: 'monthlyAmount' });
  }
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('subsidy_award')
      .values({
        community_id: actor.communityId,
        account_id: input.accountId,
        monthly_amount: input.monthlyAmount,
        mode: input.mode,
        valid_from: input.validFrom,
        valid_to: input.validTo ?? null,
        created_by: actor.userId,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await writeAudit(trx, actor, 'create', 'subsidy_award', row.award_id, null, row);
    return row.award_id;
  });
}

/** Benefits of the premise's members and subsidies of its accounts. */
export async function listPremiseSupport(db: DbOrTx, actor: SessionUser, premiseId: number) {
  requireRole(actor, ...STAFF);
  const benefits = await db
    .selectFrom('benefit_grant as g')
    .innerJoin('person as p', (j) => j.onRef('p.community_id', '=', 'g.community_id').onRef('p.person_id', '=', 'g.person_id'))
    .select(['g.grant_id', 'g.person_id', 'p.last_name', 'p.first_name', 'p.patronymic', 'g.service_id', 'g.category', 'g.percent', 'g.valid_from', 'g.valid_to'])
    .where('g.community_id', '=', actor.communityId)
    .where('g.premise_id', '=', premiseId)
    .orderBy('g.grant_id')
    .execute();
  const subsidies = await db
    .selectFrom('subsidy_award as s')
    .innerJoin('account as a', (j) => j.onRef('a.community_id', '=', 's.community_id').onRef('a.account_id', '=', 's.account_id'))
    .select(['s.award_id', 's.account_id', 'a.number', 's.monthly_amount', 's.mode', 's.valid_from', 's.valid_to'])
    .where('s.community_id', '=', actor.communityId)
    .where('a.premise_id', '=', premiseId)
    .orderBy('s.award_id')
    .execute();
  return { benefits, subsidies };
}

/**
 * Persons registered at a premise (now or before), for choosing who a benefit is granted to:
 * the registry's premise card gives only their number. Current registrations first.
 */
export async function listPremisePersons(db: DbOrTx, actor: SessionUser, premiseId: number) {
  requireRole(actor, ...STAFF);
  return db
    .selectFrom('registration as r')
    .innerJoin('person as p', (j) => j.onRef('p.community_id', '=', 'r.community_id').onRef('p.person_id', '=', 'r.person_id'))
    .select(['p.person_id', 'p.last_name', 'p.first_name', 'p.patronymic', 'r.registered_from', 'r.registered_to'])
    .where('r.community_id', '=', actor.communityId)
    .where('r.premise_id', '=', premiseId)
    .orderBy(sql`r.registered_to is not null`)
    .orderBy('p.last_name')
    .orderBy('p.first_name')
    .orderBy('r.registered_from', 'desc')
    .execute();
}
