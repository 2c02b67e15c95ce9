/**
 * Agents sign every request with HMAC-SHA256 over one canonical text: the method, the path (with
 * its query), the timestamp (Unix seconds), a nonce and the SHA-256 of the body, one per line.
 * Headers: X-Agent-Key (the key id), X-Timestamp, X-Nonce, X-Signature (lower-case hex). A
 * request older or newer than the replay window is refused, and a nonce is accepted once. Pure.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** Seconds a signed request stays valid either side of the server's clock. */
export const REPLAY_WINDOW_SECONDS = 300;

export interface SignedParts {
  method: string;
  path: string;
  timestamp: string;
  nonce: string;
  body: string;
}

export function canonicalRequest(p: SignedParts): string {
  return [p.method.toUpperCase(), p.path, p.timestamp, p.nonce, createHash('sha256').update(p.body).digest('hex')].join('\n');
}

export function signRequest(secret: string, p: SignedParts): string {
  return createHmac('sha256', secret).update(canonicalRequest(p)).digest('hex');
}

export function signatureMatches(secret: string, p: SignedParts, signature: string): boolean {
  const expected = Buffer.from(signRequest(secret, p), 'hex');
  const given = /^[0-9a-f]{64}$/i.test(signature) ? Buffer.from(signature, 'hex') : Buffer.alloc(0);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The timestamp is whole seconds within the window of `nowMs`. */
export function timestampFresh(timestamp: string, nowMs: number, windowSeconds = REPLAY_WINDOW_SECONDS): boolean {
  if (!/^\d{1,12}$/.test(timestamp)) return false;
  return Math.abs(Number(timestamp) - nowMs / 1000) <= windowSeconds;
}

/** The headers an agent sends (used by our own clients: the tests, the benchmark, the sandbox). */
export function agentHeaders(keyId: string, secret: string, method: string, path: string, body: string, nowMs = Date.now(), nonce = cryptoNonce()): Record<string, string> {
  const timestamp = String(Math.floor(nowMs / 1000));
  return { 'x-agent-key': keyId, 'x-timestamp': timestamp, 'x-nonce': nonce, 'x-signature': signRequest(secret, { method, path, timestamp, nonce, body }) };
}

function cryptoNonce(): string {
  return createHash('sha256').update(`${process.hrtime.bigint()}-${Math.random()}`).digest('hex').slice(0, 32);
}
