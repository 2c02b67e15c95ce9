import { sql } from 'kysely';
import type { DbOrTx } from '../db/index';
import type { Role } from '../server/context';

export interface UserRow {
  community_id: number;
  user_id: number;
  login: string;
  password_hash: string;
  role: Role;
  provider_id: number | null;
  display_name: string;
  disabled: boolean;
}

export async function findUserByLogin(db: DbOrTx, login: string): Promise<UserRow | undefined> {
  return db
    .selectFrom('app_user')
    .select(['community_id', 'user_id', 'login', 'password_hash', 'role', 'provider_id', 'display_name', 'disabled'])
    .where(sql<string>`lower(login)`, '=', login.toLowerCase())
    .executeTakeFirst();
}

export async function insertUser(
  db: DbOrTx,
  user: { communityId: number; login: string; passwordHash: string; role: Role; providerId: number | null; displayName: string },
): Promise<number> {
  const row = await db
    .insertInto('app_user')
    .values({
      community_id: user.communityId,
      login: user.login,
      password_hash: user.passwordHash,
      role: user.role,
      provider_id: user.providerId,
      display_name: user.displayName,
    })
    .returning('user_id')
    .executeTakeFirstOrThrow();
  return row.user_id;
}

export async function insertUserPremises(db: DbOrTx, communityId: number, userId: number, premiseIds: number[]): Promise<void> {
  if (premiseIds.length === 0) return;
  await db
    .insertInto('user_premise')
    .values(premiseIds.map((premise_id) => ({ community_id: communityId, user_id: userId, premise_id })))
    .execute();
}

export async function userPremiseIds(db: DbOrTx, communityId: number, userId: number): Promise<number[]> {
  const rows = await db
    .selectFrom('user_premise')
    .select('premise_id')
    .where('community_id', '=', communityId)
    .where('user_id', '=', userId)
    .orderBy('premise_id')
    .execute();
  return rows.map((r) => r.premise_id);
}

export async function insertSession(
  db: DbOrTx,
  s: { communityId: number; tokenHash: string; userId: number; csrfToken: string; expiresAt: Date },
): Promise<void> {
  await db
    .insertInto('user_session')
    .values({ community_id: s.communityId, token_hash: s.tokenHash, user_id: s.userId, csrf_token: s.csrfToken, expires_at: s.expiresAt })
    .execute();
}

export interface SessionRow {
  community_id: number;
  token_hash: string;
  csrf_token: string;
  expires_at: Date;
  user_id: number;
  login: string;
  role: Role;
  provider_id: number | null;
  display_name: string;
}

/** A live session and its (enabled) user, by the hash of the cookie's token. */
export async function findLiveSession(db: DbOrTx, tokenHash: string): Promise<SessionRow | undefined> {
  return db
    .selectFrom('user_session as s')
    .innerJoin('app_user as u', (j) => j.onRef('u.community_id', '=', 's.community_id').onRef('u.user_id', '=', 's.user_id'))
    .select(['s.community_id', 's.token_hash', 's.csrf_token', 's.expires_at', 'u.user_id', 'u.login', 'u.role', 'u.provider_id', 'u.display_name'])
    .where('s.token_hash', '=', tokenHash)
    .where('s.expires_at', '>', sql<Date>`now()`)
    .where('u.disabled', '=', false)
    .executeTakeFirst();
}

export async function extendSession(db: DbOrTx, tokenHash: string, expiresAt: Date): Promise<void> {
  await db.updateTable('user_session').set({ expires_at: expiresAt }).where('token_hash', '=', tokenHash).execute();
}

export async function deleteSession(db: DbOrTx, tokenHash: string): Promise<void> {
  await db.deleteFrom('user_session').where('token_hash', '=', tokenHash).execute();
}

export async function deleteExpiredSessions(db: DbOrTx): Promise<void> {
  await db.deleteFrom('user_session').where('expires_at', '<=', sql<Date>`now()`).execute();
}

export async function existingPremiseIds(db: DbOrTx, communityId: number, premiseIds: number[]): Promise<number[]> {
  if (premiseIds.length === 0) return [];
  const rows = await db
    .selectFrom('premise')
    .select('premise_id')
    .where('community_id', '=', communityId)
    .where('premise_id', 'in', premiseIds)
    .execute();
  return rows.map((r) => r.premise_id);
}

export interface AuditRow {
  audit_id: number;
  at: Date;
  user_id: number | null;
  user_login: string | null;
  action: string;
  entity: string;
  entity_id: string | null;
  before: unknown;
  after: unknown;
}

export async function insertAudit(
  db: DbOrTx,
  row: { communityId: number; userId: number | null; action: string; entity: string; entityId: string | null; before: unknown; after: unknown },
): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      community_id: row.communityId,
      user_id: row.userId,
      action: row.action,
      entity: row.entity,
      entity_id: row.entityId,
      before: row.before === null || row.before === undefined ? null : JSON.stringify(row.before),
      after: row.after === null || row.after === undefined ? null : JSON.stringify(row.after),
    })
    .execute();
}

