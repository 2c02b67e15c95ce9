import { createHash, randomBytes } from 'node:crypto';
import type { Db, DbOrTx } from '../db/index';
import type { Role, SessionUser } from '../server/context';
import { AppError, conflict, invalid, notFound } from '../shared/errors';
import { decodeCursor, pageOf, type Page } from '../shared/pagination';
import { normalLogin, type SignInGuard } from './attempts';
import { writeAudit, type AuditActor } from './audit';
import { hashPassword, verifyPassword } from './password';
import * as repo from './repo';
import { requireRole } from '../server/access';
import { providerIdByEdrpou } from '../registry/repo';
import { sameSecret } from '../shared/same-secret';

export const ROLES: Role[] = ['admin', 'operator', 'provider', 'city', 'resident'];
/** A session lives 12 hours after its last use. */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;
/** Sliding expiry is written at most every 10 minutes, not on every request. */
const EXTEND_EVERY_MS = 10 * 60 * 1000;
export const MIN_PASSWORD_LENGTH = 8;

export interface NewUser {
  communityId: number;
  login: string;
  password: string;
  role: Role;
  /** Required for (and only for) the provider role: the provider this user works for. */
  providerId?: number | null;
  displayName: string;
  /** Residents: the premises (their homes) they may act for. */
  premiseIds?: number[];
}

/** Creates a user (seeder, `hromada user add`, admin pages). Audited; the hash never is. */
export async function createUser(db: Db, user: NewUser, actor: AuditActor | null = null): Promise<number> {
  const login = user.login.trim();
  if (!/^[\p{L}\p{N}._@-]{3,64}$/u.test(login)) {
    throw invalid(
      'invalid_login',
      { uk: 'Логін: 3–64 символи (літери, цифри, . _ @ -)', en: 'Login: 3–64 characters (letters, digits, . _ @ -)' },
      { field: 'login' },
    );
  }
  if (user.password.length < MIN_PASSWORD_LENGTH) {
    throw invalid(
      'weak_password',
      { uk: `Пароль: щонайменше ${MIN_PASSWORD_LENGTH} символів`, en: `Password: at least ${MIN_PASSWORD_LENGTH} characters` },
      { field: 'password' },
    );
  }
  if (!ROLES.includes(user.role)) {
    throw invalid('invalid_role', { uk: `Невідома роль: ${user.role}`, en: `Unknown role: ${user.role}` }, { field: 'role' });
  }
  const providerId = user.providerId ?? null;
  checkProviderScope(user.role, providerId);
  const premiseIds = [...new Set(user.premiseIds ?? [])];
  if (premiseIds.length > 0 && user.role !== 'resident') {
    throw invalid('premises_scope', { uk: 'Приміщення вказують лише для мешканця', en: 'Only residents are linked to premises' }, { field: 'premiseIds' });
  }
  const displayName = user.displayName.trim() || login;
  const passwordHash = await hashPassword(user.password);

  return db.transaction().execute(async (trx) => {
    if (await repo.findUserByLogin(trx, login)) {
      throw conflict('login_taken', { uk: `Логін «${login}» уже зайнятий`, en: `Login "${login}" is taken` }, { field: 'login' });
    }
    if (providerId !== null && !(await repo.existingProviderId(trx, user.communityId, providerId))) {
      throw notFound({ uk: `Постачальник ${providerId}`, en: `Provider ${providerId}` }, { field: 'providerId' });
    }
    const found = await repo.existingPremiseIds(trx, user.communityId, premiseIds);
    const missing = premiseIds.filter((id) => !found.includes(id));
    if (missing.length > 0) {
      throw notFound({ uk: `Приміщення ${missing.join(', ')}`, en: `Premises ${missing.join(', ')}` }, { field: 'premiseIds' });
    }
    const userId = await repo.insertUser(trx, { communityId: user.communityId, login, passwordHash, role: user.role, providerId, displayName });
    await repo.insertUserPremises(trx, user.communityId, userId, premiseIds);
    await writeAudit(trx, actor ?? { communityId: user.communityId }, 'create', 'app_user', userId, null, {
      user_id: userId,
      login,
      role: user.role,
      provider_id: providerId,
      display_name: displayName,
      premise_ids: premiseIds,
    });
    return userId;
  });
}

