import { describe, expect, it } from 'vitest';
import { changedFields } from './audit-labels';

describe('changedFields', () => {
  it.each([
    [null, { a: 1, b: 2 }, ['a', 'b']],
    [{ a: 1, b: 2 }, { a: 1, b: 3 }, ['b']],
    [{ a: 1, b: { x: [1] } }, { a: 1, b: { x: [1] } }, []],
    [{ a: 1, gone: true }, { a: 1 }, ['gone']],
    [{ a: 1 }, null, ['a']],
  ])('%j → %j gives %j', (before, after, fields) => expect(changedFields(before, after)).toEqual(fields));
});
