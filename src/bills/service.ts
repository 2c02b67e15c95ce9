/**
 * Bills use cases: access (as for statements: staff see every premise, a provider only its own
 * lines, a resident only their premises), the checks that make a bill printable (a closed period,
 * a valid collecting IBAN and ЄДРПОУ, an address block), the community's design, e-bills.
 */
import { writeAudit } from '../auth/audit';
import { premisesBalances, premisesPeriodLines, type PremiseAccountBalance, type PremiseAccountLine } from '../billing/statements';
import type { Db, DbOrTx } from '../db/index';
import type { Mailer } from '../mail/transport';
import { linkedPremises } from '../metering/repo';
import { requireRole, STAFF } from '../server/access';
import type { SessionUser } from '../server/context';
import { invalid, notFound } from '../shared/errors';
import { validateEdrpou, validateUaIban } from '../shared/identifiers';
import { formatPeriodUk } from '../shared/period';
import { renderBillHtml } from './html';
import { BILL_SECTIONS, BillInputError, composeBill, DEFAULT_DESIGN, type BillDesign, type BillModel, type BillSection, type ChargeDetail, type MeterLine } from './model';
import { openBillDocument, openImage, renderBillPdf } from './pdf';
import { loadDesignRow, loadPeriod, noticesInPeriod, premiseHeaders, premisesChargeDetails, premisesMeterLines, type DesignRow, type NoticeRow, type PremiseHeader } from './repo';

export const MAX_LOGO_BYTES = 1024 * 1024;

/** The design as the model takes it; the row's collecting account is checked here, where bills are made. */
export function designOf(row: DesignRow | undefined): BillDesign & { locality: string } {
  if (!row) {
    throw invalid('no_bill_design', {
      uk: 'Громада ще не налаштувала рахунок: вкажіть отримувача, IBAN і ЄДРПОУ на сторінці «Дизайн рахунку»',
      en: 'The community has not set up its bill yet: give the recipient, IBAN and ЄДРПОУ on the bill design page',
    });
  }
  const iban = validateUaIban(row.collecting_iban);
  if (!iban.ok) throw invalid('invalid_collecting_iban', { uk: `IBAN збору платежів громади: ${iban.reason.uk}`, en: `The community's collecting IBAN: ${iban.reason.en}` }, { field: 'collectingIban' });
  const code = validateEdrpou(row.recipient_code);
  if (!code.ok) throw invalid('invalid_recipient_code', { uk: `ЄДРПОУ отримувача: ${code.reason.uk}`, en: `The recipient's ЄДРПОУ: ${code.reason.en}` }, { field: 'recipientCode' });
  return { ...rowToDesign(row), collectingIban: iban.value, recipientCode: code.value };
}

function rowToDesign(row: DesignRow): BillDesign & { locality: string } {
  return {
    recipientName: row.recipient_name,
    collectingIban: row.collecting_iban,
    recipientCode: row.recipient_code,
    locality: row.locality,
    qrFormat: row.qr_format,
    qrEncoding: row.qr_encoding,
    primaryColor: row.primary_color,
    accentColor: row.accent_color,
    serviceOrder: row.service_order,
    sections: row.sections.filter((s): s is BillSection => (BILL_SECTIONS as readonly string[]).includes(s)),
    contacts: row.contacts,
    footer: row.footer,
    news: row.news,
    debtThreshold: row.debt_threshold,
    hasLogo: row.logo !== null,
  };
}

export async function requireClosedPeriod(db: DbOrTx, communityId: number, period: string) {
  const p = await loadPeriod(db, communityId, period);
  if (p?.status !== 'closed') {
    throw invalid('period_not_closed', {
      uk: `Період ${period.slice(0, 7)} не закрито: рахунки видають лише за закритий період`,
      en: `Period ${period.slice(0, 7)} is not closed: bills are issued for closed periods only`,
    }, { field: 'period', period });
  }
  return p;
}

