import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { reversePayment } from '../../src/payments/service';
import type { DatabaseHandle } from '../../src/db/index';
import { buildApp } from '../../src/server/app';
import { createUser } from '../../src/auth/service';
import { amountDue } from '../../src/billing/amount-due';
import { premiseBalances } from '../../src/billing/statements';
import { makeUnifiedAccountNumber } from '../../src/shared/identifiers';
import { SANDBOX_CARDS, startSandboxAcquirer, type SandboxAcquirer } from '../../src/payments/sandbox-acquirer';
import { createTestDatabase } from '../helpers/db';
import { signInAs, testContext, type Signed } from '../helpers/http';
import { createBillingFixture, OCT } from './billing-fixture';

const PASSWORD = 'portal-test-password';
const UA1 = makeUnifiedAccountNumber(300001);
const UA2 = makeUnifiedAccountNumber(300002);

// Linking a household and living with it through the portal's API: proof from the last bill,
// guessing limited and audited, sharing by invitation, home figures from amountDue, bills, e-bill,
// paying through the sandbox acquirer (a real local HTTP peer), readings once per key, history.
describe('portal households', () => {
  let h: DatabaseHandle;
  let app: FastifyInstance;
  let sandbox: SandboxAcquirer;
  let olena: Signed;
  let petro: Signed;
  let guesser: Signed;
  const call = (who: Signed, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) => app.inject({ method, url, headers: who.headers, ...(payload ? { payload } : {}) });
  const due = async (premiseId: number) => amountDue(await premiseBalances(h.db, 1, premiseId)).total;
  const links = async () => (await sql<{ user_id: number; premise_id: number; holder: boolean }>`select user_id, premise_id, holder from user_premise order by user_id, premise_id`.execute(h.db)).rows;

  beforeAll(async () => {
    h = await createTestDatabase();
    await createBillingFixture(h.db);
    await h.db.insertInto('unified_account').values([{ community_id: 1, premise_id: 1, number: UA1 }, { community_id: 1, premise_id: 2, number: UA2 }]).execute();
    await h.db.insertInto('billing_period').values({ community_id: 1, period: OCT, status: 'closed', due_date: '2026-11-20', closed_at: new Date() }).execute();
    await createUser(h.db, { communityId: 1, login: 'admin', password: PASSWORD, role: 'admin', providerId: null, displayName: 'admin' });
    for (const login of ['olena', 'petro', 'guesser']) await createUser(h.db, { communityId: 1, login, password: PASSWORD, role: 'resident', providerId: null, displayName: login });
    app = await buildApp(testContext(h));
    await app.listen({ port: 0, host: '127.0.0.1' });
    const admin = await signInAs(app, 'admin', PASSWORD);
    const agent = (await app.inject({ method: 'POST', url: '/api/payments/agents', headers: admin.headers, payload: { code: 'sandbox', name: 'Пісочниця', maxAmount: 5_000_000 } })).json();
    const key = (await app.inject({ method: 'POST', url: `/api/payments/agents/${agent.agentId}/keys`, headers: admin.headers, payload: {} })).json();
    sandbox = await startSandboxAcquirer({ publicKey: key.keyId, privateKey: key.secret });
    process.env.HROMADA_ACQUIRER = 'sandbox';
    process.env.HROMADA_ACQUIRER_URL = sandbox.url;
    process.env.HROMADA_PUBLIC_URL = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    olena = await signInAs(app, 'olena', PASSWORD);
    petro = await signInAs(app, 'petro', PASSWORD);
    guesser = await signInAs(app, 'guesser', PASSWORD);
  }, 120_000);
  afterAll(async () => {
    await sandbox?.close();
    await app?.close();
    await h?.close();
  });

  it('links a household with the last bill’s total; a wrong proof is refused, audited and changes nothing', async () => {
    const printed = amountDue(await premiseBalances(h.db, 1, 1, OCT)).total;
    expect(printed).toBeGreaterThan(0);
    const wrong = await call(olena, 'POST', '/api/portal/premises', { unifiedAccount: UA1, proof: String(printed / 100 + 1) });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.json()).toMatchObject({ code: 'proof_mismatch', field: 'proof', message_uk: expect.stringContaining('не збігається'), message_en: expect.stringContaining('does not match') });
    expect(await links()).toEqual([]);
    const audited = await h.db.selectFrom('audit_log').select(['action', 'entity_id', 'after']).where('action', '=', 'link_failed').execute();
    expect(audited).toEqual([{ action: 'link_failed', entity_id: '1', after: { unified_account: UA1, reason: 'proof_mismatch' } }]);

    const typed = (printed / 100).toFixed(2).replace('.', ',');
    const ok = await call(olena, 'POST', '/api/portal/premises', { unifiedAccount: UA1, proof: `${typed} грн` });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json()).toEqual({ premiseId: 1 });
    // Several premises per person: premise 2 owes nothing on its bill.
    expect((await call(olena, 'POST', '/api/portal/premises', { unifiedAccount: UA2, proof: '0,00' })).statusCode).toBe(201);
  });

  it('a premise someone holds is shared only by the holder’s invitation', async () => {
    const printed = amountDue(await premiseBalances(h.db, 1, 1, OCT)).total;
    const held = await call(petro, 'POST', '/api/portal/premises', { unifiedAccount: UA1, proof: (printed / 100).toFixed(2) });
    expect(held.statusCode).toBe(409);
    expect(held.json()).toMatchObject({ code: 'premise_held', message_en: expect.stringContaining('invitation') });
    const inv = await call(olena, 'POST', '/api/portal/premises/1/invites');
    expect(inv.statusCode).toBe(200);
    const bad = await call(petro, 'POST', '/api/portal/invites/accept', { code: 'WRONG0000000' });
    expect(bad.json().code).toBe('code_wrong');
    expect((await call(petro, 'POST', '/api/portal/invites/accept', { code: inv.json().code })).json()).toEqual({ premiseId: 1 });
    expect((await call(guesser, 'POST', '/api/portal/invites/accept', { code: inv.json().code })).json().code).toBe('code_used');
    // An invited member cannot invite further.
    expect((await call(petro, 'POST', '/api/portal/premises/1/invites')).statusCode).toBe(403);
    expect(await links()).toEqual([
      { user_id: 2, premise_id: 1, holder: true },
      { user_id: 2, premise_id: 2, holder: true },
      { user_id: 3, premise_id: 1, holder: false },
    ]);
  });

  it('guessing is rate-limited per person', async () => {
    for (let i = 0; i < 5; i++) expect((await call(guesser, 'POST', '/api/portal/premises', { unifiedAccount: UA2, proof: `${i + 1},00` })).statusCode).toBe(422);
    const limited = await call(guesser, 'POST', '/api/portal/premises', { unifiedAccount: UA2, proof: '0,00' });
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toMatchObject({ code: 'rate_limited', message_uk: expect.stringContaining('Спробуйте через') });
    expect(Number((await sql<{ n: number }>`select count(*)::int as n from audit_log where action = 'link_failed'`.execute(h.db)).rows[0]!.n)).toBe(6);
  });

  it('home shows amountDue per premise with lines, due date and alerts; bills list the closed periods', async () => {
    const home = (await call(olena, 'GET', '/api/portal/home')).json().items;
    expect(home.map((p: { premiseId: number }) => p.premiseId)).toEqual([1, 2]);
    expect(home[0]).toMatchObject({ unifiedAccount: UA1, toPay: await due(1), dueDate: '2026-11-20', lastPayment: null, holder: true });
    expect(home[0].lines.reduce((s: number, l: { toPay: number }) => s + l.toPay, 0)).toBe(await due(1));
    expect(home[0].alerts.map((a: { kind: string }) => a.kind)).toContain(new Date().toISOString().slice(0, 10) > '2026-11-20' ? 'overdue' : 'debt');
    // Premise 2's cold-water meter was due for verification in June 2026.
    expect(home[1].alerts.find((a: { kind: string }) => a.kind === 'verification')).toMatchObject({ en: expect.stringContaining('CW-2') });
    const bills = (await call(olena, 'GET', '/api/portal/premises/1/bills')).json().items;
    expect(bills).toEqual([{ period: OCT, dueDate: '2026-11-20', toPay: amountDue(await premiseBalances(h.db, 1, 1, OCT)).total }]);
    expect((await call(guesser, 'GET', '/api/portal/premises/1/bills')).statusCode).toBe(404);
  });

  it('switches to e-bill only when the account has a confirmed e-mail', async () => {
    const r = await call(olena, 'PUT', '/api/portal/premises/1/delivery', { ebill: true });
    expect(r.statusCode).toBe(422);
    expect(r.json().code).toBe('email_required');
    await h.db.insertInto('portal_account').values({ community_id: 1, user_id: 2, channel: 'email', contact: 'olena@example.com', confirmed_at: new Date() }).execute();
    expect((await call(olena, 'PUT', '/api/portal/premises/1/delivery', { ebill: true })).json()).toEqual({ method: 'ebill', email: 'olena@example.com' });
    expect(await h.db.selectFrom('bill_delivery').select(['method', 'email']).where('premise_id', '=', 1).execute()).toEqual([{ method: 'ebill', email: 'olena@example.com' }]);
  });

  it('pays by card through the sandbox: refused amounts change nothing; a split per service; the balance drops at once', async () => {
    const before = await due(1);
    const payments = async () => (await sql<{ n: number }>`select count(*)::int as n from payment`.execute(h.db)).rows[0]!.n;
    const zero = await call(olena, 'POST', '/api/portal/premises/1/pay', { amount: 0, card: SANDBOX_CARDS.approve });
    expect(zero.json()).toMatchObject({ code: 'amount_invalid', message_uk: expect.stringContaining('більшою за нуль') });
    const over = await call(olena, 'POST', '/api/portal/premises/1/pay', { amount: 5_000_001, card: SANDBOX_CARDS.approve });
    expect(over.json()).toMatchObject({ code: 'amount_over_limit' });
    const declined = await call(olena, 'POST', '/api/portal/premises/1/pay', { amount: 100, card: SANDBOX_CARDS.decline });
    expect(declined.statusCode).toBe(402);
    expect(await payments()).toBe(0);
    expect(await due(1)).toBe(before);

    const home = (await call(olena, 'GET', '/api/portal/home')).json().items[0];
    const line = home.lines.find((l: { toPay: number }) => l.toPay > 0);
    const paid = await call(olena, 'POST', '/api/portal/premises/1/pay', { split: [{ serviceCode: line.serviceCode, amount: 12_345 }], card: SANDBOX_CARDS.approve });
    expect(paid.statusCode, paid.body).toBe(200);
    expect(paid.json()).toMatchObject({ status: 'paid', amount: 12_345, receiptCode: expect.any(String) });
    expect(await due(1)).toBe(before - 12_345);
    const after = (await call(olena, 'GET', '/api/portal/home')).json().items[0];
    expect(after.toPay).toBe(before - 12_345);
    expect(after.lastPayment).toMatchObject({ amount: 12_345, receiptCode: paid.json().receiptCode });
    expect(after.lines.find((l: { serviceCode: string }) => l.serviceCode === line.serviceCode).toPay).toBe(line.toPay - 12_345);

    const whole = await call(olena, 'POST', '/api/portal/premises/1/pay', { card: SANDBOX_CARDS.approve });
    expect(whole.json()).toMatchObject({ status: 'paid', amount: before - 12_345 });
    expect(await due(1)).toBe(0);

    // Both payments, newest first, each with its receipt.
    const listed = (await call(olena, 'GET', '/api/portal/premises/1/payments')).json().items;
    expect(listed.map((p: { amount: number; receiptCode: string | null }) => [p.amount, p.receiptCode])).toEqual([[before - 12_345, whole.json().receiptCode], [12_345, paid.json().receiptCode]]);
    expect((await call(guesser, 'GET', '/api/portal/premises/1/payments')).statusCode).toBe(404);
  });

  it('sends a reading once per idempotency key, with the metering verdict', async () => {
    const meters = (await call(olena, 'GET', '/api/metering/premises/1/meters')).json();
    const cold = meters.find((m: { serial: string }) => m.serial === 'CW-1');
    const readingsOf = async () => (await sql<{ n: number }>`select count(*)::int as n from meter_reading where meter_id = ${cold.meterId}`.execute(h.db)).rows[0]!.n;
    const n0 = await readingsOf();
    const body = { meterId: cold.meterId, values: ['123.5'], idempotencyKey: 'key-0001-abcdef' };
    const first = await call(olena, 'POST', '/api/portal/readings', body);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ replayed: false, status: expect.any(String) });
    const second = await call(olena, 'POST', '/api/portal/readings', body);
    expect(second.json()).toMatchObject({ replayed: true, readingId: first.json().readingId });
    expect(await readingsOf()).toBe(n0 + 1);
    const bad = await call(olena, 'POST', '/api/portal/readings', { ...body, values: ['-5'], idempotencyKey: 'key-0002-abcdef' });
    expect(bad.json()).toMatchObject({ status: 'rejected', message_uk: expect.any(String), message_en: expect.any(String) });
    expect(await readingsOf()).toBe(n0 + 1);
    expect((await call(guesser, 'POST', '/api/portal/readings', { ...body, idempotencyKey: 'key-0003-abcdef' })).statusCode).toBe(403);
  });

  it('history gives every month with charges, payments and consumption, and unlink hands the holder on', async () => {
    const items = (await call(olena, 'GET', '/api/portal/premises/1/history?months=24')).json().items;
    expect(items).toHaveLength(24);
    const paidTotal = (await sql<{ s: number }>`select coalesce(-sum(le.amount), 0)::bigint as s from ledger_entry le join account a using (community_id, account_id) where a.premise_id = 1 and le.kind = 'payment'`.execute(h.db)).rows[0]!.s;
    expect(items.reduce((s: number, m: { paid: number }) => s + m.paid, 0)).toBe(Number(paidTotal));
    expect(items.find((m: { period: string }) => m.period === OCT).consumption).toHaveProperty('cold_water');

    // A payment reversed says so in the household's payments, and has no receipt any more.
    const first = await h.db.selectFrom('payment').select('payment_id').where('premise_id', '=', 1).where('amount', '=', 12_345).executeTakeFirstOrThrow();
    await reversePayment(h.db, 1, first.payment_id, 'помилка', { sameDayOnly: false });
    const listed = (await call(olena, 'GET', '/api/portal/premises/1/payments')).json().items;
    expect(listed.map((p: { amount: number; reversed: boolean; receiptCode: string | null }) => [p.amount, p.reversed, p.receiptCode === null])).toEqual([[expect.any(Number), false, false], [12_345, true, true]]);

    expect((await call(olena, 'DELETE', '/api/portal/premises/1')).statusCode).toBe(204);
    expect((await links()).filter((l) => l.premise_id === 1)).toEqual([{ user_id: 3, premise_id: 1, holder: true }]);
    expect((await call(olena, 'GET', '/api/portal/premises/1/bills')).statusCode).toBe(404);
  });
});
