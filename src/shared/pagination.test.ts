import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeCursor, encodeCursor, pageOf, pageQuerySchema } from './pagination';

describe('keyset pagination', () => {
  it('round-trips a key through an opaque cursor', () => {
    fc.assert(
      fc.property(fc.string(), fc.integer(), (s, n) => {
        expect(decodeCursor(encodeCursor([s, n]), ['string', 'number'])).toEqual([s, n]);
      }),
    );
  });

  it('refuses a cursor that is not ours, naming the field', () => {
    for (const bad of ['%%%', encodeCursor([1, 2]), encodeCursor(['a']), Buffer.from('{"a":1}').toString('base64url')]) {
      expect(() => decodeCursor(bad, ['string', 'number'])).toThrow(expect.objectContaining({ code: 'invalid_cursor', status: 400 }));
    }
    expect(decodeCursor(undefined, ['number'])).toBeUndefined();
  });

  it('cuts the extra row and points the cursor at the last row shown', () => {
    const rows = [{ id: 1 }, { id: 2 }, { id: 3 }];
    const page = pageOf(rows, 2, (r) => [r.id]);
    expect(page.items).toEqual([{ id: 1 }, { id: 2 }]);
    expect(decodeCursor(page.nextCursor!, ['number'])).toEqual([2]);
    expect(pageOf(rows, 3, (r) => [r.id]).nextCursor).toBeNull();
  });

  it('caps the limit at 200 and defaults it to 50', () => {
    expect(pageQuerySchema.parse({}).limit).toBe(50);
    expect(pageQuerySchema.parse({ limit: '200' }).limit).toBe(200);
    expect(pageQuerySchema.safeParse({ limit: '201' }).success).toBe(false);
  });
});
