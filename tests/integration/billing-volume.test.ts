import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execSql, type DatabaseHandle } from '../../src/db/index';
import type { JobQueue } from '../../src/jobs/queue';
import { BILLING_RUN_JOB } from '../../src/billing/jobs';
import { A, C, OCT, openBillingTown, linesOf } from './billing-fixture';

/**
 * Metered and norm × persons come from one statement (chargeMeteredOrNorm): each account meets its
 * premise's consumption zone by zone. The cases the small town of the scenario does not have,
 * worked by hand at the cold-water price 29.988 UAH/m³ and norm 4.6 m³ a person.
 */
describe('billing by volume: several meters, several zones, a meter past verification', () => {
  let h: DatabaseHandle;
  let jobs: JobQueue;

  const run = async () => {
    const { result } = await jobs.runNow(C, BILLING_RUN_JOB, { period: OCT, refreshConsumption: false });
    return (result as { billingRunId: number }).billingRunId;
  };
  const byVolume = (lines: unknown[][]) => lines.filter((l) => l[1] === 'metered' || l[1] === 'norm');

  beforeAll(async () => {
    ({ h, jobs } = await openBillingTown());
    await execSql(
      h.db,
      `-- Premise 1 has a second cold-water meter (kitchen), 4 m³ in October besides the 9 m³.
       insert into meter (community_id, meter_id, kind, premise_id, building_id, service_id, serial, zones, installed_on, verified_until)
         values (1, 7, 'individual', 1, 1, 1, 'CW-1K', 1, '2020-01-01', '2030-01-01'),
       -- Premise 3 gets a cold-water meter that turned 0 m³.
                (1, 8, 'individual', 3, 1, 1, 'CW-3', 1, '2020-01-01', '2030-01-01');
       -- Premise 2's meter (past verification) has two zones.
       update meter set zones = 2 where meter_id = 2;
       insert into meter_consumption (community_id, period, meter_id, premise_id, building_id, service_id, zone, volume, estimated, verification_expired) values
         (1, '2026-10-01', 7, 1, 1, 1, 1, 4, true, false),
         (1, '2026-10-01', 8, 3, 1, 1, 1, 0, false, false),
         (1, '2026-10-01', 2, 2, 1, 1, 2, 3, false, true);`,
    );
  }, 60_000);
  afterAll(() => h?.close());

  it('two meters of a service in one premise make one line per zone, their volumes added up, estimated if either is', async () => {
    const runId = await run();
    // (9 + 4) × 29.988 = 389.844 → 389.84
    expect(byVolume(await linesOf(h.db, runId, A.p1Cold))).toEqual([['charge', 'metered', 1, 38984]]);
    const [line] = await h.db
      .selectFrom('charge_line')
      .select(['volume', 'estimated'])
      .where('billing_run_id', '=', runId)
      .where('account_id', '=', A.p1Cold)
      .where('method', '=', 'metered')
      .execute();
    expect(Number(line.volume)).toBe(13);
    expect(line.estimated).toBe(true);
  });

  it('a meter past verification with two zones is billed by norm once, not once a zone', async () => {
    const runId = await run();
    // 3 persons × 4.6 = 13.8 m³ × 29.988 = 413.8344 → 413.83
    expect(byVolume(await linesOf(h.db, runId, A.p2Cold))).toEqual([['charge', 'norm', null, 41383]]);
  });

  it('a meter that turned nothing makes no line at all: it is not billed by norm either', async () => {
    const runId = await run();
    expect(byVolume(await linesOf(h.db, runId, A.p3Cold))).toEqual([]);
  });
});
