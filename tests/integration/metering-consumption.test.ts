import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import Decimal from 'decimal.js';
import type { DatabaseHandle, Db } from '../../src/db/index';
import { computeConsumption } from '../../src/metering/consumption';
import { estimateVolume, reconcile } from '../../src/metering/estimate';
import { addMonths, daysInPeriod, periodOf } from '../../src/shared/period';
import { createTestDatabase } from '../helpers/db';
import { seedMeteringWorld, type MeteringWorld } from './metering-fixtures';

/**
 * computeConsumption (set-based SQL) against the pure functions it mirrors (estimate.ts): random
 * meters, random months with and without readings, rollovers; every period computed in order by
 * both, volumes equal to the thousandth.
 */

const PERIODS = ['2026-05-01', '2026-06-01', '2026-07-01', '2026-08-01', '2026-09-01', '2026-10-01'];

interface Reading {
  readOn: string;
  value: number;
  kind: 'initial' | 'regular';
}

/** What the pure functions say for one meter, period by period (as computeConsumption walks them). */
function pureVolumes(readings: Reading[], digits: number, multiplier: string, months: number): string[] {
  const billed = new Map<string, string>();
  const out: string[] = [];
  const periodOfReading = (r: Reading) => periodOf(r.readOn);
  for (const p of PERIODS) {
    const end = readings.filter((r) => r.kind === 'regular' && periodOfReading(r) === p).at(-1);
    const start = readings.filter((r) => periodOfReading(r) < p || (r.kind === 'initial' && periodOfReading(r) === p)).at(-1);
    let volume: string;
    if (end && start) {
      const between = PERIODS.filter((q) => q > periodOfReading(start) && q < p).map((q) => billed.get(q) ?? '0');
      volume = reconcile(String(start.value), String(end.value), digits, multiplier, between);
    } else if (readings[0]!.readOn >= p) {
      volume = '0';
    } else {
      const windowStart = shiftMonths(start!.readOn, -months);
      const first = readings.find((r) => r.readOn >= windowStart && r.readOn < start!.readOn);
      volume = estimateVolume({
        history: first ? [first, start!].map((r) => ({ readOn: r.readOn, value: String(r.value) })) : [],
        digits,
        multiplier,
        daysInPeriod: daysInPeriod(p),
        normMonthlyPerPerson: null,
        persons: 0,
      }).volume;
    }
    billed.set(p, volume);
    out.push(new Decimal(volume).toFixed(3));
  }
  return out;
}

/** 'YYYY-MM-DD' moved by whole months, the day clamped to the month (as PostgreSQL's interval does). */
function shiftMonths(date: string, n: number): string {
  const p = addMonths(`${date.slice(0, 7)}-01`, n);
  const day = Math.min(Number(date.slice(8, 10)), daysInPeriod(p));
  return `${p.slice(0, 8)}${String(day).padStart(2, '0')}`;
}

describe('computeConsumption agrees with the pure estimation and reconciliation', () => {
  let h: DatabaseHandle;
  let db: Db;
  let w: MeteringWorld;
  let serial = 0;

  beforeAll(async () => {
    h = await createTestDatabase();
    db = h.db;
    w = await seedMeteringWorld(db);
  }, 60_000);
  afterAll(() => h?.close());

  it('for random meters and months', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          digits: fc.constantFrom(4, 5),
          multiplier: fc.constantFrom('1', '2.5'),
          months: fc.integer({ min: 1, max: 4 }),
          start: fc.integer({ min: 0, max: 9990 }),
          // Per month of PERIODS: no reading (null) or one on that day with that much used.
          steps: fc.array(fc.option(fc.record({ day: fc.integer({ min: 1, max: 28 }), used: fc.integer({ min: 0, max: 40 }) }), { nil: null }), {
            minLength: PERIODS.length,
            maxLength: PERIODS.length,
          }),
          installedDay: fc.integer({ min: 1, max: 28 }),
        }),
        async (s) => {
          const capacity = 10 ** s.digits;
          const readings: Reading[] = [{ readOn: `2026-04-${String(s.installedDay).padStart(2, '0')}`, value: s.start % capacity, kind: 'initial' }];
          let value = s.start % capacity;
          s.steps.forEach((step, i) => {
            if (!step) return;
            value = (value + step.used) % capacity;
            readings.push({ readOn: `${PERIODS[i]!.slice(0, 8)}${String(step.day).padStart(2, '0')}`, value, kind: 'regular' });
          });
          serial++;
          const meter = await db
            .insertInto('meter')
            .values({
              community_id: 1,
              kind: 'individual',
              premise_id: w.flats[2]!,
              building_id: w.buildingId,
              service_id: w.water,
              serial: `P-${serial}`,
              digits: s.digits,
              multiplier: s.multiplier,
              installed_on: readings[0]!.readOn,
            })
            .returning('meter_id')
            .executeTakeFirstOrThrow();
          await db
            .insertInto('meter_reading')
            .values(
              readings.map((r) => ({
                community_id: 1,
                meter_id: meter.meter_id,
                read_on: r.readOn,
                period: periodOf(r.readOn),
                kind: r.kind,
                value1: r.value,
                channel: 'controller' as const,
                status: 'accepted' as const,
              })),
            )
            .execute();
          await db.deleteFrom('metering_settings').execute();
          await db.insertInto('metering_settings').values({ community_id: 1, estimate_months: s.months }).execute();
          for (const p of PERIODS) await computeConsumption(db, 1, p);
          const rows = await db.selectFrom('meter_consumption').select(['period', 'volume']).where('meter_id', '=', meter.meter_id).orderBy('period').execute();
          expect(rows.map((r) => r.period)).toEqual(PERIODS);
          expect(rows.map((r) => new Decimal(r.volume).toFixed(3))).toEqual(pureVolumes(readings, s.digits, s.multiplier, s.months));
          // Whatever was estimated, the volumes up to the last reading add up to the register difference.
          const lastIndex = s.steps.findLastIndex((step) => step !== null);
          if (lastIndex >= 0) {
            const total = rows.slice(0, lastIndex + 1).reduce((sum, r) => sum.plus(r.volume), new Decimal(0));
            const turned = readings.slice(1).reduce((sum, r, i) => sum + ((r.value - readings[i]!.value + capacity) % capacity), 0);
            expect(total.toFixed(3)).toBe(new Decimal(turned).times(s.multiplier).toFixed(3));
          }
        },
      ),
      { numRuns: 25 },
    );
  }, 120_000);
});
