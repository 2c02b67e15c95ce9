import type { DbOrTx } from '../db/index';
import type { SessionUser } from '../server/context';
import { insertAudit } from './repo';

/** Who wrote: a signed-in user, or the system itself (a seed, a job) acting for a community. */
export type AuditActor = Pick<SessionUser, 'communityId'> & { userId?: number | null };

/**
 * Appends one row to the audit log (append-only, enforced by a trigger): who did `action` to which
 * `entity` row, with the row before and after. Call it inside the transaction of the write itself,
 * with that transaction's handle, so that the write and its record commit or fail together.
 *
 * With `actor` null the community is taken from `after` or `before` (their community_id).
 */
export async function writeAudit(
  trx: DbOrTx,
  actor: AuditActor | null,
  action: string,
  entity: string,
  entityId: string | number | null,
  before: unknown,
  after: unknown,
): Promise<void> {
  const communityId = actor?.communityId ?? communityOf(after) ?? communityOf(before);
  if (communityId === undefined) throw new Error(`writeAudit(${action} ${entity}): no actor and no community_id in the rows`);
  await insertAudit(trx, {
    communityId,
    userId: actor?.userId ?? null,
    action,
    entity,
    entityId: entityId === null ? null : String(entityId),
    before: before ?? null,
    after: after ?? null,
  });
}

function communityOf(row: unknown): number | undefined {
  const id = (row as { community_id?: unknown } | null | undefined)?.community_id;
  return typeof id === 'number' ? id : undefined;
}
