import { describe, expect, it } from 'vitest';
import { addressKeysOf } from './address-keys';

/** The apartment key onboarding joins premise.apartment_key on, from src/registry/address/. */
function apartmentKeyOf(text: string): string {
  const r = addressKeysOf(text);
  if (!r.ok) throw new Error(`${JSON.stringify(text)} was refused: ${r.reason.en}`);
  return r.value.apartmentKey;
}

describe('addressKeysOf: non-residential premises', () => {
  it.each([
    // The four spellings the import bench writes for the seeded city's 'п1' premises.
    ['вул. Київська, буд. 12а, кв. п1', 'п1'],
    ['Київська 12а кв п1', 'п1'],
    ['ВУЛ. КИЇВСЬКА, 12а, КВ.п1', 'п1'],
    ['Київська вул., 12а, кв. п1', 'п1'],
    ['вул. Київська, буд. 12а, прим. 1', 'п1'],
    ['Київська 12а, нежитлове приміщення 1', 'п1'],
    ['Київська 12а, н/п 1', 'п1'],
    ['Київська 12а, офіс 1', 'п1'],
    ['Київська 12а, кв. прим. 1', 'п1'], // separate columns joined by rowAddress: «кв. » + «прим. 1»
    ['вул. Київська, буд. 12а, кв. п2а', 'п2а'],
    ['вул. Київська, буд. 12а, кв. 1', '1'],
  ])('%j → apartment key %j', (text, key) => {
    expect(apartmentKeyOf(text)).toBe(key);
  });

  it('remembers a premise and the flat of the same number under different address keys', () => {
    const flat = addressKeysOf('вул. Київська, буд. 12а, кв. 1');
    const premise = addressKeysOf('вул. Київська, буд. 12а, прим. 1');
    expect(flat.ok && premise.ok).toBe(true);
    if (flat.ok && premise.ok) expect(flat.value.addressKey).not.toBe(premise.value.addressKey);
  });
});
