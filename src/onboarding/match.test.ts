import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { keySimilarity } from './address-keys';
import { decideStreet, MATCH_THRESHOLD, streetConfidence, type StreetCandidate } from './match';

const street = (streetId: number, type: string, nameKey: string, method: StreetCandidate['method']): StreetCandidate => ({ streetId, type, nameKey, method });

describe('street confidence', () => {
  it.each([
    ['exact name and type', { streetType: 'вулиця', streetKey: 'соборна' }, street(1, 'вулиця', 'соборна', 'exact'), 1],
    ['no type in the file', { streetType: null, streetKey: 'соборна' }, street(1, 'вулиця', 'соборна', 'exact'), 0.97],
    ['a contradicting type', { streetType: 'провулок', streetKey: 'соборна' }, street(1, 'вулиця', 'соборна', 'exact'), 0.8],
    ['a former name', { streetType: 'вулиця', streetKey: 'леніна' }, street(1, 'вулиця', 'соборна', 'former'), 0.98],
    ['one typo in seven letters', { streetType: 'вулиця', streetKey: 'саборна' }, street(1, 'вулиця', 'соборна', 'fuzzy'), 0.857],
    ['a different ending (Київська/Київський)', { streetType: 'вулиця', streetKey: 'київська' }, street(1, 'вулиця', 'київський', 'fuzzy'), 0.75],
  ])('%s', (_, spelling, candidate, expected) => {
    expect(streetConfidence(spelling, candidate)).toBe(expected);
  });
});

describe('deciding a street', () => {
  it('picks a sure, lone candidate', () => {
    const d = decideStreet({ streetType: 'вулиця', streetKey: 'саборна' }, [street(1, 'вулиця', 'соборна', 'fuzzy'), street(2, 'вулиця', 'суворова', 'fuzzy')]);
    expect(d.pick).toEqual({ streetId: 1, method: 'fuzzy', confidence: 0.857 });
  });
  it('refuses two streets of one name without a type', () => {
    const d = decideStreet({ streetType: null, streetKey: 'шевченка' }, [street(1, 'вулиця', 'шевченка', 'exact'), street(2, 'провулок', 'шевченка', 'exact')]);
    expect(d.pick).toBeNull();
    expect(d.reason?.en).toBe('several streets fit equally well');
    expect(d.ranked.map((r) => r.streetId)).toEqual([1, 2]);
  });
  it('refuses anything below the threshold', () => {
    const d = decideStreet({ streetType: 'вулиця', streetKey: 'мира' }, [street(1, 'вулиця', 'миру', 'fuzzy')]);
    expect(d.pick).toBeNull();
    expect(d.reason?.en).toMatch(/low confidence \(75%/);
  });
  it('says when nothing was found', () => {
    expect(decideStreet({ streetType: null, streetKey: 'невідома' }, []).reason?.en).toBe('the street is not in the registry');
  });
  it('property: a pick is never below the threshold and always leads the next by the margin', () => {
    const key = fc.stringMatching(/^[абвгдежзиклмнопрстуф]{3,10}$/);
    fc.assert(
      fc.property(key, fc.array(fc.tuple(key, fc.constantFrom('вулиця', 'провулок'), fc.constantFrom('exact', 'fuzzy', 'former')), { maxLength: 6 }), (spelling, cands) => {
        const d = decideStreet({ streetType: 'вулиця', streetKey: spelling }, cands.map(([k, t, m], i) => street(i + 1, t, k, m as StreetCandidate['method'])));
        if (d.pick) {
          expect(d.pick.confidence).toBeGreaterThanOrEqual(MATCH_THRESHOLD);
          if (d.ranked[1]) expect(d.pick.confidence - d.ranked[1].confidence).toBeGreaterThanOrEqual(0.1 - 1e-9);
        }
      }),
    );
  });
});

describe('key similarity', () => {
  it('is 1 − edit distance over the longer length, transpositions counting once', () => {
    expect(keySimilarity('соборна', 'соборна')).toBe(1);
    expect(keySimilarity('соборна', 'сорбона')).toBeCloseTo(1 - 2 / 7);
    expect(keySimilarity('абв', 'бав')).toBeCloseTo(2 / 3);
    expect(keySimilarity('', 'а')).toBe(0);
  });
  it('property: symmetric and within [0, 1]', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }), (a, b) => {
        const s = keySimilarity(a, b);
        expect(s).toBeGreaterThanOrEqual(0);
        expect(s).toBeLessThanOrEqual(1);
        expect(keySimilarity(b, a)).toBeCloseTo(s);
      }),
    );
  });
});
