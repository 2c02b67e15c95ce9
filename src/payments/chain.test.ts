import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { chainHash, GENESIS_HASH, parseReceiptCode, receiptCode, receiptSecret, verifyChain, type ChainRecord } from './chain';

function chain(n: number): ChainRecord[] {
  const out: ChainRecord[] = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const text = `payment|${seq}|100`;
    const hash = chainHash(prev, text);
    out.push({ seq, kind: 'payment', id: seq, text, prevHash: prev, hash });
    prev = hash;
  }
  return out;
}

describe('hash chain', () => {
  it('verifies an intact chain', () => {
    expect(verifyChain(chain(5), 5)).toBeNull();
    expect(verifyChain([], 0)).toBeNull();
  });

  it('names a changed record', () => {
    const c = chain(5);
    c[2] = { ...c[2]!, text: 'payment|3|999' };
    expect(verifyChain(c, 5)).toEqual({ seq: 3, kind: 'payment', id: 3, problem: 'changed' });
  });

  it('names the place of a removed record, in the middle or at the end', () => {
    const c = chain(5);
    expect(verifyChain([...c.slice(0, 2), ...c.slice(3)], 5)).toEqual({ seq: 3, kind: 'missing', id: null, problem: 'removed' });
    expect(verifyChain(c.slice(0, 4), 5)).toEqual({ seq: 5, kind: 'missing', id: null, problem: 'removed' });
  });

  it('catches a removed record whose successor was renumbered', () => {
    const c = chain(5);
    const renumbered = [...c.slice(0, 2), ...c.slice(3).map((r) => ({ ...r, seq: r.seq - 1 }))];
    expect(verifyChain(renumbered, 4)).toMatchObject({ seq: 3, problem: 'removed' });
  });

  it('names a payment whose status disagrees with the reversals in the chain', () => {
    const c = chain(3).map((r) => ({ ...r, cancelled: false }));
    const text = 'reversal|2|помилка';
    const reversal: ChainRecord = { seq: 4, kind: 'reversal', id: 2, text, prevHash: c[2]!.hash, hash: chainHash(c[2]!.hash, text) };
    expect(verifyChain([...c, reversal], 4)).toEqual({ seq: 2, kind: 'payment', id: 2, problem: 'changed' });
    c[1] = { ...c[1]!, cancelled: true };
    expect(verifyChain([...c, reversal], 4)).toBeNull();
    expect(verifyChain(c, 3)).toEqual({ seq: 2, kind: 'payment', id: 2, problem: 'changed' });
    // A removed reversal is named as removed, before the status it leaves unexplained.
    expect(verifyChain(c, 4)).toEqual({ seq: 4, kind: 'missing', id: null, problem: 'removed' });
  });

  it('prints a receipt code as the payment id and the random part in groups', () => {
    expect(receiptCode(9_800_123, receiptSecret('abcdef0123456789'))).toBe('9800123-ABCD-EF01-2345');
  });

  it('reads a receipt code back, in either case, and refuses what is not one', () => {
    expect(parseReceiptCode('9800123-abcd-EF01-2345')).toEqual({ paymentId: 9_800_123, secret: 'ABCD-EF01-2345' });
    for (const bad of ['ABCD-EF01-2345', '0-ABCD-EF01-2345', '12-ABCD-EF01', '12-ABCD-EF01-234G', '1234567890123456-ABCD-EF01-2345', ' 12-ABCD-EF01-2345']) {
      expect(parseReceiptCode(bad)).toBeNull();
    }
  });

  it('gives back the id and the random part of every code it prints', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 999_999_999_999_999 }), fc.uint8Array({ minLength: 6, maxLength: 6 }), (id, bytes) => {
        const secret = receiptSecret(Buffer.from(bytes).toString('hex'));
        expect(parseReceiptCode(receiptCode(id, secret))).toEqual({ paymentId: id, secret });
      }),
    );
  });
});
