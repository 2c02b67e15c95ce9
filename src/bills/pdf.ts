/**
 * The bill as an A4 PDF page (pdfkit, DejaVu Sans for full Ukrainian coverage). Folded in three,
 * the addressee block sits in the window of a DL envelope (ADDRESS_BLOCK, in mm); the payment QR
 * is drawn as vector squares from the module matrix with the ₴ in a white circle in its centre.
 * Deterministic: a fixed CreationDate (the period) fixes the document ID, so the same bills give
 * the same bytes. `drawBill` adds one bill to an open document, so a batch embeds its fonts once.
 */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import PDFDocument from 'pdfkit';
import encodeQR from 'qr';
import { formatUah } from '../shared/money';
import type { BillModel } from './model';

const require = createRequire(import.meta.url);
const FONT_DIR = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf').replace(/DejaVuSans\.ttf$/, '');
const FONTS = {
  regular: readFileSync(FONT_DIR + 'DejaVuSans.ttf'),
  bold: readFileSync(FONT_DIR + 'DejaVuSans-Bold.ttf'),
  condensed: readFileSync(FONT_DIR + 'DejaVuSansCondensed.ttf'),
};

export const MM = 72 / 25.4;
/** Where the addressee block is printed (mm from the sheet's top-left): inside the DL window. */
export const ADDRESS_BLOCK = { x: 22, y: 52, width: 84, height: 38 };
/** The DL envelope's window as it falls on the sheet folded in three (domain.md "Printing"). */
export const DL_WINDOW = { x: 20, y: 50, width: 90, height: 45 };
const QR_BOX = { x: 150, y: 48, size: 42 };

type Doc = InstanceType<typeof PDFDocument>;

export interface BillDocOptions {
  /** The instant written as CreationDate: fixed so a rerun yields identical bytes. */
  createdAt: Date;
  title: string;
}

export function openBillDocument(options: BillDocOptions): Doc {
  const doc = new PDFDocument({
    size: 'A4',
    margin: 0,
    autoFirstPage: false,
    info: { CreationDate: options.createdAt, Title: options.title, Producer: 'Hromada', Creator: 'Hromada' },
  });
  doc.registerFont('regular', FONTS.regular);
  doc.registerFont('bold', FONTS.bold);
  doc.registerFont('condensed', FONTS.condensed);
  return doc;
}

export function finishDocument(doc: Doc): Promise<Buffer> {
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  return new Promise((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.end();
  });
}

/** One bill as its own PDF document. */
export async function renderBillPdf(model: BillModel, logo?: Buffer | null): Promise<Buffer> {
  const doc = openBillDocument({ createdAt: periodInstant(model.period), title: `Єдиний рахунок ${model.unifiedAccount} ${model.periodLabel}` });
  drawBill(doc, model, logo ? await embedLogo(doc, logo) : null);
  return finishDocument(doc);
}

/** The period's first day, noon UTC: the CreationDate of every bill of that period. */
export function periodInstant(period: string): Date {
  return new Date(`${period}T12:00:00Z`);
}

const mm = (v: number) => v * MM;
/** An image opened once per document (pdfkit's openImage, missing from its types): a batch embeds the logo once. */
export interface PdfImage {
  width: number;
  height: number;
}
export function openImage(doc: Doc, bytes: Buffer): PdfImage {
  return (doc as unknown as { openImage(src: Buffer): PdfImage }).openImage(bytes);
}

/**
 * The logo opened and embedded before any page is drawn: a PNG with an alpha channel is decoded
 * asynchronously and its mask object numbered when that ends, so waiting here keeps the object
 * order, and thus the bytes, the same on every run.
 */
export async function embedLogo(doc: Doc, bytes: Buffer): Promise<PdfImage> {
  const image = openImage(doc, bytes) as PdfImage & { embed(d: Doc): void; image: unknown };
  image.embed(doc);
  while (image.image) await new Promise((r) => setImmediate(r));
  return image;
}

