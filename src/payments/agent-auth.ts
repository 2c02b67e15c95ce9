/**
 * Verifies an agent's signed request (signature.ts) against its keys: the key must be known and
 * within its validity (a rotated key keeps working until its `valid_until`, the overlap), the
 * agent active, the client address on its allow-list when it has one, the timestamp within the
 * window and the nonce new. Every refusal is a 401/403 problem and nothing is done.
 *
 * Keys are cached per database for `KEY_CACHE_MS`: a key issued or retired through `agents.ts`
 * clears the cache at once, so rotation is exact in this process; a change made by another
 * process is seen within the cache's lifetime — and `pay` re-checks the key and the agent in its
 * own statement, so no payment is ever posted on a key out of force.
 */
import type { FastifyRequest } from 'fastify';
import type { Db } from '../db/index';
import * as repo from './repo';
import { agentFromRow, type Agent, type AgentProof } from './service';
import { refuse, replayedNonce, unknownKey } from './agent-errors';
import { REPLAY_WINDOW_SECONDS, signatureMatches, timestampFresh } from './signature';

declare module 'fastify' {
  interface FastifyRequest {
    /** The body exactly as sent (agent routes keep it to check the signature). */
    rawBody?: string;
  }
}

/** How long a key row read from the database is trusted without reading it again. */
export const KEY_CACHE_MS = 2000;
const MAX_CACHED_KEYS = 1000;

type KeyRow = NonNullable<Awaited<ReturnType<typeof repo.agentByKey>>>;
const keyCaches = new WeakMap<Db, Map<string, { row: KeyRow; until: number }>>();
/** Bumped by `forgetAgentKeys`: a row read before a change is not cached after it. */
let generation = 0;

async function keyOf(db: Db, keyId: string): Promise<KeyRow | undefined> {
  const cache = keyCaches.get(db) ?? new Map<string, { row: KeyRow; until: number }>();
  const clock = performance.now();
  const hit = cache.get(keyId);
  if (hit && hit.until > clock) return hit.row;
  const readIn = generation;
  const row = await repo.agentByKey(db, keyId);
  if (readIn !== generation) return row;
  // Unknown keys are not remembered: a key issued a moment later must work at once.
  if (!row) {
    cache.delete(keyId);
    return undefined;
  }
  if (cache.size >= MAX_CACHED_KEYS) cache.delete(cache.keys().next().value!);
  cache.set(keyId, { row, until: clock + KEY_CACHE_MS });
  keyCaches.set(db, cache);
  return row;
}

/** Drops the cached keys of a database (a key was issued or retired, an agent changed). */
export function forgetAgentKeys(db: Db): void {
  generation++;
  keyCaches.delete(db);
}

let calls = 0;

/** Checks the request's key, timestamp, signature and address; the nonce is left to the caller. */
async function verifyRequest(db: Db, request: FastifyRequest, now: number): Promise<{ key: KeyRow; keyId: string; nonce: string }> {
  const header = (name: string) => {
    const v = request.headers[name];
    return Array.isArray(v) ? v[0] : v;
  };
  const keyId = header('x-agent-key');
  const timestamp = header('x-timestamp');
  const nonce = header('x-nonce');
  const signature = header('x-signature');
  if (!keyId || !timestamp || !nonce || !signature) {
    throw refuse('unsigned', 'Запит не підписано: потрібні X-Agent-Key, X-Timestamp, X-Nonce, X-Signature', 'Unsigned request: X-Agent-Key, X-Timestamp, X-Nonce and X-Signature are required');
  }
  if (nonce.length > 100) throw refuse('bad_nonce', 'X-Nonce довший за 100 символів', 'X-Nonce is longer than 100 characters');
  const key = await keyOf(db, keyId);
  if (!key || !key.active || new Date(key.valid_from).getTime() > now || (key.valid_until && new Date(key.valid_until).getTime() <= now)) throw unknownKey();
  if (!timestampFresh(timestamp, now)) {
    throw refuse('stale_timestamp', `Час запиту поза вікном ±${REPLAY_WINDOW_SECONDS} с`, `The request time is outside the ±${REPLAY_WINDOW_SECONDS} s window`);
  }
  const parts = { method: request.method, path: request.url, timestamp, nonce, body: request.rawBody ?? '' };
  if (!signatureMatches(key.secret, parts, signature)) {
    throw refuse('bad_signature', 'Підпис запиту не збігається', 'The request signature does not match');
  }
  if (key.ip_allow && key.ip_allow.length > 0 && !key.ip_allow.includes(request.ip)) {
    throw refuse('ip_not_allowed', `Адреса ${request.ip} не в списку дозволених для агента`, `Address ${request.ip} is not on the agent's allow-list`, 403);
  }
  // Old nonces are forgotten now and then, off the request's path.
  if (++calls % 1000 === 0) repo.forgetOldNonces(db, key.community_id, REPLAY_WINDOW_SECONDS).catch(() => undefined);
  return { key, keyId, nonce };
}

export async function authenticateAgent(db: Db, request: FastifyRequest, now = Date.now()): Promise<Agent> {
  const { key, nonce } = await verifyRequest(db, request, now);
  if (!(await repo.rememberNonce(db, key.community_id, key.agent_id, nonce))) throw replayedNonce();
  return agentFromRow(key.community_id, key);
}

/**
 * The same checks, but the nonce is not yet remembered: the caller hands the proof to `pay`,
 * which remembers the nonce and re-checks the key in its first statement.
 */
export async function authenticateAgentForPay(db: Db, request: FastifyRequest, now = Date.now()): Promise<{ agent: Agent; proof: AgentProof }> {
  const { key, keyId, nonce } = await verifyRequest(db, request, now);
  return { agent: agentFromRow(key.community_id, key), proof: { keyId, nonce } };
}
