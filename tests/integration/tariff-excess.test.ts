import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/db';
import type { DatabaseHandle } from '../../src/db/index';
import type { JobQueue } from '../../src/jobs/queue';
import { acceptRows, listQueue } from '../../src/onboarding/queue';
import { buildApp } from '../../src/server/app';
import { createUser } from '../../src/auth/service';
import { signInAs, testContext } from '../helpers/http';
import { COMMUNITY, importQueue, runImport, seedRegistry, type Registry } from './onboarding-fixtures';

// #17: a provider's imported charge priced above the city's approved tariff is posted and flagged
// (the community's choice 'flag', the default) or held in the import's review queue ('hold').
describe('imported charges above the approved tariff', () => {
  let h: DatabaseHandle;
  let queue: JobQueue;
  let reg: Registry;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hromada-tariff-excess-'));
  const settings = { kind: 'charges' as const, columns: { account: 'account', period: 'period', volume: 'volume', amount: 'amount' }, defaultService: 'water' };
  // T1 at the approved 30,00 ₴/m³; T2 at 35,00 ₴/m³.
  const file = (month: string) => {
    const p = path.join(dir, `charges-${month}.csv`);
    fs.writeFileSync(p, `account,period,volume,amount\nT1,${month},2,"60,00"\nT2,${month},2,"70,00"\n`);
    return p;
  };
  const posted = async (importId: number) =>
    (await sql<{ number: string; amount: number }>`select a.number, l.amount from ledger_entry l join account a using (community_id, account_id) where l.import_id = ${importId} order by a.number`.execute(h.db)).rows;

  beforeAll(async () => {
    h = await createTestDatabase();
    reg = await seedRegistry(h.db);
    queue = importQueue(h);
    const water = await h.db.selectFrom('service').select('service_id').where('code', '=', 'water').executeTakeFirstOrThrow();
    const premise = reg.premise('вулиця', 'Соборна', '12', 1);
    await h.db
      .insertInto('account')
      .values(['T1', 'T2'].map((number) => ({ community_id: COMMUNITY, provider_id: reg.providerId, premise_id: premise, service_id: water.service_id, number, opened_on: '2026-01-01' })))
      .execute();
    await h.db.insertInto('approved_tariff').values({ community_id: COMMUNITY, service_id: water.service_id, provider_id: null, price: '30', valid_from: '2026-01-01', decision: '№ 5/2026' }).execute();
  });
  afterAll(async () => {
    await h?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("'flag' (the default): both are posted, and the one above is flagged on the city's tariff control at once", async () => {
    const r = await runImport(h, queue, { providerId: reg.providerId, kind: 'charges', filePath: file('10.2026'), settings });
    expect(await posted(r.importId)).toEqual([{ number: 'T1', amount: 6000 }, { number: 'T2', amount: 7000 }]);
    const flags = await h.db.selectFrom('tariff_flag').select(['period', 'implied_price', 'approved_price', 'entries', 'overcharge']).execute();
    expect(flags.map((f) => ({ ...f, period: String(f.period).slice(0, 10) }))).toEqual([
      { period: '2026-10-01', implied_price: '35.0000', approved_price: '30.000000', entries: 1, overcharge: 1000 },
    ]);
  });

  it("'hold': the one above waits in the review queue with both prices and the decision; nothing of it is posted", async () => {
    await h.db.updateTable('billing_settings').set({ tariff_excess: 'hold' }).where('community_id', '=', COMMUNITY).execute();
    const exists = await h.db.selectFrom('billing_settings').select('tariff_excess').where('community_id', '=', COMMUNITY).executeTakeFirst();
    if (!exists) await h.db.insertInto('billing_settings').values({ community_id: COMMUNITY, tariff_excess: 'hold' }).execute();
    const r = await runImport(h, queue, { providerId: reg.providerId, kind: 'charges', filePath: file('11.2026'), settings });
    expect(await posted(r.importId)).toEqual([{ number: 'T1', amount: 6000 }]);
    const items = await listQueue(h.db, COMMUNITY, r.importId);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ rowNo: 3, status: 'review' }); // the file's third line: T2
    expect(items[0]!.reasonUk).toBe('Ціна 35 ₴ вища за затверджений тариф 30 ₴ (№ 5/2026): чекає рішення');

    // The desk (or the provider itself) cannot wave it through; the city, or an administrator on its decision, can.
    await expect(acceptRows(h.db, { communityId: COMMUNITY, userId: null, role: 'operator' }, r.importId, [{ rowNo: 3 }])).rejects.toMatchObject({ status: 403 });
    await expect(acceptRows(h.db, { communityId: COMMUNITY, userId: null, role: 'provider' }, r.importId, [{ rowNo: 3 }])).rejects.toMatchObject({ status: 403 });
    expect(await posted(r.importId)).toEqual([{ number: 'T1', amount: 6000 }]);
    await acceptRows(h.db, { communityId: COMMUNITY, userId: null, role: 'admin' }, r.importId, [{ rowNo: 3 }]);
    expect(await posted(r.importId)).toEqual([{ number: 'T1', amount: 6000 }, { number: 'T2', amount: 7000 }]);
  });

  it("the city sees every held charge over HTTP and decides it; the desk may not accept one", async () => {
    const ctx = testContext(h, COMMUNITY);
    const app = await buildApp(ctx);
    try {
      await createUser(h.db, { communityId: COMMUNITY, login: 'city', password: 'city password', role: 'city', displayName: 'Міська рада' });
      await createUser(h.db, { communityId: COMMUNITY, login: 'desk', password: 'desk password', role: 'operator', displayName: 'Оператор' });
      const city = await signInAs(app, 'city', 'city password');
      const desk = await signInAs(app, 'desk', 'desk password');
      const dec = await runImport(h, queue, { providerId: reg.providerId, kind: 'charges', filePath: file('12.2026'), settings });
      const jan = await runImport(h, queue, { providerId: reg.providerId, kind: 'charges', filePath: file('01.2027'), settings });

      const holds = await app.inject({ method: 'GET', url: '/api/imports/tariff-holds', headers: city.headers });
      expect(holds.statusCode).toBe(200);
      const items = holds.json().items as Array<{ importId: number; rowNo: number; reasonUk: string; providerName: string; fileName: string }>;
      expect(items.map((i) => [i.importId, i.rowNo])).toEqual([
        [dec.importId, 3],
        [jan.importId, 3],
      ]);
      expect(items[0]).toMatchObject({ fileName: 'charges-12.2026.csv', reasonUk: 'Ціна 35 ₴ вища за затверджений тариф 30 ₴ (№ 5/2026): чекає рішення' });
      expect(items[0]!.providerName).toBeTruthy();
      // The list is the community's (staff); a provider sees its own rows in its imports' queues instead.
      await createUser(h.db, { communityId: COMMUNITY, login: 'water', password: 'water password', role: 'provider', providerId: reg.providerId, displayName: 'Водоканал' });
      const provider = await signInAs(app, 'water', 'water password');
      expect((await app.inject({ method: 'GET', url: '/api/imports/tariff-holds', headers: provider.headers })).statusCode).toBe(403);

      const accept = (who: typeof city, importId: number) =>
        app.inject({ method: 'POST', url: `/api/imports/${importId}/queue/accept`, headers: who.headers, payload: { rows: [{ rowNo: 3 }] } });
      const refused = await accept(desk, dec.importId);
      expect(refused.statusCode).toBe(403);
      expect(refused.json().message_uk).toContain('лише міська рада або адміністратор');
      expect(await posted(dec.importId)).toEqual([{ number: 'T1', amount: 6000 }]);

      expect((await accept(city, dec.importId)).statusCode).toBe(200);
      expect(await posted(dec.importId)).toEqual([{ number: 'T1', amount: 6000 }, { number: 'T2', amount: 7000 }]);

      const reject = await app.inject({ method: 'POST', url: `/api/imports/${jan.importId}/queue/reject`, headers: city.headers, payload: { rowNos: [3] } });
      expect(reject.statusCode).toBe(200);
      expect(await posted(jan.importId)).toEqual([{ number: 'T1', amount: 6000 }]);
      const left = (await app.inject({ method: 'GET', url: '/api/imports/tariff-holds', headers: city.headers })).json().items;
      expect(left).toEqual([]);
    } finally {
      await app.close();
      await ctx.jobs.stop();
    }
  });
});
