/**
 * The payer's one receipt for the whole payment: every provider's part, the total, and the
 * verification code anyone can check at /api/receipts/<code>. Pure: data in, HTML out.
 */
import { formatUah } from '../shared/money';
import { formatKyivDateTime } from '../shared/period';
import type { PaymentView } from './service';
import { drawQr, finishDocument, MM, openBillDocument } from '../bills/pdf';

export interface ReceiptData extends PaymentView {
  community: string;
  address: string;
  payer: string | null;
  agent: string;
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The receipt's words, Ukrainian first, with English (HTML and PDF say the same). */
const L = {
  title: 'Квитанція про оплату / Payment receipt',
  cancelled: 'СКАСОВАНО / CANCELLED',
  unified: 'Єдиний рахунок / Unified account',
  payer: 'платник / payer',
  date: 'Дата (Київ) / Date (Kyiv)',
  txn: 'транзакція / transaction',
  columns: ['Послуга / Service', 'Надавач / Provider', 'Особовий рахунок / Account', 'Сума, грн / Amount, UAH'],
  total: 'Разом / Total',
  code: 'Код перевірки / Verification code',
};

/** The lines above the table, shared by HTML and PDF. */
function heading(r: ReceiptData) {
  return {
    household: `${L.unified} ${r.unifiedAccount}, ${r.address}${r.payer ? `, ${L.payer} ${r.payer}` : ''}`,
    when: `${L.date}: ${formatKyivDateTime(new Date(r.paidAt))} · ${r.agent} · ${L.txn} ${r.txnId}`,
  };
}

export function receiptHtml(r: ReceiptData): string {
  const rows = r.parts
    .map((p) => `<tr><td>${escape(p.service)}</td><td>${escape(p.provider)}</td><td>${escape(p.accountNumber)}</td><td class="n">${formatUah(p.amount, { currency: false })}</td></tr>`)
    .join('');
  const cancelled = r.status === 'cancelled' ? `<p class="x">${L.cancelled}</p>` : '';
  const h = heading(r);
  return `<!doctype html><html lang="uk"><head><meta charset="utf-8"><title>Квитанція ${escape(r.receiptCode)}</title>
<style>body{font-family:sans-serif;max-width:44em;margin:2em auto;padding:0 1em}table{width:100%;border-collapse:collapse}td,th{border-bottom:1px solid #ccc;padding:.3em;text-align:left;vertical-align:top}.n{text-align:right;white-space:nowrap}.x{color:#b00;font-weight:bold}</style></head>
<body><h1>${L.title}</h1>${cancelled}
<p>${escape(r.community)}</p>
<p>${escape(h.household)}</p>
<p>${escape(h.when)}</p>
<table><thead><tr>${L.columns.map((c, i) => `<th${i === 3 ? ' class="n"' : ''}>${c}</th>`).join('')}</tr></thead><tbody>${rows}</tbody>
<tfoot><tr><th colspan="3">${L.total}</th><th class="n">${formatUah(r.amount, { currency: false })}</th></tr></tfoot></table>
<p>${L.code}: <b>${escape(r.receiptCode)}</b> · <a href="/api/receipts/${escape(r.receiptCode)}.pdf">PDF</a></p></body></html>`;
}

/**
 * The same receipt as an A4 PDF (the bills' fonts: DejaVu, full Ukrainian coverage), with a QR of
 * its verification address so a provider can check it with a phone. Deterministic: the payment's
 * time is the CreationDate, so the same receipt is the same bytes.
 */
export async function renderReceiptPdf(r: ReceiptData, verifyUrl: string): Promise<Buffer> {
  const doc = openBillDocument({ createdAt: new Date(r.paidAt), title: `Квитанція ${r.receiptCode}` });
  doc.addPage();
  const left = 20 * MM;
  const width = 170 * MM;
  let y = 20 * MM;
  const line = (text: string, font: 'regular' | 'bold' = 'regular', size = 10, gap = 5) => {
    doc.font(font).fontSize(size).fillColor('#000').text(text, left, y, { width });
    y += Math.max(gap * MM, doc.heightOfString(text, { width }) + 2 * MM); // a line that wraps pushes the next down
  };
  line(L.title, 'bold', 16, 10);
  if (r.status === 'cancelled') line(L.cancelled, 'bold', 12, 7);
  line(r.community, 'regular', 11, 6);
  const h = heading(r);
  line(h.household);
  line(h.when, 'regular', 10, 9);
  const cols = [0, 55, 110, 145].map((c) => left + c * MM);
  const widths = [53, 53, 33, 25].map((w) => w * MM);
  // A row is as tall as its tallest cell: a long provider name wraps instead of running into the next row.
  const row = (cells: string[], font: 'regular' | 'bold') => {
    doc.font(font).fontSize(9);
    const options = (i: number) => ({ width: widths[i]!, align: i === 3 ? ('right' as const) : ('left' as const) });
    const height = Math.max(...cells.map((text, i) => doc.heightOfString(text || ' ', options(i))));
    cells.forEach((text, i) => doc.text(text, cols[i]!, y, options(i)));
    y += height + 2.5 * MM;
    doc.moveTo(left, y - 1.5 * MM).lineTo(left + width, y - 1.5 * MM).lineWidth(0.3).strokeColor('#999').stroke();
  };
  row(L.columns, 'bold');
  for (const p of r.parts) row([p.service, p.provider, p.accountNumber, formatUah(p.amount, { currency: false })], 'regular');
  row([L.total, '', '', formatUah(r.amount, { currency: false })], 'bold');
  y += 4 * MM;
  line(`${L.code}: ${r.receiptCode}`, 'bold', 11, 6);
  line(verifyUrl, 'regular', 9, 6);
  drawQr(doc, verifyUrl, 20, y / MM, 30);
  return finishDocument(doc);
}
