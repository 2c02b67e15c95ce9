import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/db/index';
import { seedCity } from '../../src/registry/seed/seed';
import { seedCityMeters } from '../../src/metering/seed';
import { computeConsumption } from '../../src/metering/consumption';
import { createTestDatabase } from '../helpers/db';

// The demo city's meters (seedCityMeters): what a person finds on the first start, and what the
// benchmarks bill. Checked as properties of the rows, not against a copy of the generating SQL.
describe('seedCityMeters: a synthetic city gets its meters and their history', () => {
  let h: DatabaseHandle;
  const today = '2026-11-27';
  let created = 0;

  beforeAll(async () => {
    h = await createTestDatabase();
    await seedCity(h, { scale: 'tiny', seed: 3, communityId: 1, users: false });
    created = await seedCityMeters(h.db, 1, today);
  }, 120_000);
  afterAll(() => h?.close());

  it('one meter per open account of a metered service, most but not all of them', async () => {
    const r = await sql<{ code: string; accounts: number; meters: number; two_zone: number; stray: number; doubled: number }>`
select s.code,
       count(distinct a.account_id)::int as accounts,
       count(distinct m.meter_id)::int as meters,
       (count(distinct m.meter_id) filter (where m.zones = 2))::int as two_zone,
       (select count(*)::int from meter x where x.service_id = s.service_id
           and not exists (select 1 from account y where y.premise_id = x.premise_id and y.service_id = x.service_id and y.closed_on is null)) as stray,
       (select count(*)::int from (select premise_id from meter x where x.service_id = s.service_id group by premise_id having count(*) > 1) d) as doubled
  from account a
  join service s on s.service_id = a.service_id
  left join meter m on m.premise_id = a.premise_id and m.service_id = a.service_id
 where a.community_id = 1 and a.closed_on is null and s.code in ('cold_water', 'hot_water', 'electricity', 'gas_supply')
 group by s.code, s.service_id order by s.code`.execute(h.db);
    // The tiny city has accounts of at least cold water, electricity and gas.
    expect(r.rows.map((x) => x.code)).toEqual(expect.arrayContaining(['cold_water', 'electricity', 'gas_supply']));
    expect(created).toBe(r.rows.reduce((n, x) => n + x.meters, 0));
    for (const x of r.rows) {
      expect(x.stray, x.code).toBe(0);
      expect(x.doubled, x.code).toBe(0);
      expect(x.meters / x.accounts, x.code).toBeGreaterThan(0.8);
      if (x.code === 'electricity') {
        expect(x.meters, 'every electricity account is metered').toBe(x.accounts);
        expect(x.two_zone).toBeGreaterThan(0);
      } else {
        expect(x.meters, `${x.code}: some premises have no meter and are billed by norm`).toBeLessThan(x.accounts);
        expect(x.two_zone).toBe(0);
      }
    }
    const expired = await sql<{ n: number }>`select count(*)::int as n from meter where verified_until < ${today}::date`.execute(h.db);
    expect(expired.rows[0].n).toBeGreaterThan(0);
  });

  it('an initial reading each, then month-end readings of the last four months that only go up', async () => {
    const r = await sql<{ meters: number; initials: number; regular: number; outside: number; not_month_end: number; decreasing: number; missing_zone2: number }>`
select (select count(*)::int from meter) as meters,
       (select count(*)::int from meter_reading where kind = 'initial') as initials,
       (select count(*)::int from meter_reading where kind = 'regular') as regular,
       (select count(*)::int from meter_reading where kind = 'regular' and (period < date '2026-07-01' or period > date '2026-10-01')) as outside,
       (select count(*)::int from meter_reading where kind = 'regular'
           and read_on < (date_trunc('month', read_on) + interval '1 month' - interval '4 days')::date) as not_month_end,
       (select count(*)::int from (
          select value1 < lag(value1) over w or value2 < lag(value2) over w as down
            from meter_reading window w as (partition by meter_id order by read_on)) x where down) as decreasing,
       (select count(*)::int from meter_reading r join meter m on m.meter_id = r.meter_id where m.zones = 2 and r.value2 is null) as missing_zone2`.execute(h.db);
    const x = r.rows[0];
    expect(x.initials).toBe(x.meters);
    expect(x.outside).toBe(0);
    expect(x.not_month_end).toBe(0);
    expect(x.decreasing).toBe(0);
    expect(x.missing_zone2).toBe(0);
    // About one month-end reading in seven is missing, so estimates happen.
    expect(x.regular).toBeLessThan(x.meters * 4);
    expect(x.regular).toBeGreaterThan(x.meters * 3);
  });

  it('is done once: a second call adds nothing', async () => {
    const before = await sql<{ n: number }>`select count(*)::int as n from meter_reading`.execute(h.db);
    expect(await seedCityMeters(h.db, 1, today)).toBe(0);
    const after = await sql<{ n: number }>`select count(*)::int as n from meter_reading`.execute(h.db);
    expect(after.rows[0].n).toBe(before.rows[0].n);
  });

  it('November, not read yet, is estimated from that history for every meter', async () => {
    const summary = await computeConsumption(h.db, 1, '2026-11-01');
    const zones = await sql<{ n: number }>`select coalesce(sum(zones), 0)::int as n from meter`.execute(h.db);
    expect(summary.rows).toBe(zones.rows[0].n);
    expect(summary.estimated).toBe(summary.rows);
    const zero = await sql<{ n: number }>`select count(*)::int as n from meter_consumption where period = date '2026-11-01' and volume <= 0`.execute(h.db);
    expect(zero.rows[0].n).toBe(0);
  });
});