/** A provider user works for exactly one provider; no other role has one. */
export function checkProviderScope(role: Role, providerId: number | null): void {
  if ((role === 'provider') !== (providerId !== null)) {
    throw invalid(
      'provider_scope',
      role === 'provider'
        ? { uk: 'Користувачу постачальника потрібно вказати постачальника', en: 'A provider user needs its provider' }
        : { uk: 'Постачальника вказують лише для ролі «Постачальник»', en: 'Only the provider role takes a provider' },
      { field: 'providerId' },
    );
  }
}

export interface SignedIn {
  /** Goes into the cookie only; the database keeps its SHA-256. */
  token: string;
  csrfToken: string;
  expiresAt: Date;
  user: SessionUser;
}

const badCredentials = () =>
  new AppError('bad_credentials', 401, { uk: 'Невірний логін або пароль', en: 'Wrong login or password' });

export const rateLimited = (retryAfterMs: number) => {
  const minutes = Math.max(1, Math.ceil(retryAfterMs / 60_000));
  return new AppError(
    'rate_limited',
    429,
    { uk: `Забагато невдалих спроб входу. Спробуйте через ${minutes} хв.`, en: `Too many failed sign-in attempts. Try again in ${minutes} min.` },
    { retryAfterSeconds: Math.ceil(retryAfterMs / 1000) },
  );
};

// Unknown logins are checked against this hash so that they take as long as wrong passwords.
let dummyHash: Promise<string> | undefined;

/**
 * Checks a login and password (the guard's limits per login, per address and per both) and opens a
 * session. A failure that locks a login or an address is written to the audit log, in the login's
 * community (or `fallbackCommunityId` for an unknown login).
 */
export async function signIn(
  db: Db,
  guard: SignInGuard,
  input: { login: string; password: string; ip: string },
  fallbackCommunityId: number,
): Promise<SignedIn> {
  const wait = guard.retryAfterMs(input.login, input.ip);
  if (wait > 0) throw rateLimited(wait);

  const user = await repo.findUserByLogin(db, input.login.trim());
  dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
  const passwordOk = await verifyPassword(input.password, user?.password_hash ?? (await dummyHash));
  if (!user || !passwordOk || user.disabled) {
    const locked = guard.fail(input.login, input.ip);
    const communityId = user?.community_id ?? fallbackCommunityId;
    for (const scope of locked) {
      const login = normalLogin(input.login);
      await writeAudit(db, { communityId }, 'lockout', 'sign_in', scope === 'address' ? input.ip : login, null, {
        scope,
        login: scope === 'address' ? null : login,
        address: scope === 'login' ? null : input.ip,
        window_minutes: 15,
      });
    }
    throw badCredentials();
  }

  await repo.recordSignIn(db, user.community_id, user.user_id);
  return openSession(db, user);
}

/** A new session for a user whose identity was just proven (a password, or the portal's one-time code). */
export async function openSession(db: DbOrTx, user: Omit<repo.UserRow, 'password_hash' | 'disabled'>): Promise<SignedIn> {
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + SESSION_TTL_MS);
  await repo.deleteExpiredSessions(db);
  await repo.insertSession(db, { communityId: user.community_id, tokenHash: hashToken(token), userId: user.user_id, csrfToken, expiresAt });
  return {
    token,
    csrfToken,
    expiresAt,
    user: {
      userId: user.user_id,
      communityId: user.community_id,
      login: user.login,
      displayName: user.display_name,
      role: user.role,
      providerId: user.provider_id,
    },
  };
}

export interface LiveSession {
  user: SessionUser;
  tokenHash: string;
  csrfToken: string;
  expiresAt: Date;
}

/** The session behind a cookie's token, extended (sliding expiry); undefined if none or expired. */
export async function sessionForToken(db: Db, token: string): Promise<LiveSession | undefined> {
  if (!token || token.length > 100) return undefined;
  const tokenHash = hashToken(token);
  const row = await repo.findLiveSession(db, tokenHash);
  if (!row) return undefined;
  let expiresAt = new Date(row.expires_at);
  if (Date.now() + SESSION_TTL_MS - expiresAt.getTime() > EXTEND_EVERY_MS) {
    expiresAt = new Date(Date.now() + SESSION_TTL_MS);
    await repo.extendSession(db, tokenHash, expiresAt);
  }
  return {
    tokenHash,
    csrfToken: row.csrf_token,
    expiresAt,
    user: {
      userId: row.user_id,
      communityId: row.community_id,
      login: row.login,
      displayName: row.display_name,
      role: row.role,
      providerId: row.provider_id,
    },
  };
}

