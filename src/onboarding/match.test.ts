import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normaliseStreetName } from '../registry/address';
import { editDistance, keySimilarity } from './address-keys';
import { decideStreet, MATCH_THRESHOLD, nearStreets, streetConfidence, type StreetCandidate } from './match';

const street = (streetId: number, type: string, nameKey: string, method: StreetCandidate['method']): StreetCandidate => ({ streetId, type, nameKey, method });

describe('street confidence', () => {
  it.each([
    ['exact name and type', { streetType: 'вулиця', streetKey: 'соборна' }, street(1, 'вулиця', 'соборна', 'exact'), 1],
    ['no type in the file', { streetType: null, streetKey: 'соборна' }, street(1, 'вулиця', 'соборна', 'exact'), 0.97],
    ['a contradicting type', { streetType: 'провулок', streetKey: 'соборна' }, street(1, 'вулиця', 'соборна', 'exact'), 0.8],
    ['a former name', { streetType: 'вулиця', streetKey: 'леніна' }, street(1, 'вулиця', 'соборна', 'former'), 0.98],
    ['one typo in seven letters', { streetType: 'вулиця', streetKey: 'саборна' }, street(1, 'вулиця', 'соборна', 'fuzzy'), 0.9],
    ['one letter missing in seven', { streetType: 'вулиця', streetKey: 'соборн' }, street(1, 'вулиця', 'соборна', 'fuzzy'), 0.75],
    ['one letter missing in thirteen', { streetType: 'вулиця', streetKey: 'коцбинського' }, street(1, 'вулиця', 'коцюбинського', 'fuzzy'), 0.923],
    ['one letter substituted in four', { streetType: 'вулиця', streetKey: 'мару' }, street(1, 'вулиця', 'миру', 'fuzzy'), 0.9],
    ['a different ending (Київська/Київський)', { streetType: 'вулиця', streetKey: 'київська' }, street(1, 'вулиця', 'київський', 'fuzzy'), 0.75],
  ])('%s', (_, spelling, candidate, expected) => {
    expect(streetConfidence(spelling, candidate)).toBe(expected);
  });
});

