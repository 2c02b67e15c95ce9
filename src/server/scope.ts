/**
 * Whether a record named by a path parameter is within the caller's reach, by the kind the access
 * rule table gives it: in the caller's community always; for a provider's user, a premise or
 * building where it has an open account, its own accounts, meters of the services it provides
 * there, itself; for a resident, their homes and what is in them. Anything else is 404, exactly
 * like a record that does not exist, so that ids of others reveal nothing.
 */
import { sql } from 'kysely';
import type { DbOrTx } from '../db/index';
import type { IdKind } from './access-rules';
import type { SessionUser } from './context';
import { providerServesMeter } from '../metering/repo';

/** Kinds checked here; the rest (jobs, imports, runs, periods) are scoped by their services. */
const CHECKED: ReadonlySet<IdKind> = new Set(['premise', 'building', 'account', 'provider', 'service', 'meter', 'reading', 'unified']);

export function scopeChecked(kind: IdKind): boolean {
  return CHECKED.has(kind);
}

export async function recordInScope(db: DbOrTx, actor: SessionUser, kind: IdKind, raw: string): Promise<boolean> {
  if (kind !== 'unified' && !/^\d{1,15}$/.test(raw)) return true; // not an id: the route's schema answers 400
  const c = actor.communityId;
  const provider = actor.role === 'provider' ? actor.providerId : null;
  const resident = actor.role === 'resident' ? actor.userId : null;
  // A provider reaches a premise through an open account of its own there; a resident through the link to their home.
  const premiseReach = (premiseColumn: ReturnType<typeof sql.ref>) => sql`
    (${provider}::bigint is null or exists (select 1 from account a where a.community_id = ${c} and a.premise_id = ${premiseColumn}
                                            and a.provider_id = ${provider}::bigint and a.closed_on is null))
    and (${resident}::bigint is null or exists (select 1 from user_premise up where up.community_id = ${c} and up.premise_id = ${premiseColumn}
                                                and up.user_id = ${resident}::bigint))`;
  let query;
  switch (kind) {
    case 'premise':
      query = sql`select 1 from premise p where p.community_id = ${c} and p.premise_id = ${Number(raw)} and ${premiseReach(sql.ref('p.premise_id'))}`;
      break;
    case 'unified':
      query = sql`select 1 from unified_account u where u.community_id = ${c} and u.number = ${raw} and ${premiseReach(sql.ref('u.premise_id'))}`;
      break;
    case 'building':
      query = sql`select 1 from premise p where p.community_id = ${c} and p.building_id = ${Number(raw)} and ${premiseReach(sql.ref('p.premise_id'))}
                  union all select 1 from building b where b.community_id = ${c} and b.building_id = ${Number(raw)} and ${provider}::bigint is null and ${resident}::bigint is null`;
      break;
    case 'account':
      query = sql`select 1 from account a where a.community_id = ${c} and a.account_id = ${Number(raw)}
                  and (${provider}::bigint is null or a.provider_id = ${provider}::bigint) and ${premiseReach(sql.ref('a.premise_id'))}`;
      break;
    case 'meter':
    case 'reading': {
      const meter = kind === 'meter'
        ? sql`select m.* from meter m where m.community_id = ${c} and m.meter_id = ${Number(raw)}`
        : sql`select m.* from meter_reading r join meter m on m.community_id = r.community_id and m.meter_id = r.meter_id where r.community_id = ${c} and r.reading_id = ${Number(raw)}`;
      query = sql`select 1 from (${meter}) m
                  where (${resident}::bigint is null or exists (select 1 from user_premise up where up.community_id = ${c} and up.premise_id = m.premise_id and up.user_id = ${resident}::bigint))
                    and (${provider}::bigint is null or ${providerServesMeter(provider)})`;
      break;
    }
    case 'provider':
      query = sql`select 1 from provider v where v.community_id = ${c} and v.provider_id = ${Number(raw)} and (${provider}::bigint is null or v.provider_id = ${provider}::bigint)`;
      break;
    case 'service':
      query = sql`select 1 from service s where s.community_id = ${c} and s.service_id = ${Number(raw)}`;
      break;
    default:
      return true;
  }
  const found = await sql`select exists (${query} limit 1) as found`.execute(db);
  return (found.rows[0] as { found: boolean }).found;
}
