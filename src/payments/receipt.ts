/**
 * The payer's one receipt for the whole payment: every provider's part, the total, and the
 * verification code anyone can check at /api/receipts/<code>. Pure: data in, HTML out.
 */
import { formatUah } from '../shared/money';
import type { PaymentView } from './service';
import { drawQr, finishDocument, MM, openBillDocument } from '../bills/pdf';

export interface ReceiptData extends PaymentView {
  community: string;
  address: string;
  payer: string | null;
  agent: string;
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function receiptHtml(r: ReceiptData): string {
  const rows = r.parts
    .map((p) => `<tr><td>${escape(p.service)}</td><td>${escape(p.provider)}</td><td>${escape(p.accountNumber)}</td><td class="n">${formatUah(p.amount)}</td></tr>`)
    .join('');
  const cancelled = r.status === 'cancelled' ? '<p class="x">СКАСОВАНО / CANCELLED</p>' : '';
  return `<!doctype html><html lang="uk"><head><meta charset="utf-8"><title>Квитанція ${escape(r.receiptCode)}</title>
<style>body{font-family:sans-serif;max-width:40em;margin:2em auto}table{width:100%;border-collapse:collapse}td,th{border-bottom:1px solid #ccc;padding:.3em;text-align:left}.n{text-align:right}.x{color:#b00;font-weight:bold}</style></head>
<body><h1>Квитанція про оплату</h1>${cancelled}
<p>${escape(r.community)}</p>
<p>Єдиний рахунок <b>${escape(r.unifiedAccount)}</b>, ${escape(r.address)}${r.payer ? `, платник ${escape(r.payer)}` : ''}</p>
<p>Дата: ${escape(r.paidAt)} · ${escape(r.agent)} · транзакція ${escape(r.txnId)}</p>
<table><thead><tr><th>Послуга</th><th>Надавач</th><th>Особовий рахунок</th><th class="n">Сума</th></tr></thead><tbody>${rows}</tbody>
<tfoot><tr><th colspan="3">Разом</th><th class="n">${formatUah(r.amount)}</th></tr></tfoot></table>
<p>Код перевірки: <b>${escape(r.receiptCode)}</b> · <a href="/api/receipts/${escape(r.receiptCode)}.pdf">PDF</a></p></body></html>`;
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
    y += gap * MM;
  };
  line('Квитанція про оплату / Payment receipt', 'bold', 16, 10);
  if (r.status === 'cancelled') line('СКАСОВАНО / CANCELLED', 'bold', 12, 7);
  line(r.community, 'regular', 11, 6);
  line(`Єдиний рахунок ${r.unifiedAccount}, ${r.address}${r.payer ? `, платник ${r.payer}` : ''}`);
  line(`Дата: ${r.paidAt} · ${r.agent} · транзакція ${r.txnId}`, 'regular', 10, 9);
  const cols = [0, 55, 110, 145].map((c) => left + c * MM);
  const row = (cells: string[], font: 'regular' | 'bold') => {
    doc.font(font).fontSize(9);
    cells.forEach((text, i) => doc.text(text, cols[i]!, y, { width: (i === 3 ? 25 : i === 2 ? 33 : 53) * MM, align: i === 3 ? 'right' : 'left' }));
    y += 6 * MM;
    doc.moveTo(left, y - 1.5 * MM).lineTo(left + width, y - 1.5 * MM).lineWidth(0.3).strokeColor('#999').stroke();
  };
  row(['Послуга', 'Надавач', 'Особовий рахунок', 'Сума, грн'], 'bold');
  for (const p of r.parts) row([p.service, p.provider, p.accountNumber, formatUah(p.amount, { currency: false })], 'regular');
  row(['Разом', '', '', formatUah(r.amount, { currency: false })], 'bold');
  y += 4 * MM;
  line(`Код перевірки: ${r.receiptCode}`, 'bold', 11, 6);
  line(verifyUrl, 'regular', 9, 6);
  drawQr(doc, verifyUrl, 20, y / MM, 30);
  return finishDocument(doc);
}