/** Why a premise's bill cannot be made, in both languages (the print run lists these). */
export function billInputReason(e: BillInputError) {
  return e.code === 'no_address'
    ? { uk: 'у приміщення немає адреси для вікна конверта', en: 'the premise has no address for the envelope window' }
    : { uk: 'у приміщення немає номера єдиного рахунку', en: 'the premise has no unified account number' };
}

/** What a premise's bill is made of, from the ledger and the readings. */
export interface PremiseBillData {
  lines: PremiseAccountLine[];
  balances: PremiseAccountBalance[];
  charges: ChargeDetail[];
  meters: MeterLine[];
}

/** The bill data of many premises, four set-based statements in all (a print run loads a batch at once). */
export async function loadBillData(db: DbOrTx, communityId: number, premiseIds: number[], period: string): Promise<(premiseId: number) => PremiseBillData> {
  const [lines, balances, charges, meters] = await Promise.all([
    premisesPeriodLines(db, communityId, premiseIds, period),
    premisesBalances(db, communityId, premiseIds, period),
    premisesChargeDetails(db, communityId, premiseIds, period),
    premisesMeterLines(db, communityId, premiseIds, period),
  ]);
  return (id) => ({ lines: lines.get(id) ?? [], balances: balances.get(id) ?? [], charges: charges.get(id) ?? [], meters: meters.get(id) ?? [] });
}

/** A premise's bill from its data, the period's notices and the design; `providerId` keeps only that provider's lines. */
export function billFromData(
  header: PremiseHeader, data: PremiseBillData, period: string, design: BillDesign & { locality: string }, dueDate: string | null,
  notices: NoticeRow[], providerId: number | null = null,
): BillModel {
  const own = providerId === null ? data.balances : data.balances.filter((b) => b.providerId === providerId);
  const ownServices = new Set(own.map((b) => b.serviceCode));
  const ownProviders = new Set(own.map((b) => b.providerId));
  return composeBill({
    communityName: header.communityName,
    period,
    dueDate,
    unifiedAccount: header.unifiedAccount ?? '',
    addressee: { name: header.addresseeName, street: header.street, postalCode: header.postalCode, locality: design.locality },
    lines: data.lines,
    balances: own,
    charges: data.charges,
    meters: providerId === null ? data.meters : data.meters.filter((m) => ownServices.has(m.serviceCode)),
    notices: notices.filter((n) => n.providerId !== null && ownProviders.has(n.providerId)).map((n) => ({ provider: n.provider ?? '', text: n.textUk })),
    communityNews: notices.filter((n) => n.providerId === null).map((n) => n.textUk),
    design,
  });
}

/** A premise's bill from the ledger, readings and design; `providerId` keeps only that provider's lines. */
export async function buildBill(
  db: DbOrTx, communityId: number, header: PremiseHeader, period: string, design: BillDesign & { locality: string }, dueDate: string | null,
  providerId: number | null = null, periodNotices?: NoticeRow[],
): Promise<BillModel> {
  const [data, notices] = await Promise.all([
    loadBillData(db, communityId, [header.premiseId], period),
    periodNotices ?? noticesInPeriod(db, communityId, period),
  ]);
  return billFromData(header, data(header.premiseId), period, design, dueDate, notices, providerId);
}

async function checkPremiseAccess(db: DbOrTx, actor: SessionUser, premiseId: number): Promise<number | null> {
  if (STAFF.includes(actor.role)) return null;
  if (actor.role === 'provider' && actor.providerId) return actor.providerId;
  if (actor.role === 'resident' && (await linkedPremises(db, actor.communityId, actor.userId)).has(premiseId)) return null;
  throw notFound({ uk: `Приміщення ${premiseId}`, en: `Premise ${premiseId}` });
}

