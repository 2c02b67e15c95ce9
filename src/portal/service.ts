/**
 * The residents' portal: their own accounts (sign-up confirmed by a one-time code, sign-in,
 * password reset, sessions), linking a household by the unified account number and a proof from
 * the bill, sharing it by invitation, the home figures, paying and readings. "To pay" is always
 * `amountDue(premiseBalances(…))` from src/billing, through payments' `findDebt`.
 */
import { randomBytes } from 'node:crypto';
import { openSession, signIn, type SignedIn } from '../auth/service';
import { AttemptLimiter, SignInGuard } from '../auth/attempts';
import { writeAudit } from '../auth/audit';
import { createUser } from '../auth/service';
import { hashPassword } from '../auth/password';
import { amountDue } from '../billing/amount-due';
import { premiseBalances } from '../billing/statements';
import type { Db, DbOrTx } from '../db/index';
import { premiseMeters } from '../metering/service/desk';
import { submitReading, type ReadingResult } from '../metering/service/submit';
import { windowDays } from '../metering/validate';
import { acquirerSettingsFromEnv, cardOrderStatus, startCardPayment, type AcquirerSettings } from '../payments/card';
import { findDebt } from '../payments/service';
import { unifiedAccountOfPremise } from '../payments/repo';
import type { SessionUser } from '../server/context';
import { AppError, conflict, invalid, notFound, type Bilingual } from '../shared/errors';
import { formatUah, parseUah } from '../shared/money';
import { kyivToday, prevPeriod, periodOf } from '../shared/period';
import { CODE_MESSAGES, CODE_TTL_MS, hashCode, judgeCode, newCode } from './codes';
import { normaliseContact } from './contact';
import { monthlyHistory } from './history';
import type { Messenger } from './messenger';
import * as repo from './repo';
import type { CodePurpose } from './tables';
import { receiptCode } from '../payments/chain';

export interface PortalLimits {
  /** The portal's sign-ins keep the staff sign-in policy (src/auth/README.md), counted apart. */
  signIn: SignInGuard;
  /** Wrong codes per contact. */
  codes: AttemptLimiter;
  /** Wrong household proofs per person, and per unified account (one guessed by many). */
  linkByUser: AttemptLimiter;
  linkByAccount: AttemptLimiter;
}

export function portalLimits(): PortalLimits {
  return {
    signIn: new SignInGuard(),
    codes: new AttemptLimiter(10),
    linkByUser: new AttemptLimiter(5),
    linkByAccount: new AttemptLimiter(10),
  };
}

const tooMany = (retryAfterMs: number, what: Bilingual) => {
  const minutes = Math.max(1, Math.ceil(retryAfterMs / 60_000));
  return new AppError('rate_limited', 429, { uk: `${what.uk}. Спробуйте через ${minutes} хв.`, en: `${what.en}. Try again in ${minutes} min.` }, { retryAfterSeconds: Math.ceil(retryAfterMs / 1000) });
};

function contactOf(text: string) {
  const c = normaliseContact(text);
  if (!c.ok) throw invalid('invalid_contact', c.reason, { field: 'contact' });
  return c;
}

/** The app_user login of a contact: the login allows no «+». */
const loginOf = (contact: string) => contact.replace(/^\+/, '');

function checkPassword(password: string) {
  if (password.length < 8 || password.length > 200) {
    throw invalid('weak_password', { uk: 'Пароль: щонайменше 8 символів', en: 'Password: at least 8 characters' }, { field: 'password' });
  }
}

async function sendCode(db: DbOrTx, messenger: Messenger, communityId: number, userId: number, channel: 'email' | 'phone', contact: string, purpose: CodePurpose, linkBase: string) {
  const code = newCode();
  await repo.insertCode(db, { communityId, userId, purpose, codeHash: hashCode(purpose, code), expiresAt: new Date(Date.now() + CODE_TTL_MS) });
  const page = purpose === 'confirm' ? 'confirm' : 'reset';
  const link = `${linkBase}/portal/${page}?contact=${encodeURIComponent(contact)}&code=${code}`;
  const subject = purpose === 'confirm' ? 'Громада: підтвердження реєстрації / confirm your sign-up' : 'Громада: відновлення пароля / password reset';
  const text = channel === 'phone'
    ? `Громада: код ${code} (30 хв). Code ${code}.`
    : `Ваш код: ${code}\nАбо відкрийте посилання: ${link}\nКод дійсний 30 хвилин.\n\nYour code: ${code}\nOr open the link: ${link}\nThe code is valid for 30 minutes.`;
  await messenger.send(db, communityId, { channel: channel === 'phone' ? 'sms' : 'email', to: contact, subject, text });
}