describe('deciding a street', () => {
  it('picks a sure, lone candidate', () => {
    const d = decideStreet({ streetType: 'вулиця', streetKey: 'саборна' }, [street(1, 'вулиця', 'соборна', 'fuzzy'), street(2, 'вулиця', 'суворова', 'fuzzy')]);
    expect(d.pick).toEqual({ streetId: 1, method: 'fuzzy', confidence: 0.9 });
  });
  it('refuses two streets of one name without a type', () => {
    const d = decideStreet({ streetType: null, streetKey: 'шевченка' }, [street(1, 'вулиця', 'шевченка', 'exact'), street(2, 'провулок', 'шевченка', 'exact')]);
    expect(d.pick).toBeNull();
    expect(d.reason?.en).toBe('several streets fit equally well');
    expect(d.ranked.map((r) => r.streetId)).toEqual([1, 2]);
  });
  it('streets of one name tie without a type: the register may decide between them, never between different names', () => {
    const same = decideStreet({ streetType: null, streetKey: 'бучми' }, [street(1, 'вулиця', 'бучми', 'exact'), street(2, 'провулок', 'бучми', 'exact')]);
    expect(same.pick).toBeNull();
    expect(same.tied.map((t) => t.streetId)).toEqual([1, 2]);
    const fuzzy = decideStreet({ streetType: 'вулиця', streetKey: 'лісва' }, nearStreets('лісва', [street(1, 'вулиця', 'лісова', 'fuzzy'), street(2, 'вулиця', 'лісна', 'fuzzy')]));
    expect(fuzzy.pick).toBeNull();
    expect(fuzzy.tied).toEqual([]);
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

// ---------------------------------------------------------------------------------------------
// One slip of the keyboard in a real city's street names (the Vinnytsia list the seeder uses)
// ---------------------------------------------------------------------------------------------

const STREETS_CSV = new URL('../registry/seed/source-data/vinnytsia-streets.csv', import.meta.url);
const cityStreets = readFileSync(STREETS_CSV, 'utf8')
  .trim()
  .split(/\r?\n/)
  .slice(1)
  .map((line) => line.split(','))
  .map(([type, name, former], i) => ({ streetId: i + 1, type, nameKey: normaliseStreetName(name), former: former ? former.split(';').map(normaliseStreetName) : [] }));
/** Every key a street is found by exactly: its name and its former names. */
const exactKeys = new Set(cityStreets.flatMap((s) => [s.nameKey, ...s.former]));
const LETTERS = [...'абвгґдеєжзиіїйклмнопрстуфхцчшщьюя'];

type Edit = { kind: 'transpose' | 'substitute' | 'insert' | 'delete'; at: number; letter: string };
function applyEdit(key: string, e: Edit): string {
  const s = [...key];
  const at = e.at % (s.length + (e.kind === 'insert' ? 1 : 0));
  if (e.kind === 'transpose' && at + 1 < s.length) [s[at], s[at + 1]] = [s[at + 1], s[at]];
  if (e.kind === 'substitute') s[at] = e.letter;
  if (e.kind === 'insert') s.splice(at, 0, e.letter);
  if (e.kind === 'delete' && s.length > 1) s.splice(at, 1);
  return s.join('');
}

/** What the import decides for a spelling, from the register alone (exact keys, then the near streets). */
function decideInCity(spelling: { streetType: string | null; streetKey: string }) {
  const exact = cityStreets.filter((s) => s.nameKey === spelling.streetKey).map((s) => street(s.streetId, s.type, s.nameKey, 'exact'));
  return decideStreet(spelling, exact.length ? exact : nearStreets(spelling.streetKey, cityStreets));
}

describe('one slip in a real street name', () => {
  it('property: a random single edit matches its own street or goes to review, never to another street', () => {
    fc.assert(
      fc.property(
        fc.nat(cityStreets.length - 1),
        fc.record({ kind: fc.constantFrom('transpose', 'substitute', 'insert', 'delete'), at: fc.nat(40), letter: fc.constantFrom(...LETTERS) }),
        fc.boolean(),
        (i, edit: Edit, typed) => {
          const original = cityStreets[i];
          const spelled = applyEdit(original.nameKey, edit);
          // A slip that spells another street's name (or a former name) is that name to any reader.
          fc.pre(spelled !== original.nameKey && !exactKeys.has(spelled));
          const d = decideInCity({ streetType: typed ? original.type : null, streetKey: spelled });
          if (d.pick) expect(d.pick.streetId, `${original.nameKey} → ${spelled}`).toBe(original.streetId);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('finds its street after a transposition or a substitution, whatever the length, when no other street is as close', () => {
    let found = 0;
    let tried = 0;
    for (const original of cityStreets) {
      const letters = [...original.nameKey];
      if (letters.length < 4 || !/^\p{L}+$/u.test(original.nameKey)) continue;
      const substituted = [letters[0], letters[1] === 'о' ? 'а' : 'о', ...letters.slice(2)].join('');
      const transposed = [letters[0], letters[2], letters[1], ...letters.slice(3)].join('');
      for (const spelled of [substituted, transposed]) {
        if (spelled === original.nameKey || exactKeys.has(spelled)) continue;
        const rivals = cityStreets.filter((s) => s.streetId !== original.streetId && editDistance(spelled, s.nameKey) <= 1);
        if (rivals.length > 0) continue;
        tried++;
        const d = decideInCity({ streetType: original.type, streetKey: spelled });
        expect(d.pick?.streetId, `${original.nameKey} → ${spelled}`).toBe(original.streetId);
        found++;
      }
    }
    expect(tried).toBeGreaterThan(500);
    expect(found).toBe(tried);
  });

  it('short names: «Мару» and «Мриу» are «Миру»; «Мира» is a grammatical form and waits for a person', () => {
    const register = [street(1, 'вулиця', 'миру', 'fuzzy'), street(2, 'вулиця', 'соборна', 'fuzzy')];
    expect(decideStreet({ streetType: 'вулиця', streetKey: 'мару' }, nearStreets('мару', register)).pick?.streetId).toBe(1);
    expect(decideStreet({ streetType: 'вулиця', streetKey: 'мриу' }, nearStreets('мриу', register)).pick?.streetId).toBe(1);
    expect(decideStreet({ streetType: 'вулиця', streetKey: 'мира' }, nearStreets('мира', register)).pick).toBeNull();
  });

  it('two streets one slip away: review', () => {
    const register = [street(1, 'вулиця', 'лісова', 'fuzzy'), street(2, 'вулиця', 'лісна', 'fuzzy'), street(3, 'вулиця', 'лиса', 'fuzzy')];
    expect(decideStreet({ streetType: 'вулиця', streetKey: 'лісва' }, nearStreets('лісва', register)).pick).toBeNull();
  });
});