export async function signOut(db: Db, tokenHash: string): Promise<void> {
  await repo.deleteSession(db, tokenHash);
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Constant-time comparison of the CSRF header with the session's token. */
export function csrfMatches(sent: string | undefined, expected: string): boolean {
  return typeof sent === 'string' && sameSecret(sent, expected);
}

/** Premises a resident may act for (their homes); empty for everyone else. */
export async function residentPremiseIds(db: DbOrTx, user: SessionUser): Promise<number[]> {
  if (user.role !== 'resident') return [];
  return repo.userPremiseIds(db, user.communityId, user.userId);
}

export async function providerIdForEdrpou(db: DbOrTx, communityId: number, edrpou: string): Promise<number> {
  const id = await providerIdByEdrpou(db, communityId, edrpou);
  if (id === undefined) throw notFound({ uk: `Постачальник з ЄДРПОУ ${edrpou}`, en: `Provider with EDRPOU ${edrpou}` }, { field: 'provider' });
  return id;
}

export async function premiseIdsForUnifiedAccounts(db: DbOrTx, communityId: number, numbers: string[]): Promise<number[]> {
  const rows = await repo.premisesByUnifiedAccount(db, communityId, numbers);
  const missing = numbers.filter((n) => !rows.some((r) => r.number === n));
  if (missing.length > 0) {
    throw notFound({ uk: `Єдиний рахунок ${missing.join(', ')}`, en: `Unified account ${missing.join(', ')}` }, { field: 'premise' });
  }
  return rows.map((r) => r.premise_id);
}

/** Logins of the actor's community that are locked now (admin). */
export async function lockedLogins(db: Db, actor: SessionUser, guard: SignInGuard): Promise<string[]> {
  requireRole(actor, 'admin');
  const logins = guard.lockedLogins();
  const ours = await Promise.all(logins.map(async (login) => ((await repo.findUserByLogin(db, login))?.community_id === actor.communityId ? login : null)));
  return ours.filter((l): l is string => l !== null);
}

/** An administrator lifts the lockout of a login of their community; audited with the reason. */
export async function liftLockout(db: Db, actor: SessionUser, guard: SignInGuard, login: string, reason: string): Promise<void> {
  requireRole(actor, 'admin');
  const user = await repo.findUserByLogin(db, login.trim());
  if (!user || user.community_id !== actor.communityId) throw notFound({ uk: `Користувач «${login}»`, en: `User "${login}"` }, { field: 'login' });
  const wasLocked = guard.lift(login);
  await writeAudit(db, actor, 'unlock', 'sign_in', normalLogin(login), { locked: wasLocked }, { locked: false, reason });
}

export interface AuditEntry {
  auditId: number;
  at: string;
  userId: number | null;
  userLogin: string | null;
  action: string;
  entity: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
}

export async function listAudit(
  db: Db,
  actor: SessionUser,
  query: { entity?: string; entityId?: string; userId?: number; action?: string; from?: string; to?: string; cursor?: string; limit: number },
): Promise<Page<AuditEntry>> {
  const key = decodeCursor(query.cursor, ['number']);
  const rows = await repo.listAudit(
    db,
    actor.communityId,
    { entity: query.entity, entityId: query.entityId, userId: query.userId, action: query.action, from: query.from, to: query.to, beforeId: key?.[0] as number | undefined },
    query.limit,
  );
  return pageOf(
    rows,
    query.limit,
    (r) => [r.audit_id],
    (r) => ({
      auditId: r.audit_id,
      at: new Date(r.at).toISOString(),
      userId: r.user_id,
      userLogin: r.user_login,
      action: r.action,
      entity: r.entity,
      entityId: r.entity_id,
      before: r.before,
      after: r.after,
    }),
  );
}