export function drawBill(doc: Doc, bill: BillModel, logo: PdfImage | null): void {
  const d = bill.design;
  doc.addPage({ size: 'A4', margin: 0 });

  // Header band: community, period, unified account, due date.
  doc.rect(0, 0, mm(210), mm(30)).fill(d.primaryColor);
  let headerX = 15;
  if (logo) {
    doc.image(logo as never, mm(12), mm(5), { fit: [mm(20), mm(20)] });
    headerX = 36;
  }
  textAt(doc.fillColor('#ffffff').font('bold').fontSize(14), 'ЄДИНИЙ РАХУНОК', mm(headerX), mm(7));
  textAt(doc.font('regular').fontSize(10), `${bill.communityName} · за ${bill.periodLabel}`, mm(headerX), mm(14));
  textAt(doc.font('bold').fontSize(12), `Особовий рахунок ${bill.unifiedAccount}`, mm(headerX), mm(20));
  if (bill.dueDate) {
    textRight(doc.font('regular').fontSize(10), `Сплатити до ${formatDate(bill.dueDate)}`, mm(198), mm(20));
  }

  // Addressee block in the DL window.
  const a = ADDRESS_BLOCK;
  textAt(doc.fillColor('#000000').font('bold').fontSize(11), bill.addressee.name, mm(a.x), mm(a.y + 4));
  doc.font('regular').fontSize(10);
  bill.addressee.lines.forEach((line, i) => textAt(doc, line, mm(a.x), mm(a.y + 11 + i * 6)));

  // To pay, and the QR (or the line saying there is nothing to pay).
  textAt(doc.font('regular').fontSize(9).fillColor('#333333'), 'До сплати', mm(112), mm(50));
  textAt(doc.font('bold').fontSize(bill.toPay >= 1_000_000 ? 13 : 16).fillColor(d.primaryColor), formatUah(bill.toPay), mm(112), mm(55));
  if (bill.advance > 0) {
    doc.font('regular').fontSize(8).fillColor('#333333').text(`Аванс: ${formatUah(bill.advance)}`, mm(112), mm(64), { width: mm(36) });
  }
  if (bill.qr) {
    drawQr(doc, bill.qr.url, QR_BOX.x, QR_BOX.y, QR_BOX.size);
    doc.font('regular').fontSize(7).fillColor('#333333').text('Скануйте в банківському застосунку', mm(QR_BOX.x), mm(QR_BOX.y + QR_BOX.size + 1), { width: mm(QR_BOX.size), align: 'center' });
  } else {
    doc.font('bold').fontSize(10).fillColor('#2b7a0b').text('Нічого сплачувати: рахунок сплачено', mm(150), mm(60), { width: mm(45) });
  }
  doc.font('regular').fontSize(7).fillColor('#333333').text(`Призначення: ${bill.purpose}`, mm(112), mm(72), { width: mm(36) });

  // Services table, below the first fold.
  let y = 104;
  // Column titles broken into lines here (not by pdfkit's wrapper, which a print run cannot afford).
  const cols = [
    { title: ['Послуга, постачальник'], x: 12, w: 62 },
    { title: ['Борг на', 'початок'], x: 74, w: 18 },
    { title: ['Нараховано'], x: 92, w: 18 },
    { title: ['Перерахунок'], x: 110, w: 17 },
    { title: ['Пільга,', 'субсидія'], x: 127, w: 17 },
    { title: ['Пеня'], x: 144, w: 14 },
    { title: ['Оплачено'], x: 158, w: 18 },
    { title: ['До сплати'], x: 176, w: 22 },
  ];
  doc.rect(mm(10), mm(y - 2), mm(190), mm(8)).fill(d.accentColor);
  doc.fillColor('#000000').font('bold').fontSize(6);
  for (const c of cols) {
    c.title.forEach((t, i) => (c.x === 12 ? textAt(doc, t, mm(c.x), mm(y - 1 + i * 2.5)) : textRight(doc, t, mm(c.x + c.w), mm(y - 1 + i * 2.5))));
  }
  y += 8;
  const row = (label: string[], figures: number[], bold = false) => {
    textAt(doc.font(bold ? 'bold' : 'regular').fontSize(8).fillColor('#000000'), label[0], mm(12), mm(y));
    doc.font('condensed').fontSize(6.5).fillColor('#444444');
    label.slice(1).forEach((l, i) => textAt(doc, l, mm(12), mm(y + 3.6 + i * 3)));
    doc.font(bold ? 'bold' : 'regular').fontSize(8).fillColor('#000000');
    figures.forEach((f, i) => textRight(doc, formatUah(f, { currency: false }), mm(cols[i + 1].x + cols[i + 1].w), mm(y)));
    y += 4 + Math.max(0, label.length - 1) * 3 + 1.5;
    doc.moveTo(mm(10), mm(y - 1)).lineTo(mm(200), mm(y - 1)).lineWidth(0.3).strokeColor('#cccccc').stroke();
  };
  for (const s of bill.services) {
    if (y > 250) break;
    row(
      [
        s.advance > 0 ? `${s.service} (аванс ${formatUah(s.advance)})` : s.service,
        `${s.provider.name}, ЄДРПОУ ${s.provider.edrpou}, ос. рах. ${s.accountNumber}`,
        `IBAN ${s.provider.iban}${s.chargedAs.length ? ` · ${s.chargedAs.join('; ')}` : ''}`,
      ],
      [s.opening, s.charged, s.recalculation, s.benefitOrSubsidy, s.penalty, s.paid, s.toPay],
    );
  }
  const t = bill.totals;
  row(['Разом'], [t.opening, t.charged, t.recalculation, t.benefitOrSubsidy, t.penalty, t.paid, t.toPay], true);

  // Meters with boxes for the next readings.
  if (bill.meters.length && y < 240) {
    y += 3;
    textAt(doc.font('bold').fontSize(9).fillColor(d.primaryColor), 'Показники лічильників', mm(12), mm(y));
    y += 5;
    doc.font('bold').fontSize(7).fillColor('#000000');
    for (const [title, x] of [['Лічильник', 12], ['Попередні', 80], ['Поточні', 105], ['Спожито', 130], ['Нові показники', 155]] as const) textAt(doc, title, mm(x), mm(y));
    y += 4;
    for (const m of bill.meters) {
      if (y > 262) break;
      doc.font('regular').fontSize(7.5);
      textAt(doc, `${m.serviceUk}, № ${m.serial}${m.zone > 1 ? `, зона ${m.zone}` : ''}`, mm(12), mm(y));
      textAt(doc, m.previous ?? '—', mm(80), mm(y));
      textAt(doc, m.estimated ? 'за оцінкою' : (m.current ?? '—'), mm(105), mm(y));
      textAt(doc, `${m.consumption} ${m.unit}`, mm(130), mm(y));
      if (d.sections.includes('readingBoxes')) {
        for (let i = 0; i < 6; i++) doc.rect(mm(155 + i * 6), mm(y - 0.8), mm(5), mm(4.2)).lineWidth(0.4).strokeColor('#888888').stroke();
      }
      y += 5;
    }
  }

  // Notices, news, the debt reminder, contacts and footer.
  y = Math.max(y + 3, 255);
  doc.font('regular').fontSize(7.5).fillColor('#000000');
  const notes: string[] = [];
  if (bill.debtReminder) notes.push(`Нагадування: заборгованість ${formatUah(bill.toPay)}. Будь ласка, сплатіть, щоб уникнути пені.`);
  for (const n of bill.notices) notes.push(`${n.provider}: ${n.text}`);
  if (bill.news) notes.push(bill.news);
  for (const n of notes.slice(0, 4)) {
    textAt(doc, n, mm(12), mm(y));
    y += 4;
  }
  doc.moveTo(mm(10), mm(280)).lineTo(mm(200), mm(280)).lineWidth(0.5).strokeColor(d.primaryColor).stroke();
  textAt(doc.font('regular').fontSize(7).fillColor('#333333'), [...d.contacts, d.footer].filter(Boolean).join(' · '), mm(12), mm(282));
  compressPage(doc);
}

