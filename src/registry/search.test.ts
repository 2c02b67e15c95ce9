import { describe, expect, it } from 'vitest';
import { parseWhileTyping } from './search';

describe('parseWhileTyping', () => {
  it.each([
    ['київська', 'Київська', undefined, undefined],
    ['Київська 12-', 'Київська', '12', undefined],
    ['вул. Київська, буд.', 'Київська', undefined, undefined],
    ['київська 12а кв', 'Київська', '12а', undefined],
    ['київська 12а кв. 5', 'Київська', '12а', '5'],
    ['Kyivska 12-A, kv. 5', 'Kyivska', '12а', '5'],
  ])('«%s» → street %s, house %s, apartment %s', (text, street, house, apartment) => {
    const parsed = parseWhileTyping(text)!;
    expect(parsed.streetName).toBe(street);
    expect(parsed.houseKey).toBe(house);
    expect(parsed.apartment).toBe(apartment);
  });

  it('keeps the street keys script-independent', () => {
    expect(parseWhileTyping('Kyivska 12')!.streetKeys).toContain('kyivska');
    expect(parseWhileTyping('київська 12')!.streetKeys).toContain('kyivska');
  });

  it('gives up on text with no street at all', () => {
    expect(parseWhileTyping('.')).toBeUndefined();
  });
});
