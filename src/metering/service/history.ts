// ---------------------------------------------------------------------------------------------
// A meter's history: replacements both ways, readings, consumption by period
// ---------------------------------------------------------------------------------------------

import { sql } from 'kysely';
import type { DbOrTx } from '../../db/index';
import type { SessionUser } from '../../server/context';
import { lastReadings } from '../repo';
import { assertMeterAccess } from './access';

export async function meterHistory(db: DbOrTx, actor: SessionUser, meterId: number, months = 12) {
  await assertMeterAccess(db, actor, meterId);
  const chain = await sql<{ meter_id: number; serial: string; installed_on: string; removed_on: string | null; status: string; replaces_meter_id: number | null }>`
with recursive older as (
  select m.* from meter m where m.community_id = ${actor.communityId} and m.meter_id = ${meterId}
  union all
  select m.* from meter m join older o on m.community_id = o.community_id and m.meter_id = o.replaces_meter_id
), newer as (
  select m.* from meter m where m.community_id = ${actor.communityId} and m.meter_id = ${meterId}
  union all
  select m.* from meter m join newer n on m.community_id = n.community_id and m.replaces_meter_id = n.meter_id
)
select meter_id, serial, installed_on, removed_on, status, replaces_meter_id from older
union
select meter_id, serial, installed_on, removed_on, status, replaces_meter_id from newer
order by installed_on, meter_id`.execute(db);
  const readings = await lastReadings(db, actor.communityId, [meterId], 24);
  const consumption = await db
    .selectFrom('meter_consumption')
    .select(['period', 'zone', 'volume', 'estimated', 'verification_expired'])
    .where('community_id', '=', actor.communityId)
    .where('meter_id', '=', meterId)
    // The community's last `months` periods, each probed through the primary key (period, meter).
    .where(
      'period',
      'in',
      sql<string>`(select generate_series(max(period) - make_interval(months => ${months - 1}), max(period), interval '1 month')::date
                     from meter_consumption where community_id = ${actor.communityId})`,
    )
    .orderBy('period')
    .orderBy('zone')
    .execute();
  return { chain: chain.rows, readings, consumption };
}