/**
 * Sign-up: an account (a disabled resident user) waiting for its code. The same contact signing up
 * again before confirming gets a fresh code and the new password; a confirmed one is refused.
 */
export async function signUp(db: Db, messenger: Messenger, communityId: number, input: { contact: string; password: string; displayName: string; linkBase: string }): Promise<{ channel: 'email' | 'phone'; contact: string }> {
  const c = contactOf(input.contact);
  checkPassword(input.password);
  const displayName = input.displayName.trim().slice(0, 200);
  if (!displayName) throw invalid('name_required', { uk: "Вкажіть ваше ім'я", en: 'Give your name' }, { field: 'displayName' });
  const existing = await repo.accountByContact(db, communityId, c.contact);
  if (existing?.confirmed_at) {
    throw conflict('contact_taken', { uk: 'Обліковий запис з цим контактом уже є: увійдіть або відновіть пароль', en: 'An account with this contact already exists: sign in or reset the password' }, { field: 'contact' });
  }
  let userId: number;
  if (existing) {
    userId = existing.user_id;
    await db.updateTable('app_user').set({ password_hash: await hashPassword(input.password), display_name: displayName }).where('community_id', '=', communityId).where('user_id', '=', userId).execute();
  } else {
    userId = await createUser(db, { communityId, login: loginOf(c.contact), password: input.password, role: 'resident', displayName });
    await db.transaction().execute(async (trx) => {
      await trx.updateTable('app_user').set({ disabled: true }).where('community_id', '=', communityId).where('user_id', '=', userId).execute();
      await repo.insertAccount(trx, { communityId, userId, channel: c.channel, contact: c.contact });
    });
  }
  await sendCode(db, messenger, communityId, userId, c.channel, c.contact, 'confirm', input.linkBase);
  return { channel: c.channel, contact: c.contact };
}

/** Checks a code for a contact; on success marks it used in `trx`. Wrong, used or expired: an error, nothing changed. */
async function takeCode(trx: DbOrTx, limits: PortalLimits, communityId: number, userId: number | undefined, contact: string, purpose: CodePurpose, code: string) {
  const wait = limits.codes.retryAfterMs(contact);
  if (wait > 0) throw tooMany(wait, { uk: 'Забагато невірних кодів', en: 'Too many wrong codes' });
  const issued = userId === undefined ? [] : await repo.codesOf(trx, communityId, userId, purpose);
  const typed = hashCode(purpose, code.trim());
  const { verdict, index } = judgeCode(issued.map((c) => ({ codeHash: c.code_hash, expiresAt: new Date(c.expires_at), usedAt: c.used_at })), typed, new Date());
  if (verdict !== 'ok' || !(await repo.useCode(trx, communityId, issued[index]!.code_id))) {
    if (verdict === 'wrong') limits.codes.fail(contact);
    throw invalid(`code_${verdict === 'ok' ? 'used' : verdict}`, CODE_MESSAGES[verdict === 'ok' ? 'used' : verdict], { field: 'code' });
  }
}

/** Confirms a sign-up with its code and opens the first session. */
export async function confirmSignUp(db: Db, limits: PortalLimits, communityId: number, input: { contact: string; code: string }): Promise<SignedIn> {
  const c = contactOf(input.contact);
  const account = await repo.accountByContact(db, communityId, c.contact);
  return db.transaction().execute(async (trx) => {
    await takeCode(trx, limits, communityId, account?.user_id, c.contact, 'confirm', input.code);
    const a = account!;
    await trx.updateTable('portal_account').set({ confirmed_at: new Date() }).where('community_id', '=', communityId).where('user_id', '=', a.user_id).execute();
    await trx.updateTable('app_user').set({ disabled: false }).where('community_id', '=', communityId).where('user_id', '=', a.user_id).execute();
    await writeAudit(trx, { communityId, userId: a.user_id }, 'confirm', 'portal_account', a.user_id, null, { channel: a.channel, contact: a.contact });
    return openSession(trx, a);
  });
}

