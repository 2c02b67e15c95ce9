import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import type { DatabaseHandle } from '../../src/db/index';
import { buildApp } from '../../src/server/app';
import { createUser } from '../../src/auth/service';
import { makeUnifiedAccountNumber } from '../../src/shared/identifiers';
import { encodeData, liqpaySignature } from '../../src/payments/liqpay';
import { SANDBOX_CARDS, startSandboxAcquirer, type SandboxAcquirer } from '../../src/payments/sandbox-acquirer';
import { createTestDatabase } from '../helpers/db';
import { signInAs, testContext, type Signed } from '../helpers/http';
import { A, createBillingFixture } from './billing-fixture';

const PASSWORD = 'card-test-password';
const UA1 = makeUnifiedAccountNumber(200001);
const UA2 = makeUnifiedAccountNumber(200002);

describe('card payment through the sandbox acquirer (a real local HTTP peer)', () => {
  let h: DatabaseHandle;
  let app: FastifyInstance;
  let sandbox: SandboxAcquirer;
  let resident: Signed;
  let base: string;
  let privateKey: string;
  let publicKey: string;

  const balance = async (accountId: number) =>
    (await sql<{ b: number }>`select coalesce(sum(amount), 0)::bigint as b from ledger_entry where account_id = ${accountId}`.execute(h.db)).rows[0]!.b;
  const payments = async () => (await sql<{ n: number }>`select count(*)::int as n from payment where channel = 'card'`.execute(h.db)).rows[0]!.n;
  const start = async (body: object, who = resident) => app.inject({ method: 'POST', url: '/api/payments/card/start', headers: who.headers, payload: body });
  /** What the resident's browser does: post the order's form, with the card, to the acquirer. */
  const checkout = async (order: { checkoutUrl: string; data: string; signature: string }, card: string) =>
    (await fetch(order.checkoutUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ data: order.data, signature: order.signature, card }).toString() })).json();
  const status = async (orderId: string) => (await app.inject({ method: 'GET', url: `/api/payments/card/orders/${orderId}`, headers: resident.headers })).json();

  beforeAll(async () => {
    h = await createTestDatabase();
    await createBillingFixture(h.db);
    await h.db.insertInto('unified_account').values([{ community_id: 1, premise_id: 1, number: UA1 }, { community_id: 1, premise_id: 2, number: UA2 }]).execute();
    await sql`insert into ledger_entry (community_id, account_id, period, kind, amount, source) values (1, ${A.p1Heating}, '2026-09-01', 'opening_balance', 20000, 'import')`.execute(h.db);
    await createUser(h.db, { communityId: 1, login: 'admin', password: PASSWORD, role: 'admin', providerId: null, displayName: 'admin' });
    const residentId = await createUser(h.db, { communityId: 1, login: 'olena', password: PASSWORD, role: 'resident', providerId: null, displayName: 'Олена' });
    await h.db.insertInto('user_premise').values({ community_id: 1, user_id: residentId, premise_id: 1 }).execute();
    app = await buildApp(testContext(h));
    await app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const admin = await signInAs(app, 'admin', PASSWORD);
    const agent = (await app.inject({ method: 'POST', url: '/api/payments/agents', headers: admin.headers, payload: { code: 'sandbox', name: 'Пісочниця еквайра' } })).json();
    ({ keyId: publicKey, secret: privateKey } = (await app.inject({ method: 'POST', url: `/api/payments/agents/${agent.agentId}/keys`, headers: admin.headers, payload: {} })).json());
    sandbox = await startSandboxAcquirer({ publicKey, privateKey, lateMs: 800 });
    process.env.HROMADA_ACQUIRER = 'sandbox';
    process.env.HROMADA_ACQUIRER_URL = sandbox.url;
    process.env.HROMADA_PUBLIC_URL = base;
    resident = await signInAs(app, 'olena', PASSWORD);
  }, 120_000);
  afterAll(async () => {
    await sandbox?.close();
    await app?.close();
    await h?.close();
  });

  it('a resident pays the amount due with an approved card and gets a receipt', async () => {
    const res = await start({ unifiedAccount: UA1 });
    expect(res.statusCode).toBe(200);
    const order = res.json();
    expect(order.amount).toBe(100000 + 20000); // amountDue: the fixture's cold-water debt and the heating debt
    expect(order.checkoutUrl).toBe(`${sandbox.url}/api/3/checkout`);
    expect(await checkout(order, SANDBOX_CARDS.approve)).toMatchObject({ status: 'success' });
    const s = await status(order.orderId);
    expect(s.status).toBe('paid');
    expect(await balance(A.p1Cold)).toBe(0);
    expect(await balance(A.p1Heating)).toBe(0);
    const receipt = await fetch(`${base}/api/receipts/${s.receiptCode}`);
    const html = await receipt.text();
    expect(receipt.status).toBe(200);
    expect(html).toContain('Квитанція про оплату');
    expect(html).toContain('1\u202f200,00');
    expect(html).toContain(s.receiptCode);
  });

  it('a declined card posts nothing and the order says so', async () => {
    const before = await payments();
    const order = (await start({ unifiedAccount: UA1, amount: 5000 })).json();
    expect(await checkout(order, SANDBOX_CARDS.decline)).toMatchObject({ status: 'failure' });
    expect((await status(order.orderId)).status).toBe('declined');
    expect(await payments()).toBe(before);
  });

  it('a late callback: pending first, paid when the callback arrives, and a repeated callback posts nothing more', async () => {
    const order = (await start({ unifiedAccount: UA1, amount: 3000 })).json();
    expect(await checkout(order, SANDBOX_CARDS.late)).toMatchObject({ status: 'processing' });
    expect((await status(order.orderId)).status).toBe('pending');
    for (let i = 0; i < 50 && (await status(order.orderId)).status === 'pending'; i++) await new Promise((r) => setTimeout(r, 100));
    expect((await status(order.orderId)).status).toBe('paid');
    const count = await payments();
    const data = encodeData({ public_key: publicKey, order_id: order.orderId, status: 'success', amount: '30.00', currency: 'UAH' });
    const again = await fetch(`${base}/api/payments/card/callback`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ data, signature: liqpaySignature(privateKey, data) }).toString() });
    expect(again.status).toBe(200);
    expect(await payments()).toBe(count);
  });

  it('refuses a forged callback and a callback with another amount, posting nothing', async () => {
    const order = (await start({ unifiedAccount: UA1, amount: 4000 })).json();
    const before = await payments();
    const data = encodeData({ public_key: publicKey, order_id: order.orderId, status: 'success', amount: '40.00', currency: 'UAH' });
    const post = (d: string, signature: string) => app.inject({ method: 'POST', url: '/api/payments/card/callback', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ data: d, signature }).toString() });
    const forged = await post(data, liqpaySignature('guessed-key', data));
    expect([forged.statusCode, forged.json().code]).toEqual([400, 'bad_callback']);
    const other = encodeData({ public_key: publicKey, order_id: order.orderId, status: 'success', amount: '4000.00', currency: 'UAH' });
    expect((await post(other, liqpaySignature(privateKey, other))).json().code).toBe('bad_callback');
    expect(await payments()).toBe(before);
    expect((await status(order.orderId)).status).toBe('pending');
  });

  const callback = (data: string, signature: string) =>
    app.inject({ method: 'POST', url: '/api/payments/card/callback', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ data, signature }).toString() });

  it('waits on a status on the way, refuses another currency, and reverses a payment the acquirer refunded', async () => {
    const order = (await start({ unifiedAccount: UA1, amount: 2500 })).json();
    const signed = (fields: object) => {
      const data = encodeData({ public_key: publicKey, order_id: order.orderId, amount: '25.00', currency: 'UAH', ...fields });
      return callback(data, liqpaySignature(privateKey, data));
    };
    for (const status of ['processing', 'wait_secure', '3ds_verify']) expect((await signed({ status })).json()).toEqual({ orderId: order.orderId, status: 'pending' });
    expect((await signed({ status: 'success', currency: 'USD' })).json().code).toBe('bad_callback');
    const before = await balance(A.p1Cold);
    expect((await signed({ status: 'success' })).json().status).toBe('paid');
    expect(await balance(A.p1Cold)).toBe(before - 2500);
    expect((await signed({ status: 'reversed' })).json().status).toBe('reversed');
    expect((await signed({ status: 'reversed' })).json().status).toBe('reversed'); // once
    expect(await balance(A.p1Cold)).toBe(before);
    expect((await status(order.orderId)).status).toBe('reversed');
  });

  it('the acquirer switched off: no new card payment starts, and one already started is still posted by its callback', async () => {
    const admin = await signInAs(app, 'admin', PASSWORD);
    const agentId = (await h.db.selectFrom('payment_agent').select('agent_id').where('code', '=', 'sandbox').executeTakeFirstOrThrow()).agent_id;
    const order = (await start({ unifiedAccount: UA1, amount: 700 })).json();
    expect((await app.inject({ method: 'PATCH', url: `/api/payments/agents/${agentId}`, headers: admin.headers, payload: { active: false } })).statusCode).toBe(200);
    const refused = await start({ unifiedAccount: UA1, amount: 700 });
    expect([refused.statusCode, refused.json().code]).toEqual([503, 'card_payments_off']);
    expect(await checkout(order, SANDBOX_CARDS.approve)).toMatchObject({ status: 'success' });
    expect((await status(order.orderId)).status).toBe('paid');
    expect((await app.inject({ method: 'PATCH', url: `/api/payments/agents/${agentId}`, headers: admin.headers, payload: { active: true } })).statusCode).toBe(200);
    expect((await start({ unifiedAccount: UA1, amount: 700 })).statusCode).toBe(200);
  });

  it('pays an order started before a key rotation by a callback signed with the previous key, within the overlap', async () => {
    const order = (await start({ unifiedAccount: UA1, amount: 1500 })).json();
    const admin = await signInAs(app, 'admin', PASSWORD);
    const agentId = (await h.db.selectFrom('payment_agent').select('agent_id').where('code', '=', 'sandbox').executeTakeFirstOrThrow()).agent_id;
    const rotated = (await app.inject({ method: 'POST', url: `/api/payments/agents/${agentId}/keys`, headers: admin.headers, payload: {} })).json();
    expect(rotated.keyId).not.toBe(publicKey);
    const data = encodeData({ public_key: publicKey, order_id: order.orderId, status: 'success', amount: '15.00', currency: 'UAH' });
    expect((await callback(data, liqpaySignature(privateKey, data))).json().status).toBe('paid');
    // New orders are signed with the new key.
    const next = (await start({ unifiedAccount: UA1, amount: 100 })).json();
    expect(JSON.parse(Buffer.from(next.data, 'base64').toString()).public_key).toBe(rotated.keyId);
  });

  it("a resident cannot start a payment for someone else's household", async () => {
    expect((await start({ unifiedAccount: UA2, amount: 100 })).statusCode).toBe(403);
  });
});
