/**
 * One-time codes (sign-up confirmation, password reset, invitations): six digits typed from an SMS
 * or e-mail, or a link carrying them. Only their SHA-256 is stored. Pure apart from the random
 * source.
 */
import { createHash, randomInt } from 'node:crypto';
import type { Bilingual } from '../shared/errors';

/** A sign-up or reset code lives 30 minutes. */
export const CODE_TTL_MS = 30 * 60 * 1000;

export function newCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

export function hashCode(scope: string, code: string): string {
  return createHash('sha256').update(`${scope}:${code.replace(/\s+/g, '')}`).digest('hex');
}

export interface StoredCode {
  codeHash: string;
  expiresAt: Date;
  usedAt: Date | null;
}

export type CodeVerdict = 'ok' | 'wrong' | 'used' | 'expired';

/**
 * The verdict on a typed code against the codes issued (newest first): a code that matches one of
 * them is used or expired or good; one that matches none is wrong.
 */
export function judgeCode(issued: readonly StoredCode[], typedHash: string, now: Date): { verdict: CodeVerdict; index: number } {
  const index = issued.findIndex((c) => c.codeHash === typedHash);
  if (index < 0) return { verdict: 'wrong', index };
  const c = issued[index]!;
  if (c.usedAt) return { verdict: 'used', index };
  if (c.expiresAt.getTime() <= now.getTime()) return { verdict: 'expired', index };
  // Only the newest code counts: an older one was replaced when a new one was sent.
  if (index > 0) return { verdict: 'expired', index };
  return { verdict: 'ok', index };
}

export const CODE_MESSAGES: Record<Exclude<CodeVerdict, 'ok'>, Bilingual> = {
  wrong: { uk: 'Код невірний: перевірте цифри з повідомлення', en: 'The code is wrong: check the digits in the message' },
  used: { uk: 'Цей код уже використано: попросіть новий', en: 'This code has already been used: ask for a new one' },
  expired: { uk: 'Термін дії коду минув: попросіть новий', en: 'The code has expired: ask for a new one' },
};