async function premiseBill(db: DbOrTx, actor: SessionUser, premiseId: number, period: string, draft?: DesignRow) {
  const providerId = await checkPremiseAccess(db, actor, premiseId);
  const p = await requireClosedPeriod(db, actor.communityId, period);
  const row = draft ?? (await loadDesignRow(db, actor.communityId));
  const design = designOf(row);
  const [header] = await premiseHeaders(db, actor.communityId, period, [premiseId]);
  if (!header) throw notFound({ uk: `Приміщення ${premiseId}`, en: `Premise ${premiseId}` });
  try {
    const model = await buildBill(db, actor.communityId, header, period, design, p.due_date, providerId);
    return { model, logo: row?.logo ?? null, header };
  } catch (e) {
    if (e instanceof BillInputError) throw invalid(`bill_${e.code}`, billInputReason(e), { premiseId });
    throw e;
  }
}

export async function getBill(db: DbOrTx, actor: SessionUser, premiseId: number, period: string): Promise<BillModel> {
  return (await premiseBill(db, actor, premiseId, period)).model;
}

export async function getBillPdf(db: DbOrTx, actor: SessionUser, premiseId: number, period: string): Promise<{ pdf: Buffer; filename: string }> {
  const { model, logo } = await premiseBill(db, actor, premiseId, period);
  return { pdf: await renderBillPdf(model, logo), filename: billFilename(model) };
}

export async function getBillHtml(db: DbOrTx, actor: SessionUser, premiseId: number, period: string): Promise<string> {
  return renderBillHtml((await premiseBill(db, actor, premiseId, period)).model);
}

export const billFilename = (m: BillModel) => `bill-${m.unifiedAccount}-${m.period.slice(0, 7)}.pdf`;

// ---------------------------------------------------------------------------------------------
// The community's design
// ---------------------------------------------------------------------------------------------

/** What an administrator sets (the logo travels on its own). */
export type DesignInput = Omit<BillDesign, 'hasLogo'> & { locality: string };

const COLOUR = /^#[0-9a-fA-F]{6}$/;

function checkDesign(input: DesignInput): void {
  for (const field of ['primaryColor', 'accentColor'] as const) {
    if (!COLOUR.test(input[field])) {
      throw invalid('invalid_colour', { uk: `«${input[field]}» — не колір: потрібно #RRGGBB, напр. #1c4e80`, en: `"${input[field]}" is not a colour: use #RRGGBB, e.g. #1c4e80` }, { field });
    }
  }
  const iban = validateUaIban(input.collectingIban);
  if (!iban.ok) throw invalid('invalid_collecting_iban', { uk: `IBAN збору платежів: ${iban.reason.uk}`, en: `Collecting IBAN: ${iban.reason.en}` }, { field: 'collectingIban' });
  const code = validateEdrpou(input.recipientCode);
  if (!code.ok) throw invalid('invalid_recipient_code', { uk: `ЄДРПОУ отримувача: ${code.reason.uk}`, en: `Recipient's ЄДРПОУ: ${code.reason.en}` }, { field: 'recipientCode' });
  if (!input.recipientName.trim()) throw invalid('recipient_required', { uk: 'Вкажіть отримувача платежів', en: 'Give the payments recipient' }, { field: 'recipientName' });
}

function designValues(input: DesignInput) {
  return {
    recipient_name: input.recipientName.trim(),
    collecting_iban: validateUaIban(input.collectingIban).ok ? input.collectingIban.replace(/\s+/g, '').toUpperCase() : input.collectingIban,
    recipient_code: input.recipientCode,
    locality: input.locality,
    qr_format: input.qrFormat,
    qr_encoding: input.qrEncoding,
    primary_color: input.primaryColor.toLowerCase(),
    accent_color: input.accentColor.toLowerCase(),
    service_order: input.serviceOrder,
    sections: input.sections,
    contacts: input.contacts,
    footer: input.footer,
    news: input.news,
    debt_threshold: input.debtThreshold,
  };
}