export async function portalSignIn(db: Db, limits: PortalLimits, communityId: number, input: { contact: string; password: string; ip: string }): Promise<SignedIn> {
  const c = normaliseContact(input.contact);
  // Staff and the seeded residents sign in with their login; residents of the portal with their contact.
  const login = c.ok ? loginOf(c.contact) : input.contact.trim();
  if (c.ok) {
    const a = await repo.accountByContact(db, communityId, c.contact);
    if (a && !a.confirmed_at) {
      throw new AppError('not_confirmed', 403, { uk: 'Обліковий запис ще не підтверджено: введіть код із повідомлення', en: 'The account is not confirmed yet: type the code from the message' }, { field: 'contact' });
    }
  }
  return signIn(db, limits.signIn, { login, password: input.password, ip: input.ip }, communityId);
}

/** Asks for a reset code. The answer is the same whether the contact has an account or not. */
export async function requestReset(db: Db, messenger: Messenger, communityId: number, input: { contact: string; linkBase: string }): Promise<void> {
  const c = contactOf(input.contact);
  const a = await repo.accountByContact(db, communityId, c.contact);
  if (a?.confirmed_at) await sendCode(db, messenger, communityId, a.user_id, c.channel, c.contact, 'reset', input.linkBase);
}

/** Sets a new password with a reset code; every session of the account ends. */
export async function resetPassword(db: Db, limits: PortalLimits, communityId: number, input: { contact: string; code: string; password: string }): Promise<void> {
  const c = contactOf(input.contact);
  checkPassword(input.password);
  const a = await repo.accountByContact(db, communityId, c.contact);
  const hash = await hashPassword(input.password);
  await db.transaction().execute(async (trx) => {
    await takeCode(trx, limits, communityId, a?.confirmed_at ? a.user_id : undefined, c.contact, 'reset', input.code);
    await trx.updateTable('app_user').set({ password_hash: hash }).where('community_id', '=', communityId).where('user_id', '=', a!.user_id).execute();
    await trx.deleteFrom('user_session').where('community_id', '=', communityId).where('user_id', '=', a!.user_id).execute();
    await writeAudit(trx, { communityId, userId: a!.user_id }, 'reset_password', 'app_user', a!.user_id, null, null);
  });
}

export async function listSessions(db: DbOrTx, actor: SessionUser, currentTokenHash: string) {
  const rows = await repo.sessionsOf(db, actor.communityId, actor.userId);
  return rows.map((r) => ({ id: r.token_hash.slice(0, 16), createdAt: new Date(r.created_at).toISOString(), expiresAt: new Date(r.expires_at).toISOString(), current: r.token_hash === currentTokenHash }));
}

export async function revokeSession(db: DbOrTx, actor: SessionUser, id: string): Promise<void> {
  if ((await repo.deleteSessionByPrefix(db, actor.communityId, actor.userId, id)) === 0) throw notFound({ uk: `Сеанс ${id}`, en: `Session ${id}` });
}

// ---------------------------------------------------------------------------------------------
// Households
// ---------------------------------------------------------------------------------------------

function requireResident(actor: SessionUser) {
  if (actor.role !== 'resident') throw new AppError('forbidden', 403, { uk: 'Кабінет мешканця — лише для мешканців', en: 'The residents’ portal is for residents only' });
}

async function requireLinked(db: DbOrTx, actor: SessionUser, premiseId: number) {
  requireResident(actor);
  const link = (await repo.linksOfUser(db, actor.communityId, actor.userId)).find((l) => l.premise_id === premiseId);
  if (!link) throw notFound({ uk: `Приміщення ${premiseId} серед ваших`, en: `Premise ${premiseId} among yours` });
  return link;
}

/**
 * Links a household: the unified account number and, as proof, the total to pay printed on its
 * last bill (`amountDue` over the balances through the last closed period). Wrong proofs are
 * counted (per person and per account) and written to the audit log; a premise someone already
 * holds is shared only by their invitation.
 */
