/**
 * The LiqPay-style card protocol, both ends of it: a request or callback is `data` — base64 of a
 * JSON object — and `signature` = base64(SHA-1(private_key + data + private_key)) (LiqPay's
 * published scheme; SHA3-256 in place of SHA-1 when `algorithm` says so). A callback is believed
 * only when its signature verifies with our private key. Pure.
 */
import { createHash } from 'node:crypto';
import { sameSecret } from '../shared/same-secret';

export type SignatureAlgorithm = 'sha1' | 'sha3-256';

export interface CheckoutRequest {
  version: 3;
  public_key: string;
  action: 'pay';
  /** Hryvnias with a dot: "1580.23". */
  amount: string;
  currency: 'UAH';
  description: string;
  order_id: string;
  server_url: string;
  result_url?: string;
}

export interface CallbackData {
  public_key: string;
  order_id: string;
  /** 'success' (paid), 'failure' (declined), 'error', 'reversed'… */
  status: string;
  amount: number | string;
  currency: string;
  payment_id?: number | string;
  err_description?: string;
}

export function encodeData(obj: object): string {
  return Buffer.from(JSON.stringify(obj), 'utf8').toString('base64');
}

export function decodeData<T>(data: string): T {
  return JSON.parse(Buffer.from(data, 'base64').toString('utf8')) as T;
}

export function liqpaySignature(privateKey: string, data: string, algorithm: SignatureAlgorithm = 'sha1'): string {
  return createHash(algorithm).update(privateKey + data + privateKey).digest('base64');
}

export function liqpaySignatureMatches(privateKey: string, data: string, signature: string, algorithm: SignatureAlgorithm = 'sha1'): boolean {
  return sameSecret(signature, liqpaySignature(privateKey, data, algorithm));
}