export function designView(row: DesignRow | undefined) {
  const d = { ...DEFAULT_DESIGN, recipientName: '', collectingIban: '', recipientCode: '', locality: '' };
  return row ? { ...rowToDesign(row), configured: true } : { ...d, configured: false };
}

export async function getDesign(db: DbOrTx, actor: SessionUser) {
  requireRole(actor, ...STAFF);
  return designView(await loadDesignRow(db, actor.communityId));
}

export async function saveDesign(db: Db, actor: SessionUser, input: DesignInput) {
  requireRole(actor, 'admin');
  checkDesign(input);
  return db.transaction().execute(async (trx) => {
    const before = await loadDesignRow(trx, actor.communityId);
    const values = { ...designValues(input), updated_at: new Date() };
    await trx.insertInto('bill_design').values({ community_id: actor.communityId, ...values }).onConflict((oc) => oc.column('community_id').doUpdateSet(values)).execute();
    await writeAudit(trx, actor, before ? 'update' : 'create', 'bill_design', actor.communityId, before ? { ...before, logo: undefined } : null, values);
    return designView(await loadDesignRow(trx, actor.communityId));
  });
}

/** The logo: a real PNG or JPEG (pdfkit must open it) of at most 1 MB. */
export function checkLogo(bytes: Buffer): 'image/png' | 'image/jpeg' {
  if (bytes.length > MAX_LOGO_BYTES) {
    throw invalid('logo_too_large', { uk: `Логотип ${Math.ceil(bytes.length / 1024)} КБ: не більше 1 МБ`, en: `The logo is ${Math.ceil(bytes.length / 1024)} KB: at most 1 MB` }, { field: 'logo', size: bytes.length });
  }
  const type = bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) ? 'image/png' : bytes[0] === 0xff && bytes[1] === 0xd8 ? 'image/jpeg' : null;
  const notImage = () => invalid('logo_not_image', { uk: 'Логотип — не зображення PNG чи JPEG', en: 'The logo is not a PNG or JPEG image' }, { field: 'logo' });
  if (!type) throw notImage();
  try {
    openImage(openBillDocument({ createdAt: new Date(0), title: 'logo' }), bytes);
  } catch {
    throw notImage();
  }
  return type;
}

export async function saveLogo(db: Db, actor: SessionUser, bytes: Buffer | null) {
  requireRole(actor, 'admin');
  const type = bytes ? checkLogo(bytes) : null;
  const row = await loadDesignRow(db, actor.communityId);
  if (!row) throw invalid('no_bill_design', { uk: 'Спершу збережіть дизайн рахунку', en: 'Save the bill design first' });
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('bill_design').set({ logo: bytes, logo_type: type, updated_at: new Date() }).where('community_id', '=', actor.communityId).execute();
    await writeAudit(trx, actor, 'update', 'bill_design.logo', actor.communityId, { logo_type: row.logo_type, size: row.logo?.length ?? 0 }, { logo_type: type, size: bytes?.length ?? 0 });
  });
  return designView(await loadDesignRow(db, actor.communityId));
}

export async function getLogo(db: DbOrTx, actor: SessionUser) {
  requireRole(actor, ...STAFF);
  const row = await loadDesignRow(db, actor.communityId);
  if (!row?.logo) throw notFound({ uk: 'Логотип', en: 'Logo' });
  return { bytes: row.logo, type: row.logo_type ?? 'application/octet-stream' };
}

/** Live preview: a real premise's bill under a design not yet saved (the saved logo kept). */
export async function previewPdf(db: DbOrTx, actor: SessionUser, premiseId: number, period: string, draft: DesignInput) {
  requireRole(actor, 'admin');
  checkDesign(draft);
  const saved = await loadDesignRow(db, actor.communityId);
  const row: DesignRow = { community_id: actor.communityId, ...designValues(draft), logo: saved?.logo ?? null, logo_type: saved?.logo_type ?? null, updated_at: new Date() };
  const { model, logo } = await premiseBill(db, actor, premiseId, period, row);
  return renderBillPdf(model, logo);
}

