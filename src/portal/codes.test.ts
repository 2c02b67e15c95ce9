import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashCode, judgeCode, newCode, type StoredCode } from './codes';

const now = new Date('2026-12-04T10:00:00Z');
const later = new Date('2026-12-04T10:30:00Z');
const earlier = new Date('2026-12-04T09:00:00Z');
const code = (c: string, over: Partial<StoredCode> = {}): StoredCode => ({ codeHash: hashCode('confirm', c), expiresAt: later, usedAt: null, ...over });

describe('judgeCode', () => {
  it.each([
    ['the newest, unused, in time', [code('123456')], '123456', 'ok'],
    ['typed with spaces', [code('123456')], '123 456', 'ok'],
    ['no code matches', [code('123456')], '654321', 'wrong'],
    ['nothing issued', [], '123456', 'wrong'],
    ['already used', [code('123456', { usedAt: earlier })], '123456', 'used'],
    ['past its time', [code('123456', { expiresAt: earlier })], '123456', 'expired'],
    ['replaced by a newer one', [code('111111'), code('123456')], '123456', 'expired'],
  ] as const)('%s', (_name, issued, typed, verdict) => {
    expect(judgeCode(issued, hashCode('confirm', typed), now).verdict).toBe(verdict);
  });

  it('a code of another purpose never matches', () => {
    expect(judgeCode([code('123456')], hashCode('reset', '123456'), now).verdict).toBe('wrong');
  });

  it('new codes are six digits and only the same digits match', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 999_999 }), (n) => {
        const c = newCode();
        expect(c).toMatch(/^\d{6}$/);
        const other = String(n).padStart(6, '0');
        expect(judgeCode([{ codeHash: hashCode('confirm', c), expiresAt: later, usedAt: null }], hashCode('confirm', other), now).verdict).toBe(other === c ? 'ok' : 'wrong');
      }),
    );
  });
});
