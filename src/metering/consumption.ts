/**
 * computeConsumption: (re)fills meter_consumption, what billing reads, for one period of one
 * community in two set-based statements. The arithmetic is that of the pure functions in
 * validate.ts (registerStep) and estimate.ts (estimateVolume, reconcile):
 *
 * - end reading E: the latest accepted reading counted in the period (regular or final);
 * - start reading S: the latest accepted reading of an earlier period, or the meter's initial
 *   reading (a meter installed in the period starts from it; a replaced meter's final reading ends
 *   the old meter's period, so both the old and the new meter's volumes count);
 * - with E and S: (E − S, rolled over by the number of digits) × multiplier, less whatever was
 *   already billed for the periods between them (the estimates): that is the reconciliation;
 * - otherwise estimated: average daily use between S and the earliest reading of the
 *   `estimate_months` before it × the days of the period (to 3 decimals); with no such history
 *   the norm × registered persons; a meter installed in the period has nothing to estimate (0);
 * - verification_expired: the meter's verification ends before the period does, the meter is
 *   away for verification, or the end reading was flagged — billing then charges by norm.
 */
import { sql, type RawBuilder } from 'kysely';
import type { DbOrTx } from '../db/index';
import { isPeriod } from '../shared/period';

export interface ConsumptionSummary {
  period: string;
  rows: number;
  estimated: number;
}

const COLUMNS =
  'community_id, period, meter_id, premise_id, building_id, service_id, zone, volume, estimated, verification_expired, start_reading_id, end_reading_id';