// ---------------------------------------------------------------------------------------------
// Delivery and e-bills
// ---------------------------------------------------------------------------------------------

export async function setDelivery(db: Db, actor: SessionUser, premiseId: number, input: { method: 'courier' | 'ukrposhta' | 'ebill'; email?: string | null }) {
  requireRole(actor, 'admin', 'operator');
  if (input.method === 'ebill' && !input.email) {
    throw invalid('email_required', { uk: 'Для електронного рахунку потрібна адреса e-mail', en: 'An e-bill needs an e-mail address' }, { field: 'email' });
  }
  const values = { method: input.method, email: input.email ?? null };
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('bill_delivery').values({ community_id: actor.communityId, premise_id: premiseId, ...values }).onConflict((oc) => oc.columns(['community_id', 'premise_id']).doUpdateSet(values)).execute();
    await writeAudit(trx, actor, 'update', 'bill_delivery', premiseId, null, values);
  });
  return values;
}

export interface EbillOptions {
  attempts?: number;
  retryDelayMs?: number;
}

/**
 * Sends the period's e-bills (HTML body, PDF attached) to every premise that chose them and has not
 * had one yet; each try is retried, and the log keeps one row per premise and outcome with the
 * reason of a failure. A rerun sends only what has not gone.
 */
export async function sendEbills(db: Db, actor: SessionUser, period: string, mailer: Mailer, opts: EbillOptions = {}) {
  requireRole(actor, 'admin', 'operator');
  const p = await requireClosedPeriod(db, actor.communityId, period);
  const row = await loadDesignRow(db, actor.communityId);
  const design = designOf(row);
  const sent = new Set(
    (await db.selectFrom('bill_email').select('premise_id').where('community_id', '=', actor.communityId).where('period', '=', period).where('status', '=', 'sent').execute()).map((r) => r.premise_id),
  );
  const premises = (await premiseHeaders(db, actor.communityId, period)).filter((h) => h.delivery === 'ebill' && h.email && !sent.has(h.premiseId));
  const attempts = opts.attempts ?? 3;
  const result = { sent: 0, failed: 0 };
  for (const h of premises) {
    let error: string | null = null;
    let messageId: string | null = null;
    let tries = 0;
    try {
      const model = await buildBill(db, actor.communityId, h, period, design, p.due_date);
      const pdf = await renderBillPdf(model, row?.logo ?? null);
      for (tries = 1; tries <= attempts; tries++) {
        try {
          messageId = (await mailer.send({
            to: h.email!,
            subject: `Єдиний рахунок ${model.unifiedAccount} за ${formatPeriodUk(period)}`,
            text: `До сплати: ${(model.toPay / 100).toFixed(2)} грн. Рахунок у вкладенні (PDF).`,
            html: renderBillHtml(model),
            attachments: [{ filename: billFilename(model), content: pdf, contentType: 'application/pdf' }],
          })).messageId;
          error = null;
          break;
        } catch (e) {
          error = (e as Error).message;
          if (tries < attempts) await new Promise((r) => setTimeout(r, opts.retryDelayMs ?? 1000 * tries));
        }
      }
    } catch (e) {
      if (!(e instanceof BillInputError)) throw e;
      error = billInputReason(e).en;
    }
    await db.insertInto('bill_email').values({
      community_id: actor.communityId, premise_id: h.premiseId, period, address: h.email!, status: error ? 'failed' : 'sent',
      attempts: Math.min(tries, attempts), error, message_id: messageId,
    }).execute();
    if (error) result.failed++;
    else result.sent++;
  }
  return result;
}

export async function emailLog(db: DbOrTx, actor: SessionUser, period: string) {
  requireRole(actor, ...STAFF);
  const rows = await db
    .selectFrom('bill_email')
    .select(['email_id', 'premise_id', 'period', 'address', 'status', 'attempts', 'error', 'message_id', 'sent_at'])
    .where('community_id', '=', actor.communityId)
    .where('period', '=', period)
    .orderBy('email_id', 'desc')
    .execute();
  return rows.map((r) => ({ ...r, sent_at: new Date(r.sent_at).toISOString() }));
}