export async function linkPremise(db: Db, limits: PortalLimits, actor: SessionUser, input: { unifiedAccount: string; proof: string }): Promise<{ premiseId: number }> {
  requireResident(actor);
  const number = input.unifiedAccount.replace(/\s+/g, '');
  const userKey = `${actor.communityId}:${actor.userId}`;
  const accountKey = `${actor.communityId}:${number}`;
  const wait = Math.max(limits.linkByUser.retryAfterMs(userKey), limits.linkByAccount.retryAfterMs(accountKey));
  if (wait > 0) throw tooMany(wait, { uk: 'Забагато невдалих спроб прив’язати рахунок', en: 'Too many failed attempts to link an account' });
  const fail = async (code: string, reason: Bilingual, field: string, premiseId: number | null) => {
    limits.linkByUser.fail(userKey);
    limits.linkByAccount.fail(accountKey);
    await writeAudit(db, actor, 'link_failed', 'user_premise', premiseId, null, { unified_account: number, reason: code });
    return invalid(code, reason, { field });
  };
  let debt;
  try {
    debt = await findDebt(db, actor.communityId, number);
  } catch (e) {
    if (e instanceof AppError) throw await fail(e.code, e.messages, 'unifiedAccount', null);
    throw e;
  }
  const premiseId = debt.premiseId;
  const links = await repo.linksOfPremise(db, actor.communityId, premiseId);
  if (links.some((l) => l.user_id === actor.userId)) return { premiseId };
  const last = await repo.lastClosedPeriod(db, actor.communityId);
  if (!last) throw invalid('no_bill_yet', { uk: 'Для цього рахунку ще не випущено жодного рахунку-повідомлення: прив’язка можлива після першого', en: 'No bill has been issued for this account yet: link it after the first one' }, { field: 'proof' });
  const proof = parseUah(input.proof.replace(/[₴грнuah\s]/gi, '') || '-');
  const printed = amountDue(await premiseBalances(db, actor.communityId, premiseId, last.period)).total;
  if (!proof.ok || proof.value !== printed) {
    throw await fail('proof_mismatch', {
      uk: `Сума «До сплати» не збігається з останнім рахунком за ${last.period.slice(0, 7)}: введіть її точно як на папері, напр. 1234,56`,
      en: `The "To pay" total does not match the last bill of ${last.period.slice(0, 7)}: type it exactly as printed, e.g. 1234.56`,
    }, 'proof', premiseId);
  }
  if (links.length > 0) {
    throw conflict('premise_held', { uk: 'Це помешкання вже прив’язав інший мешканець: попросіть у нього запрошення', en: 'Another resident has already linked this home: ask them for an invitation' }, { field: 'unifiedAccount' });
  }
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('user_premise').values({ community_id: actor.communityId, user_id: actor.userId, premise_id: premiseId, holder: true }).execute();
    await writeAudit(trx, actor, 'link', 'user_premise', premiseId, null, { user_id: actor.userId, premise_id: premiseId, holder: true, proof: 'bill_total' });
  });
  return { premiseId };
}

/** The holder invites a family member: a code valid for 7 days, shown once. */
export async function invite(db: Db, actor: SessionUser, premiseId: number): Promise<{ code: string; expiresAt: string }> {
  const link = await requireLinked(db, actor, premiseId);
  if (!link.holder) throw new AppError('not_holder', 403, { uk: 'Запрошувати може лише той, хто прив’язав помешкання', en: 'Only the resident who linked the home may invite' });
  const code = randomBytes(6).toString('hex').toUpperCase();
  const expiresAt = new Date(Date.now() + 7 * 24 * 3600 * 1000);
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('portal_invite').values({ community_id: actor.communityId, premise_id: premiseId, from_user_id: actor.userId, code_hash: hashCode('invite', code), expires_at: expiresAt }).execute();
    await writeAudit(trx, actor, 'invite', 'user_premise', premiseId, null, { premise_id: premiseId, expires_at: expiresAt.toISOString() });
  });
  return { code, expiresAt: expiresAt.toISOString() };
}

