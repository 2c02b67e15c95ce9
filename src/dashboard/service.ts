import type { Db } from '../db/index';
import { requireRole, STAFF } from '../server/access';
import type { SessionUser } from '../server/context';
import { openAccountsByService, registryCounts, type RegistryCounts, type ServiceAccountCount } from './repo';

export interface Dashboard {
  today: string;
  counts: RegistryCounts;
  accountsByService: ServiceAccountCount[];
}

/** The staff home page's figures: the size of the registry today and accounts per service. */
export async function dashboardFor(db: Db, actor: SessionUser, today: string): Promise<Dashboard> {
  requireRole(actor, ...STAFF);
  const counts = await registryCounts(db, actor.communityId, today);
  const accountsByService = await openAccountsByService(db, actor.communityId, today);
  return { today, counts, accountsByService };
}
