import { randomInt } from 'node:crypto';
import type { Db } from '../db/index';
import type { Role, SessionUser } from '../server/context';
import { requireRole } from '../server/access';
import { conflict, notFound } from '../shared/errors';
import { writeAudit } from './audit';
import { hashPassword } from './password';
import * as repo from './repo';
import { checkProviderScope, createUser } from './service';

// The administrator's users page: list, add with a one-time password, change role and provider,
// disable, reset a password. Every change is audited; the last enabled administrator stays.

export interface UserView {
  userId: number;
  login: string;
  displayName: string;
  role: Role;
  providerId: number | null;
  providerName: string | null;
  disabled: boolean;
  createdAt: string;
  lastSignInAt: string | null;
}

// No 0/O, 1/l/I: the password is read out or copied by hand once.
const PASSWORD_LETTERS = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A one-time password of 12 letters and digits (≈ 70 bits), shown to the administrator once. */
export function oneTimePassword(): string {
  return Array.from({ length: 12 }, () => PASSWORD_LETTERS[randomInt(PASSWORD_LETTERS.length)]).join('');
}

export async function listUsers(db: Db, actor: SessionUser): Promise<UserView[]> {
  requireRole(actor, 'admin');
  const rows = await repo.listUsers(db, actor.communityId);
  return rows.map((r) => ({
    userId: r.user_id,
    login: r.login,
    displayName: r.display_name,
    role: r.role,
    providerId: r.provider_id,
    providerName: r.provider_name,
    disabled: r.disabled,
    createdAt: new Date(r.created_at).toISOString(),
    lastSignInAt: r.last_sign_in_at === null ? null : new Date(r.last_sign_in_at).toISOString(),
  }));
}

/** Adds a staff or provider user with a one-time password, returned once and never stored in clear. */
export async function addUser(
  db: Db,
  actor: SessionUser,
  input: { login: string; displayName: string; role: Role; providerId: number | null },
): Promise<{ userId: number; password: string }> {
  requireRole(actor, 'admin');
  const password = oneTimePassword();
  const userId = await createUser(db, { ...input, password, communityId: actor.communityId }, actor);
  return { userId, password };
}

export interface UserChange {
  role?: Role;
  providerId?: number | null;
  displayName?: string;
  disabled?: boolean;
}

export async function changeUser(db: Db, actor: SessionUser, userId: number, change: UserChange): Promise<void> {
  requireRole(actor, 'admin');
  await db.transaction().execute(async (trx) => {
    const before = await repo.userForUpdate(trx, actor.communityId, userId);
    if (!before) throw notFound({ uk: `Користувач ${userId}`, en: `User ${userId}` });
    const role = change.role ?? before.role;
    // Moving away from the provider role drops the provider; moving to it needs one.
    const providerId = change.providerId !== undefined ? change.providerId : role === 'provider' ? before.provider_id : null;
    checkProviderScope(role, providerId);
    if (providerId !== null && !(await repo.existingProviderId(trx, actor.communityId, providerId))) {
      throw notFound({ uk: `Постачальник ${providerId}`, en: `Provider ${providerId}` }, { field: 'providerId' });
    }
    const after = {
      role,
      provider_id: providerId,
      display_name: change.displayName?.trim() || before.display_name,
      disabled: change.disabled ?? before.disabled,
    };
    const stillAdmin = after.role === 'admin' && !after.disabled;
    if (before.role === 'admin' && !before.disabled && !stillAdmin) {
      const admins = await repo.enabledAdminIds(trx, actor.communityId);
      if (admins.every((id) => id === userId)) {
        throw conflict('last_admin', {
          uk: 'Це останній адміністратор громади: спершу призначте іншого',
          en: 'This is the community’s last administrator: appoint another first',
        });
      }
    }
    await repo.updateUser(trx, actor.communityId, userId, after);
    if (after.disabled) await repo.deleteUserSessions(trx, actor.communityId, userId);
    await writeAudit(trx, actor, 'update', 'app_user', userId, before, { ...before, ...after });
  });
}

/** A new one-time password: the old one stops working and the user's sessions end. */
export async function resetPassword(db: Db, actor: SessionUser, userId: number): Promise<{ password: string }> {
  requireRole(actor, 'admin');
  const password = oneTimePassword();
  const passwordHash = await hashPassword(password);
  await db.transaction().execute(async (trx) => {
    const user = await repo.userForUpdate(trx, actor.communityId, userId);
    if (!user) throw notFound({ uk: `Користувач ${userId}`, en: `User ${userId}` });
    await repo.setPasswordHash(trx, actor.communityId, userId, passwordHash);
    await repo.deleteUserSessions(trx, actor.communityId, userId);
    await writeAudit(trx, actor, 'reset_password', 'app_user', userId, null, { user_id: userId, login: user.login });
  });
  return { password };
}