export async function acceptInvite(db: Db, limits: PortalLimits, actor: SessionUser, code: string): Promise<{ premiseId: number }> {
  requireResident(actor);
  const key = `${actor.communityId}:${actor.userId}`;
  const wait = limits.linkByUser.retryAfterMs(key);
  if (wait > 0) throw tooMany(wait, { uk: 'Забагато невдалих спроб', en: 'Too many failed attempts' });
  return db.transaction().execute(async (trx) => {
    const inv = await trx.selectFrom('portal_invite').selectAll().where('community_id', '=', actor.communityId).where('code_hash', '=', hashCode('invite', code.trim().toUpperCase())).forUpdate().executeTakeFirst();
    const verdict = !inv ? 'wrong' : inv.used_at ? 'used' : new Date(inv.expires_at) <= new Date() ? 'expired' : 'ok';
    if (verdict !== 'ok') {
      if (verdict === 'wrong') limits.linkByUser.fail(key);
      throw invalid(`code_${verdict}`, CODE_MESSAGES[verdict], { field: 'code' });
    }
    const premiseId = inv!.premise_id;
    await trx.updateTable('portal_invite').set({ used_by: actor.userId, used_at: new Date() }).where('community_id', '=', actor.communityId).where('invite_id', '=', inv!.invite_id).execute();
    await trx.insertInto('user_premise').values({ community_id: actor.communityId, user_id: actor.userId, premise_id: premiseId, holder: false }).onConflict((oc) => oc.doNothing()).execute();
    await writeAudit(trx, actor, 'link', 'user_premise', premiseId, null, { user_id: actor.userId, premise_id: premiseId, holder: false, proof: 'invitation' });
    return { premiseId };
  });
}

/** Unlinks a home; when its holder leaves, the earliest invited member becomes the holder. */
export async function unlink(db: Db, actor: SessionUser, premiseId: number): Promise<void> {
  const link = await requireLinked(db, actor, premiseId);
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('user_premise').where('community_id', '=', actor.communityId).where('user_id', '=', actor.userId).where('premise_id', '=', premiseId).execute();
    if (link.holder) {
      const next = await trx.selectFrom('user_premise').select('user_id').where('community_id', '=', actor.communityId).where('premise_id', '=', premiseId).orderBy('user_id').limit(1).executeTakeFirst();
      if (next) await trx.updateTable('user_premise').set({ holder: true }).where('community_id', '=', actor.communityId).where('premise_id', '=', premiseId).where('user_id', '=', next.user_id).execute();
    }
    await writeAudit(trx, actor, 'unlink', 'user_premise', premiseId, { user_id: actor.userId, premise_id: premiseId, holder: link.holder }, null);
  });
}

export interface PortalAlert {
  kind: 'debt' | 'overdue' | 'reading_window' | 'verification';
  uk: string;
  en: string;
}

