import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeQrUrl, MAX_PAYLOAD_003, MAX_URL_003, paymentQr, qrAmount, qrField, type QrInput } from './qr';

const base: QrInput = {
  format: '002',
  encoding: 1,
  recipient: 'КП «Вінницький ЦОД»',
  iban: 'UA213223130000026007233566001',
  recipientCode: '32855961',
  amount: 123_450,
  purpose: 'Єдиний рахунок 0000012345, листопад 2026',
  display: 'ЄР 0000012345',
};

describe('qrAmount', () => {
  it.each([
    { kop: 123_450, format: '002', text: 'UAH1234.50' },
    { kop: 10_000, format: '002', text: 'UAH100.00' },
    { kop: 10_000, format: '003', text: 'UAH100' },
    { kop: 10_050, format: '003', text: 'UAH100.50' },
    { kop: 1, format: '003', text: 'UAH0.01' },
  ] as const)('$kop kop. in $format → $text', ({ kop, format, text }) => {
    expect(qrAmount(kop, format)).toBe(text);
  });
});

describe('paymentQr', () => {
  it('002 UTF-8: the exact payload and its base64url URL', () => {
    const qr = paymentQr(base);
    expect(qr.payload).toBe(
      'BCD\n002\n1\nUCT\n\nКП «Вінницький ЦОД»\nUA213223130000026007233566001\nUAH1234.50\n32855961\n\n\nЄдиний рахунок 0000012345, листопад 2026\nЄР 0000012345\n',
    );
    expect(qr.url).toBe('https://bank.gov.ua/qr/' + Buffer.from(qr.payload, 'utf8').toString('base64url'));
    expect(qr.url).not.toMatch(/[=+/]$/);
    expect(decodeQrUrl(qr.url)).toEqual(qr.payload.split('\n'));
  });

  it('002 Windows-1251 with CRLF: one byte per Cyrillic letter, decodes back', () => {
    const qr = paymentQr({ ...base, encoding: 2, crlf: true });
    expect(qr.payload.split('\r\n')).toHaveLength(14);
    expect(qr.bytes.length).toBe(qr.payload.length);
    expect(decodeQrUrl(qr.url)[5]).toBe('КП «Вінницький ЦОД»');
  });

  it('003: 17 fields, category SUPP/SUPP, lock mask and the Kyiv instants', () => {
    const qr = paymentQr({ ...base, format: '003', amount: 10_000, reference: '0000012345-202611', createdAt: '261203120000', validUntil: '261220235959' });
    const lines = qr.payload.split('\n');
    expect(lines).toHaveLength(17);
    expect(lines.slice(0, 5)).toEqual(['BCD', '003', '1', 'UCT', '']);
    expect(lines[7]).toBe('UAH100');
    expect(lines[9]).toBe('SUPP/SUPP');
    expect(lines[10]).toBe('0000012345-202611');
    expect(lines.slice(13)).toEqual(['FEFF', '261220235959', '261203120000', '']);
    expect(qr.url.startsWith('https://qr.bank.gov.ua/')).toBe(true);
  });

  it('refuses nothing to pay (the bill prints a line instead of a QR)', () => {
    expect(() => paymentQr({ ...base, amount: 0 })).toThrow();
  });

  it('a recipient longer than the limit is cut to 70 characters (002)', () => {
    const qr = paymentQr({ ...base, recipient: 'Ї'.repeat(100) });
    expect(qr.payload.split('\n')[5]).toBe('Ї'.repeat(70));
  });

  it('property: any text keeps the line structure and the field limits', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 600 }), fc.string({ maxLength: 600 }), fc.constantFrom<1 | 2>(1, 2), fc.boolean(), (recipient, purpose, encoding, crlf) => {
        const qr = paymentQr({ ...base, recipient, purpose, encoding, crlf });
        const lines = decodeQrUrl(qr.url);
        expect(lines).toHaveLength(14);
        expect(Array.from(lines[5]).length).toBeLessThanOrEqual(70);
        expect(Array.from(lines[11]).length).toBeLessThanOrEqual(140);
        expect(lines[6]).toBe(base.iban);
      }),
    );
  });

  it('property: a 003 payload within its limits stays ≤ 475 bytes and its URL ≤ 507', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), fc.string({ maxLength: 120 }), fc.integer({ min: 1, max: 1_499_999 }), (recipient, purpose, amount) => {
        const qr = paymentQr({ ...base, format: '003', encoding: 2, recipient, purpose, amount });
        expect(qr.bytes.length).toBeLessThanOrEqual(MAX_PAYLOAD_003);
        expect(qr.url.length).toBeLessThanOrEqual(MAX_URL_003);
      }),
    );
  });

  it('qrField turns line breaks into spaces', () => {
    expect(qrField('a\r\nb\nc', 10)).toBe('a b c');
  });
});
