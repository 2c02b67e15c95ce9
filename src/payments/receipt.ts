/**
 * The payer's one receipt for the whole payment: every provider's part, the total, and the
 * verification code anyone can check at /api/receipts/<code>. Pure: data in, HTML out.
 */
import { formatUah } from '../shared/money';
import type { PaymentView } from './service';

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
<p>Код перевірки: <b>${escape(r.receiptCode)}</b></p></body></html>`;
}