/** Home: per linked premise the total to pay (amountDue), due date, lines, last payment, alerts. */
export async function home(db: DbOrTx, actor: SessionUser, today = kyivToday()) {
  requireResident(actor);
  const links = await repo.linksOfUser(db, actor.communityId, actor.userId);
  const last = await repo.lastClosedPeriod(db, actor.communityId);
  const window = await repo.readingWindow(db, actor.communityId);
  const out = [];
  for (const link of links) {
    const number = await unifiedAccountOfPremise(db, actor.communityId, link.premise_id);
    if (!number) continue;
    const debt = await findDebt(db, actor.communityId, number);
    const [paid] = await repo.premisePayments(db, actor.communityId, link.premise_id, 1, true);
    const meters = await premiseMeters(db, actor, link.premise_id);
    const delivery = await repo.deliveryOf(db, actor.communityId, link.premise_id);
    const alerts: PortalAlert[] = [];
    const dueDate = last?.due_date ?? null;
    if (debt.total > 0) {
      const overdue = dueDate !== null && dueDate < today;
      alerts.push(overdue
        ? { kind: 'overdue', uk: `Борг ${formatUah(debt.total, { currency: true })}: термін оплати минув ${dueDate}`, en: `Debt ${formatUah(debt.total, { currency: true })}: the due date ${dueDate} has passed` }
        : { kind: 'debt', uk: `До сплати ${formatUah(debt.total, { currency: true })}`, en: `To pay ${formatUah(debt.total, { currency: true })}` });
    }
    if (meters.length > 0) {
      const [open, close] = windowDays({ opensDay: window?.window_opens_day ?? 1, closesDay: window?.window_closes_day ?? -1 }, today);
      const day = Number(today.slice(8, 10));
      if (day >= open && day <= close) alerts.push({ kind: 'reading_window', uk: `Приймаємо показники до ${String(close).padStart(2, '0')}.${today.slice(5, 7)}`, en: `Readings are taken until ${today.slice(5, 7)}/${String(close).padStart(2, '0')}` });
    }
    for (const m of meters) {
      if (m.verified_until && m.verified_until < today) alerts.push({ kind: 'verification', uk: `Лічильник ${m.serial} (${m.service_name_uk}): строк повірки минув ${m.verified_until}`, en: `Meter ${m.serial} (${m.service_name_en}): verification expired on ${m.verified_until}` });
    }
    out.push({
      premiseId: link.premise_id,
      holder: link.holder,
      unifiedAccount: debt.unifiedAccount,
      address: debt.address,
      toPay: debt.total,
      advance: debt.advance,
      dueDate,
      lastBillPeriod: last?.period ?? null,
      lines: debt.lines,
      lastPayment: paid ? { amount: paid.amount, paidAt: new Date(paid.paid_at).toISOString(), channel: paid.channel, receiptCode: receiptCode(paid.payment_id, paid.receipt_secret) } : null,
      delivery: delivery?.method ?? 'courier',
      alerts,
    });
  }
  return out;
}

/** The bills of a premise: every closed period with the total to pay its bill printed. */
export async function bills(db: DbOrTx, actor: SessionUser, premiseId: number) {
  await requireLinked(db, actor, premiseId);
  const periods = await repo.closedPeriods(db, actor.communityId);
  const out = [];
  for (const p of periods) out.push({ period: p.period, dueDate: p.due_date, toPay: amountDue(await premiseBalances(db, actor.communityId, premiseId, p.period)).total });
  return out;
}

/** E-bill only (to the account's confirmed e-mail), or back to paper. */
export async function setEbill(db: Db, actor: SessionUser, premiseId: number, ebill: boolean) {
  await requireLinked(db, actor, premiseId);
  const account = await repo.accountOfUser(db, actor.communityId, actor.userId);
  if (ebill && (account?.channel !== 'email' || !account.confirmed_at)) {
    throw invalid('email_required', { uk: 'Для електронного рахунку потрібна підтверджена адреса e-mail вашого облікового запису', en: 'An e-bill needs your account’s confirmed e-mail address' }, { field: 'ebill' });
  }
  const values = ebill ? { method: 'ebill' as const, email: account!.contact } : { method: 'courier' as const, email: null };
  await db.transaction().execute(async (trx) => {
    const before = await repo.deliveryOf(trx, actor.communityId, premiseId);
    await trx.insertInto('bill_delivery').values({ community_id: actor.communityId, premise_id: premiseId, ...values }).onConflict((oc) => oc.columns(['community_id', 'premise_id']).doUpdateSet(values)).execute();
    await writeAudit(trx, actor, 'update', 'bill_delivery', premiseId, before ?? null, values);
  });
  return values;
}

/**
 * Pays through the card acquirer: the whole total (no amount), another amount, or amounts per
 * service. With the sandbox acquirer there is no card page, so the card number typed in the portal
 * is handed to it here, as the resident's browser would on a real acquirer's page.
 */
