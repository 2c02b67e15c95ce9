import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import QRCode from 'qrcode';
import { sql } from 'kysely';
import { execSql } from '../../src/db/index';
import { createUser } from '../../src/auth/service';
import { amountDue } from '../../src/billing/amount-due';
import { BILLING_CLOSE_JOB, BILLING_RUN_JOB } from '../../src/billing/jobs';
import { premiseBalances } from '../../src/billing/statements';
import { decodeQrUrl } from '../../src/bills/qr';
import { PRINT_RUN_JOB } from '../../src/bills/print-run';
import type { DatabaseHandle } from '../../src/db/index';
import { registerJobHandlers } from '../../src/jobs/handlers';
import { startLocalSmtp, type LocalMailbox } from '../../src/mail/local-server';
import { buildApp } from '../../src/server/app';
import type { AppContext } from '../../src/server/context';
import { createTestDatabase } from '../helpers/db';
import { signInAs, testContext, type Signed } from '../helpers/http';
import { decodeQrCodes, pdfText, plainSpaces } from '../helpers/pdf-tools';
import { formatUah } from '../../src/shared/money';
import { C, OCT, createBillingFixture } from './billing-fixture';

const PASSWORD = 'bills-test-password';
const DESIGN = {
  recipientName: 'КП «Тестовий ЦОД»',
  collectingIban: 'UA963223130000026007233566009',
  recipientCode: '32855961',
  locality: 'м. Тестове',
  primaryColor: '#1c4e80',
  accentColor: '#f2b705',
  serviceOrder: ['heating'],
  contacts: ['Гаряча лінія 0 800 000 000'],
  footer: 'Дякуємо, що сплачуєте вчасно',
};