/**
 * The finished page's content deflated at zlib level 1 rather than pdfkit's level 6: compressing
 * took a fifth of a print run's time, for files a sixth smaller. pdfkit has no option for the
 * level, so the stream is compressed here and marked FlateDecode; pdfkit then writes it as it is.
 */
function compressPage(doc: Doc): void {
  const content = (doc as unknown as { page: { content: { buffer: Uint8Array[]; compress: boolean; data: { Filter?: string } } } }).page.content;
  content.buffer = [deflateSync(Buffer.concat(content.buffer), { level: 1 })];
  content.compress = false;
  content.data.Filter = 'FlateDecode';
}

/** The QR as vector squares (runs of dark modules merged into one rectangle) with ₴ in a white circle. */
export function drawQr(doc: Doc, text: string, xMm: number, yMm: number, sizeMm: number): void {
  // Byte mode (the NBU URL is ASCII, and UTF-8 before base64): the `qr` encoder picks the
  // version and the best of the eight masks by the standard's penalty, fast enough for a print run.
  // The matrix comes with a quiet zone of two modules on every side.
  const modules = encodeQR(text, 'raw', { ecc: 'quartile', encoding: 'byte', border: 2 });
  const n = modules.length;
  const cell = mm(sizeMm) / n;
  const ox = mm(xMm);
  const oy = mm(yMm);
  doc.rect(mm(xMm), mm(yMm), mm(sizeMm), mm(sizeMm)).fill('#ffffff');
  // The dark modules, runs in a row merged, go into the page as one content string in module
  // units under a scaling matrix: a print run draws hundreds per bill, and pdfkit's rect() would
  // make a buffer and print four decimals for each.
  const squares: string[] = [];
  for (let r = 0; r < n; r++) {
    const row = modules[r];
    let c = 0;
    while (c < n) {
      if (!row[c]) {
        c++;
        continue;
      }
      const start = c;
      while (c < n && row[c]) c++;
      squares.push(`${start} ${r} ${c - start} 1 re`);
    }
  }
  const scale = Math.round(cell * 1e6) / 1e6;
  doc.addContent(`q ${scale} 0 0 ${scale} ${Math.round(ox * 1e6) / 1e6} ${Math.round(oy * 1e6) / 1e6} cm\n${squares.join('\n')}\n0 0 0 rg f Q`);
  const cx = ox + (n * cell) / 2;
  const cy = oy + (n * cell) / 2;
  const radius = (n - 4) * cell * 0.09; // 9 % of the symbol: well inside what error correction Q restores
  doc.circle(cx, cy, radius).fill('#ffffff');
  doc.font('bold').fontSize(radius * 1.4).fillColor('#000000');
  textAt(doc, '₴', cx - doc.widthOfString('₴') / 2, cy - radius * 0.82);
}

