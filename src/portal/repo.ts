/** SQL of the portal. */
import { sql } from 'kysely';
import type { DbOrTx } from '../db/index';
import type { ConsumptionRow, LedgerMonthRow } from './history';
import type { CodePurpose, ContactChannel } from './tables';

export async function accountByContact(db: DbOrTx, communityId: number, contact: string) {
  return db
    .selectFrom('portal_account as pa')
    .innerJoin('app_user as u', (j) => j.onRef('u.community_id', '=', 'pa.community_id').onRef('u.user_id', '=', 'pa.user_id'))
    .select(['pa.user_id', 'pa.channel', 'pa.contact', 'pa.confirmed_at', 'u.login', 'u.display_name', 'u.role', 'u.provider_id', 'u.community_id', 'u.disabled'])
    .where('pa.community_id', '=', communityId)
    .where('pa.contact', '=', contact)
    .executeTakeFirst();
}

export async function accountOfUser(db: DbOrTx, communityId: number, userId: number) {
  return db.selectFrom('portal_account').selectAll().where('community_id', '=', communityId).where('user_id', '=', userId).executeTakeFirst();
}

export async function insertAccount(db: DbOrTx, a: { communityId: number; userId: number; channel: ContactChannel; contact: string }) {
  await db.insertInto('portal_account').values({ community_id: a.communityId, user_id: a.userId, channel: a.channel, contact: a.contact }).execute();
}

export async function insertCode(db: DbOrTx, c: { communityId: number; userId: number; purpose: CodePurpose; codeHash: string; expiresAt: Date }) {
  await db.insertInto('portal_code').values({ community_id: c.communityId, user_id: c.userId, purpose: c.purpose, code_hash: c.codeHash, expires_at: c.expiresAt }).execute();
}

/** The codes issued to a user for a purpose, newest first (the last ten are enough to judge). */
export async function codesOf(db: DbOrTx, communityId: number, userId: number, purpose: CodePurpose) {
  return db
    .selectFrom('portal_code')
    .select(['code_id', 'code_hash', 'expires_at', 'used_at'])
    .where('community_id', '=', communityId)
    .where('user_id', '=', userId)
    .where('purpose', '=', purpose)
    .orderBy('code_id', 'desc')
    .limit(10)
    .execute();
}