describe('bills over HTTP: design, the bill of a closed period, its PDF and QR, access, e-bills', () => {
  let h: DatabaseHandle;
  let ctx: AppContext;
  let app: FastifyInstance;
  let box: LocalMailbox;
  const as: Record<string, Signed> = {};

  beforeAll(async () => {
    h = await createTestDatabase();
    await createBillingFixture(h.db);
    await sql`update building set postal_code = '21001' where community_id = 1`.execute(h.db);
    await sql`insert into unified_account (community_id, premise_id, number) values (1, 1, '1000000011'), (1, 2, '1000000029'), (1, 3, '1000000037')`.execute(h.db);
    for (const [login, role, providerId, premiseIds] of [
      ['admin', 'admin', null, []],
      ['operator', 'operator', null, []],
      ['vodokanal', 'provider', 1, []],
      ['resident', 'resident', null, [1]],
    ] as const) {
      await createUser(h.db, { communityId: 1, login, password: PASSWORD, role, providerId, displayName: login, premiseIds: [...premiseIds] });
    }
    ctx = testContext(h);
    registerJobHandlers(ctx.jobs);
    app = await buildApp(ctx);
    for (const login of ['admin', 'operator', 'vodokanal', 'resident']) as[login] = await signInAs(app, login, PASSWORD);
    box = await startLocalSmtp();
  }, 120_000);
  afterAll(async () => {
    delete process.env.SMTP_URL;
    await box?.close();
    await app?.close();
    await h?.close();
  });

  const send = (who: string, method: 'GET' | 'PUT' | 'POST', url: string, payload?: unknown, headers: Record<string, string> = {}) =>
    app.inject({ method, url, payload: payload as string, headers: { ...as[who]!.headers, ...headers } });

  it('refuses a bill for a period that is not closed, and before the community has a design', async () => {
    const open = await send('admin', 'GET', `/api/bills/premises/1?period=${OCT}`);
    expect(open.statusCode).toBe(422);
    expect(open.json().code).toBe('period_not_closed');
    await ctx.jobs.runNow(C, BILLING_RUN_JOB, { period: OCT, refreshConsumption: false });
    await ctx.jobs.runNow(C, BILLING_CLOSE_JOB, { period: OCT });
    const noDesign = await send('admin', 'GET', `/api/bills/premises/1?period=${OCT}`);
    expect(noDesign.json().code).toBe('no_bill_design');
  });

  it.each([
    [{ primaryColor: 'синій' }, 'invalid_colour', 'primaryColor'],
    [{ accentColor: '#12345' }, 'invalid_colour', 'accentColor'],
    [{ collectingIban: 'UA213223130000026007233566000' }, 'invalid_collecting_iban', 'collectingIban'],
    [{ recipientCode: '32855962' }, 'invalid_recipient_code', 'recipientCode'],
  ])('a design with %o is refused (%s)', async (change, code, field) => {
    const res = await send('admin', 'PUT', '/api/bills/design', { ...DESIGN, ...change });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ code, field });
    expect(res.json().message_uk).toBeTruthy();
  });

  it('only an administrator saves the design', async () => {
    expect((await send('operator', 'PUT', '/api/bills/design', DESIGN)).statusCode).toBe(403);
    const res = await send('admin', 'PUT', '/api/bills/design', DESIGN);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ configured: true, primaryColor: '#1c4e80', hasLogo: false });
  });

  it('the logo must be a real image of at most 1 MB', async () => {
    const notImage = await send('admin', 'PUT', '/api/bills/design/logo', Buffer.from('just text'), { 'content-type': 'image/png' });
    expect(notImage.json().code).toBe('logo_not_image');
    const fakePng = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(100)]);
    expect((await send('admin', 'PUT', '/api/bills/design/logo', fakePng, { 'content-type': 'image/png' })).json().code).toBe('logo_not_image');
    const big = Buffer.concat([await QRCode.toBuffer('logo'), Buffer.alloc(1024 * 1024)]);
    expect((await send('admin', 'PUT', '/api/bills/design/logo', big, { 'content-type': 'image/png' })).json().code).toBe('logo_too_large');
    const png = await QRCode.toBuffer('Громада', { width: 200 });
    const ok = await send('admin', 'PUT', '/api/bills/design/logo', png, { 'content-type': 'image/png' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().hasLogo).toBe(true);
  });

  it("the bill's model: to pay is amountDue over the balances, services in the design's order", async () => {
    const res = await send('admin', 'GET', `/api/bills/premises/1?period=${OCT}`);
    expect(res.statusCode).toBe(200);
    const bill = res.json();
    const due = amountDue(await premiseBalances(h.db, C, 1, OCT));
    expect(due.total).toBeGreaterThan(0);
    expect(bill.toPay).toBe(due.total);
    expect(bill.services[0].serviceCode).toBe('heating');
    expect(bill.addressee).toEqual({ name: 'Коваль Олена', lines: ['вул. Соборна, буд. 1, кв. 1', '21001 м. Тестове'] });
    expect(bill.unifiedAccount).toBe('1000000011');
    expect(bill.dueDate).toBe('2026-11-20');
    // Cold water: 1,000.00 imported debt as the opening, October's charge from the meter.
    const cold = bill.services.find((s: { serviceCode: string }) => s.serviceCode === 'cold_water');
    expect(cold.opening).toBe(100_000);
    expect(cold.chargedAs.length).toBeGreaterThan(0);
  });

  it('its PDF holds the names and amounts, and its QR decodes to the IBAN, amount and purpose', async () => {
    const res = await send('resident', 'GET', `/api/bills/premises/1/pdf?period=${OCT}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    // Our own bill preview page frames it; no other site may.
    expect(res.headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'self'");
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    const pdf = res.rawPayload;
    const bill = (await send('admin', 'GET', `/api/bills/premises/1?period=${OCT}`)).json();
    const text = pdfText(pdf);
    for (const s of ['Коваль Олена', '1000000011', 'Водоканал', formatUah(bill.toPay), 'Гаряча лінія 0 800 000 000']) expect(text).toContain(plainSpaces(s));
    // The logo of this test is itself a QR code: take the payment one.
    const [url] = decodeQrCodes(pdf).filter((u) => u.startsWith('https://bank.gov.ua/qr/'));
    const lines = decodeQrUrl(url);
    expect(lines[6]).toBe(DESIGN.collectingIban);
    expect(lines[7]).toBe(`UAH${(bill.toPay / 100).toFixed(2)}`);
    expect(lines[11]).toBe('Єдиний рахунок 1000000011, жовтень 2026');
    const again = await send('resident', 'GET', `/api/bills/premises/1/pdf?period=${OCT}`);
    expect(again.rawPayload.equals(pdf)).toBe(true);
  });

  it("a provider sees only its own lines; a resident only their premise", async () => {
    const own = (await send('vodokanal', 'GET', `/api/bills/premises/1?period=${OCT}`)).json();
    expect(own.services.map((s: { provider: { name: string } }) => s.provider.name)).toEqual(['Водоканал']);
    expect(own.toPay).toBe(own.services[0].toPay);
    expect((await send('resident', 'GET', `/api/bills/premises/2?period=${OCT}`)).statusCode).toBe(404);
  });

  it('the live preview renders a real premise under an unsaved design', async () => {
    const res = await send('admin', 'POST', '/api/bills/design/preview', { premiseId: 1, period: OCT, design: { ...DESIGN, footer: 'Чернетка дизайну' } });
    expect(res.statusCode).toBe(200);
    expect(pdfText(res.rawPayload)).toContain('Чернетка дизайну');
    expect((await send('admin', 'POST', '/api/bills/design/preview', { premiseId: 1, period: OCT, design: { ...DESIGN, accentColor: 'red' } })).json().code).toBe('invalid_colour');
  });

  it('e-bills reach the local SMTP server with the PDF attached; a refused address is logged with its reason', async () => {
    process.env.SMTP_URL = box.url;
    process.env.SMTP_IGNORE_TLS = '1';
    box.reject.add('gone@example.com');
    expect((await send('operator', 'PUT', '/api/bills/premises/1/delivery', { method: 'ebill', email: 'olena@example.com' })).statusCode).toBe(200);
    expect((await send('operator', 'PUT', '/api/bills/premises/2/delivery', { method: 'ebill', email: 'gone@example.com' })).statusCode).toBe(200);
    const res = await send('operator', 'POST', '/api/bills/ebills', { period: OCT });
    expect(res.json()).toEqual({ sent: 1, failed: 1 });
    const mail = box.received.find((m) => m.to && JSON.stringify(m.to).includes('olena@example.com'))!;
    expect(mail.subject).toBe('Єдиний рахунок 1000000011 за жовтень 2026');
    expect(mail.html).toContain('Коваль Олена');
    expect(mail.attachments[0].filename).toBe('bill-1000000011-2026-10.pdf');
    expect(decodeQrCodes(mail.attachments[0].content).filter((u) => u.startsWith('https://bank.gov.ua/qr/'))).toHaveLength(1);
    const log = (await send('operator', 'GET', `/api/bills/ebills?period=${OCT}`)).json().items;
    const failed = log.find((r: { premise_id: number }) => r.premise_id === 2);
    expect(failed).toMatchObject({ status: 'failed', attempts: 3 });
    expect(failed.error).toMatch(/550|unavailable/);
    // A second send tries only what has not gone.
    box.reject.clear();
    expect((await send('operator', 'POST', '/api/bills/ebills', { period: OCT })).json()).toEqual({ sent: 1, failed: 0 });
  }, 30_000);

  it('a print run: paper bills in route order, manifests, the unprintable listed; a rerun gives the same files', async () => {
    expect((await send('operator', 'POST', '/api/bills/print-runs', { period: '2026-11-01' })).json().code).toBe('period_not_closed');
    const files = async () => {
      const { result } = await ctx.jobs.runNow(C, PRINT_RUN_JOB, { period: OCT });
      const run = (await send('operator', 'GET', `/api/bills/print-runs/${(result as { printRunId: number }).printRunId}`)).json();
      return { run, result: result as { printed: number; skipped: number } };
    };
    const first = await files();
    // Premises 1 and 2 take e-bills; 3 is printed; 4–6 have no unified account yet.
    expect(first.result).toMatchObject({ printed: 1, skipped: 3 });
    expect(first.run.files.map((f: { name: string }) => f.name)).toEqual(['batch-0001.pdf', 'manifest.csv', 'manifest.pdf', 'skipped.csv']);
    const get = async (name: string) => (await send('operator', 'GET', `/api/bills/print-runs/${first.run.printRunId}/files/${name}`)).rawPayload;
    const batch = await get('batch-0001.pdf');
    expect(pdfText(batch)).toContain('Шевчук Марія');
    expect((await get('manifest.csv')).toString()).toContain('21001 Соборна,"Соборна, 1",1,batch-0001.pdf,1,1');
    const skipped = (await get('skipped.csv')).toString();
    expect(skipped.split('\r\n').filter((l) => /^\d/.test(l)).map((l) => l.split(',')[0])).toEqual(['4', '5', '6']);
    expect(skipped).toContain('the premise has no unified account number');
    const second = await files();
    expect(second.run.printRunId).not.toBe(first.run.printRunId);
    expect(second.run.files.map((f: { sha256: string }) => f.sha256)).toEqual(first.run.files.map((f: { sha256: string }) => f.sha256));
    await expect(sql`update print_file set size = 0`.execute(h.db)).rejects.toThrow(/immutable/);
  }, 60_000);

  it('a print run on worker threads resumes after a crash: the batches stored are not rendered again, and the files equal a clean run', async () => {
    for (const premise of [1, 2]) expect((await send('operator', 'PUT', `/api/bills/premises/${premise}/delivery`, { method: 'courier' })).statusCode).toBe(200);
    // The third batch cannot be stored (a stand-in for a crash while the run is under way).
    await execSql(h.db, `
      create function fail_third_batch() returns trigger language plpgsql as $$
      begin
        if new.name = 'batch-0003.pdf' then raise exception 'simulated crash'; end if;
        return new;
      end $$;
      create trigger fail_third_batch before insert on print_file for each row execute function fail_third_batch();`);
    await expect(ctx.jobs.runNow(C, PRINT_RUN_JOB, { period: OCT, batchSize: 1 })).rejects.toThrow(/simulated crash/);
    const job = await h.db.selectFrom('job').selectAll().where('kind', '=', PRINT_RUN_JOB).orderBy('job_id', 'desc').executeTakeFirstOrThrow();
    expect(job.status).toBe('failed');
    const run = await h.db.selectFrom('print_run').select(['print_run_id', 'plan']).where('job_id', '=', job.job_id).executeTakeFirstOrThrow();
    const storedBefore = await h.db.selectFrom('print_file').select(['name', 'sha256']).where('print_run_id', '=', run.print_run_id).orderBy('name').execute();
    expect(storedBefore.map((f) => f.name)).toEqual(['batch-0001.pdf', 'batch-0002.pdf']);
    // The plan holds the paper premises in route order, the unprintable ones too (they go to skipped.csv).
    expect(run.plan!.map(Number)).toEqual([1, 2, 3, 4, 5, 6]);

    await execSql(h.db, `drop trigger fail_third_batch on print_file; drop function fail_third_batch();`);
    const resumed = (await ctx.jobs.resume(C, job.job_id)) as { printRunId: number; printed: number; batches: number; rendered: number };
    expect(resumed).toMatchObject({ printRunId: run.print_run_id, printed: 3, batches: 3, rendered: 1 });
    const after = await h.db.selectFrom('print_file').select(['name', 'sha256']).where('print_run_id', '=', run.print_run_id).orderBy('name').execute();
    expect(after.filter((f) => storedBefore.some((b) => b.name === f.name))).toEqual(storedBefore);
    const manifest = (await send('operator', 'GET', `/api/bills/print-runs/${run.print_run_id}/files/manifest.csv`)).rawPayload.toString();
    expect(manifest.split('\r\n').filter((l) => l.includes('batch-')).map((l) => l.split(',').slice(-3).join(','))).toEqual(['batch-0001.pdf,1,1', 'batch-0002.pdf,1,1', 'batch-0003.pdf,1,1']);

    const { result: clean } = await ctx.jobs.runNow(C, PRINT_RUN_JOB, { period: OCT, batchSize: 1 });
    const cleanFiles = await h.db.selectFrom('print_file').select(['name', 'sha256']).where('print_run_id', '=', (clean as { printRunId: number }).printRunId).orderBy('name').execute();
    expect(cleanFiles).toEqual(after);
    expect(pdfText((await send('operator', 'GET', `/api/bills/print-runs/${run.print_run_id}/files/batch-0003.pdf`)).rawPayload)).toContain('Шевчук Марія');
  }, 120_000);

  it("notices: a provider's own on bills with its lines, the community's news on every bill, both in the period range", async () => {
    const notice = { providerId: null, periodFrom: OCT.slice(0, 7), periodTo: OCT.slice(0, 7), textUk: 'Планова заміна труб', textEn: 'Planned pipe works' };
    const mine = await send('vodokanal', 'POST', '/api/bills/notices', { ...notice, providerId: 1 });
    expect(mine.statusCode).toBe(201);
    expect(mine.json().providerId).toBe(1);
    expect((await send('vodokanal', 'POST', '/api/bills/notices', { ...notice, providerId: 2 })).json().code).toBe('notice_not_allowed');
    expect((await send('resident', 'POST', '/api/bills/notices', notice)).statusCode).toBe(403);
    const bad = await send('admin', 'POST', '/api/bills/notices', { ...notice, periodFrom: '2026-12', textUk: 'Новини' });
    expect(bad.json()).toMatchObject({ code: 'invalid_period_range', field: 'periodTo' });
    expect((await send('admin', 'POST', '/api/bills/notices', { ...notice, textUk: 'Ярмарок у неділю', textEn: 'Fair on Sunday' })).statusCode).toBe(201);
    expect((await send('admin', 'POST', '/api/bills/notices', { ...notice, periodFrom: '2026-12', periodTo: '2026-12', textUk: 'Не цей місяць', textEn: 'Not this month' })).statusCode).toBe(201);
    const bill = (await send('admin', 'GET', `/api/bills/premises/1?period=${OCT}`)).json();
    // Premise 1 has a Водоканал account (provider 1): its notice is on the bill, under its name.
    expect(bill.notices).toEqual([{ provider: 'Водоканал', text: 'Планова заміна труб' }]);
    expect(bill.news).toContain('Ярмарок у неділю');
    expect(bill.news).not.toContain('Не цей місяць');
    const listed = (await send('vodokanal', 'GET', `/api/bills/notices?period=${OCT}`)).json().items;
    expect(listed.map((n: { textUk: string }) => n.textUk)).toEqual(['Планова заміна труб']);
    const text = plainSpaces(pdfText((await send('admin', 'GET', `/api/bills/premises/1/pdf?period=${OCT}`)).rawPayload));
    expect(text).toContain('Ярмарок у неділю');
    expect(text).toContain('Водоканал: Планова заміна труб');
  });
});
