import { createHash, createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { DatabaseHandle } from '../../src/db/index';
import { buildApp } from '../../src/server/app';
import type { AppContext } from '../../src/server/context';
import { createUser } from '../../src/auth/service';
import { makeUnifiedAccountNumber } from '../../src/shared/identifiers';
import { agentHeaders } from '../../src/payments/signature';
import * as payments from '../../src/payments/service';
import { exportSettlementDay } from '../../src/payments/settlement';
import iconv from 'iconv-lite';
import { addDays, formatKyivDateTime, kyivToday } from '../../src/shared/period';
import { decodeQrCodes, pdfText, plainSpaces } from '../helpers/pdf-tools';
import { createTestDatabase } from '../helpers/db';
import { formatUahPlain } from '../../src/shared/money';
import { signInAs, testContext, type Signed } from '../helpers/http';
import { A, createBillingFixture } from './billing-fixture';

const PASSWORD = 'payments-test-password';
const UA = [1, 2, 3].map((p) => makeUnifiedAccountNumber(100000 + p));

describe('payments over HTTP: signed agents, debt, check, pay once, cancel, receipts, the chain', () => {
  let h: DatabaseHandle;
  let ctx: AppContext;
  let app: FastifyInstance;
  let admin: Signed;
  let key: { keyId: string; secret: string };
  let agentId: number;

  const balance = async (accountId: number) =>
    (await sql<{ b: number }>`select coalesce(sum(amount), 0)::bigint as b from ledger_entry where account_id = ${accountId}`.execute(h.db)).rows[0]!.b;
  /** What a household owes over all its accounts. */
  const owed = async (premiseId: number) =>
    Number((await sql<{ b: number }>`select coalesce(sum(le.amount), 0)::bigint as b from ledger_entry le join account a on a.account_id = le.account_id where a.premise_id = ${premiseId}`.execute(h.db)).rows[0]!.b);
  const paymentsCount = async () => (await sql<{ n: number }>`select count(*)::int as n from payment`.execute(h.db)).rows[0]!.n;
  const ledgerCount = async () => (await sql<{ n: number }>`select count(*)::int as n from ledger_entry where source = 'payment'`.execute(h.db)).rows[0]!.n;

  /** A signed agent call, exactly as an agent's client would make it. */
  const call = (method: 'GET' | 'POST', url: string, payload?: unknown, k = key, opts: { now?: number; nonce?: string } = {}) => {
    const body = payload === undefined ? '' : JSON.stringify(payload);
    return app.inject({
      method,
      url,
      payload: body || undefined,
      headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...agentHeaders(k.keyId, k.secret, method, url, body, opts.now, opts.nonce) },
    });
  };

  beforeAll(async () => {
    h = await createTestDatabase();
    await createBillingFixture(h.db);
    for (const [i, number] of UA.entries()) await h.db.insertInto('unified_account').values({ community_id: 1, premise_id: i + 1, number }).execute();
    // Premise 1 owes 1,000.00 cold water (fixture), 456.78 heating, 123.45 building management.
    await sql`insert into ledger_entry (community_id, account_id, period, kind, amount, source) values
      (1, ${A.p1Heating}, '2026-09-01', 'opening_balance', 45678, 'import'),
      (1, ${A.p1Management}, '2026-09-01', 'opening_balance', 12345, 'import'),
      (1, ${A.p2Cold}, '2026-09-01', 'opening_balance', 50000, 'import'),
      (1, ${A.p3Electricity}, '2026-09-01', 'opening_balance', 30001, 'import'),
      (1, ${A.p3Waste}, '2026-09-01', 'opening_balance', 1234, 'import')`.execute(h.db);
    await createUser(h.db, { communityId: 1, login: 'admin', password: PASSWORD, role: 'admin', providerId: null, displayName: 'admin' });
    ctx = testContext(h);
    app = await buildApp(ctx);
    admin = await signInAs(app, 'admin', PASSWORD);
    const created = await app.inject({ method: 'POST', url: '/api/payments/agents', headers: admin.headers, payload: { code: 'bank', name: 'Банк «Тест»', maxAmount: 500000 } });
    expect(created.statusCode).toBe(201);
    agentId = created.json().agentId;
    key = (await app.inject({ method: 'POST', url: `/api/payments/agents/${agentId}/keys`, headers: admin.headers, payload: {} })).json();
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await h?.close();
  });

  it('refuses unsigned, badly signed, stale and replayed requests, posting nothing', async () => {
    const url = `/api/agent/v1/debt?unifiedAccount=${UA[0]}`;
    const unsigned = await app.inject({ method: 'GET', url });
    expect([unsigned.statusCode, unsigned.json().code]).toEqual([401, 'unsigned']);
    expect(unsigned.headers['content-type']).toContain('application/problem+json');
    expect((await call('GET', url, undefined, { ...key, secret: 'wrong' })).json().code).toBe('bad_signature');
    expect((await call('GET', url, undefined, key, { now: Date.now() - 600_000 })).json().code).toBe('stale_timestamp');
    expect((await call('GET', url, undefined, { keyId: 'nobody', secret: 'x' })).json().code).toBe('unknown_key');
    expect((await call('GET', url, undefined, key, { nonce: 'once' })).statusCode).toBe(200);
    const replay = await call('GET', url, undefined, key, { nonce: 'once' });
    expect([replay.statusCode, replay.json().code]).toEqual([401, 'replayed_nonce']);
    // A signed body that was changed on the way.
    const body = JSON.stringify({ txnId: 't-tampered', unifiedAccount: UA[0], amount: 100 });
    const headers = agentHeaders(key.keyId, key.secret, 'POST', '/api/agent/v1/pay', body);
    const tampered = await app.inject({ method: 'POST', url: '/api/agent/v1/pay', headers: { ...headers, 'content-type': 'application/json' }, payload: body.replace('100', '900') });
    expect(tampered.json().code).toBe('bad_signature');
    // The signature is checked before the body: a badly signed call is 401 whatever it carries; a signed one hears what is wrong.
    for (const path of ['/api/agent/v1/pay', '/api/agent/v1/check', '/api/agent/v1/cancel']) {
      const badly = await call('POST', path, { amount: 'lots' }, { ...key, secret: 'wrong' });
      expect([path, badly.statusCode, badly.json().code]).toEqual([path, 401, 'bad_signature']);
      const signedButInvalid = await call('POST', path, { amount: 'lots' });
      expect([path, signedButInvalid.statusCode, signedButInvalid.json().code]).toEqual([path, 400, 'validation']);
    }
    expect(await paymentsCount()).toBe(0);
  });

  it('finds the debt per provider and service, the total from amountDue, the payer masked', async () => {
    const res = await call('GET', `/api/agent/v1/debt?unifiedAccount=${UA[0]}`);
    expect(res.statusCode).toBe(200);
    const debt = res.json();
    expect(debt.payer).toBe('К***ь О.');
    expect(debt.total).toBe(100000 + 45678 + 12345);
    expect(debt.lines.filter((l: { toPay: number }) => l.toPay > 0).map((l: { serviceCode: string; provider: string; toPay: number }) => [l.serviceCode, l.provider, l.toPay])).toEqual([
      ['cold_water', 'Водоканал', 100000],
      ['heating', 'Теплоенерго', 45678],
      ['building_management', 'Житлосервіс', 12345],
    ]);
    const unknown = await call('GET', `/api/agent/v1/debt?unifiedAccount=${makeUnifiedAccountNumber(999999)}`);
    expect([unknown.statusCode, unknown.json().code]).toEqual([404, 'unknown_account']);
  });

  it('finds the household by its address as the payer says it, never by a guess', async () => {
    const byAccount = (await call('GET', `/api/agent/v1/debt?unifiedAccount=${UA[1]}`)).json();
    for (const said of ['вул. Соборна, буд. 1, кв. 2', 'Соборна 1 кв 2', 'СОБОРНА,1,КВ.2', 'Soborna 1 kv 2']) {
      const res = await call('GET', `/api/agent/v1/debt?address=${encodeURIComponent(said)}`);
      expect(res.statusCode, said).toBe(200);
      expect(res.json()).toEqual(byAccount);
    }
    // A house of many flats, a flat that does not exist, a house that does not: not found, nothing guessed.
    for (const said of ['Соборна 1', 'Соборна 1 кв 7', 'Соборна 9 кв 2', 'Невідома 1 кв 2']) {
      const res = await call('GET', `/api/agent/v1/debt?address=${encodeURIComponent(said)}`);
      expect(res.statusCode, said).toBe(404);
    }
    const neither = await call('GET', '/api/agent/v1/debt');
    expect(neither.statusCode).toBe(422);
    // A lane of the same name with the same house and flat: the street alone no longer says which, so both are offered.
    await sql`insert into street (community_id, street_id, type, name, name_key, translit_key) values (1, 90, 'провулок', 'Соборна', 'соборна', 'soborna')`.execute(h.db);
    await sql`insert into building (community_id, building_id, street_id, number, house_key) values (1, 90, 90, 1, '1')`.execute(h.db);
    await sql`insert into premise (community_id, premise_id, building_id, number, apartment_key, total_area) values (1, 90, 90, '2', '2', 40)`.execute(h.db);
    await h.db.insertInto('unified_account').values({ community_id: 1, premise_id: 90, number: makeUnifiedAccountNumber(100090) }).execute();
    try {
      const ambiguous = await call('GET', `/api/agent/v1/debt?address=${encodeURIComponent('Соборна 1 кв 2')}`);
      expect([ambiguous.statusCode, ambiguous.json().code, ambiguous.json().field]).toEqual([409, 'address_ambiguous', 'address']);
      expect(ambiguous.json().candidates.map((c: { unifiedAccount: string }) => c.unifiedAccount).sort()).toEqual([UA[1], makeUnifiedAccountNumber(100090)].sort());
      const lane = await call('GET', `/api/agent/v1/debt?address=${encodeURIComponent('пров. Соборна 1 кв 2')}`);
      expect(lane.statusCode).toBe(200);
      expect(lane.json().unifiedAccount).toBe(makeUnifiedAccountNumber(100090));
      const street = await call('GET', `/api/agent/v1/debt?address=${encodeURIComponent('вул. Соборна 1 кв 2')}`);
      expect([street.statusCode, street.json().unifiedAccount]).toEqual([200, UA[1]]);
    } finally {
      await sql`delete from unified_account where premise_id = 90`.execute(h.db);
      await sql`delete from premise where premise_id = 90`.execute(h.db);
      await sql`delete from building where building_id = 90`.execute(h.db);
      await sql`delete from street where street_id = 90`.execute(h.db);
    }
    expect(neither.json().code).toBe('account_or_address');
  });

  it('refuses bad amounts and splits with the field named, posting nothing', async () => {
    const pay = (extra: object) => call('POST', '/api/agent/v1/pay', { txnId: `bad-${Math.random()}`, unifiedAccount: UA[0], amount: 1000, ...extra });
    expect((await pay({ amount: 0 })).json()).toMatchObject({ code: 'amount_invalid', field: 'amount' });
    expect((await pay({ amount: -5 })).json()).toMatchObject({ code: 'amount_invalid' });
    expect((await pay({ amount: 500001 })).json()).toMatchObject({ code: 'amount_over_limit', limit: 500000 });
    expect((await pay({ split: [{ serviceCode: 'cold_water', amount: 900 }] })).json()).toMatchObject({ code: 'split_sum', field: 'split' });
    expect((await pay({ split: [{ serviceCode: 'gas_supply', amount: 1000 }] })).json()).toMatchObject({ code: 'split_unknown_service', field: 'split[0].serviceCode' });
    expect((await pay({ unifiedAccount: makeUnifiedAccountNumber(999999) })).statusCode).toBe(404);
    expect((await pay({ unifiedAccount: '1234567890' })).json().code).toMatch(/invalid_unified_account|unknown_account/);
    for (const txnId of ['with space', 'х'.repeat(3)]) expect((await pay({ txnId })).json(), txnId).toMatchObject({ code: 'invalid_txn_id', field: 'txnId' });
    expect((await pay({ txnId: 'a'.repeat(65) })).json()).toMatchObject({ code: 'validation', status: 400 });
    expect(await paymentsCount()).toBe(0);
    expect(await ledgerCount()).toBe(0);
  });

  let paymentId: number;
  let receiptCode: string;
  it('pays the whole bill: split to the kopeck, on the account cards and the unified statement; a retry does not pay twice', async () => {
    const body = { txnId: 'bank-0001', unifiedAccount: UA[0], amount: 158023 };
    const first = await call('POST', '/api/agent/v1/pay', body);
    expect(first.statusCode).toBe(201);
    const p = first.json();
    ({ paymentId, receiptCode } = p);
    expect(p.parts.map((x: { serviceCode: string; amount: number }) => [x.serviceCode, x.amount])).toEqual([
      ['cold_water', 100000],
      ['heating', 45678],
      ['building_management', 12345],
    ]);
    for (const id of [A.p1Cold, A.p1Heating, A.p1Management]) expect(await balance(id)).toBe(0);
    const card = (await app.inject({ method: 'GET', url: `/api/billing/accounts/${A.p1Heating}`, headers: admin.headers })).json();
    expect(card.balance).toBe(0);
    expect(card.statement.at(-1).paid).toBe(-45678);
    const statement = (await app.inject({ method: 'GET', url: '/api/billing/premises/1/statement', headers: admin.headers })).json();
    expect(JSON.stringify(statement)).toContain('-45678');

    const retry = await call('POST', '/api/agent/v1/pay', body);
    expect(retry.statusCode).toBe(200);
    expect(retry.json()).toEqual({ ...p, replayed: true });
    const other = await call('POST', '/api/agent/v1/pay', { ...body, amount: 158024 });
    expect([other.statusCode, other.json().code]).toEqual([409, 'txn_conflict']);
    expect(await paymentsCount()).toBe(1);
    expect(await ledgerCount()).toBe(3);

    const status = (await call('GET', '/api/agent/v1/payments/bank-0001')).json();
    expect([status.status, status.amount]).toEqual(['posted', 158023]);
  });

  it('posts a payment retried concurrently once, and many payments to one account all exactly', async () => {
    const body = { txnId: 'bank-race', unifiedAccount: UA[1], amount: 1000 };
    const same = await Promise.all(Array.from({ length: 6 }, () => call('POST', '/api/agent/v1/pay', body)));
    expect(same.map((r) => r.statusCode).sort()).toEqual([200, 200, 200, 200, 200, 201]);
    expect(new Set(same.map((r) => r.json().paymentId)).size).toBe(1);
    const many = await Promise.all(Array.from({ length: 20 }, (_, i) => call('POST', '/api/agent/v1/pay', { txnId: `bank-many-${i}`, unifiedAccount: UA[1], amount: 101 + i })));
    expect(many.every((r) => r.statusCode === 201)).toBe(true);
    const paid = 1000 + Array.from({ length: 20 }, (_, i) => 101 + i).reduce((s, x) => s + x, 0);
    expect(await balance(A.p2Cold)).toBe(50000 - paid);
    // Invariants: allocations sum to payments, and each allocation is its ledger entry.
    const inv = await sql<{ bad: number }>`
      select count(*)::int as bad from payment p
       where p.amount <> (select sum(amount) from payment_allocation a where a.payment_id = p.payment_id)
          or exists (select 1 from payment_allocation a join ledger_entry le on le.entry_id = a.entry_id
                      where a.payment_id = p.payment_id and (le.amount <> -a.amount or le.account_id <> a.account_id))`.execute(h.db);
    expect(inv.rows[0]!.bad).toBe(0);
  });

  it('takes meter readings with a payment through the metering rules, once, only for that household', async () => {
    const body = { txnId: 'bank-with-readings', unifiedAccount: UA[0], amount: 2500, readings: [{ serial: 'CW-1', values: ['150'] }, { meterId: 2, values: ['5'] }] };
    const first = await call('POST', '/api/agent/v1/pay', body);
    expect(first.statusCode).toBe(201);
    const [own, foreign] = first.json().readings;
    // CW-1 is premise 1's meter; meter 2 is premise 2's, so it is not taken.
    expect(own).toMatchObject({ meterId: 1 });
    expect(own.status).not.toBe('rejected');
    expect(foreign.status).toBe('rejected');
    const stored = await sql<{ meter_id: number; channel: string; external_ref: string }>`
      select meter_id, channel, external_ref from meter_reading where external_ref like 'bank:bank-with-readings%'`.execute(h.db);
    expect(stored.rows).toEqual([{ meter_id: 1, channel: 'cash_desk', external_ref: 'bank:bank-with-readings' }]);
    // The retry pays nothing more and brings no reading again.
    const retry = await call('POST', '/api/agent/v1/pay', body);
    expect(retry.statusCode).toBe(200);
    expect(retry.json().readings).toBeUndefined();
    const again = await sql<{ n: number }>`select count(*)::int as n from meter_reading where external_ref like 'bank:bank-with-readings%'`.execute(h.db);
    expect(again.rows[0]!.n).toBe(1);
  });

  it('checks an amount with a split and pays it by the reference', async () => {
    const check = await call('POST', '/api/agent/v1/check', { unifiedAccount: UA[0], amount: 3000, split: [{ serviceCode: 'intercom', amount: 3000 }] });
    expect(check.statusCode).toBe(200);
    const { reference, parts } = check.json();
    expect(parts.reduce((s: number, x: { amount: number }) => s + x.amount, 0)).toBe(3000);
    const paid = (await call('POST', '/api/agent/v1/pay', { txnId: 'bank-ref', unifiedAccount: UA[0], amount: 3000, reference })).json();
    expect(paid.parts.every((x: { serviceCode: string }) => x.serviceCode === 'intercom')).toBe(true);
    const wrong = await call('POST', '/api/agent/v1/pay', { txnId: 'bank-ref-2', unifiedAccount: UA[0], amount: 2000, reference });
    expect(wrong.json().code).toBe('reference_mismatch');
  });

  it('pays through the PrivatBank Debt protocol: Search, Check, Pay (once), errors as ErrorInfo', async () => {
    const debtCall = (action: string, data: string, k = key, contentType = 'application/xml') => {
      const body = `<?xml version="1.0" encoding="UTF-8"?><Transfer xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" interface="Debt" action="${action}">${data}</Transfer>`;
      return app.inject({ method: 'POST', url: '/api/debt/v1', payload: body, headers: { 'content-type': contentType, ...agentHeaders(k.keyId, k.secret, 'POST', '/api/debt/v1', body) } });
    };
    const search = await debtCall('Search', `<Data xsi:type="Payer" billIdentifier="${UA[2]}"/>`);
    expect(search.headers['content-type']).toContain('application/xml');
    expect(search.body).toContain('xsi:type="DebtPack"');
    expect(search.body).toContain('amountToPay="300.01"');
    expect(search.body).toContain('<TotalSum>312.35</TotalSum>');
    const check = await debtCall('Check', `<Data xsi:type="Payment" billIdentifier="${UA[2]}"><TotalSum>312.35</TotalSum></Data>`);
    const reference = /reference="([^"]+)"/.exec(check.body)![1];
    const payXml = `<Data xsi:type="Payment" id="PB-77" billIdentifier="${UA[2]}" checkReference="${reference}"><TotalSum>312.35</TotalSum></Data>`;
    const paid = await debtCall('Pay', payXml);
    expect(paid.body).toContain('xsi:type="Gateway"');
    expect(await balance(A.p3Electricity)).toBe(0);
    expect(await balance(A.p3Waste)).toBe(0);
    const retried = await debtCall('Pay', payXml);
    expect(/reference="(\d+)"/.exec(retried.body)![1]).toBe(/reference="(\d+)"/.exec(paid.body)![1]);
    const before = await paymentsCount();
    const duplicate = await debtCall('Pay', payXml.replace(/312\.35/, '1.00').replace(` checkReference="${reference}"`, ''));
    expect(duplicate.body).toContain('code="7"');
    const unknown = await debtCall('Search', `<Data xsi:type="Payer" billIdentifier="${makeUnifiedAccountNumber(999999)}"/>`);
    expect(unknown.body).toContain('code="2"');
    expect((await debtCall('Pay', '<Data id="x"')).body).toContain('code="99"');
    const badlySigned = (await debtCall('Search', `<Data billIdentifier="${UA[2]}"/>`, { ...key, secret: 'bad' })).body;
    expect(badlySigned).toContain('code="99"');
    expect(badlySigned).toContain('action="Search"'); // the refusal answers the action asked
    // A gateway that sends the XML as text/plain is read the same.
    expect((await debtCall('Search', `<Data xsi:type="Payer" billIdentifier="${UA[2]}"/>`, key, 'text/plain; charset=utf-8')).body).toContain('xsi:type="DebtPack"');
    expect(await paymentsCount()).toBe(before);
  });

  it('takes meter readings with a Debt Pay through the metering rules, once, with a verdict each; a malformed one is ErrorInfo 99 and posts nothing', async () => {
    const debtCall = (action: string, data: string) => {
      const body = `<?xml version="1.0" encoding="UTF-8"?><Transfer xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" interface="Debt" action="${action}">${data}</Transfer>`;
      return app.inject({ method: 'POST', url: '/api/debt/v1', payload: body, headers: { 'content-type': 'application/xml', ...agentHeaders(key.keyId, key.secret, 'POST', '/api/debt/v1', body) } });
    };
    const readingsOf = async (ref: string) =>
      (await sql<{ meter_id: number; channel: string; external_ref: string; status: string }>`select meter_id, channel, external_ref, status from meter_reading where external_ref = ${ref}`.execute(h.db)).rows;
    const before = await paymentsCount();
    // A malformed reading refuses the whole Pay before anything is posted.
    const bad = await debtCall('Pay', `<Data xsi:type="Payment" id="PB-R0" billIdentifier="${UA[0]}"><TotalSum>10.00</TotalSum><MeterData><Meter serial="CW-1" currentValue="16O"/></MeterData></Data>`);
    expect(bad.body).toContain('xsi:type="ErrorInfo"');
    expect(bad.body).toContain('code="99"');
    expect(bad.body).toContain('MeterData/Meter[0]: ');
    expect(await paymentsCount()).toBe(before);
    expect(await readingsOf('bank:PB-R0')).toEqual([]);

    const payXml = `<Data xsi:type="Payment" id="PB-R1" billIdentifier="${UA[0]}"><TotalSum>25.00</TotalSum><ServiceGroup><Service serviceCode="cold_water" sum="25.00"><MeterData><Meter serial="CW-1" currentValue="160"/><Meter meterId="2" currentValue="9"/></MeterData></Service></ServiceGroup></Data>`;
    const paid = await debtCall('Pay', payXml);
    expect(paid.body).toContain('xsi:type="Gateway"');
    expect(await paymentsCount()).toBe(before + 1);
    const verdicts = [...paid.body.matchAll(/<Meter ([^>]*?)\/?>/g)].map((m) => m[1]!);
    expect(verdicts).toHaveLength(2);
    // CW-1 is premise 1's meter and is taken; meter 2 is premise 2's, so it is rejected with its reason.
    expect(verdicts[0]).toContain('serial="CW-1"');
    expect(verdicts[0]).toContain('meterId="1"');
    expect(verdicts[0]).not.toContain('status="rejected"');
    expect(verdicts[1]).toContain('status="rejected"');
    expect(paid.body).toMatch(/<Message>[^<]+ \/ [^<]+<\/Message>/);
    const stored = await readingsOf('bank:PB-R1');
    expect(stored.map((r) => [r.meter_id, r.channel])).toEqual([[1, 'cash_desk']]);
    expect(stored[0]!.status).toBe(/status="([a-z_]+)"/.exec(verdicts[0]!)![1]);
    // The retried Pay answers the same payment, brings no reading again, and pays nothing more.
    const retried = await debtCall('Pay', payXml);
    expect(/reference="(\d+)"/.exec(retried.body)![1]).toBe(/reference="(\d+)"/.exec(paid.body)![1]);
    expect(retried.body).not.toContain('MeterData');
    expect(await readingsOf('bank:PB-R1')).toHaveLength(1);
    expect(await paymentsCount()).toBe(before + 1);
  });

  it('cancels on the day of payment only, restoring the balances', async () => {
    type Row = { period: string; paid: number; adjustments: number };
    const statementOf = async (accountId: number) => (await app.inject({ method: 'GET', url: `/api/billing/accounts/${accountId}`, headers: admin.headers })).json().statement as Row[];
    const rowsBefore = await statementOf(A.p3Cold);
    await call('POST', '/api/agent/v1/pay', { txnId: 'bank-cancel', unifiedAccount: UA[2], amount: 7000 });
    const before = await balance(A.p3Cold);
    const cancelled = await call('POST', '/api/agent/v1/cancel', { txnId: 'bank-cancel', reason: 'помилка касира' });
    expect(cancelled.statusCode).toBe(200);
    expect(cancelled.json().status).toBe('cancelled');
    expect(await balance(A.p3Cold)).toBeGreaterThan(before);
    // The account card's statement shows what was paid net of the reversal, not the payment as paid and its reversal as an adjustment.
    const after = (await statementOf(A.p3Cold)).at(-1)!;
    const before_ = rowsBefore.find((r) => r.period === after.period) ?? { paid: 0, adjustments: 0 };
    expect(after).toMatchObject({ paid: before_.paid, adjustments: before_.adjustments });
    expect((await call('POST', '/api/agent/v1/cancel', { txnId: 'bank-cancel' })).json().code).toBe('already_cancelled');
    // Staff reverse with a reason; a blank one is refused and changes nothing.
    await call('POST', '/api/agent/v1/pay', { txnId: 'bank-blank', unifiedAccount: UA[2], amount: 300 });
    const blankId = (await h.db.selectFrom('payment').select('payment_id').where('txn_id', '=', 'bank-blank').executeTakeFirstOrThrow()).payment_id;
    const blank = await app.inject({ method: 'POST', url: `/api/payments/${blankId}/reverse`, headers: admin.headers, payload: { reason: '   ' } });
    expect([blank.statusCode, blank.json().code, blank.json().field]).toEqual([422, 'reason_required', 'reason']);
    expect((await h.db.selectFrom('payment').select('status').where('payment_id', '=', blankId).executeTakeFirstOrThrow()).status).toBe('posted');
    await call('POST', '/api/agent/v1/pay', { txnId: 'bank-late', unifiedAccount: UA[2], amount: 500 });
    const agent = { communityId: 1, agentId, code: 'bank', name: 'bank', maxAmount: 500000 };
    await expect(payments.cancelByAgent(h.db, agent, 'bank-late', 'late', new Date(Date.now() + 2 * 86400_000))).rejects.toMatchObject({ code: 'cancel_day_closed' });
  });

  it('gives a receipt by its verification code, in HTML, JSON and PDF', async () => {
    const html = await app.inject({ method: 'GET', url: `/api/receipts/${receiptCode}` });
    expect(html.statusCode).toBe(200);
    expect(html.headers['content-type']).toContain('text/html');
    expect(html.body).toContain(receiptCode);
    expect(html.body).toContain('Теплоенерго');
    expect(html.body).toContain('1\u202f580,23');
    const json = (await app.inject({ method: 'GET', url: `/api/receipts/${receiptCode}.json` })).json();
    expect([json.paymentId, json.amount, json.payer]).toEqual([paymentId, 158023, 'К***ь О.']);
    expect(receiptCode.startsWith(`${paymentId}-`)).toBe(true);
    // The payment's id with another random part, an id with no payment, and what is not a code at all.
    const otherSecret = receiptCode.endsWith('0000') ? '1111' : '0000';
    expect((await app.inject({ method: 'GET', url: `/api/receipts/${receiptCode.slice(0, -4)}${otherSecret}` })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: `/api/receipts/99999999-${receiptCode.split('-').slice(1).join('-')}` })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/api/receipts/0000-0000-0000' })).statusCode).toBe(400);
    // The PDF: the same parts and total, and a QR of the address that verifies it.
    const pdf = await app.inject({ method: 'GET', url: `/api/receipts/${receiptCode}.pdf`, headers: { host: 'hromada.test' } });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const text = plainSpaces(pdfText(pdf.rawPayload));
    expect(text).toContain('Квитанція про оплату');
    expect(text).toContain('Теплоенерго');
    expect(text).toContain(`Код перевірки / Verification code: ${receiptCode}`);
    expect(text).toMatch(/Разом \/ Total\s+1 580,23/);
    // The time as a person in Kyiv reads it, not a UTC timestamp.
    expect(text).toContain(`Дата (Київ) / Date (Kyiv): ${formatKyivDateTime(new Date(json.paidAt))}`);
    expect(html.body).toContain(formatKyivDateTime(new Date(json.paidAt)));
    expect(html.body).not.toContain(json.paidAt);
    expect(decodeQrCodes(pdf.rawPayload)).toEqual([`http://hromada.test/api/receipts/${receiptCode}`]);
    const again = await app.inject({ method: 'GET', url: `/api/receipts/${receiptCode}.pdf`, headers: { host: 'hromada.test' } });
    expect(again.rawPayload.equals(pdf.rawPayload)).toBe(true);
  });

  it("reconciles an agent's registry of the day uploaded over HTTP, and lists it", async () => {
    const known = (await sql<{ txn_id: string; amount: number }>`select txn_id, amount from payment where txn_id = 'bank-0001'`.execute(h.db)).rows[0]!;
    const today = (await sql<{ d: string }>`select business_date::text as d from payment where txn_id = 'bank-0001'`.execute(h.db)).rows[0]!.d;
    const csv = `TXN;UNIFIED;AMOUNT\r\n${known.txn_id};${UA[0]};${formatUahPlain(known.amount)}\r\nbank-desk-1;${UA[2]};12.34\r\n`;
    const upload = (url: string, body: string | Buffer) => app.inject({ method: 'POST', url, payload: body, headers: { ...admin.headers, 'content-type': 'application/octet-stream' } });
    const res = await upload(`/api/payments/agents/${agentId}/registries/${today}?fileName=bank.csv`, iconv.encode(csv, 'win1251'));
    expect(res.statusCode).toBe(200);
    const report = res.json();
    expect(report).toMatchObject({ rows: 2, matched: 1, posted: 1, amountDiffers: 0, total: known.amount + 1234 });
    expect(report.missingInFile).toBeGreaterThan(0); // the day's other API payments are not in this file
    const listed = (await app.inject({ method: 'GET', url: '/api/payments/registries', headers: admin.headers })).json().items;
    expect(listed[0]).toMatchObject({ agent: 'bank', businessDate: today, fileName: 'bank.csv', matched: 1, posted: 1 });
    // A bad row refuses the whole file, naming it, and posts nothing.
    const before = await paymentsCount();
    const bad = await upload(`/api/payments/agents/${agentId}/registries/${today}?fileName=bad.csv`, 'TXN;UNIFIED;AMOUNT\r\nx-1;123;abc\r\n');
    expect(bad.statusCode).toBe(422);
    expect(await paymentsCount()).toBe(before);
    expect((await upload(`/api/payments/agents/999/registries/${today}`, csv)).statusCode).toBe(404);
  });

  it('rotates keys with an overlap and honours an IP allow-list', async () => {
    const url = `/api/agent/v1/debt?unifiedAccount=${UA[0]}`;
    const second = (await app.inject({ method: 'POST', url: `/api/payments/agents/${agentId}/keys`, headers: admin.headers, payload: { overlapHours: 1 } })).json();
    expect((await call('GET', url, undefined, key)).statusCode).toBe(200); // the old key, within the overlap
    expect((await call('GET', url, undefined, second)).statusCode).toBe(200);
    const third = (await app.inject({ method: 'POST', url: `/api/payments/agents/${agentId}/keys`, headers: admin.headers, payload: { overlapHours: 0 } })).json();
    expect((await call('GET', url, undefined, second)).json().code).toBe('unknown_key');
    key = third;

    const fenced = (await app.inject({ method: 'POST', url: '/api/payments/agents', headers: admin.headers, payload: { code: 'fenced', name: 'Термінали', ipAllow: ['10.0.0.7'] } })).json();
    const fencedKey = (await app.inject({ method: 'POST', url: `/api/payments/agents/${fenced.agentId}/keys`, headers: admin.headers, payload: {} })).json();
    const refused = await call('GET', url, undefined, fencedKey);
    expect([refused.statusCode, refused.json().code]).toEqual([403, 'ip_not_allowed']);
  });

  it('changes an agent: its allow-list checked, switched off and on, a leaked key retired at once', async () => {
    const url = `/api/agent/v1/debt?unifiedAccount=${UA[0]}`;
    const patch = (payload: object) => app.inject({ method: 'PATCH', url: `/api/payments/agents/${agentId}`, headers: admin.headers, payload });
    const status = async (k = key) => {
      const r = await call('GET', url, undefined, k);
      return r.statusCode === 200 ? 200 : [r.statusCode, r.json().code];
    };
    const notIp = await patch({ ipAllow: ['127.0.0.1', '10.0.0.300'] });
    expect([notIp.statusCode, notIp.json().code, notIp.json().field]).toEqual([422, 'invalid_ip', 'ipAllow[1]']);
    expect(await status()).toBe(200); // nothing changed
    expect((await patch({ ipAllow: ['10.0.0.8'] })).statusCode).toBe(200);
    expect(await status()).toEqual([403, 'ip_not_allowed']);
    expect((await patch({ ipAllow: [' 127.0.0.1 ', '127.0.0.1'] })).statusCode).toBe(200);
    expect(await status()).toBe(200);
    expect((await patch({ ipAllow: null, active: false })).statusCode).toBe(200);
    expect(await status()).toEqual([401, 'unknown_key']);
    expect((await patch({ active: true, name: 'Приватбанк (основний)' })).statusCode).toBe(200);
    expect(await status()).toBe(200);
    const listed = (await app.inject({ method: 'GET', url: '/api/payments/agents', headers: admin.headers })).json().items.find((a: { agentId: number }) => a.agentId === agentId);
    expect(listed).toMatchObject({ name: 'Приватбанк (основний)', ipAllow: null, active: true });

    // A key thought leaked stops at once; the one issued beside it works on.
    const spare = (await app.inject({ method: 'POST', url: `/api/payments/agents/${agentId}/keys`, headers: admin.headers, payload: { overlapHours: 1 } })).json();
    const retire = (keyId: string) => app.inject({ method: 'POST', url: `/api/payments/agents/${agentId}/keys/${keyId}/retire`, headers: admin.headers });
    expect((await retire(key.keyId)).statusCode).toBe(200);
    expect(await status()).toEqual([401, 'unknown_key']);
    expect(await status(spare)).toBe(200);
    expect((await retire(key.keyId)).statusCode).toBe(404);
    expect((await app.inject({ method: 'PATCH', url: '/api/payments/agents/99999', headers: admin.headers, payload: { active: false } })).statusCode).toBe(404);
    key = spare;
  });

  it("settles each provider's money the next day: commission by contract, transfer orders, frozen bytes", async () => {
    const today = kyivToday();
    const early = await app.inject({ method: 'POST', url: `/api/payments/settlement/${today}/export`, headers: admin.headers });
    expect([early.statusCode, early.json().code]).toEqual([409, 'day_not_closed']);
    expect((await app.inject({ method: 'POST', url: '/api/payments/settlement/contracts', headers: admin.headers, payload: { providerId: 3, percent: '1.5' } })).statusCode).toBe(201);
    expect((await app.inject({ method: 'POST', url: '/api/payments/settlement/contracts', headers: admin.headers, payload: { providerId: 1, agentId, fixed: 200 } })).statusCode).toBe(201);
    const backdated = await app.inject({ method: 'POST', url: '/api/payments/settlement/contracts', headers: admin.headers, payload: { providerId: 2, percent: '1', validFrom: addDays(today, -1) } });
    expect([backdated.statusCode, backdated.json().code, backdated.json().field]).toEqual([422, 'contract_in_past', 'validFrom']);
    const twice = await app.inject({ method: 'POST', url: '/api/payments/settlement/contracts', headers: admin.headers, payload: { providerId: 3, percent: '2' } });
    expect([twice.statusCode, twice.json().code]).toEqual([409, 'contract_exists']);
    const contracts = await app.inject({ method: 'GET', url: '/api/payments/settlement/contracts', headers: admin.headers });
    expect(contracts.json().items.map((c: { providerId: number; agentId: number | null; validFrom: string }) => [c.providerId, c.agentId, c.validFrom])).toEqual([[1, agentId, today], [3, null, today]]);

    // A day is frozen from two minutes past midnight: a payment stamped in its last second has committed by then.
    const justAfterMidnight = new Date(`${addDays(today, 1)}T00:01:00+03:00`); // 00:01 in summer, 23:01 the day before in winter: never past the grace
    await expect(exportSettlementDay(h.db, 1, today, justAfterMidnight)).rejects.toMatchObject({ code: 'day_not_closed' });
    const tomorrow = new Date(`${addDays(today, 1)}T09:00:00+02:00`);
    const registries = await exportSettlementDay(h.db, 1, today, tomorrow);
    expect(registries.map((r) => r.providerId)).toEqual([1, 2, 3, 4]);
    // Invariant: per provider, the registry's gross is what was allocated to it that day, less what was reversed.
    for (const r of registries) {
      const allocated = await sql<{ s: number }>`
        select (coalesce(sum(pa.amount), 0) - coalesce(sum(pa.amount) filter (where p.status = 'cancelled'), 0))::bigint as s
          from payment_allocation pa join payment p on p.payment_id = pa.payment_id join account a on a.account_id = pa.account_id
         where a.provider_id = ${r.providerId} and p.business_date = ${today}`.execute(h.db);
      expect(r.gross).toBe(allocated.rows[0]!.s);
      expect(r.net).toBe(r.gross - r.commission);
      expect(r.transfer.amount).toBe(r.net);
    }
    // The city looks at what was formed (figures and transfer orders, not the files); nothing formed is an empty day.
    await createUser(h.db, { communityId: 1, login: 'city-viewer', password: PASSWORD, role: 'city', providerId: null, displayName: 'city' });
    const city = await signInAs(app, 'city-viewer', PASSWORD);
    const seen = await app.inject({ method: 'GET', url: `/api/payments/settlement/${today}`, headers: city.headers });
    expect(seen.statusCode).toBe(200);
    expect(seen.json().items).toEqual(registries.map(({ csv: _csv, dbf: _dbf, ...rest }) => JSON.parse(JSON.stringify(rest))));
    expect((await app.inject({ method: 'GET', url: `/api/payments/settlement/${addDays(today, -1)}`, headers: city.headers })).json().items).toEqual([]);
    expect((await app.inject({ method: 'POST', url: `/api/payments/settlement/${today}/export`, headers: city.headers })).statusCode).toBe(403);
    // The heat supplier's accountant sees its own registry and contract, no one else's, and forms nothing.
    await createUser(h.db, { communityId: 1, login: 'heat-accountant', password: PASSWORD, role: 'provider', providerId: 3, displayName: 'heat' });
    const heatUser = await signInAs(app, 'heat-accountant', PASSWORD);
    const own = await app.inject({ method: 'GET', url: `/api/payments/settlement/${today}`, headers: heatUser.headers });
    expect(own.json().items.map((r: { providerId: number }) => r.providerId)).toEqual([3]);
    const ownContracts = await app.inject({ method: 'GET', url: '/api/payments/settlement/contracts', headers: heatUser.headers });
    expect(ownContracts.json().items.map((c: { providerId: number }) => c.providerId)).toEqual([3]);
    expect((await app.inject({ method: 'POST', url: `/api/payments/settlement/${today}/export`, headers: heatUser.headers })).statusCode).toBe(403);
    const heat = registries.find((r) => r.providerId === 3)!;
    expect(heat.transfer).toMatchObject({ iban: 'UA213223130000026007233566003', edrpou: '03341316' });
    expect(heat.transfer.purpose).toContain(`реєстром №${heat.registryId}`);
    const csv = iconv.decode(heat.csv, 'windows-1251');
    expect(csv).toContain(`;${UA[0]};Т-1;heating;456.78;6.85;449.93`); // 1.5 % of 456.78 = 6.8517 → 6.85
    const water = registries.find((r) => r.providerId === 1)!;
    // Fixed 2.00 per payment for this agent (never more than what the payment brought the provider, however many of its accounts), taken back on a reversal.
    const fixed = await sql<{ c: number }>`
      with per_payment as (
        select p.payment_id, p.status, sum(pa.amount) as amount
          from payment_allocation pa join payment p on p.payment_id = pa.payment_id join account a on a.account_id = pa.account_id
         where a.provider_id = 1 and p.agent_id = ${agentId} group by p.payment_id, p.status)
      select (sum(least(200, amount)) - coalesce(sum(least(200, amount)) filter (where status = 'cancelled'), 0))::bigint as c from per_payment`.execute(h.db);
    expect(water.commission).toBe(fixed.rows[0]!.c);
    expect(water.commission).toBeGreaterThan(0);

    const again = await app.inject({ method: 'GET', url: `/api/payments/settlement/3/${today}.csv`, headers: admin.headers });
    expect(Buffer.compare(again.rawPayload, heat.csv)).toBe(0);
    const dbf = await app.inject({ method: 'GET', url: `/api/payments/settlement/3/${today}.dbf`, headers: admin.headers });
    expect(Buffer.compare(dbf.rawPayload, heat.dbf)).toBe(0);
    await expect(sql`update settlement_registry set net = 0`.execute(h.db)).rejects.toThrow(/cannot change/);
  });

  it('verifies the hash chain and names the first record changed or removed', async () => {
    const ok = (await app.inject({ method: 'GET', url: '/api/payments/chain/verify', headers: admin.headers })).json();
    expect(ok.intact).toBe(true);
    expect(ok.records).toBe((await paymentsCount()) + 1 + 4); // one reversal, four settlement registries
    await sql`update payment set amount = amount + 1 where payment_id = ${paymentId}`.execute(h.db);
    const changed = (await app.inject({ method: 'GET', url: '/api/payments/chain/verify', headers: admin.headers })).json();
    expect(changed.problem).toMatchObject({ kind: 'payment', id: paymentId, problem: 'changed' });
    await sql`update payment set amount = amount - 1 where payment_id = ${paymentId}`.execute(h.db);
    // Every column that says where the money went and when is in the chain; the status must agree with the reversals.
    const original = (await sql<Record<string, unknown>>`select business_date, period, channel, payer, status from payment where payment_id = ${paymentId}`.execute(h.db)).rows[0]!;
    for (const change of [sql`business_date = business_date - 1`, sql`period = period - interval '1 month'`, sql`channel = 'card'`, sql`payer = 'Хтось І.'`, sql`status = 'cancelled'`]) {
      await sql`update payment set ${change} where payment_id = ${paymentId}`.execute(h.db);
      const v = (await app.inject({ method: 'GET', url: '/api/payments/chain/verify', headers: admin.headers })).json();
      expect(v.problem, String(change.compile(h.db).sql)).toMatchObject({ kind: 'payment', id: paymentId, problem: 'changed' });
      await sql`update payment set business_date = ${original.business_date}, period = ${original.period}, channel = ${original.channel}, payer = ${original.payer}, status = ${original.status} where payment_id = ${paymentId}`.execute(h.db);
    }
    expect((await app.inject({ method: 'GET', url: '/api/payments/chain/verify', headers: admin.headers })).json().intact).toBe(true);
    await sql`delete from payment_reversal`.execute(h.db);
    const removed = (await app.inject({ method: 'GET', url: '/api/payments/chain/verify', headers: admin.headers })).json();
    expect(removed.problem).toMatchObject({ kind: 'missing', problem: 'removed' });
  });

  it('lists the agent API in the OpenAPI document', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/agent/v1/pay', '/api/agent/v1/debt', '/api/agent/v1/check', '/api/agent/v1/cancel']));
    // A bank's developer signs by the document alone (not with our agentHeaders), and the server takes it.
    const howTo: string = doc.components.securitySchemes.agentSignature.description;
    expect(howTo).toContain('`METHOD\\nPATH\\nX-Timestamp\\nX-Nonce\\nhex(SHA-256(body))`');
    const url = `/api/agent/v1/debt?unifiedAccount=${UA[0]}`;
    const [timestamp, nonce] = [String(Math.floor(Date.now() / 1000)), 'doc-nonce-1'];
    const text = ['GET', url, timestamp, nonce, createHash('sha256').update('').digest('hex')].join('\n');
    const signature = createHmac('sha256', key.secret).update(text).digest('hex');
    const byTheBook = await app.inject({ method: 'GET', url, headers: { 'x-agent-key': key.keyId, 'x-timestamp': timestamp, 'x-nonce': nonce, 'x-signature': signature } });
    expect(byTheBook.statusCode).toBe(200);
  });

  it('posts concurrent pays of several households together (group commit), each exactly, a retry once and a replayed nonce never', async () => {
    const before = await Promise.all([1, 2, 3].map(owed));
    const pays = Array.from({ length: 24 }, (_, i) => ({ txnId: `bank-group-${i}`, unifiedAccount: UA[i % 3], amount: 200 + i }));
    const [answers, retries, replays] = await Promise.all([
      Promise.all(pays.map((body) => call('POST', '/api/agent/v1/pay', body))),
      Promise.all([0, 1].map(() => call('POST', '/api/agent/v1/pay', { txnId: 'bank-group-retry', unifiedAccount: UA[2], amount: 777 }))),
      Promise.all([0, 1].map((i) => call('POST', '/api/agent/v1/pay', { txnId: `bank-group-nonce-${i}`, unifiedAccount: UA[0], amount: 55 }, key, { nonce: 'group-same-nonce' }))),
    ]);
    expect(answers.map((r) => r.statusCode)).toEqual(pays.map(() => 201));
    expect(retries.map((r) => r.statusCode).sort()).toEqual([200, 201]);
    expect(replays.map((r) => r.statusCode).sort()).toEqual([201, 401]);
    expect(replays.find((r) => r.statusCode === 401)!.json().code).toBe('replayed_nonce');
    // Each household is short of exactly what was paid for it, and each answer names its own parts.
    const paidFor = (premise: number) => pays.filter((_, i) => i % 3 === premise - 1).reduce((sum, p) => sum + p.amount, 0) + (premise === 3 ? 777 : 0) + (premise === 1 ? 55 : 0);
    expect(await Promise.all([1, 2, 3].map(owed))).toEqual(before.map((b, i) => b - paidFor(i + 1)));
    for (const [i, r] of answers.entries()) expect(r.json().parts.reduce((sum: number, x: { amount: number }) => sum + x.amount, 0)).toBe(pays[i]!.amount);
    expect(await paymentsCount()).toBeGreaterThanOrEqual(26);
  });

  it('commits pays that arrive together in shared statements, each household once per statement', async () => {
    const agent = payments.agentFromRow(1, await h.db.selectFrom('payment_agent').selectAll().where('agent_id', '=', agentId).executeTakeFirstOrThrow());
    const owedBefore = await owed(2);
    // Called in one tick, as the requests a busy server reads together reach pay: they go out together at the end of
    // the tick, but a statement holds each household once, so the twelve pays of three households take four statements.
    const paid = await Promise.all(Array.from({ length: 12 }, (_, i) => payments.pay(h.db, agent, { txnId: `bank-tick-${i}`, unifiedAccount: UA[i % 3]!, amount: 300 + i })));
    expect(paid.map((p) => p.amount)).toEqual(Array.from({ length: 12 }, (_, i) => 300 + i));
    // The transaction that wrote a payment is read off its allocations' xmin, since the seal rewrites the payment row
    // itself; the seal is awaited so that it has always done so by now.
    await payments.flushSeals(h.db);
    const commits = await sql<{ payments: number; transactions: number; twice: number }>`
      with written as (select distinct p.payment_id, p.premise_id, a.xmin::text as txn
                         from payment p join payment_allocation a using (community_id, payment_id)
                        where p.txn_id like 'bank-tick-%')
      select count(distinct payment_id)::int as payments, count(distinct txn)::int as transactions,
             (select count(*)::int from (select 1 from written group by txn, premise_id having count(*) > 1) x) as twice
        from written`.execute(h.db);
    expect(commits.rows[0]).toMatchObject({ payments: 12, twice: 0, transactions: 4 });
    // The same household paid four times in a row is short of exactly the four.
    expect(await owed(2)).toBe(owedBefore - [1, 4, 7, 10].reduce((sum, i) => sum + 300 + i, 0));
  });

  it('runs two pays of one household by check reference one after the other: the second splits over what the first left owing', async () => {
    // A household of its own owing 300.00 cold water and 100.00 heating.
    await sql`insert into premise (community_id, premise_id, building_id, number, apartment_key, total_area) values (1, 91, 2, '9', '9', 40)`.execute(h.db);
    const number = makeUnifiedAccountNumber(100091);
    await h.db.insertInto('unified_account').values({ community_id: 1, premise_id: 91, number }).execute();
    await sql`insert into account (community_id, account_id, provider_id, premise_id, service_id, number, opened_on) values
      (1, 91, 1, 91, 1, 'В-91', '2020-01-01'), (1, 92, 3, 91, 3, 'Т-91', '2020-01-01')`.execute(h.db);
    await sql`insert into ledger_entry (community_id, account_id, period, kind, amount, source) values
      (1, 91, '2026-09-01', 'opening_balance', 30000, 'import'), (1, 92, '2026-09-01', 'opening_balance', 10000, 'import')`.execute(h.db);
    expect((await call('GET', `/api/agent/v1/debt?unifiedAccount=${number}`)).json().total).toBe(40000);
    const references: string[] = [];
    for (const _ of [1, 2]) references.push((await call('POST', '/api/agent/v1/check', { unifiedAccount: number, amount: 40000 })).json().reference);
    // Both in one tick, so that their lookups would run together were they not held apart.
    const agent = payments.agentFromRow(1, await h.db.selectFrom('payment_agent').selectAll().where('agent_id', '=', agentId).executeTakeFirstOrThrow());
    const answers = await Promise.all(references.map((reference, i) => payments.pay(h.db, agent, { txnId: `bank-serial-${i}`, unifiedAccount: number, amount: 40000, reference })));
    const [first, second] = answers.sort((a, b) => a.paymentId - b.paymentId);
    // The first pays both debts; the second finds nothing owed and is an advance on one account, not spread again over debts already paid.
    expect(first!.parts.map((p) => [p.accountNumber, p.amount]).sort()).toEqual([['В-91', 30000], ['Т-91', 10000]]);
    expect(second!.parts).toHaveLength(1);
    expect(second!.parts[0]!.amount).toBe(40000);
  });
});