/** What textAt needs of pdfkit's current font (its EmbeddedFont; pdfkit's types leave it out). */
interface PdfFont {
  id: string;
  ascender: number;
  ref(): unknown;
  encode(text: string): [string[], Array<{ xAdvance: number }>];
}

const pdfNumber = (n: number) => Math.round(n * 1e6) / 1e6;

/**
 * Each character's glyph in a document's font: its hex code in the font's subset and its advance
 * (1/1000 em), taken once through pdfkit's own encode (which also adds the glyph to the subset
 * with its width and Unicode, so the text stays extractable). A print run lays out about a
 * hundred lines a bill, most of them figures, names and numbers seen once; shaping each through
 * the font's layout engine was a third of a bill's time.
 */
const glyphCache = new WeakMap<PdfFont, Map<string, { hex: string; advance: number }>>();

function glyphsOf(font: PdfFont, text: string) {
  let known = glyphCache.get(font);
  if (!known) glyphCache.set(font, (known = new Map()));
  let hex = '';
  let advance = 0;
  for (const ch of text) {
    let glyph = known.get(ch);
    if (!glyph) {
      const [codes, positions] = font.encode(ch);
      glyph = { hex: codes.join(''), advance: positions.reduce((sum, p) => sum + p.xAdvance, 0) };
      known.set(ch, glyph);
    }
    hex += glyph.hex;
    advance += glyph.advance;
  }
  return { hex, advance };
}

const docFont = (doc: Doc) => doc as unknown as { _font: PdfFont; _fontSize: number; page: { fonts: Record<string, unknown> } };

/**
 * One line of text with its top-left corner at (x, y), in the current font, size and colour, as
 * one content string: glyph by glyph (no kerning pairs, no ligatures — none that a bill's
 * Cyrillic, Latin and figures need), without text()'s options, wrapping and buffer per operator.
 */
function textAt(doc: Doc, text: string, x: number, y: number): void {
  if (!text) return;
  const state = docFont(doc);
  const font = state._font;
  const size = state._fontSize;
  state.page.fonts[font.id] ??= font.ref();
  // The page's own matrix has y pointing down (pdfkit's); a text matrix flipped the same way puts
  // glyphs upright, with no save, transform and restore around each line as text() writes.
  const baseline = y + (font.ascender / 1000) * size;
  doc.addContent(`BT\n1 0 0 -1 ${pdfNumber(x)} ${pdfNumber(baseline)} Tm\n/${font.id} ${pdfNumber(size)} Tf\n[<${glyphsOf(font, text).hex}> 0] TJ\nET`);
}

/** One line of text ending at `right` (figures in their columns), measured as textAt draws it. */
function textRight(doc: Doc, text: string, right: number, y: number): void {
  const state = docFont(doc);
  textAt(doc, text, right - (glyphsOf(state._font, text).advance * state._fontSize) / 1000, y);
}

function formatDate(iso: string): string {
  return `${iso.slice(8, 10)}.${iso.slice(5, 7)}.${iso.slice(0, 4)}`;
}
