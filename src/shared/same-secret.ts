import { timingSafeEqual } from 'node:crypto';

/** Whether a secret someone sent equals the one expected, in time that does not tell how much of it matched. */
export function sameSecret(sent: string, expected: string): boolean {
  const a = Buffer.from(sent);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