/** Newest first, `limit + 1` rows older than `beforeId`. */
export async function listAudit(
  db: DbOrTx,
  communityId: number,
  filter: { entity?: string; entityId?: string; userId?: number; action?: string; from?: string; to?: string; beforeId?: number },
  limit: number,
): Promise<AuditRow[]> {
  let q = db
    .selectFrom('audit_log as a')
    .leftJoin('app_user as u', (j) => j.onRef('u.community_id', '=', 'a.community_id').onRef('u.user_id', '=', 'a.user_id'))
    .select(['a.audit_id', 'a.at', 'a.user_id', 'u.login as user_login', 'a.action', 'a.entity', 'a.entity_id', 'a.before', 'a.after'])
    .where('a.community_id', '=', communityId);
  if (filter.entity !== undefined) q = q.where('a.entity', '=', filter.entity);
  if (filter.entityId !== undefined) q = q.where('a.entity_id', '=', filter.entityId);
  if (filter.userId !== undefined) q = q.where('a.user_id', '=', filter.userId);
  if (filter.action !== undefined) q = q.where('a.action', '=', filter.action);
  // Days in Kyiv, both ends included.
  if (filter.from !== undefined) q = q.where(sql<boolean>`(a.at at time zone 'Europe/Kyiv')::date >= ${filter.from}::date`);
  if (filter.to !== undefined) q = q.where(sql<boolean>`(a.at at time zone 'Europe/Kyiv')::date <= ${filter.to}::date`);
  if (filter.beforeId !== undefined) q = q.where('a.audit_id', '<', filter.beforeId);
  return q.orderBy('a.audit_id', 'desc').limit(limit + 1).execute();
}

export async function existingProviderId(db: DbOrTx, communityId: number, providerId: number): Promise<boolean> {
  const row = await db
    .selectFrom('provider')
    .select('provider_id')
    .where('community_id', '=', communityId)
    .where('provider_id', '=', providerId)
    .executeTakeFirst();
  return row !== undefined;
}

export async function premisesByUnifiedAccount(db: DbOrTx, communityId: number, numbers: string[]) {
  if (numbers.length === 0) return [];
  return db
    .selectFrom('unified_account')
    .select(['premise_id', 'number'])
    .where('community_id', '=', communityId)
    .where('number', 'in', numbers)
    .execute();
}

export interface UserListRow {
  user_id: number;
  login: string;
  display_name: string;
  role: Role;
  provider_id: number | null;
  provider_name: string | null;
  disabled: boolean;
  created_at: Date;
  last_sign_in_at: Date | null;
}

/** The community's users in login order, with their provider's name. */
export async function listUsers(db: DbOrTx, communityId: number): Promise<UserListRow[]> {
  return db
    .selectFrom('app_user as u')
    .leftJoin('provider as p', (j) => j.onRef('p.community_id', '=', 'u.community_id').onRef('p.provider_id', '=', 'u.provider_id'))
    .select(['u.user_id', 'u.login', 'u.display_name', 'u.role', 'u.provider_id', 'p.name as provider_name', 'u.disabled', 'u.created_at', 'u.last_sign_in_at'])
    .where('u.community_id', '=', communityId)
    .orderBy(sql`lower(u.login)`)
    .execute();
}

/** One user row, locked for the change about to be made to it. */
export async function userForUpdate(db: DbOrTx, communityId: number, userId: number) {
  return db
    .selectFrom('app_user')
    .select(['community_id', 'user_id', 'login', 'display_name', 'role', 'provider_id', 'disabled'])
    .where('community_id', '=', communityId)
    .where('user_id', '=', userId)
    .forUpdate()
    .executeTakeFirst();
}

/** Enabled administrators of the community, locked so that two changes cannot remove the last one together. */
export async function enabledAdminIds(db: DbOrTx, communityId: number): Promise<number[]> {
  const rows = await db
    .selectFrom('app_user')
    .select('user_id')
    .where('community_id', '=', communityId)
    .where('role', '=', 'admin')
    .where('disabled', '=', false)
    .forUpdate()
    .execute();
  return rows.map((r) => r.user_id);
}

export async function updateUser(
  db: DbOrTx,
  communityId: number,
  userId: number,
  change: { role: Role; provider_id: number | null; display_name: string; disabled: boolean },
): Promise<void> {
  await db.updateTable('app_user').set(change).where('community_id', '=', communityId).where('user_id', '=', userId).execute();
}

export async function setPasswordHash(db: DbOrTx, communityId: number, userId: number, passwordHash: string): Promise<void> {
  await db.updateTable('app_user').set({ password_hash: passwordHash }).where('community_id', '=', communityId).where('user_id', '=', userId).execute();
}

/** Ends every session of a user (disabled, or given a new password). */
export async function deleteUserSessions(db: DbOrTx, communityId: number, userId: number): Promise<void> {
  await db.deleteFrom('user_session').where('community_id', '=', communityId).where('user_id', '=', userId).execute();
}

export async function recordSignIn(db: DbOrTx, communityId: number, userId: number): Promise<void> {
  await db.updateTable('app_user').set({ last_sign_in_at: sql<Date>`now()` }).where('community_id', '=', communityId).where('user_id', '=', userId).execute();
}