// ---------------------------------------------------------------------------------------------
// Notices on the bill: a provider's, or the community's news
// ---------------------------------------------------------------------------------------------

export interface NoticeInput {
  providerId: number | null;
  periodFrom: string;
  periodTo: string;
  textUk: string;
  textEn: string;
}

/** Who may write a notice of this provider: staff any (null = the community's news), a provider's user only its own. */
function noticeProvider(actor: SessionUser, providerId: number | null): number | null {
  if (actor.role === 'admin' || actor.role === 'operator') return providerId;
  if (actor.role === 'provider' && actor.providerId && (providerId === null || providerId === actor.providerId)) return actor.providerId;
  throw invalid('notice_not_allowed', { uk: 'Оголошення постачальника може додати лише він сам або адміністратор', en: "Only the provider itself or an administrator may add the provider's notice" }, { field: 'providerId' });
}

export async function addNotice(db: Db, actor: SessionUser, input: NoticeInput) {
  requireRole(actor, 'admin', 'operator', 'provider');
  const providerId = noticeProvider(actor, input.providerId);
  if (input.periodTo < input.periodFrom) {
    throw invalid('invalid_period_range', { uk: `Період «до» (${input.periodTo.slice(0, 7)}) раніше за «від» (${input.periodFrom.slice(0, 7)})`, en: `The period "to" (${input.periodTo.slice(0, 7)}) is before "from" (${input.periodFrom.slice(0, 7)})` }, { field: 'periodTo' });
  }
  for (const field of ['textUk', 'textEn'] as const) {
    if (!input[field].trim()) throw invalid('notice_text_required', { uk: 'Текст оголошення українською та англійською обов’язковий', en: 'The notice text in Ukrainian and in English is required' }, { field });
  }
  if (providerId !== null) {
    const p = await db.selectFrom('provider').select('provider_id').where('community_id', '=', actor.communityId).where('provider_id', '=', providerId).executeTakeFirst();
    if (!p) throw notFound({ uk: `Постачальник ${providerId}`, en: `Provider ${providerId}` });
  }
  return db.transaction().execute(async (trx) => {
    const values = { community_id: actor.communityId, provider_id: providerId, period_from: input.periodFrom, period_to: input.periodTo, text_uk: input.textUk.trim(), text_en: input.textEn.trim(), created_by: actor.userId };
    const row = await trx.insertInto('bill_notice').values(values).returning('notice_id').executeTakeFirstOrThrow();
    await writeAudit(trx, actor, 'create', 'bill_notice', row.notice_id, null, values);
    return { noticeId: row.notice_id, providerId };
  });
}

/** The notices in force in a period; a provider's user sees only its own. */
export async function listNotices(db: DbOrTx, actor: SessionUser, period: string) {
  requireRole(actor, ...STAFF, 'provider');
  return noticesInPeriod(db, actor.communityId, period, actor.role === 'provider' ? (actor.providerId ?? -1) : undefined);
}

export async function deleteNotice(db: Db, actor: SessionUser, noticeId: number) {
  requireRole(actor, 'admin', 'operator', 'provider');
  const row = await db.selectFrom('bill_notice').selectAll().where('community_id', '=', actor.communityId).where('notice_id', '=', noticeId).executeTakeFirst();
  if (!row || (actor.role === 'provider' && row.provider_id !== actor.providerId)) throw notFound({ uk: `Оголошення ${noticeId}`, en: `Notice ${noticeId}` });
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('bill_notice').where('community_id', '=', actor.communityId).where('notice_id', '=', noticeId).execute();
    await writeAudit(trx, actor, 'delete', 'bill_notice', noticeId, row, null);
  });
}
