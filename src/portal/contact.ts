/**
 * A resident signs up with an e-mail address or a Ukrainian mobile number; both are kept in one
 * normal form so that «+38 (067) 123-45-67», «0671234567» and «380671234567» are the same person.
 * Pure.
 */
import type { Bilingual } from '../shared/errors';
import type { ContactChannel } from './tables';

export type ContactResult = { ok: true; channel: ContactChannel; contact: string } | { ok: false; reason: Bilingual };

const EMAIL = /^[^\s@]{1,64}@[^\s@.]+(\.[^\s@.]+)+$/;

export function normaliseContact(text: string): ContactResult {
  const t = text.trim();
  if (t.includes('@')) {
    const email = t.toLowerCase();
    if (email.length <= 254 && EMAIL.test(email)) return { ok: true, channel: 'email', contact: email };
    return { ok: false, reason: { uk: `«${t}» — не адреса e-mail (приклад: olena@example.com)`, en: `"${t}" is not an e-mail address (e.g. olena@example.com)` } };
  }
  if (!/^[+\d\s()-]+$/.test(t)) {
    return { ok: false, reason: { uk: 'Вкажіть e-mail або номер мобільного телефону', en: 'Give an e-mail address or a mobile phone number' } };
  }
  const digits = t.replace(/\D/g, '');
  // 0XXXXXXXXX (10), 380XXXXXXXXX (12), 80XXXXXXXXX (11, the old long-distance prefix)
  const national = digits.length === 10 && digits.startsWith('0') ? digits.slice(1)
    : digits.length === 12 && digits.startsWith('380') ? digits.slice(3)
      : digits.length === 11 && digits.startsWith('80') ? digits.slice(2)
        : null;
  if (national === null || !/^[1-9]\d{8}$/.test(national)) {
    return { ok: false, reason: { uk: `«${t}» — не український номер телефону (приклад: 067 123 45 67)`, en: `"${t}" is not a Ukrainian phone number (e.g. 067 123 45 67)` } };
  }
  return { ok: true, channel: 'phone', contact: `+380${national}` };
}
