import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { rankDeskHits, type RankedHit } from './rank';

const flat = (houseKey: string, premiseNumber: string, label: string) => ({ kind: 'premise' as const, houseKey, premiseNumber, label });
const building = (houseKey: string, label: string) => ({ kind: 'building' as const, houseKey, premiseNumber: null, label });

// What the registry and the metering lookup return for «Київська 12…», in the order they come.
const hits = [building('12а', 'будинок 12а'), flat('12/4', '2', '12/4 кв. 2'), flat('12а', '1', '12а кв. 1'), flat('12а', '2', '12а кв. 2'), building('12/4', 'будинок 12/4')];

describe('rankDeskHits: the query → the first result (the one Enter opens)', () => {
  it.each([
    ['Київська 12а кв 2', { houseKey: '12а', apartment: '2' }, '12а кв. 2'],
    ['Київська 12/4 кв 2', { houseKey: '12/4', apartment: '2' }, '12/4 кв. 2'],
    ['Київська 12а кв 1', { houseKey: '12а', apartment: '1' }, '12а кв. 1'],
    ['Київська 12б кв 2 (no such house: the same flat elsewhere)', { houseKey: '12б', apartment: '2' }, '12/4 кв. 2'],
    ['Київська 12а (no flat: the building walk)', { houseKey: '12а', apartment: null }, 'будинок 12а'],
    ['an account number (nothing parsed)', null, 'будинок 12а'],
  ])('%s', (_query, asked, first) => {
    expect(rankDeskHits(hits, asked)[0]!.label).toBe(first);
  });

  it('puts the building walks after every premise when a flat is asked for', () => {
    const labels = rankDeskHits(hits, { houseKey: '12а', apartment: '2' }).map((h) => h.label);
    expect(labels).toEqual(['12а кв. 2', '12/4 кв. 2', '12а кв. 1', 'будинок 12а', 'будинок 12/4']);
  });

  it('only reorders: every hit is kept, once', () => {
    const hit = fc.record<RankedHit>({
      kind: fc.constantFrom('premise', 'building'),
      houseKey: fc.option(fc.constantFrom('12', '12а', '12/4'), { nil: null }),
      premiseNumber: fc.option(fc.constantFrom('1', '2', '2а'), { nil: null }),
    });
    const asked = fc.option(fc.record({ houseKey: fc.option(fc.constantFrom('12', '12а'), { nil: null }), apartment: fc.option(fc.constantFrom('1', '2'), { nil: null }) }), { nil: null });
    fc.assert(
      fc.property(fc.array(hit, { maxLength: 12 }), asked, (list, q) => {
        const ranked = rankDeskHits(list, q);
        expect(ranked).toHaveLength(list.length);
        expect(new Set(ranked)).toEqual(new Set(list));
      }),
    );
  });
});
