import { describe, expect, it } from 'vitest';
import { addressKeysOf } from './address-keys';
import { AddressKeyResolver } from './address-worker';

const spellings = ['вул. Соборна, буд. 12, кв. 5', 'Соборна 12а кв 6', 'Kyivska 7, kv. 1', 'вул. Пирогова, буд. 5/2, кв. 15', 'нісенітниця'];

describe('address keys beside the main thread', () => {
  it('gives the same keys from the worker as in the main thread, batch after batch, in order', async () => {
    const resolver = new AddressKeyResolver(true);
    try {
      const [first, second] = await Promise.all([resolver.resolve(spellings), resolver.resolve([...spellings].reverse().concat('вул. Миру 1'))]);
      for (const text of spellings) {
        expect(first.get(text)).toEqual(addressKeysOf(text));
        expect(second.get(text)).toEqual(addressKeysOf(text));
      }
      expect(second.get('вул. Миру 1')).toEqual(addressKeysOf('вул. Миру 1'));
    } finally {
      await resolver.close();
    }
  });
  it('computes each spelling once in the main thread for small files', async () => {
    const resolver = new AddressKeyResolver(false);
    const keys = await resolver.resolve([spellings[0], spellings[0]]);
    expect([...keys.keys()]).toEqual([spellings[0]]);
    await resolver.close();
  });
});
