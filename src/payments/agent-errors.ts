/** The refusals of an agent's signed request (agent-auth.ts), shared with `pay`, which re-checks the key and the nonce in its own statement. */
import { AppError } from '../shared/errors';

export const refuse = (code: string, uk: string, en: string, status = 401) => new AppError(code, status, { uk, en });

export const unknownKey = () => refuse('unknown_key', 'Ключ агента невідомий, неактивний або прострочений', 'The agent key is unknown, inactive or expired');

export const replayedNonce = () => refuse('replayed_nonce', 'Цей nonce вже використано (повтор запиту)', 'This nonce was used before (a replayed request)');
