import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { agentHeaders, canonicalRequest, signatureMatches, signRequest, timestampFresh } from './signature';

const parts = { method: 'post', path: '/api/agent/v1/pay', timestamp: '1796000000', nonce: 'n-1', body: '{"amount":100}' };

describe('agent request signatures', () => {
  it('signs method, path, timestamp, nonce and the body hash, one per line', () => {
    const lines = canonicalRequest(parts).split('\n');
    expect(lines.slice(0, 4)).toEqual(['POST', '/api/agent/v1/pay', '1796000000', 'n-1']);
    expect(lines[4]).toMatch(/^[0-9a-f]{64}$/);
  });

  it('accepts the right signature and refuses any change to what was signed', () => {
    const sig = signRequest('secret', parts);
    expect(signatureMatches('secret', parts, sig)).toBe(true);
    expect(signatureMatches('other', parts, sig)).toBe(false);
    expect(signatureMatches('secret', parts, 'zz')).toBe(false);
    fc.assert(
      fc.property(fc.constantFrom('method', 'path', 'timestamp', 'nonce', 'body'), fc.string({ minLength: 1 }), (field, extra) => {
        const changed = { ...parts, [field]: parts[field as keyof typeof parts] + extra };
        expect(signatureMatches('secret', changed, sig)).toBe(false);
      }),
    );
  });

  it.each([
    ['1796000000', 1796000000_000, true],
    ['1796000300', 1796000000_000, true],
    ['1796000301', 1796000000_000, false],
    ['1795999699', 1796000000_000, false],
    ['17960e5', 1796000000_000, false],
  ])('timestamp %s at %i is fresh: %s', (ts, now, fresh) => {
    expect(timestampFresh(ts, now)).toBe(fresh);
  });

  it('builds headers that verify', () => {
    const h = agentHeaders('k1', 's', 'GET', '/x?y=1', '', 1796000000_000, 'abc');
    expect(signatureMatches('s', { method: 'GET', path: '/x?y=1', timestamp: h['x-timestamp']!, nonce: 'abc', body: '' }, h['x-signature']!)).toBe(true);
  });
});