/** Marks a code used; false when another request used it first. */
export async function useCode(db: DbOrTx, communityId: number, codeId: number): Promise<boolean> {
  const r = await db.updateTable('portal_code').set({ used_at: new Date() }).where('community_id', '=', communityId).where('code_id', '=', codeId).where('used_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function writeOutbox(db: DbOrTx, m: { communityId: number; channel: 'email' | 'sms'; recipient: string; subject: string; body: string }) {
  await db.insertInto('portal_outbox').values({ community_id: m.communityId, channel: m.channel, recipient: m.recipient, subject: m.subject, body: m.body }).execute();
}

export async function outboxFor(db: DbOrTx, communityId: number, recipient: string, limit = 20) {
  return db.selectFrom('portal_outbox').select(['outbox_id', 'channel', 'recipient', 'subject', 'body', 'created_at']).where('community_id', '=', communityId).where('recipient', '=', recipient).orderBy('outbox_id', 'desc').limit(limit).execute();
}

export async function sessionsOf(db: DbOrTx, communityId: number, userId: number) {
  return db
    .selectFrom('user_session')
    .select(['token_hash', 'created_at', 'expires_at'])
    .where('community_id', '=', communityId)
    .where('user_id', '=', userId)
    .where('expires_at', '>', sql<Date>`now()`)
    .orderBy('created_at', 'desc')
    .execute();
}

export async function deleteSessionByPrefix(db: DbOrTx, communityId: number, userId: number, prefix: string): Promise<number> {
  const r = await db.deleteFrom('user_session').where('community_id', '=', communityId).where('user_id', '=', userId).where(sql<string>`left(token_hash, 16)`, '=', prefix).executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function linksOfPremise(db: DbOrTx, communityId: number, premiseId: number) {
  return db.selectFrom('user_premise').select(['user_id', 'holder']).where('community_id', '=', communityId).where('premise_id', '=', premiseId).execute();
}

export async function linksOfUser(db: DbOrTx, communityId: number, userId: number) {
  return db.selectFrom('user_premise').select(['premise_id', 'holder']).where('community_id', '=', communityId).where('user_id', '=', userId).orderBy('premise_id').execute();
}

/** The last closed period and its due date, or undefined when nothing was ever billed. */
export async function lastClosedPeriod(db: DbOrTx, communityId: number) {
  return db.selectFrom('billing_period').select(['period', 'due_date']).where('community_id', '=', communityId).where('status', '=', 'closed').orderBy('period', 'desc').limit(1).executeTakeFirst();
}

export async function closedPeriods(db: DbOrTx, communityId: number, limit = 24) {
  return db.selectFrom('billing_period').select(['period', 'due_date']).where('community_id', '=', communityId).where('status', '=', 'closed').orderBy('period', 'desc').limit(limit).execute();
}

/** A household's payments (or only those standing), newest first, with who took them (the agent's name). */
export async function premisePayments(db: DbOrTx, communityId: number, premiseId: number, limit: number, postedOnly = false) {
  return db
    .selectFrom('payment as p')
    .innerJoin('payment_agent as a', (j) => j.onRef('a.community_id', '=', 'p.community_id').onRef('a.agent_id', '=', 'p.agent_id'))
    .select(['p.payment_id', 'p.amount', 'p.paid_at', 'p.channel', 'p.status', 'p.receipt_secret', 'a.name as agent'])
    .where('p.community_id', '=', communityId)
    .where('p.premise_id', '=', premiseId)
    .$if(postedOnly, (q) => q.where('p.status', '=', 'posted'))
    .orderBy('p.paid_at', 'desc')
    .orderBy('p.payment_id', 'desc')
    .limit(limit)
    .execute();
}

export async function deliveryOf(db: DbOrTx, communityId: number, premiseId: number) {
  return db.selectFrom('bill_delivery').select(['method', 'email']).where('community_id', '=', communityId).where('premise_id', '=', premiseId).executeTakeFirst();
}

/** The reading window of the community (the provider-less settings row), when one is set. */
export async function readingWindow(db: DbOrTx, communityId: number) {
  return db.selectFrom('metering_settings').select(['window_opens_day', 'window_closes_day']).where('community_id', '=', communityId).where('provider_id', 'is', null).executeTakeFirst();
}

export async function ledgerByMonth(db: DbOrTx, communityId: number, premiseId: number, from: string): Promise<LedgerMonthRow[]> {
  const r = await sql<LedgerMonthRow>`
select to_char(le.period, 'YYYY-MM-DD') as period, le.kind, sum(le.amount)::bigint as amount
  from ledger_entry le join account a on a.community_id = le.community_id and a.account_id = le.account_id
 where le.community_id = ${communityId} and a.premise_id = ${premiseId} and le.period >= ${from}::date
 group by le.period, le.kind`.execute(db);
  return r.rows;
}

export async function consumptionByMonth(db: DbOrTx, communityId: number, premiseId: number, from: string): Promise<ConsumptionRow[]> {
  const r = await sql<ConsumptionRow>`
select to_char(mc.period, 'YYYY-MM-DD') as period, s.code as "serviceCode", sum(mc.volume)::text as volume
  from meter_consumption mc
  join meter m on m.community_id = mc.community_id and m.meter_id = mc.meter_id
  join service s on s.community_id = m.community_id and s.service_id = m.service_id
 where mc.community_id = ${communityId} and m.premise_id = ${premiseId} and mc.period >= ${from}::date
 group by mc.period, s.code`.execute(db);
  return r.rows;
}
