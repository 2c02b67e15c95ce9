/**
 * Payment agents (banks, Ukrposhta, terminal networks, acquirers) and their keys. Admins create
 * agents and issue keys; a new key retires the ones in force after an overlap, so the agent can
 * switch without a moment when neither works. The secret is shown once, when issued.
 */
import { randomBytes } from 'node:crypto';
import type { Db } from '../db/index';
import { writeAudit } from '../auth/audit';
import { requireRole } from '../server/access';
import type { SessionUser } from '../server/context';
import { conflict, notFound } from '../shared/errors';
import { forgetAgentKeys } from './agent-auth';

export interface AgentInput {
  code: string;
  name: string;
  maxAmount?: number;
  ipAllow?: string[] | null;
}

export interface AgentView {
  agentId: number;
  code: string;
  name: string;
  maxAmount: number;
  ipAllow: string[] | null;
  active: boolean;
  keys: Array<{ keyId: string; validFrom: string; validUntil: string | null }>;
}

export async function createAgent(db: Db, actor: SessionUser, input: AgentInput): Promise<{ agentId: number }> {
  requireRole(actor, 'admin');
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('payment_agent')
      .values({ community_id: actor.communityId, code: input.code, name: input.name, max_amount: input.maxAmount, ip_allow: input.ipAllow ?? null })
      .onConflict((oc) => oc.columns(['community_id', 'code']).doNothing())
      .returningAll()
      .executeTakeFirst();
    if (!row) throw conflict('agent_exists', { uk: `Агент з кодом «${input.code}» уже є`, en: `An agent with code "${input.code}" already exists` }, { field: 'code' });
    await writeAudit(trx, actor, 'create', 'payment_agent', row.agent_id, null, row);
    return { agentId: row.agent_id };
  });
}

/** Issues a new key; keys in force stop working `overlapHours` later. */
export async function issueKey(db: Db, actor: SessionUser, agentId: number, overlapHours = 24, now = new Date()): Promise<{ keyId: string; secret: string }> {
  requireRole(actor, 'admin');
  return db.transaction().execute(async (trx) => {
    const agent = await trx.selectFrom('payment_agent').select('code').where('community_id', '=', actor.communityId).where('agent_id', '=', agentId).executeTakeFirst();
    if (!agent) throw notFound({ uk: 'Агент', en: 'Agent' }, { agentId });
    const until = new Date(now.getTime() + overlapHours * 3600_000);
    await trx
      .updateTable('agent_key')
      .set({ valid_until: until })
      .where('community_id', '=', actor.communityId)
      .where('agent_id', '=', agentId)
      .where((eb) => eb.or([eb('valid_until', 'is', null), eb('valid_until', '>', until)]))
      .execute();
    const keyId = `${agent.code}-${randomBytes(6).toString('hex')}`;
    const secret = randomBytes(32).toString('base64url');
    await trx.insertInto('agent_key').values({ community_id: actor.communityId, agent_id: agentId, key_id: keyId, secret, valid_from: now }).execute();
    await writeAudit(trx, actor, 'issue_key', 'payment_agent', agentId, null, { keyId, retiredAt: until.toISOString() });
    return { keyId, secret };
  }).finally(() => forgetAgentKeys(db));
}

export async function listAgents(db: Db, actor: SessionUser): Promise<AgentView[]> {
  requireRole(actor, 'admin', 'operator');
  const agents = await db.selectFrom('payment_agent').selectAll().where('community_id', '=', actor.communityId).orderBy('code').execute();
  const keys = await db.selectFrom('agent_key').select(['agent_id', 'key_id', 'valid_from', 'valid_until']).where('community_id', '=', actor.communityId).orderBy('valid_from', 'desc').execute();
  return agents.map((a) => ({
    agentId: a.agent_id,
    code: a.code,
    name: a.name,
    maxAmount: a.max_amount,
    ipAllow: a.ip_allow,
    active: a.active,
    keys: keys
      .filter((k) => k.agent_id === a.agent_id)
      .map((k) => ({ keyId: k.key_id, validFrom: new Date(k.valid_from).toISOString(), validUntil: k.valid_until ? new Date(k.valid_until).toISOString() : null })),
  }));
}
