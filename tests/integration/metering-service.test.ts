import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle, Db } from '../../src/db/index';
import { computeConsumption } from '../../src/metering/consumption';
import {
  replaceMeter,
  reviewReading,
  listReviewQueue,
  meterHistory,
  setMeterStatus,
  submitReading,
  submitReadingsBulk,
  submitReadingsForUnifiedAccount,
  upsertMetersBulk,
} from '../../src/metering/service';
import { createTestDatabase } from '../helpers/db';
import { seedMeteringWorld, type MeteringWorld } from './metering-fixtures';

describe('metering service: intake, rules and consumption', () => {
  let h: DatabaseHandle;
  let db: Db;
  let w: MeteringWorld;
  let water1: number; // flat 1, cold water, 5 digits
  let water2: number; // flat 2, cold water, 4 digits (rolls over)
  let power1: number; // flat 1, electricity, two zones

  const consumption = async (period: string, meterId: number) =>
    db
      .selectFrom('meter_consumption')
      .select(['zone', 'volume', 'estimated', 'verification_expired'])
      .where('period', '=', period)
      .where('meter_id', '=', meterId)
      .orderBy('zone')
      .execute();
  const num = (rows: { volume: string }[]) => rows.map((r) => Number(r.volume));

  beforeAll(async () => {
    h = await createTestDatabase();
    db = h.db;
    w = await seedMeteringWorld(db);
    const meters = await upsertMetersBulk(db, w.operator, [
      { serial: 'W-1', serviceCode: 'cold_water', premiseId: w.flats[0], providerId: w.vodokanalId, installedOn: '2026-01-01', verifiedUntil: '2030-01-01', initialValues: ['100'] },
      { serial: 'W-2', serviceCode: 'cold_water', premiseId: w.flats[1], providerId: w.vodokanalId, digits: 4, installedOn: '2026-09-01', initialValues: ['9990'] },
      { serial: 'E-1', serviceCode: 'electricity', premiseId: w.flats[0], providerId: w.energoId, zones: 2, digits: 6, installedOn: '2026-01-01', initialValues: ['1000', '500'] },
      { serial: 'X', serviceCode: 'gas', premiseId: w.flats[0], installedOn: '2026-01-01' },
      { serial: 'W-1', serviceCode: 'cold_water', premiseId: w.flats[2], installedOn: '2026-01-01' },
    ]);
    expect(meters.map((m) => m.outcome)).toEqual(['created', 'created', 'created', 'rejected', 'rejected']);
    expect(meters[3]!.message_en).toContain('gas');
    expect(meters[4]!.message_en).toContain('twice');
    [water1, water2, power1] = meters.slice(0, 3).map((m) => m.meterId!) as [number, number, number];
  }, 60_000);
  afterAll(() => h?.close());

  it('upserting the same meters again updates them and keeps one initial reading', async () => {
    const again = await upsertMetersBulk(db, w.vodokanal, [
      { serial: 'W-1', serviceCode: 'cold_water', premiseId: w.flats[0], installedOn: '2026-01-01', verifiedUntil: '2031-01-01', initialValues: ['100'] },
    ]);
    expect(again[0]).toMatchObject({ meterId: water1, outcome: 'updated' });
    const m = await db.selectFrom('meter').select(['verified_until', 'provider_id']).where('meter_id', '=', water1).executeTakeFirstOrThrow();
    expect(m).toEqual({ verified_until: '2031-01-01', provider_id: w.vodokanalId });
    const initial = await db.selectFrom('meter_reading').select('reading_id').where('meter_id', '=', water1).where('kind', '=', 'initial').execute();
    expect(initial).toHaveLength(1);
    // What the file leaves out stays; a different number of zones is a different meter.
    const kept = await upsertMetersBulk(db, w.operator, [{ serial: 'W-2', serviceCode: 'cold_water', premiseId: w.flats[1], installedOn: '2026-09-01' }]);
    expect(kept[0]!.outcome).toBe('updated');
    expect((await db.selectFrom('meter').select(['digits', 'zones']).where('meter_id', '=', water2).executeTakeFirstOrThrow())).toEqual({ digits: 4, zones: 1 });
    const zones = await upsertMetersBulk(db, w.operator, [{ serial: 'E-1', serviceCode: 'electricity', premiseId: w.flats[0], zones: 3, installedOn: '2026-01-01' }]);
    expect(zones[0]).toMatchObject({ outcome: 'rejected' });
    expect(zones[0]!.message_en).toContain('replacement');
    // Another provider may not take it over.
    const theirs = await upsertMetersBulk(db, w.energo, [{ serial: 'W-1', serviceCode: 'cold_water', premiseId: w.flats[0], installedOn: '2026-01-01' }]);
    expect(theirs[0]!.outcome).toBe('rejected');
  });

  it('accepts a reading in the window and answers with the consumption it implies', async () => {
    const r = await submitReading(db, w.resident, water1, { readOn: '2026-08-28', values: ['110'] }, { channel: 'portal', today: '2026-08-28' });
    expect(r).toMatchObject({ status: 'accepted', period: '2026-08-01', volumes: ['10'], duplicate: false, message_en: 'Reading accepted' });
    expect(r.readingId).toBeGreaterThan(0);
  });

  it('the same reading sent twice is stored once and the second sender is told', async () => {
    const first = await submitReading(db, w.resident, water1, { readOn: '2026-09-28', values: ['125'] }, { channel: 'portal', today: '2026-09-28' });
    const second = await submitReading(db, w.operator, water1, { readOn: '2026-09-29', values: ['125.000'] }, { channel: 'call_centre', today: '2026-09-29' });
    expect(first.status).toBe('accepted');
    expect(second).toMatchObject({ duplicate: true, readingId: first.readingId, status: 'accepted' });
    expect(second.message_uk).toContain('уже отримано');
    const stored = await db.selectFrom('meter_reading').select('reading_id').where('meter_id', '=', water1).where('period', '=', '2026-09-01').execute();
    expect(stored).toHaveLength(1);
  });

  it('outside the window the reading goes to the next period and the submitter is told so', async () => {
    const r = await submitReading(db, w.resident, water1, { readOn: '2026-10-10', values: ['130'] }, { channel: 'portal', today: '2026-10-10' });
    expect(r.status).toBe('accepted');
    expect(r.period).toBe('2026-11-01');
    expect(r.messages.map((m) => m.code)).toEqual(['moved_to_next_period']);
    expect(r.message_uk).toContain('2026-11');
    expect(r.message_en).toContain('next period');
    // A provider's file carries the real date: no window.
    const p = await submitReadingsBulk(db, w.vodokanal, [{ serial: 'W-2', readOn: '2026-09-20', values: ['9995'] }], { channel: 'provider_file', today: '2026-09-21' });
    expect(p[0]).toMatchObject({ status: 'accepted', period: '2026-09-01', volumes: ['5'] });
  });

  it('a per-provider window overrides the community one', async () => {
    await db.insertInto('metering_settings').values({ community_id: 1, provider_id: w.energoId, window_opens_day: 1, window_closes_day: 0 }).execute();
    const r = await submitReading(db, w.resident, power1, { readOn: '2026-10-05', values: ['1040', '520'] }, { channel: 'app', today: '2026-10-05' });
    expect(r).toMatchObject({ status: 'accepted', period: '2026-10-01', volumes: ['40', '20'] });
  });

  it('a register that rolls over is accepted and flagged; below previous otherwise is rejected and explained', async () => {
    const roll = await submitReadingsBulk(db, w.vodokanal, [{ meterId: water2, readOn: '2026-10-28', values: ['5'] }], { channel: 'controller', today: '2026-10-28' });
    expect(roll[0]).toMatchObject({ status: 'accepted', period: '2026-10-01', volumes: ['10'] });
    expect(roll[0]!.messages.map((m) => m.code)).toContain('rollover');

    const bad = await submitReading(db, w.resident, water1, { readOn: '2026-10-28', values: ['120'] }, { channel: 'portal', today: '2026-10-28' });
    expect(bad.status).toBe('rejected');
    expect(bad.messages[0]).toMatchObject({ code: 'below_previous', zone: 1 });
    expect(bad.message_uk).toBe('Зона 1: показник 120 менший за попередній 130');
    // Kept, with its reason: never silently dropped.
    const stored = await db.selectFrom('meter_reading').select(['status', 'reason_code', 'reason_uk', 'reason_en']).where('reading_id', '=', bad.readingId!).executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ status: 'rejected', reason_code: 'below_previous' });
    expect(stored.reason_en).toContain('below the previous');
  });

  it('a reading dated in the future is rejected', async () => {
    const r = await submitReading(db, w.operator, water1, { readOn: '2026-10-29', values: ['131'] }, { channel: 'call_centre', today: '2026-10-28' });
    expect(r).toMatchObject({ status: 'rejected' });
    expect(r.messages[0]!.code).toBe('future_date');
  });

  it('estimates a period without a reading from the last three months, then reconciles with the actual one', async () => {
    // water1: initial 100 (Jan 1), 110 (Aug 28, Aug), 125 (Sep 28, Sep), 130 (Oct 10, counted in Nov).
    await computeConsumption(db, 1, '2026-08-01');
    await computeConsumption(db, 1, '2026-09-01');
    const summary = await computeConsumption(db, 1, '2026-10-01');
    expect(summary.rows).toBeGreaterThan(0);
    expect(await consumption('2026-08-01', water1)).toEqual([{ zone: 1, volume: '10', estimated: false, verification_expired: false }]);
    expect(num(await consumption('2026-09-01', water1))).toEqual([15]);
    // October: no reading. From Sep 28 back three months the earliest reading is Aug 28 (110):
    // 15 m³ over 31 days × 31 days of October = 15.
    const oct = await consumption('2026-10-01', water1);
    expect(oct).toEqual([{ zone: 1, volume: '15', estimated: true, verification_expired: false }]);

    // Twelve months of history instead: from the initial 100 on Jan 1: 25 over 270 days × 31 = 2.870.
    await db.insertInto('metering_settings').values({ community_id: 1, provider_id: w.vodokanalId, estimate_months: 12 }).execute();
    await computeConsumption(db, 1, '2026-10-01');
    expect(num(await consumption('2026-10-01', water1))).toEqual([2.87]);
    await db.deleteFrom('metering_settings').where('provider_id', '=', w.vodokanalId).execute();
    await computeConsumption(db, 1, '2026-10-01');

    // November: the actual reading 160 (in the window). 160 − 125 = 35, less the 15 estimated for October = 20.
    const nov = await submitReading(db, w.resident, water1, { readOn: '2026-11-27', values: ['160'] }, { channel: 'portal', today: '2026-11-27' });
    expect(nov.volumes).toEqual(['30']); // since the last accepted reading (130 on Oct 10)
    await computeConsumption(db, 1, '2026-11-01');
    expect(await consumption('2026-11-01', water1)).toEqual([{ zone: 1, volume: '20', estimated: false, verification_expired: false }]);
    // Estimates and the reconciliation add up to the register difference since August.
    const all = await db.selectFrom('meter_consumption').select('volume').where('meter_id', '=', water1).where('period', '>', '2026-08-01').execute();
    expect(all.reduce((s, r) => s + Number(r.volume), 0)).toBe(160 - 110);
  });

  it('rollover counts in consumption by the number of digits', async () => {
    // water2: initial 9990 (Sep 1), 9995 (Sep 20, Sep), 5 (Oct 28): 10000 − 9995 + 5 = 10.
    expect(num(await consumption('2026-10-01', water2))).toEqual([10]);
  });

  it('with no history, the estimate is norm × registered persons', async () => {
    await db.insertInto('meter_norm').values({ community_id: 1, service_id: w.water, monthly_per_person: '4.6' }).execute();
    const m = await upsertMetersBulk(db, w.operator, [{ serial: 'W-3', serviceCode: 'cold_water', premiseId: w.flats[0], installedOn: '2026-05-01' }]);
    await computeConsumption(db, 1, '2026-10-01');
    // Two persons are registered in flat 1.
    expect(await consumption('2026-10-01', m[0]!.meterId!)).toEqual([{ zone: 1, volume: '9.2', estimated: true, verification_expired: false }]);
  });

  it('a replaced meter: the old meter’s final reading and the new one’s initial reading both count', async () => {
    const done = await replaceMeter(db, w.energo, power1, {
      on: '2026-11-15',
      finalValues: ['1150', '570'],
      serial: 'E-2',
      initialValues: ['0', '0'],
      verifiedUntil: '2034-11-15',
      today: '2026-11-15',
    });
    expect(done.final).toMatchObject({ status: 'accepted', period: '2026-11-01', volumes: ['110', '50'] });
    const fresh = await submitReading(db, w.resident, done.newMeterId, { readOn: '2026-11-28', values: ['30', '10'] }, { channel: 'app', today: '2026-11-28' });
    expect(fresh).toMatchObject({ status: 'accepted', volumes: ['30', '10'] });
    // The old meter takes no more readings.
    const late = await submitReading(db, w.operator, power1, { readOn: '2026-11-28', values: ['1160', '575'] }, { channel: 'call_centre', today: '2026-11-28' });
    expect(late.messages[0]!.code).toBe('meter_retired');

    await computeConsumption(db, 1, '2026-10-01');
    await computeConsumption(db, 1, '2026-11-01');
    // Old meter: October 1040/520 → final 1150/570; new: 0/0 → 30/10.
    expect(num(await consumption('2026-11-01', power1))).toEqual([110, 50]);
    expect(num(await consumption('2026-11-01', done.newMeterId))).toEqual([30, 10]);
    await computeConsumption(db, 1, '2026-12-01');
    expect(await consumption('2026-12-01', power1)).toEqual([]);
    // The history shows the replacement both ways.
    for (const id of [power1, done.newMeterId]) {
      const history = await meterHistory(db, w.operator, id);
      expect(history.chain.map((m) => [m.meter_id, m.status, m.removed_on])).toEqual([
        [power1, 'retired', '2026-11-15'],
        [done.newMeterId, 'active', null],
      ]);
    }
    const old = await meterHistory(db, w.energo, power1);
    // Newest first: the refused reading after removal, the final one, October's, the initial one.
    expect(old.readings.map((r) => [r.kind, r.status])).toEqual([
      ['regular', 'rejected'],
      ['final', 'accepted'],
      ['regular', 'accepted'],
      ['initial', 'accepted'],
    ]);
    expect(old.consumption.filter((c) => c.period === '2026-11-01').map((c) => c.volume)).toEqual(['110', '50']);
    // Its consumption month by month, oldest first (earlier tests computed August and September;
    // December has none: the meter was retired).
    expect(old.consumption.map((c) => [c.period, c.zone])).toEqual([
      ['2026-08-01', 1],
      ['2026-08-01', 2],
      ['2026-09-01', 1],
      ['2026-09-01', 2],
      ['2026-10-01', 1],
      ['2026-10-01', 2],
      ['2026-11-01', 1],
      ['2026-11-01', 2],
    ]);
    // The last two months of the community are November and December.
    const recent = await meterHistory(db, w.energo, power1, 2);
    expect(recent.consumption.map((c) => c.period)).toEqual(['2026-11-01', '2026-11-01']);
  });

  it('implausible consumption waits in the review queue instead of billing; accepting it bills it', async () => {
    const r = await submitReading(db, w.resident, water1, { readOn: '2026-12-28', values: ['900'] }, { channel: 'portal', today: '2026-12-28' });
    expect(r.status).toBe('needs_review');
    expect(r.messages[0]!.code).toBe('implausible_consumption');
    await computeConsumption(db, 1, '2026-12-01');
    expect((await consumption('2026-12-01', water1))[0]!.estimated).toBe(true);

    const queue = (await listReviewQueue(db, w.operator, { limit: 50 })).items;
    const item = queue.find((q) => q.reading_id === r.readingId)!;
    expect(item).toMatchObject({ meter_id: water1, value1: '900.000', reason_code: 'implausible_consumption', premise_number: '1' });
    expect(item.previous).toMatchObject({ read_on: '2026-11-27', value1: '160.000' });
    // The provider of another service does not see it.
    expect((await listReviewQueue(db, w.energo, { limit: 50 })).items.map((q) => q.reading_id)).not.toContain(r.readingId);
    await expect(reviewReading(db, w.resident, r.readingId!, { accept: true })).rejects.toMatchObject({ status: 403 });

    await reviewReading(db, w.operator, r.readingId!, { accept: true });
    await expect(reviewReading(db, w.operator, r.readingId!, { accept: true })).rejects.toMatchObject({ code: 'not_in_review' });
    await computeConsumption(db, 1, '2026-12-01');
    expect(await consumption('2026-12-01', water1)).toEqual([{ zone: 1, volume: '740', estimated: false, verification_expired: false }]);
  });

  it('rejecting from the queue keeps the reading with the reviewer’s reason', async () => {
    const r = await submitReading(db, w.operator, water2, { readOn: '2026-12-28', values: ['9000'] }, { channel: 'call_centre', today: '2026-12-28' });
    expect(r.status).toBe('needs_review');
    const after = await reviewReading(db, w.vodokanal, r.readingId!, { accept: false, reason: 'помилка набору' });
    expect(after).toMatchObject({ status: 'rejected', reason_code: 'rejected_on_review' });
    expect(after.reason_uk).toContain('помилка набору');
  });

  it('a meter past its verification: the reading is accepted, flagged, and billing is told', async () => {
    await db.updateTable('meter').set({ verified_until: '2026-12-31' }).where('meter_id', '=', water2).execute();
    const r = await submitReading(db, w.resident, water1, { readOn: '2027-01-28', values: ['905'] }, { channel: 'portal', today: '2027-01-28' });
    expect(r.status).toBe('accepted');
    const r2 = await submitReadingsBulk(db, w.vodokanal, [{ meterId: water2, readOn: '2027-01-20', values: ['12'] }], { channel: 'provider_file', today: '2027-01-21' });
    expect(r2[0]).toMatchObject({ status: 'accepted' });
    expect(r2[0]!.messages.map((m) => m.code)).toEqual(['verification_expired']);
    await computeConsumption(db, 1, '2027-01-01');
    expect((await consumption('2027-01-01', water2))[0]).toMatchObject({ estimated: false, verification_expired: true });
    expect((await consumption('2027-01-01', water1))[0]).toMatchObject({ estimated: false, verification_expired: false });
  });

  it('a meter away for verification takes no readings and is billed as verification-expired', async () => {
    await setMeterStatus(db, w.vodokanal, water2, { status: 'removed_for_verification' });
    const r = await submitReading(db, w.operator, water2, { readOn: '2027-02-25', values: ['20'] }, { channel: 'call_centre', today: '2027-02-25' });
    expect(r.messages[0]!.code).toBe('meter_removed');
    await computeConsumption(db, 1, '2027-02-01');
    expect((await consumption('2027-02-01', water2))[0]).toMatchObject({ estimated: true, verification_expired: true });
    await setMeterStatus(db, w.vodokanal, water2, { status: 'active', verifiedUntil: '2033-02-01' });
  });

  it('channel permissions: a resident only for linked premises, a provider only its own meters', async () => {
    const water3 = (await db.selectFrom('meter').select('meter_id').where('serial', '=', 'W-2').executeTakeFirstOrThrow()).meter_id;
    await expect(submitReading(db, w.resident, water3, { values: ['10'] }, { channel: 'portal' })).rejects.toMatchObject({ status: 403 });
    await expect(submitReadingsBulk(db, w.resident, [{ meterId: water1, values: ['1000'] }], { channel: 'provider_file' })).rejects.toMatchObject({ status: 403 });
    const bulk = await submitReadingsBulk(db, w.energo, [{ meterId: water1, readOn: '2027-01-28', values: ['1000'] }, { serial: 'nope', values: ['1'] }], { channel: 'provider_file', today: '2027-01-28' });
    expect(bulk.map((b) => [b.status, b.messages[0]!.code])).toEqual([
      ['rejected', 'unknown_meter'],
      ['rejected', 'unknown_meter'],
    ]);
    expect(bulk[1]!.message_uk).toContain('«nope»');

    // A meter naming no provider: a provider with an open account for that premise and service may read it.
    const [loose] = await upsertMetersBulk(db, w.operator, [{ serial: 'E-9', serviceCode: 'electricity', premiseId: w.flats[2], installedOn: '2026-01-01', initialValues: ['10'] }]);
    await db.insertInto('account').values({ community_id: 1, provider_id: w.energoId, premise_id: w.flats[2]!, service_id: w.power, number: 'EN-3', opened_on: '2020-01-01' }).execute();
    const ok = await submitReading(db, w.energo, loose!.meterId!, { readOn: '2027-01-28', values: ['20'] }, { channel: 'controller', today: '2027-01-28' });
    expect(ok).toMatchObject({ status: 'accepted', volumes: ['10'] });
    await expect(submitReading(db, w.vodokanal, loose!.meterId!, { readOn: '2027-01-28', values: ['21'] }, { channel: 'controller', today: '2027-01-28' })).rejects.toMatchObject({ status: 403 });
  });

  it('a bulk file: every row answered in order, bad rows explained, duplicates within the file counted once', async () => {
    const rows = [
      { serial: 'W-1', readOn: '2027-02-20', values: ['910'], externalRef: 'r1' },
      { serial: 'W-1', readOn: '2027-02-20', values: ['910'], externalRef: 'r2' },
      { serial: 'W-1', readOn: '2027-02-21', values: ['9x'], externalRef: 'r3' },
      { serial: 'W-1', readOn: '2027-02-30', values: ['911'], externalRef: 'r4' },
      { serial: 'W-1', readOn: '2027-02-22', values: ['908'], externalRef: 'r5' },
    ];
    const res = await submitReadingsBulk(db, w.vodokanal, rows, { channel: 'provider_file', today: '2027-02-25', source: 'vodokanal-2027-02.csv' });
    expect(res.map((r) => r.row)).toEqual([0, 1, 2, 3, 4]);
    expect(res.map((r) => [r.status, r.duplicate])).toEqual([
      ['accepted', false],
      ['accepted', true],
      ['rejected', false],
      ['rejected', false],
      ['rejected', false],
    ]);
    expect(res[2]!.message_en).toContain('"9x" is not a reading');
    expect(res[3]!.message_en).toContain('2027-02-30');
    expect(res[4]!.messages[0]!.code).toBe('below_previous');
    const stored = await db.selectFrom('meter_reading').select(['external_ref', 'status']).where('external_ref', 'in', ['r1', 'r2', 'r3', 'r4', 'r5']).orderBy('external_ref').execute();
    expect(stored).toEqual([
      { external_ref: 'r1', status: 'accepted' },
      { external_ref: 'r3', status: 'rejected' },
      { external_ref: 'r5', status: 'rejected' },
    ]);
    const audit = await db.selectFrom('audit_log').select(['after']).where('action', '=', 'submit_readings').orderBy('audit_id', 'desc').executeTakeFirstOrThrow();
    expect(audit.after).toMatchObject({ source: 'vodokanal-2027-02.csv', rows: 5, accepted: 1, rejected: 3, duplicates: 1 });
  });

  it('a building (common) meter belongs to the building: staff read it, residents cannot, billing sees it without a premise', async () => {
    const [common] = await upsertMetersBulk(db, w.operator, [{ serial: 'B-1', serviceCode: 'cold_water', buildingId: w.buildingId, digits: 6, installedOn: '2027-01-01', initialValues: ['5000'] }]);
    expect(common!.outcome).toBe('created');
    const m = await db.selectFrom('meter').select(['kind', 'premise_id', 'building_id']).where('meter_id', '=', common!.meterId!).executeTakeFirstOrThrow();
    expect(m).toEqual({ kind: 'building', premise_id: null, building_id: w.buildingId });
    await expect(submitReading(db, w.resident, common!.meterId!, { values: ['5100'] }, { channel: 'portal' })).rejects.toMatchObject({ status: 403 });
    const r = await submitReading(db, w.operator, common!.meterId!, { readOn: '2027-02-26', values: ['5100'] }, { channel: 'controller', today: '2027-02-26' });
    expect(r).toMatchObject({ status: 'accepted', period: '2027-02-01', volumes: ['100'] });
    await computeConsumption(db, 1, '2027-02-01');
    const row = await db.selectFrom('meter_consumption').select(['premise_id', 'building_id', 'volume', 'estimated']).where('meter_id', '=', common!.meterId!).where('period', '=', '2027-02-01').executeTakeFirstOrThrow();
    expect(row).toEqual({ premise_id: null, building_id: w.buildingId, volume: '100', estimated: false });
  });

  it('a payment agent submits by unified account number, only for that premise', async () => {
    const res = await submitReadingsForUnifiedAccount(db, w.operator, '1000000000', [{ serial: 'W-1', readOn: '2027-03-27', values: ['915'] }, { serial: 'W-2', values: ['30'] }], {
      channel: 'cash_desk',
      today: '2027-03-27',
      paymentRef: 'PAY-77',
    });
    expect(res.map((r) => r.status)).toEqual(['accepted', 'rejected']);
    expect(res[0]!.volumes).toEqual(['5']);
    const stored = await db.selectFrom('meter_reading').select(['channel', 'external_ref']).where('reading_id', '=', res[0]!.readingId!).executeTakeFirstOrThrow();
    expect(stored).toEqual({ channel: 'cash_desk', external_ref: 'PAY-77' });
    await expect(submitReadingsForUnifiedAccount(db, w.operator, '9999999999', [], { channel: 'cash_desk' })).rejects.toMatchObject({ status: 404 });
  });
  it('a serial two services share is refused unless the row names the service', async () => {
    await upsertMetersBulk(db, w.operator, [{ serial: 'W-1', serviceCode: 'electricity', premiseId: w.flats[1], installedOn: '2026-01-01', initialValues: ['7'] }]);
    const res = await submitReadingsBulk(
      db,
      w.operator,
      [
        { serial: 'W-1', readOn: '2027-04-26', values: ['920'] },
        { serial: 'W-1', serviceCode: 'cold_water', readOn: '2027-04-26', values: ['920'] },
      ],
      { channel: 'provider_file', today: '2027-04-26' },
    );
    expect(res.map((r) => [r.status, r.messages[0]?.code ?? null])).toEqual([
      ['rejected', 'ambiguous_serial'],
      ['accepted', null],
    ]);
    expect(res[1]!.volumes).toEqual(['5']);
  });
});