export async function computeConsumption(
  db: DbOrTx,
  communityId: number,
  period: string,
  { meterParity }: { meterParity?: 0 | 1 } = {},
): Promise<ConsumptionSummary> {
  if (!isPeriod(period)) throw new RangeError(`computeConsumption: not a period: ${period}`);
  // Delete and refill together, so that billing never reads a half-filled period.
  if (!db.isTransaction) return db.transaction().execute((trx) => computeConsumption(trx, communityId, period, { meterParity }));
  // One half of the meters (by meter id), or all of them.
  const half = (meter: RawBuilder<unknown>) => (meterParity === undefined ? sql`` : sql`and ${meter} % 2 = ${meterParity}`);
  await sql`delete from meter_consumption where community_id = ${communityId} and period = ${period}::date ${half(sql`meter_id`)}`.execute(db);
  // The planner overestimates the per-meter lookups by orders of magnitude, so PostgreSQL would
  // JIT-compile the statement: that costs more than it saves. The sort of the period's readings
  // wants memory (as billing's steps do).
  await sql`set local jit = off`.execute(db);
  await sql`set local work_mem = '64MB'`.execute(db);
  // The lookups per meter must go through indexes whatever the statistics say: over a table the
  // planner takes for small (a first month) a lookup was planned as a scan, once per meter, and
  // the other half of the refresh may be filling that table meanwhile (a half took 8 s, not 2).
  await sql`set local enable_seqscan = off`.execute(db);
  // The billing run refreshes two halves side by side, one per core of a small server: parallel
  // workers on top of that only contend with the other half (with them a half ran 10 % slower, even alone).
  await sql`set local max_parallel_workers_per_gather = 0`.execute(db);
  // Computed into a temporary table first, then inserted: the reconciliation reads this table's
  // earlier periods, and a statement that read it while inserting into it would rescan its own
  // new rows for every meter whenever the planner expects the table small (quadratic: minutes).
  await sql`drop table if exists consumption_new`.execute(db);
  await sql`create temporary table consumption_new on commit drop as
with params as (
  select ${communityId}::int as c, ${period}::date as p,
         (${period}::date + interval '1 month' - interval '1 day')::date as pe,
         extract(day from (${period}::date + interval '1 month' - interval '1 day'))::int as days
),
meters as (
  -- Only the columns used below: the rows pass through every join.
  select m.community_id, m.meter_id, m.premise_id, m.building_id, m.service_id, m.zones, m.multiplier,
         m.installed_on, m.verified_until, m.status, power(10::numeric, m.digits) as capacity,
         coalesce(ps.estimate_months, cs.estimate_months, 3) as months,
         n.monthly_per_person as norm
  from meter m
  cross join params
  left join metering_settings ps on ps.community_id = m.community_id and ps.provider_id = m.provider_id
  left join metering_settings cs on cs.community_id = m.community_id and cs.provider_id is null
  left join meter_norm n on n.community_id = m.community_id and n.service_id = m.service_id
  where m.community_id = params.c and m.installed_on <= params.pe ${half(sql`m.meter_id`)}
    and (m.status <> 'retired' or m.removed_on >= params.p)
),
zoned as (
  select meters.*, z.zone
  from meters cross join lateral generate_series(1, meters.zones::int) as z(zone)
),
-- The end reading of each meter and zone, from this period's readings only: one pass joined by
-- hash is much cheaper than an index probe per meter (most meters have none this period).
period_end as (
  select distinct on (r.meter_id, v.zone) r.meter_id, v.zone, r.reading_id, 'verification_expired' = any(r.flags) as expired, v.v
  from meter_reading r
  cross join params
  cross join lateral (values (1, r.value1), (2, r.value2), (3, r.value3)) as v(zone, v)
  where r.community_id = params.c and r.status = 'accepted' and r.period = params.p and r.kind <> 'initial'
    and v.v is not null ${half(sql`r.meter_id`)}
  order by r.meter_id, v.zone, r.read_on desc, r.reading_id desc
),
readings as (
  select zoned.*, e.reading_id as e_id, e.v as e_v, e.expired as e_expired,
         s.reading_id as s_id, s.v as s_v, s.read_on as s_read_on, s.period as s_period,
         f.v as f_v, f.read_on as f_read_on
  from zoned
  cross join params
  left join period_end e on e.meter_id = zoned.meter_id and e.zone = zoned.zone
  left join lateral (
    select r.reading_id, r.read_on, r.period,
           case zoned.zone when 1 then r.value1 when 2 then r.value2 else r.value3 end as v
    from meter_reading r
    where r.community_id = zoned.community_id and r.meter_id = zoned.meter_id and r.status = 'accepted'
      -- in the order of meter_reading_latest: the first entry that passes is the one
      and r.period <= params.p and (r.period < params.p or r.kind = 'initial')
      and (case zoned.zone when 1 then r.value1 when 2 then r.value2 else r.value3 end) is not null
    order by r.period desc, r.read_on desc, r.reading_id desc limit 1
  ) s on true
  left join lateral (
    select r.read_on, case zoned.zone when 1 then r.value1 when 2 then r.value2 else r.value3 end as v
    from meter_reading r
    where r.community_id = zoned.community_id and r.meter_id = zoned.meter_id and r.status = 'accepted'
      and e.reading_id is null -- only an estimate needs it
      and r.read_on >= s.read_on - make_interval(months => zoned.months) and r.read_on < s.read_on
      and (case zoned.zone when 1 then r.value1 when 2 then r.value2 else r.value3 end) is not null
    order by r.read_on, r.reading_id limit 1
  ) f on true
),
-- What was billed for the periods between the start reading and this one: looked up only for a
-- meter with an end reading whose start is older than last month (a meter read every month has
-- nothing between, and an estimate does not reconcile).
billed as (
  select readings.*,
         case when readings.e_id is not null and readings.s_period < ${period}::date - interval '1 month' then
           -- month by month through the primary key (community, period, meter, zone)
           (select coalesce(sum(mc.volume), 0)
              from generate_series(readings.s_period + interval '1 month', ${period}::date - interval '1 month', interval '1 month') as g(month)
              join meter_consumption mc on mc.community_id = readings.community_id and mc.period = g.month::date
                                       and mc.meter_id = readings.meter_id and mc.zone = readings.zone)
         else 0 end as billed_between
  from readings
)
select b.community_id, params.p as period, b.meter_id, b.premise_id, b.building_id, b.service_id, b.zone,
    -- trim_scale: 10 rather than 10.0000000 (value scale 3 × multiplier scale 4)
    trim_scale(case
      when b.e_id is not null and b.s_id is not null then
        (case when b.e_v >= b.s_v then b.e_v - b.s_v else b.capacity - b.s_v + b.e_v end) * b.multiplier - b.billed_between
      when b.installed_on >= params.p then 0
      when b.f_read_on is not null then
        -- the period's days multiplied before the one division, as estimateVolume does: 2.5 × 30 / 48
        -- is 1.5625 exactly and rounds up, where 2.5 / 48 × 30 loses the last digit and rounds down
        round((case when b.s_v >= b.f_v then b.s_v - b.f_v else b.capacity - b.f_v + b.s_v end) * b.multiplier * params.days
              / (b.s_read_on - b.f_read_on), 3)
      -- Registered persons are counted only here, for the few meters with no history at all.
      when b.norm is not null then round(b.norm * (
        select count(*) from registration g
         where g.community_id = b.community_id and g.premise_id = b.premise_id
           and g.registered_from <= params.pe and (g.registered_to is null or g.registered_to >= params.pe)), 3)
      else 0
    end) as volume,
    not (b.e_id is not null and b.s_id is not null) as estimated,
    (b.verified_until is not null and b.verified_until < params.pe) or b.status = 'removed_for_verification' or coalesce(b.e_expired, false) as verification_expired,
    case when b.e_id is not null then b.s_id end as start_reading_id,
    b.e_id as end_reading_id
  from billed b cross join params`.execute(db);
  await sql`insert into meter_consumption (${sql.raw(COLUMNS)}) select ${sql.raw(COLUMNS)} from consumption_new`.execute(db);
  const result = await sql<{ rows: number; estimated: number }>`
    select count(*)::int as rows, (count(*) filter (where estimated))::int as estimated from consumption_new`.execute(db);
  // Billing reads the period right after: without fresh statistics the planner takes a new month's
  // consumption for empty (autovacuum may not have looked yet). Sampling costs ~0.15 s on 470k rows.
  await sql`analyze meter_consumption`.execute(db);
  const row = result.rows[0] ?? { rows: 0, estimated: 0 };
  return { period, rows: Number(row.rows), estimated: Number(row.estimated) };
}
