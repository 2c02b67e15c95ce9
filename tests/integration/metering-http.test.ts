import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { DatabaseHandle } from '../../src/db/index';
import { buildApp } from '../../src/server/app';
import { addDays, kyivToday } from '../../src/shared/period';
import { upsertMetersBulk } from '../../src/metering/service';
import { createTestDatabase } from '../helpers/db';
import { signInAs, testContext, type Signed } from '../helpers/http';
import { PASSWORD, seedMeteringWorld, type MeteringWorld } from './metering-fixtures';

describe('metering over HTTP: every channel, permissions, review queue, the desk', () => {
  let h: DatabaseHandle;
  let app: FastifyInstance;
  let w: MeteringWorld;
  let meters: number[];
  const as: Record<string, Signed> = {};
  const today = kyivToday();
  const monthAgo = addDays(today, -30);

  beforeAll(async () => {
    h = await createTestDatabase();
    w = await seedMeteringWorld(h.db);
    // The whole month is the window here, so the test does not depend on the day it runs; several
    // readings land on the same day, so the plausibility bound is loosened (its rule is tested elsewhere).
    await h.db.insertInto('metering_settings').values({ community_id: 1, window_opens_day: 1, window_closes_day: 0, plausibility_factor: 1000 }).execute();
    const made = await upsertMetersBulk(h.db, w.operator, [
      { serial: 'W-1', serviceCode: 'cold_water', premiseId: w.flats[0], providerId: w.vodokanalId, installedOn: monthAgo, initialValues: ['100'] },
      { serial: 'W-2', serviceCode: 'cold_water', premiseId: w.flats[1], providerId: w.vodokanalId, installedOn: monthAgo, initialValues: ['50'] },
      { serial: 'E-1', serviceCode: 'electricity', premiseId: w.flats[0], providerId: w.energoId, zones: 2, installedOn: monthAgo, initialValues: ['10', '5'] },
    ]);
    meters = made.map((m) => m.meterId!);
    app = await buildApp(testContext(h));
    for (const login of ['operator', 'resident', 'vodokanal', 'energo']) as[login] = await signInAs(app, login, PASSWORD);
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await h?.close();
  });

  const post = (who: string, url: string, payload: unknown, headers: Record<string, string> = {}) =>
    app.inject({ method: 'POST', url, payload: payload as string, headers: { ...as[who]!.headers, ...headers } });
  const get = (who: string, url: string) => app.inject({ method: 'GET', url, headers: as[who]!.headers });

  it('needs a signed-in user', async () => {
    const res = await app.inject({ method: 'POST', url: `/api/metering/meters/${meters[0]}/readings`, payload: { values: ['1'] } });
    expect(res.statusCode).toBe(401);
  });

  it('a resident submits for their premise and is answered with the consumption and messages in both languages', async () => {
    const res = await post('resident', `/api/metering/meters/${meters[0]}/readings`, { values: ['104.5'] });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'accepted', volumes: ['4.5'], period: `${today.slice(0, 7)}-01`, message_uk: 'Показник прийнято', message_en: 'Reading accepted' });
    const stored = await h.db.selectFrom('meter_reading').select(['channel', 'submitted_by']).where('reading_id', '=', res.json().readingId).executeTakeFirstOrThrow();
    expect(stored).toEqual({ channel: 'portal', submitted_by: w.resident.userId });
  });

  it('a resident cannot submit for another premise, nor through a provider channel', async () => {
    // Another premise's meter is out of the resident's reach: 404, as if it did not exist (server/scope.ts).
    const other = await post('resident', `/api/metering/meters/${meters[1]}/readings`, { values: ['60'] });
    expect(other.statusCode).toBe(404);
    const channel = await post('resident', `/api/metering/meters/${meters[0]}/readings`, { values: ['105'], channel: 'provider_file' });
    expect(channel.statusCode).toBe(403);
    const bulk = await post('resident', '/api/metering/readings/bulk', { rows: [{ meterId: meters[1], values: ['60'] }] });
    expect(bulk.statusCode).toBe(403);
  });

  it('check validates without storing: the desk shows the verdict as it is typed', async () => {
    const before = await h.db.selectFrom('meter_reading').select('reading_id').execute();
    const res = await post('operator', `/api/metering/meters/${meters[0]}/readings/check`, { values: ['100'] });
    expect(res.json()).toMatchObject({ status: 'rejected', readingId: null });
    expect(res.json().messages[0].code).toBe('below_previous');
    expect(res.json().message_en).toContain('below the previous reading 104.5');
    expect(await h.db.selectFrom('meter_reading').select('reading_id').execute()).toHaveLength(before.length);
  });

  it('zod refuses a malformed request with the field named in its issues (the message a person reads names no internal field)', async () => {
    const res = await post('operator', `/api/metering/meters/${meters[0]}/readings`, { values: [] });
    expect(res.statusCode).toBe(400);
    expect(res.json().issues.map((i: { field: string }) => i.field)).toContain('values');
    expect(res.json().message_en).not.toContain('values');
    expect(res.json().message_uk).toBe('Некоректні дані: перевірте поле');
  });

  it('a provider uploads a CSV file: only its own meters are taken, each row answered', async () => {
    const csv = ['serial;read_on;value1;external_ref', `W-1;${today};110;a`, `W-2;${today};55;b`, `E-1;${today};20;c`, `W-2;${today};oops;d`].join('\n');
    const res = await post('vodokanal', '/api/metering/readings/bulk?fileName=vodokanal.csv', csv, { 'content-type': 'text/csv' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ total: 4, accepted: 2, rejected: 2, needsReview: 0, duplicates: 0 });
    expect(body.results.map((r: { status: string }) => r.status)).toEqual(['accepted', 'accepted', 'rejected', 'rejected']);
    expect(body.results[2].messages[0].code).toBe('unknown_meter');
    expect(body.results[3].message_uk).toContain('«oops»');
    const channels = await h.db.selectFrom('meter_reading').select('channel').where('external_ref', 'in', ['a', 'b']).execute();
    expect(channels.map((c) => c.channel)).toEqual(['provider_file', 'provider_file']);
  });

  it('a CSV file without the needed columns is refused with the row named', async () => {
    const res = await post('vodokanal', '/api/metering/readings/bulk', 'a,b\n1,2', { 'content-type': 'text/csv' });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ code: 'csv_header', row: 1 });
    // A quote where CSV allows none (the fuzz found it answering 500): refused, the row named.
    const quoted = await post('vodokanal', '/api/metering/readings/bulk', '=HYPERLINK("x")', { 'content-type': 'text/csv' });
    expect(quoted.statusCode).toBe(422);
    expect(quoted.json()).toMatchObject({ code: 'csv_unreadable', row: 1 });
  });

  it('a provider sends a JSON array for a two-zone meter', async () => {
    const res = await post('energo', '/api/metering/readings/bulk', { rows: [{ meterId: meters[2], values: ['15', 6] }] });
    expect(res.json().results[0]).toMatchObject({ status: 'accepted', volumes: ['5', '1'], period: `${today.slice(0, 7)}-01` });
  });

  it('a payment agent brings readings with a payment, keyed by the unified account number', async () => {
    const res = await post('operator', '/api/metering/accounts/1000000000/readings', { paymentRef: 'PAY-1', readings: [{ serial: 'W-1', values: ['111'] }] });
    expect(res.statusCode).toBe(200);
    expect(res.json().results[0]).toMatchObject({ status: 'accepted', volumes: ['1'] });
    const missing = await post('operator', '/api/metering/accounts/9999999999/readings', { readings: [{ serial: 'W-1', values: ['112'] }] });
    expect(missing.statusCode).toBe(404);
    expect((await post('resident', '/api/metering/accounts/1000000000/readings', { readings: [{ serial: 'W-1', values: ['112'] }] })).statusCode).toBe(403);
  });

  it('the review queue: list, accept, reject with a reason', async () => {
    const a = (await post('operator', `/api/metering/meters/${meters[1]}/readings`, { values: ['5000'] })).json();
    const b = (await post('operator', `/api/metering/meters/${meters[0]}/readings`, { values: ['9000'] })).json();
    expect([a.status, b.status]).toEqual(['needs_review', 'needs_review']);
    const listed = await get('operator', '/api/metering/review?limit=1');
    expect(listed.statusCode, listed.body).toBe(200);
    const page1 = listed.json();
    expect(page1.items).toHaveLength(1);
    expect(page1.items[0]).toMatchObject({ reading_id: a.readingId, value1: '5000.000', reason_code: 'implausible_consumption', address: 'вул. Соборна, буд. 5, кв. 2' });
    const page2 = (await get('operator', `/api/metering/review?limit=1&cursor=${page1.nextCursor}`)).json();
    expect(page2.items[0].reading_id).toBe(b.readingId);
    expect((await get('resident', '/api/metering/review')).statusCode).toBe(403);

    const accepted = await post('operator', `/api/metering/review/${a.readingId}/accept`, {});
    expect(accepted.json()).toMatchObject({ status: 'accepted' });
    const short = await post('operator', `/api/metering/review/${b.readingId}/reject`, { reason: '' });
    expect(short.statusCode).toBe(400);
    const rejected = await post('operator', `/api/metering/review/${b.readingId}/reject`, { reason: 'зайва цифра' });
    expect(rejected.json().reason_uk).toContain('зайва цифра');
    expect((await get('operator', '/api/metering/review')).json().items).toEqual([]);
  });

  it('the desk finds a premise by unified number, account number, meter serial, surname and address', async () => {
    await h.db.insertInto('account').values({ community_id: 1, provider_id: w.vodokanalId, premise_id: w.flats[1]!, service_id: w.water, number: 'VK-777', opened_on: '2020-01-01' }).execute();
    const find = async (q: string) => (await get('operator', `/api/metering/lookup?q=${encodeURIComponent(q)}`)).json().map((p: { premiseId: number }) => p.premiseId);
    expect(await find('1000000002')).toEqual([w.flats[2]]);
    expect(await find('VK-777')).toEqual([w.flats[1]]);
    // A meter's serial, as printed or typed in small letters: the meter's premise (both meters of flat 0 are its).
    expect(await find('W-2')).toEqual([w.flats[1]]);
    expect(await find('e-1')).toEqual([w.flats[0]]);
    expect(await find('коваленко')).toEqual([w.flats[0]]);
    expect(await find('Коваленко Петро')).toEqual([w.flats[0]]);
    expect(await find('вул. Соборна 5, кв. 10')).toEqual([w.flats[2]]);
    expect(await find('соборна 5')).toEqual(w.flats);
    const hit = (await get('operator', '/api/metering/lookup?q=1000000000')).json()[0];
    expect(hit).toMatchObject({ address: 'вул. Соборна, буд. 5, кв. 1', unifiedNumber: '1000000000', persons: 'Коваленко Олена, Коваленко Петро' });
    // A non-residential premise is found and printed as «прим. 1», however its number is typed.
    const shop = await h.db
      .insertInto('premise')
      .values({ community_id: 1, building_id: w.buildingId, number: 'прим. 1', apartment_key: 'п1', kind: 'non_residential' })
      .returning('premise_id')
      .executeTakeFirstOrThrow();
    for (const q of ['Соборна 5, прим. 1', 'соборна 5 кв. п1', 'Соборна 5, нежитлове приміщення 1']) expect(await find(q)).toEqual([shop.premise_id]);
    expect(await find('Соборна 5, кв. 1')).toEqual([w.flats[0]]);
    const shopHit = (await get('operator', `/api/metering/lookup?q=${encodeURIComponent('Соборна 5, прим. 1')}`)).json()[0];
    expect(shopHit).toMatchObject({ premiseNumber: 'прим. 1', address: 'вул. Соборна, буд. 5, прим. 1' });
    await h.db.deleteFrom('premise').where('premise_id', '=', shop.premise_id).execute();
    expect((await get('resident', '/api/metering/lookup?q=коваленко')).statusCode).toBe(403);
  });

  it('the desk walks a building in flat order and sees each premise’s meters with last readings', async () => {
    const flats = (await get('operator', `/api/metering/buildings/${w.buildingId}/premises`)).json();
    expect(flats.map((f: { premiseNumber: string }) => f.premiseNumber)).toEqual(['1', '2', '10']);
    expect(flats.map((f: { meters: number }) => f.meters)).toEqual([2, 1, 0]);
    const ms = (await get('operator', `/api/metering/premises/${w.flats[0]}/meters`)).json();
    expect(ms.map((m: { serial: string }) => m.serial)).toEqual(['W-1', 'E-1']);
    expect(ms[0].readings.map((r: { values: string[]; status: string; channel: string }) => [r.values, r.status, r.channel])).toEqual([
      [['9000'], 'rejected', 'call_centre'],
      [['111'], 'accepted', 'cash_desk'],
      [['110'], 'accepted', 'provider_file'],
    ]);
    expect(ms[1]).toMatchObject({ zones: 2, serviceCode: 'electricity' });
    // A resident sees only their own premise's meters.
    expect((await get('resident', `/api/metering/premises/${w.flats[0]}/meters`)).statusCode).toBe(200);
    expect((await get('resident', `/api/metering/premises/${w.flats[1]}/meters`)).statusCode).toBe(404);
  });

  it('settings: the window and estimation rules per community and provider, and norms, are set and audited', async () => {
    const put = (who: string, url: string, payload: unknown) => app.inject({ method: 'PUT', url, payload: payload as string, headers: as[who]!.headers });
    const bad = await put('operator', '/api/metering/settings', { providerId: null, windowOpensDay: 0, windowClosesDay: -4, estimateMonths: 3, plausibilityFactor: '3' });
    expect(bad.statusCode).toBe(422);
    expect(bad.json()).toMatchObject({ code: 'window_order', field: 'windowOpensDay' });
    const own = await put('operator', '/api/metering/settings', { providerId: w.vodokanalId, windowOpensDay: 20, windowClosesDay: 0, estimateMonths: 6, plausibilityFactor: '5' });
    expect(own.json()).toMatchObject({ provider_id: w.vodokanalId, window_opens_day: 20, estimate_months: 6, plausibility_factor: '5.00' });
    expect((await put('vodokanal', '/api/metering/settings', { providerId: null, windowOpensDay: 1, windowClosesDay: 0, estimateMonths: 3, plausibilityFactor: '3' })).statusCode).toBe(403);
    const norm = await put('operator', `/api/metering/norms/${w.water}`, { monthlyPerPerson: '4.6' });
    expect(norm.json()).toEqual({ service_id: w.water, monthly_per_person: '4.600' });
    const listed = (await get('operator', '/api/metering/settings')).json();
    expect(listed.settings.map((r: { provider_id: number | null }) => r.provider_id)).toEqual([null, w.vodokanalId]);
    expect(listed.norms).toEqual([{ service_id: w.water, monthly_per_person: '4.600' }]);
    const audit = await h.db.selectFrom('audit_log').select('entity').where('entity', 'in', ['metering_settings', 'meter_norm']).execute();
    expect(audit).toHaveLength(2);
    await h.db.deleteFrom('metering_settings').where('provider_id', '=', w.vodokanalId).execute();
  });

  it('meters over HTTP: created in bulk, taken for verification and back, replaced, with their history', async () => {
    const created = await post('operator', '/api/metering/meters', {
      meters: [
        { serial: 'H-1', serviceCode: 'cold_water', premiseId: w.flats[2], installedOn: monthAgo, initialValues: ['1'] },
        { serial: 'H-2', serviceCode: 'nope', premiseId: w.flats[2], installedOn: monthAgo },
      ],
    });
    expect(created.statusCode).toBe(200);
    expect(created.json().map((r: { outcome: string }) => r.outcome)).toEqual(['created', 'rejected']);
    const meterId = created.json()[0].meterId as number;

    const away = await post('operator', `/api/metering/meters/${meterId}/status`, { status: 'removed_for_verification' });
    expect(away.json()).toEqual({ meterId, status: 'removed_for_verification', verifiedUntil: null });
    const back = await post('operator', `/api/metering/meters/${meterId}/status`, { status: 'active', verifiedUntil: '2032-01-01' });
    expect(back.json()).toEqual({ meterId, status: 'active', verifiedUntil: '2032-01-01' });

    const replaced = await post('operator', `/api/metering/meters/${meterId}/replace`, { on: today, finalValues: ['3'], serial: 'H-3', initialValues: ['0'] });
    expect(replaced.statusCode).toBe(200);
    expect(replaced.json()).toMatchObject({ oldMeterId: meterId, final: { status: 'accepted', volumes: ['2'] } });
    const history = await get('operator', `/api/metering/meters/${replaced.json().newMeterId}/history`);
    expect(history.statusCode).toBe(200);
    expect(history.json().chain.map((m: { serial: string; status: string }) => [m.serial, m.status])).toEqual([
      ['H-1', 'retired'],
      ['H-3', 'active'],
    ]);
    expect(history.json().readings.map((r: { kind: string; values: string[] }) => [r.kind, r.values])).toEqual([['initial', ['0']]]);
    // A replacement cannot be done twice, and a resident cannot look at another premise's meter.
    expect((await post('operator', `/api/metering/meters/${meterId}/replace`, { on: today, finalValues: ['3'], serial: 'H-4', initialValues: ['0'] })).statusCode).toBe(422);
    expect((await get('resident', `/api/metering/meters/${meterId}/history`)).statusCode).toBe(404);
  });

  it('consumption is computed on request for a period', async () => {
    const res = await post('operator', `/api/metering/consumption/${today.slice(0, 7)}`, {});
    expect(res.statusCode).toBe(200);
    // W-1, W-2, E-1 (two zones) and H-1 (to its final reading) measured; H-3, installed today, has nothing yet (0, estimated).
    expect(res.json()).toMatchObject({ rows: 6, estimated: 1 });
    expect((await post('operator', '/api/metering/consumption/2026-13', {})).statusCode).toBe(422);
    expect((await post('vodokanal', `/api/metering/consumption/${today.slice(0, 7)}`, {})).statusCode).toBe(403);
  });
});
