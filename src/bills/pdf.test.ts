import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { balance, input } from '../../tests/helpers/bill-fixture';
import { decodeQrCodes, pdfText, pdfWords, plainSpaces } from '../../tests/helpers/pdf-tools';
import { formatUah } from '../shared/money';
import { composeBill } from './model';
import { ADDRESS_BLOCK, DL_WINDOW, MM, renderBillPdf } from './pdf';
import { decodeQrUrl } from './qr';

describe('the bill as a PDF', () => {
  const bill = composeBill(input());

  it('is one A4 page whose text holds the names, the account and the amounts', async () => {
    const pdf = await renderBillPdf(bill);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.toString('latin1')).toMatch(/\/MediaBox \[0 0 595\.28 841\.89\]/);
    const text = pdfText(pdf);
    for (const s of ['Коваленко Олена Петрівна', 'вул. Київська, 12а, кв. 1', '0000012345', 'Постачальник 1', 'ЄДРПОУ 32855961', formatUah(45_000), 'Аванс: ' + formatUah(3_000), '4.5 × 100']) {
      expect(text).toContain(plainSpaces(s));
    }
  });

  it('folded in three, the addressee block lies in the DL window (mm)', async () => {
    const words = pdfWords(await renderBillPdf(bill)).filter((w) => ['Коваленко', 'Олена', 'Петрівна', 'Київська,', '21000', 'Вінниця'].includes(w.text));
    expect(words).toHaveLength(6);
    for (const w of words) {
      expect(w.xMin / MM).toBeGreaterThanOrEqual(DL_WINDOW.x);
      expect(w.xMax / MM).toBeLessThanOrEqual(DL_WINDOW.x + DL_WINDOW.width);
      expect(w.yMin / MM).toBeGreaterThanOrEqual(DL_WINDOW.y);
      expect(w.yMax / MM).toBeLessThanOrEqual(DL_WINDOW.y + DL_WINDOW.height);
    }
    expect(ADDRESS_BLOCK.x + ADDRESS_BLOCK.width).toBeLessThanOrEqual(DL_WINDOW.x + DL_WINDOW.width);
  });

  it('its QR, decoded from the rendered page, carries the IBAN, the amount and the purpose', async () => {
    const [url] = decodeQrCodes(await renderBillPdf(bill));
    expect(url).toBe(bill.qr!.url);
    const lines = decodeQrUrl(url);
    expect(lines[6]).toBe('UA213223130000026007233566001');
    expect(lines[7]).toBe('UAH450.00');
    expect(lines[11]).toBe('Єдиний рахунок 0000012345, листопад 2026');
  });

  it('the 003 QR in Windows-1251 decodes as well', async () => {
    const b = composeBill(input({ design: { ...input().design, qrFormat: '003', qrEncoding: 2 } }));
    const [url] = decodeQrCodes(await renderBillPdf(b));
    expect(url.startsWith('https://qr.bank.gov.ua/')).toBe(true);
    expect(decodeQrUrl(url)[7]).toBe('UAH450');
  });

  it('nothing to pay: no QR, a line saying so', async () => {
    const pdf = await renderBillPdf(composeBill(input({ balances: [balance(1, 'water', -100)] })));
    expect(decodeQrCodes(pdf).length).toBe(0);
    expect(pdfText(pdf)).toContain('Нічого сплачувати');
  });

  it('the same bill renders to the same bytes', async () => {
    const sha = async () => createHash('sha256').update(await renderBillPdf(bill)).digest('hex');
    expect(await sha()).toBe(await sha());
  });
});
