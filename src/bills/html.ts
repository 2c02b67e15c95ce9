/** The bill's model as an HTML page: the e-bill's body and the web preview. Pure. */
import { formatUah } from '../shared/money';
import type { BillModel } from './model';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const money = (k: number) => esc(formatUah(k));

export function renderBillHtml(bill: BillModel): string {
  const d = bill.design;
  const rows = bill.services
    .map(
      (s) => `<tr><td>${esc(s.service)}<br><small>${esc(s.provider.name)}, ЄДРПОУ ${esc(s.provider.edrpou)}, ос. рах. ${esc(s.accountNumber)}${s.chargedAs.length ? ` · ${esc(s.chargedAs.join('; '))}` : ''}</small></td>` +
        [s.opening, s.charged, s.recalculation, s.benefitOrSubsidy, s.penalty, s.paid, s.toPay].map((v) => `<td align="right">${money(v)}</td>`).join('') + '</tr>',
    )
    .join('\n');
  const meters = bill.meters
    .map((m) => `<tr><td>${esc(m.serviceUk)}, № ${esc(m.serial)}</td><td>${esc(m.previous ?? '—')}</td><td>${m.estimated ? 'за оцінкою' : esc(m.current ?? '—')}</td><td>${esc(m.consumption)} ${esc(m.unit)}</td></tr>`)
    .join('\n');
  return `<!doctype html>
<html lang="uk"><head><meta charset="utf-8"><title>Єдиний рахунок ${esc(bill.unifiedAccount)}</title></head>
<body style="font-family: sans-serif; color: #222">
<h1 style="background: ${esc(d.primaryColor)}; color: #fff; padding: 8px">Єдиний рахунок за ${esc(bill.periodLabel)}</h1>
<p><b>${esc(bill.addressee.name)}</b><br>${bill.addressee.lines.map(esc).join('<br>')}</p>
<p>Особовий рахунок <b>${esc(bill.unifiedAccount)}</b>${bill.dueDate ? `, сплатити до ${esc(bill.dueDate)}` : ''}</p>
<p style="font-size: 1.4em">До сплати: <b>${money(bill.toPay)}</b>${bill.advance > 0 ? ` · аванс ${money(bill.advance)}` : ''}</p>
${bill.nothingToPay ? '<p>Нічого сплачувати: рахунок сплачено.</p>' : `<p><a href="${esc(bill.qr!.url)}">Сплатити в банківському застосунку</a> · призначення: ${esc(bill.purpose)}</p>`}
${bill.debtReminder ? `<p style="color: #a00">Нагадування: заборгованість ${money(bill.toPay)}.</p>` : ''}
<table border="1" cellspacing="0" cellpadding="4">
<tr style="background: ${esc(d.accentColor)}"><th>Послуга</th><th>Борг на початок</th><th>Нараховано</th><th>Перерахунок</th><th>Пільга, субсидія</th><th>Пеня</th><th>Оплачено</th><th>До сплати</th></tr>
${rows}
</table>
${meters ? `<h3>Показники лічильників</h3><table border="1" cellspacing="0" cellpadding="4"><tr><th>Лічильник</th><th>Попередні</th><th>Поточні</th><th>Спожито</th></tr>${meters}</table>` : ''}
${bill.news ? `<p>${esc(bill.news)}</p>` : ''}
<p><small>${[...d.contacts, d.footer].filter(Boolean).map(esc).join(' · ')}</small></p>
</body></html>`;
}
