import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/db';
import { signInAs, testContext, type Signed } from '../helpers/http';
import type { DatabaseHandle } from '../../src/db/index';
import { buildApp } from '../../src/server/app';
import type { AppContext } from '../../src/server/context';
import { createUser } from '../../src/auth/service';
import { generateValidIban } from '../../src/shared/identifiers';
import { IMPORT_JOB, importJob } from '../../src/onboarding/service';
import { COMMUNITY, seedRegistry, type Registry } from './onboarding-fixtures';

// A provider user imports its own files through the same pipeline, for its own provider only:
// naming another provider is refused with 403, and it sees only its own imports and queues.
describe('a provider imports its own files', () => {
  let h: DatabaseHandle;
  let ctx: AppContext;
  let app: FastifyInstance;
  let reg: Registry;
  let otherProvider: number;
  let provider: Signed;
  let operator: Signed;

  beforeAll(async () => {
    h = await createTestDatabase();
    reg = await seedRegistry(h.db);
    const other = await h.db
      .insertInto('provider')
      .values({ community_id: COMMUNITY, edrpou: '00131305', iban: generateValidIban('302076', 2), name: 'Газопостачання' })
      .returning('provider_id')
      .executeTakeFirstOrThrow();
    otherProvider = other.provider_id;
    await createUser(h.db, { communityId: COMMUNITY, login: 'vodokanal', password: 'provider password', role: 'provider', providerId: reg.providerId, displayName: 'Водоканал' });
    await createUser(h.db, { communityId: COMMUNITY, login: 'operator', password: 'operator password', role: 'operator', displayName: 'Оператор' });
    ctx = testContext(h, COMMUNITY);
    ctx.jobs.register(IMPORT_JOB, importJob(h));
    await ctx.jobs.start();
    app = await buildApp(ctx);
    provider = await signInAs(app, 'vodokanal', 'provider password');
    operator = await signInAs(app, 'operator', 'operator password');
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await ctx?.jobs.stop();
    await h?.close();
  });

  const settings = encodeURIComponent(JSON.stringify({ columns: { account: 'Рахунок', street: 'Вулиця', house: 'Будинок', apartment: 'Кв', payer: 'Платник' }, defaultService: 'water' }));
  const csv = (rows: string[]) => Buffer.from(['Рахунок;Вулиця;Будинок;Кв;Платник', ...rows].join('\n'), 'utf8');
  const upload = (who: Signed, query: string, body: Buffer) =>
    app.inject({ method: 'POST', url: `/api/imports?kind=accounts&fileName=a.csv&settings=${settings}${query}`, headers: { ...who.headers, 'content-type': 'application/octet-stream' }, payload: body });

  async function waitForImport(who: Signed, importId: number) {
    for (let i = 0; i < 120; i++) {
      const body = (await app.inject({ method: 'GET', url: `/api/imports/${importId}`, headers: who.headers })).json();
      if (['applied', 'failed', 'unchanged'].includes(body.status)) return body;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error('import did not finish');
  }

  let ownImport: number;
  it('uploads its own file without naming a provider: the import is its own, accounts land under it', async () => {
    const res = await upload(provider, '', csv(['P1;вул. Соборна;12;1;Іваненко', 'P2;Мира;1;2;Петренко']));
    expect(res.statusCode).toBe(202);
    ownImport = res.json().importId;
    const done = await waitForImport(provider, ownImport);
    expect(done).toMatchObject({ status: 'applied', providerId: reg.providerId });
    const accounts = await h.db.selectFrom('account').select(['number', 'provider_id']).where('number', 'in', ['P1', 'P2']).execute();
    expect(accounts.map((a) => a.provider_id)).toContain(reg.providerId);
    // Naming itself is fine too.
    expect((await upload(provider, `&providerId=${reg.providerId}`, csv(['P3;вул. Соборна;12;3;Коваль']))).statusCode).toBe(202);
  });

  it('cannot name another provider (403), nor send the address register', async () => {
    const res = await upload(provider, `&providerId=${otherProvider}`, csv(['G1;вул. Соборна;12;1;Іваненко']));
    expect(res.statusCode).toBe(403);
    expect(res.json().message_uk).toContain('лише власні файли');
    const addresses = await app.inject({ method: 'POST', url: '/api/imports?kind=addresses&fileName=a.csv', headers: { ...provider.headers, 'content-type': 'application/octet-stream' }, payload: csv([]) });
    expect(addresses.statusCode).toBe(422);
    expect(await h.db.selectFrom('account').select('number').where('number', '=', 'G1').executeTakeFirst()).toBeUndefined();
  });

  it('sees only its own imports and review queues', async () => {
    const theirs = await upload(operator, `&providerId=${otherProvider}`, csv(['G2;Мира;1;2;Петренко']));
    expect(theirs.statusCode).toBe(202);
    const theirId = theirs.json().importId as number;
    await waitForImport(operator, theirId);
    const list = (await app.inject({ method: 'GET', url: '/api/imports', headers: provider.headers })).json().items as Array<{ importId: number; providerId: number }>;
    expect(list.map((i) => i.importId)).toContain(ownImport);
    expect(list.every((i) => i.providerId === reg.providerId)).toBe(true);
    expect((await app.inject({ method: 'GET', url: `/api/imports/${theirId}/queue`, headers: provider.headers })).statusCode).toBe(403);
    expect((await app.inject({ method: 'POST', url: `/api/imports/${theirId}/queue/reject`, headers: provider.headers, payload: { rowNos: [1] } })).statusCode).toBe(403);
    // Its own queue it reads and works through (the «Мира» row waits there).
    const queue = await app.inject({ method: 'GET', url: `/api/imports/${ownImport}/queue`, headers: provider.headers });
    expect(queue.statusCode).toBe(200);
    const rows = queue.json().items as Array<{ rowNo: number }>;
    expect(rows.length).toBeGreaterThan(0);
    const accepted = await app.inject({ method: 'POST', url: `/api/imports/${ownImport}/queue/accept`, headers: provider.headers, payload: { rows: [{ rowNo: rows[0]!.rowNo }] } });
    expect(accepted.statusCode).toBe(200);
  });
});
