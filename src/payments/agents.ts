/**
 * Payment agents (banks, Ukrposhta, terminal networks, acquirers) and their keys. Admins create
 * agents and issue keys; a new key retires the ones in force after an overlap, so the agent can
 * switch without a moment when neither works. The secret is shown once, when issued. An agent's
 * name, limit and IP allow-list change, it is switched off (every call refused) and on, and a key
 * thought leaked is retired at once; each change is audited and takes effect on the next call.
 */
import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import type { Db, DbOrTx } from '../db/index';
import { writeAudit } from '../auth/audit';
import { requireRole } from '../server/access';
import type { SessionUser } from '../server/context';
import { conflict, invalid, notFound } from '../shared/errors';
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

/** An allow-list of IPv4/IPv6 addresses (empty or null: any address), each checked, duplicates dropped. */
function checkedIpAllow(list: readonly string[] | null | undefined): string[] | null {
  if (!list) return null;
  const out: string[] = [];
  list.forEach((raw, i) => {
    const ip = raw.trim();
    if (!isIP(ip)) {
      throw invalid('invalid_ip', { uk: `«${raw}» — не IP-адреса (IPv4 або IPv6)`, en: `"${raw}" is not an IP address (IPv4 or IPv6)` }, { field: `ipAllow[${i}]` });
    }
    if (!out.includes(ip)) out.push(ip);
  });
  return out.length > 0 ? out : null;
}

export async function createAgent(db: Db, actor: SessionUser, input: AgentInput): Promise<{ agentId: number }> {
  requireRole(actor, 'admin');
  const ipAllow = checkedIpAllow(input.ipAllow);
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('payment_agent')
      .values({ community_id: actor.communityId, code: input.code, name: input.name, max_amount: input.maxAmount, ip_allow: ipAllow })
      .onConflict((oc) => oc.columns(['community_id', 'code']).doNothing())
      .returningAll()
      .executeTakeFirst();
    if (!row) throw conflict('agent_exists', { uk: `Агент з кодом «${input.code}» уже є`, en: `An agent with code "${input.code}" already exists` }, { field: 'code' });
    await writeAudit(trx, actor, 'create', 'payment_agent', row.agent_id, null, row);
    return { agentId: row.agent_id };
  });
}

export interface AgentChange {
  name?: string;
  maxAmount?: number;
  ipAllow?: string[] | null;
  active?: boolean;
}

async function agentRow(db: DbOrTx, communityId: number, agentId: number) {
  const row = await db.selectFrom('payment_agent').selectAll().where('community_id', '=', communityId).where('agent_id', '=', agentId).executeTakeFirst();
  if (!row) throw notFound({ uk: 'Агент', en: 'Agent' }, { agentId });
  return row;
}

/** Changes an agent's name, limit, allow-list or whether it works at all. */
export async function updateAgent(db: Db, actor: SessionUser, agentId: number, change: AgentChange): Promise<void> {
  requireRole(actor, 'admin');
  const values = {
    ...(change.name !== undefined ? { name: change.name.trim() } : {}),
    ...(change.maxAmount !== undefined ? { max_amount: change.maxAmount } : {}),
    ...(change.ipAllow !== undefined ? { ip_allow: checkedIpAllow(change.ipAllow) } : {}),
    ...(change.active !== undefined ? { active: change.active } : {}),
  };
  if (values.name === '') throw invalid('name_required', { uk: 'Назва агента не може бути порожньою', en: "The agent's name cannot be empty" }, { field: 'name' });
  await db.transaction().execute(async (trx) => {
    const before = await agentRow(trx, actor.communityId, agentId);
    if (Object.keys(values).length === 0) return;
    await trx.updateTable('payment_agent').set(values).where('community_id', '=', actor.communityId).where('agent_id', '=', agentId).execute();
    await writeAudit(trx, actor, 'update', 'payment_agent', agentId, before, values);
  }).finally(() => forgetAgentKeys(db));
}

/** Retires one key at once (it was leaked, or the agent has switched): calls signed with it are refused from now. */
export async function retireKey(db: Db, actor: SessionUser, agentId: number, keyId: string, now = new Date()): Promise<void> {
  requireRole(actor, 'admin');
  await db.transaction().execute(async (trx) => {
    await agentRow(trx, actor.communityId, agentId);
    const retired = await trx
      .updateTable('agent_key')
      .set({ valid_until: now })
      .where('community_id', '=', actor.communityId)
      .where('agent_id', '=', agentId)
      .where('key_id', '=', keyId)
      .where((eb) => eb.or([eb('valid_until', 'is', null), eb('valid_until', '>', now)]))
      .returning('key_id')
      .executeTakeFirst();
    if (!retired) throw notFound({ uk: `Чинний ключ ${keyId}`, en: `Key in force ${keyId}` }, { field: 'keyId' });
    await writeAudit(trx, actor, 'retire_key', 'payment_agent', agentId, null, { keyId, retiredAt: now.toISOString() });
  }).finally(() => forgetAgentKeys(db));
}

/** Issues a new key; keys in force stop working `overlapHours` later. */
export async function issueKey(db: Db, actor: SessionUser, agentId: number, overlapHours = 24, now = new Date()): Promise<{ keyId: string; secret: string }> {
  requireRole(actor, 'admin');
  return db.transaction().execute(async (trx) => {
    const agent = await agentRow(trx, actor.communityId, agentId);
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
