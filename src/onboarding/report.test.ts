import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvCell, csvLine, defuseFormula } from './report';

describe('report cells', () => {
  it.each([
    ['=1+1', "'=1+1"],
    ['+380501234567', "'+380501234567"],
    ['-5', "'-5"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tx', "'\tx"],
    ['\rx', "'\rx"],
    ['вул. Соборна', 'вул. Соборна'],
  ])('%j → %j', (value, expected) => {
    expect(defuseFormula(value)).toBe(expected);
  });
  it('quotes separators, quotes and line breaks', () => {
    expect(csvLine([1, 'вул. Соборна, 12', 'a"b', null])).toBe('1;"вул. Соборна, 12";"a""b";\r\n');
  });
  it('property: no cell ever starts with a formula character', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const cell = csvCell(s).replace(/^"/, '');
        expect(/^[=+\-@\t\r]/.test(cell)).toBe(false);
      }),
    );
  });
});
