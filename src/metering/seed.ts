/**
 * A synthetic city's individual meters and their history, set-based (the registry's seed makes
 * none): the demo city gets them on its first start, and the benchmarks on `vinnytsia`.
 *
 * - One meter per open account of cold water, hot water, electricity and natural gas, except in
 *   about one premise in twelve for water and one in eight for gas: those are billed by norm.
 * - Electricity is two-zone (day/night) in one premise in four.
 * - About one water meter in forty is past its verification date: billed by norm until replaced.
 * - An initial reading when installed (2021–2025) and a reading near the end of each of the
 *   `months` months before `today`'s. About one in seven of those is missing, so there are
 *   estimates to see. Nothing is read in `today`'s month: that is the desk's and the portal's job.
 * - A month's use per meter is steady, from ~3 to ~9 m³ of cold water to ~90 to ~260 kWh.
 *
 * - Which premises have what is spread over even and odd premise ids alike (the billing run splits
 *   its biggest steps by premise id parity: a seed that put every two-zone meter in even premises
 *   gave one half a third more work than the other).
 *
 * Idempotent: a community that already has meters is left alone. Returns the meters created.
 */
import { sql } from 'kysely';
import type { Db } from '../db/index';
import { periodOf } from '../shared/period';

export async function seedCityMeters(db: Db, communityId: number, today: string, { months = 4 } = {}): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('meter').select('meter_id').where('community_id', '=', communityId).limit(1).executeTakeFirst();
    if (existing) return 0;
    const made = await sql`
insert into meter (community_id, kind, premise_id, building_id, service_id, provider_id, serial, zones, digits, installed_on, verified_until)
select a.community_id, 'individual', a.premise_id, p.building_id, a.service_id, a.provider_id,
       case s.code when 'cold_water' then 'CW' when 'hot_water' then 'HW' when 'electricity' then 'EL' else 'GS' end
         || lpad((a.account_id * 7919 % 100000000)::text, 8, '0'),
       case when s.code = 'electricity' and a.premise_id % 8 in (0, 5) then 2 else 1 end,
       case when s.code = 'electricity' then 6 else 5 end,
       installed.on_date,
       case when s.code in ('cold_water', 'hot_water') and a.account_id % 40 = 0 then ${today}::date - 10
            when s.code in ('cold_water', 'hot_water') then installed.on_date + interval '6 years'
            when s.code = 'gas_supply' then installed.on_date + interval '8 years'
            else installed.on_date + interval '16 years' end
  from account a
  join service s on s.community_id = a.community_id and s.service_id = a.service_id
  join premise p on p.community_id = a.community_id and p.premise_id = a.premise_id
  cross join lateral (select date '2021-01-01' + (a.account_id * 37 % 1800)::int as on_date) installed
 where a.community_id = ${communityId} and a.closed_on is null
   and s.code in ('cold_water', 'hot_water', 'electricity', 'gas_supply')
   and not (s.code in ('cold_water', 'hot_water') and a.premise_id % 24 in (5, 18))
   and not (s.code = 'gas_supply' and a.premise_id % 16 in (3, 12))`.execute(trx);
    // A month's use by service (zone 2 of electricity is the night, about 40 % of the day), and the
    // reading at installation; each month's reading adds the use of the months since installation.
    await sql`
create temporary table demo_meter on commit drop as
select m.meter_id, m.zones, m.installed_on,
       (m.meter_id * 7919 % 900)::numeric as start_value,
       case s.code when 'cold_water' then 3 + m.meter_id % 7
                   when 'hot_water' then 1 + m.meter_id % 4
                   when 'electricity' then 90 + m.meter_id * 13 % 171
                   else 10 + m.meter_id * 7 % 51 end::numeric as monthly_use
  from meter m join service s on s.community_id = m.community_id and s.service_id = m.service_id
 where m.community_id = ${communityId}`.execute(trx);
    await sql`
insert into meter_reading (community_id, meter_id, read_on, period, kind, value1, value2, channel, status)
select ${communityId}, d.meter_id, d.installed_on, date_trunc('month', d.installed_on)::date, 'initial',
       d.start_value, case when d.zones = 2 then round(d.start_value * 0.4) end, 'provider_file', 'accepted'
  from demo_meter d`.execute(trx);
    const channels = sql`(array['portal', 'app', 'controller', 'provider_file', 'call_centre', 'cash_desk', 'chat_bot'])[1 + (d.meter_id + k) % 7]`;
    await sql`
insert into meter_reading (community_id, meter_id, read_on, period, kind, value1, value2, channel, status)
select ${communityId}, d.meter_id, r.read_on, date_trunc('month', r.read_on)::date, 'regular',
       d.start_value + round(d.monthly_use * r.months_in_use),
       case when d.zones = 2 then round(d.start_value * 0.4 + d.monthly_use * 0.4 * r.months_in_use) end,
       ${channels}, 'accepted'
  from demo_meter d
  cross join generate_series(1, ${months}::int) as k
  cross join lateral (
    -- one of the last four days of the month k months back
    select x.read_on, (x.read_on - d.installed_on) / 30.4 as months_in_use
      from (select (date_trunc('month', ${periodOf(today)}::date - make_interval(months => k)) + interval '1 month' - interval '1 day')::date
                   - (d.meter_id % 4)::int as read_on) x
  ) r
 where r.read_on > d.installed_on and (d.meter_id + k) % 7 <> 0`.execute(trx);
    await sql`analyze meter; analyze meter_reading`.execute(trx);
    return Number(made.numAffectedRows ?? 0);
  });
}
