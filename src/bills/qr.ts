/**
 * The NBU payment QR (resolution No. 97 of 2025, formats 002 and 003; docs/domain.md "Payment QR
 * code"): the payload a banking app reads to pre-fill a transfer, and the URL the QR carries.
 * Pure: the caller passes the amount (from `amountDue`), the recipient and, for 003, the instants.
 */
import iconv from 'iconv-lite';
import { assertKopecks, formatUahPlain, type Kopecks } from '../shared/money';

export type QrFormat = '002' | '003';
/** 1 = UTF-8, 2 = Windows-1251 (some banking apps are reported to want it). */
export type QrEncoding = 1 | 2;

export interface QrInput {
  format: QrFormat;
  encoding: QrEncoding;
  /** CRLF between lines instead of LF (some apps want it). */
  crlf?: boolean;
  recipient: string;
  iban: string;
  /** ЄДРПОУ or РНОКПП of the recipient. */
  recipientCode: string;
  amount: Kopecks;
  purpose: string;
  display?: string;
  /** 003 only: reference (≤ 35). */
  reference?: string;
  /** 003 only: 'YYMMDDhhmmss' Kyiv time. */
  createdAt?: string;
  validUntil?: string;
}

export interface PaymentQr {
  payload: string;
  /** The bytes that are base64url-encoded into the URL (UTF-8 or Windows-1251 of the payload). */
  bytes: Buffer;
  url: string;
}

const LIMITS: Record<QrFormat, { recipient: number; purpose: number; display: number }> = {
  '002': { recipient: 70, purpose: 140, display: 70 },
  '003': { recipient: 140, purpose: 420, display: 140 },
};
const PREFIX: Record<QrFormat, string> = { '002': 'https://bank.gov.ua/qr/', '003': 'https://qr.bank.gov.ua/' };
export const MAX_PAYLOAD_003 = 475;
export const MAX_URL_003 = 507;

/** A field may not break the line structure: line breaks become spaces, then it is cut to `max` characters. */
export function qrField(text: string, max: number): string {
  return Array.from(text.replace(/[\r\n]+/g, ' ').trim()).slice(0, max).join('');
}

/** 'UAH1234.50' (002) or, for 003, 'UAH100' when whole and 'UAH100.50' otherwise (never 'UAH100.5'). */
export function qrAmount(amount: Kopecks, format: QrFormat): string {
  assertKopecks(amount, 'QR amount');
  if (format === '003' && amount % 100 === 0) return `UAH${amount / 100}`;
  return `UAH${formatUahPlain(amount)}`;
}

export function paymentQr(input: QrInput): PaymentQr {
  if (input.amount <= 0) throw new Error('A payment QR needs an amount to pay');
  const limit = LIMITS[input.format];
  const common = [qrField(input.recipient, limit.recipient), input.iban, qrAmount(input.amount, input.format), input.recipientCode];
  const purpose = qrField(input.purpose, limit.purpose);
  const display = qrField(input.display ?? '', limit.display);
  const lines =
    input.format === '002'
      ? ['BCD', '002', String(input.encoding), 'UCT', '', ...common, '', '', purpose, display, '']
      : [
          'BCD', '003', String(input.encoding), 'UCT', '', ...common, 'SUPP/SUPP',
          qrField(input.reference ?? '', 35), purpose, display, 'FEFF',
          input.validUntil ?? '', input.createdAt ?? '', '',
        ];
  const payload = lines.join(input.crlf ? '\r\n' : '\n');
  const bytes = input.encoding === 1 ? Buffer.from(payload, 'utf8') : iconv.encode(payload, 'win1251');
  const url = PREFIX[input.format] + bytes.toString('base64url');
  if (input.format === '003' && (bytes.length > MAX_PAYLOAD_003 || url.length > MAX_URL_003)) {
    throw new Error(`NBU 003 payload of ${bytes.length} bytes (URL ${url.length}) is over the limit`);
  }
  return { payload, bytes, url };
}

/** Decodes a QR URL back to its payload lines (tests and the decoder check use it). */
export function decodeQrUrl(url: string): string[] {
  const format: QrFormat = url.startsWith(PREFIX['003']) ? '003' : '002';
  const bytes = Buffer.from(url.slice(PREFIX[format].length), 'base64url');
  const ascii = bytes.toString('latin1');
  const encoding = ascii.split(/\r?\n/)[2];
  const text = encoding === '2' ? iconv.decode(bytes, 'win1251') : bytes.toString('utf8');
  return text.split(/\r?\n/);
}
