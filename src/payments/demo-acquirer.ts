/**
 * The demo city's card acquirer: the first start gives the demo community a `sandbox` agent with a
 * key, and every start where no real acquirer is configured (HROMADA_ACQUIRER_URL unset) runs the
 * sandbox acquirer beside the server with that key, its callbacks coming back to the server's own
 * address. A community without a `sandbox` agent (any real one) never gets a sandbox: its cards
 * would be paid by the sandbox's test card numbers.
 */
import { randomBytes } from 'node:crypto';
import type { Db } from '../db/index';
import { startSandboxAcquirer, type SandboxAcquirer } from './sandbox-acquirer';

export const SANDBOX_AGENT = 'sandbox';

/** Gives the demo community its sandbox acquirer agent and key (once). */
export async function seedDemoAcquirer(db: Db, communityId: number): Promise<void> {
  const agent = await db
    .insertInto('payment_agent')
    .values({ community_id: communityId, code: SANDBOX_AGENT, name: 'Пісочниця еквайра (демо) / sandbox acquirer' })
    .onConflict((oc) => oc.doNothing())
    .returning('agent_id')
    .executeTakeFirst();
  if (!agent) return;
  await db.insertInto('agent_key').values({ community_id: communityId, agent_id: agent.agent_id, key_id: `${SANDBOX_AGENT}-${randomBytes(6).toString('hex')}`, secret: randomBytes(32).toString('base64url') }).execute();
}

/**
 * Starts the sandbox for the community's `sandbox` agent with its newest key in force and points
 * the card settings (acquirerSettingsFromEnv) at it and back at `publicUrl`; null when a real
 * acquirer is configured or the community has no sandbox agent.
 */
export async function startDemoAcquirer(db: Db, communityId: number, publicUrl: string, env = process.env): Promise<SandboxAcquirer | null> {
  if (env.HROMADA_ACQUIRER_URL || (env.HROMADA_ACQUIRER ?? SANDBOX_AGENT) !== SANDBOX_AGENT) return null;
  const now = new Date();
  const key = await db
    .selectFrom('agent_key as k')
    .innerJoin('payment_agent as a', (j) => j.onRef('a.community_id', '=', 'k.community_id').onRef('a.agent_id', '=', 'k.agent_id'))
    .select(['k.key_id', 'k.secret'])
    .where('k.community_id', '=', communityId)
    .where('a.code', '=', SANDBOX_AGENT)
    .where('k.valid_from', '<=', now)
    .where((eb) => eb.or([eb('k.valid_until', 'is', null), eb('k.valid_until', '>', now)]))
    .orderBy('k.valid_from', 'desc')
    .executeTakeFirst();
  if (!key) return null;
  const sandbox = await startSandboxAcquirer({ publicKey: key.key_id, privateKey: key.secret });
  env.HROMADA_ACQUIRER = SANDBOX_AGENT;
  env.HROMADA_ACQUIRER_URL = sandbox.url;
  env.HROMADA_PUBLIC_URL ??= publicUrl;
  return sandbox;
}
