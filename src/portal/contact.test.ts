import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normaliseContact } from './contact';

describe('normaliseContact', () => {
  it.each([
    ['Olena@Example.COM ', 'email', 'olena@example.com'],
    ['+38 (067) 123-45-67', 'phone', '+380671234567'],
    ['0671234567', 'phone', '+380671234567'],
    ['380671234567', 'phone', '+380671234567'],
    ['8 067 123 45 67', 'phone', '+380671234567'],
  ])('%s → %s %s', (text, channel, contact) => {
    expect(normaliseContact(text)).toEqual({ ok: true, channel, contact });
  });

  it.each(['olena@', 'olena@example', 'a b@c.d', '12345', '+1 202 555 0101', '0071234567', 'Олена', ''])('refuses %s with a reason in both languages', (text) => {
    const r = normaliseContact(text);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.reason.uk.length).toBeGreaterThan(5);
      expect(r.reason.en.length).toBeGreaterThan(5);
    }
  });

  it('every way of writing one number gives the same contact', () => {
    fc.assert(
      fc.property(fc.integer({ min: 100_000_000, max: 999_999_999 }), fc.constantFrom('0', '380', '+380', '+38 0', '80'), fc.boolean(), (n, prefix, spaced) => {
        const s = String(n);
        const body = spaced ? `${s.slice(0, 2)} ${s.slice(2, 5)}-${s.slice(5, 7)}-${s.slice(7)}` : s;
        expect(normaliseContact(`${prefix}${body}`)).toEqual({ ok: true, channel: 'phone', contact: `+380${s}` });
      }),
    );
  });
});