export async function pay(db: Db, actor: SessionUser, premiseId: number, input: { amount?: number; split?: { serviceCode: string; amount: number }[]; card: string }, settings: AcquirerSettings = acquirerSettingsFromEnv()) {
  await requireLinked(db, actor, premiseId);
  const number = (await unifiedAccountOfPremise(db, actor.communityId, premiseId))!;
  const split = input.split?.filter((s) => s.amount !== 0);
  const amount = split && split.length > 0 ? split.reduce((s, p) => s + p.amount, 0) : input.amount;
  if (amount !== undefined && (!Number.isSafeInteger(amount) || amount <= 0)) {
    throw invalid('amount_invalid', { uk: 'Сума до оплати має бути більшою за нуль', en: 'The amount to pay must be above zero' }, { field: 'amount' });
  }
  if (split?.some((s) => s.amount < 0)) throw invalid('amount_invalid', { uk: 'Сума за послугу не може бути від’ємною', en: 'A service’s amount cannot be negative' }, { field: 'split' });
  const order = await startCardPayment(db, actor.communityId, settings, { unifiedAccount: number, ...(amount !== undefined ? { amount } : {}), ...(split && split.length > 0 ? { split } : {}) });
  let res: Response;
  try {
    res = await fetch(order.checkoutUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ data: order.data, signature: order.signature, card: input.card.replace(/\s+/g, '') }).toString() });
  } catch {
    throw new AppError('acquirer_unreachable', 502, { uk: 'Платіжний сервіс недоступний: спробуйте пізніше', en: 'The payment service is unreachable: try later' });
  }
  await res.text();
  const status = await cardOrderStatus(db, actor.communityId, settings.agentCode, order.orderId);
  if (status.status === 'declined') throw new AppError('card_declined', 402, { uk: 'Банк відхилив оплату карткою: нічого не списано', en: 'The bank declined the card payment: nothing was charged' }, { orderId: order.orderId });
  return { orderId: order.orderId, amount: order.amount, status: status.status, receiptCode: status.receiptCode };
}

/** A reading from the phone, once per idempotency key: a queued reading sent twice is stored once. */
export async function sendReading(db: Db, actor: SessionUser, input: { meterId: number; values: string[]; readOn?: string; idempotencyKey: string }): Promise<ReadingResult & { replayed: boolean }> {
  requireResident(actor);
  const seen = await db.selectFrom('portal_reading_key').select('result').where('community_id', '=', actor.communityId).where('user_id', '=', actor.userId).where('idem_key', '=', input.idempotencyKey).executeTakeFirst();
  if (seen) return { ...(seen.result as ReadingResult), replayed: true };
  const reading = { values: input.values, ...(input.readOn ? { readOn: input.readOn } : {}), externalRef: `portal:${input.idempotencyKey}` };
  // A reading the rules reject is answered with their reason and not stored: the person corrects it.
  const check = await submitReading(db, actor, input.meterId, reading, { channel: 'app', dryRun: true });
  if (check.status === 'rejected') return { ...check, replayed: false };
  const result = await submitReading(db, actor, input.meterId, reading, { channel: 'app' });
  await db.insertInto('portal_reading_key').values({ community_id: actor.communityId, user_id: actor.userId, idem_key: input.idempotencyKey, result: JSON.stringify(result) }).onConflict((oc) => oc.doNothing()).execute();
  return { ...result, replayed: false };
}

/** Charges, payments and consumption per month for the charts. */
export async function history(db: DbOrTx, actor: SessionUser, premiseId: number, months: number, today = kyivToday()) {
  await requireLinked(db, actor, premiseId);
  const through = periodOf(today);
  const from = prevPeriod(through, months - 1);
  const [ledger, consumption] = await Promise.all([repo.ledgerByMonth(db, actor.communityId, premiseId, from), repo.consumptionByMonth(db, actor.communityId, premiseId, from)]);
  return monthlyHistory(through, months, ledger, consumption);
}

/** A household's payments, newest first, each with its receipt (a reversed one: none, it says so). */
export async function payments(db: DbOrTx, actor: SessionUser, premiseId: number, limit = 24) {
  await requireLinked(db, actor, premiseId);
  return (await repo.premisePayments(db, actor.communityId, premiseId, limit)).map((p) => ({
    paidAt: new Date(p.paid_at).toISOString(),
    amount: p.amount,
    agent: p.agent,
    channel: p.channel,
    reversed: p.status === 'cancelled',
    receiptCode: p.status === 'cancelled' ? null : receiptCode(p.payment_id, p.receipt_secret),
  }));
}

export async function outbox(db: DbOrTx, communityId: number, contact: string) {
  const c = contactOf(contact);
  return (await repo.outboxFor(db, communityId, c.contact)).map((m) => ({ ...m, created_at: new Date(m.created_at).toISOString() }));
}
