/**
 * Verifies an agent's signed request (signature.ts) against its keys: the key must be known and
 * within its validity (a rotated key keeps working until its `valid_until`, the overlap), the
 * agent active, the client address on its allow-list when it has one, the timestamp within the
 * window and the nonce new. Every refusal is a 401/403 problem and nothing is done.
 */
import type { FastifyRequest } from 'fastify';
import type { Db } from '../db/index';
import { AppError } from '../shared/errors';
import * as repo from './repo';
import { agentFromRow, type Agent } from './service';
import { REPLAY_WINDOW_SECONDS, signatureMatches, timestampFresh } from './signature';

declare module 'fastify' {
  interface FastifyRequest {
    /** The body exactly as sent (agent routes keep it to check the signature). */
    rawBody?: string;
  }
}

const refuse = (code: string, uk: string, en: string, status = 401) => new AppError(code, status, { uk, en });
let calls = 0;

export async function authenticateAgent(db: Db, request: FastifyRequest, now = Date.now()): Promise<Agent> {
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
  const key = await repo.agentByKey(db, keyId);
  const at = new Date(now);
  if (!key || !key.active || new Date(key.valid_from) > at || (key.valid_until && new Date(key.valid_until) <= at)) {
    throw refuse('unknown_key', 'Ключ агента невідомий, неактивний або прострочений', 'The agent key is unknown, inactive or expired');
  }
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
  if (!(await repo.rememberNonce(db, key.community_id, key.agent_id, nonce))) {
    throw refuse('replayed_nonce', 'Цей nonce вже використано (повтор запиту)', 'This nonce was used before (a replayed request)');
  }
  if (++calls % 1000 === 0) await repo.forgetOldNonces(db, key.community_id, REPLAY_WINDOW_SECONDS);
  return agentFromRow(key.community_id, key);
}
