/**
 * A built-in card acquirer that runs locally (for the demo and the tests) and speaks the same
 * LiqPay-style protocol as a real one: POST /api/3/checkout with form fields `data`, `signature`
 * and, because there is no card form, `card`. The card decides:
 *   4242 4242 4242 4242 → approved, callback at once;
 *   4000 0000 0000 0002 → declined, a 'failure' callback;
 *   4000 0000 0000 0259 → approved, but the callback comes `lateMs` later (the portal must wait).
 * The callback goes to the order's server_url as form fields data and signature.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeData, encodeData, liqpaySignature, liqpaySignatureMatches, type CallbackData, type CheckoutRequest } from './liqpay';

export const SANDBOX_CARDS = { approve: '4242424242424242', decline: '4000000000000002', late: '4000000000000259' } as const;

export interface SandboxAcquirer {
  url: string;
  close(): Promise<void>;
  /** Callbacks not yet delivered (the late ones). */
  pending(): number;
}

export async function startSandboxAcquirer(opts: { publicKey: string; privateKey: string; port?: number; lateMs?: number }): Promise<SandboxAcquirer> {
  const timers = new Set<NodeJS.Timeout>();
  let seq = 0;
  const deliver = async (serverUrl: string, body: CallbackData) => {
    const data = encodeData(body);
    await fetch(serverUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ data, signature: liqpaySignature(opts.privateKey, data) }).toString() });
  };
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', async () => {
      const answer = (status: number, obj: object) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(obj));
      };
      if (req.method !== 'POST' || req.url !== '/api/3/checkout') return answer(404, { status: 'error', err_description: 'not found' });
      const form = new URLSearchParams(raw);
      const data = form.get('data') ?? '';
      if (!liqpaySignatureMatches(opts.privateKey, data, form.get('signature') ?? '')) return answer(400, { status: 'error', err_description: 'invalid signature' });
      const order = decodeData<CheckoutRequest>(data);
      if (order.public_key !== opts.publicKey) return answer(400, { status: 'error', err_description: 'unknown public key' });
      const card = (form.get('card') ?? '').replace(/\s+/g, '');
      const approved = card === SANDBOX_CARDS.approve || card === SANDBOX_CARDS.late;
      const callback: CallbackData = {
        public_key: opts.publicKey,
        order_id: order.order_id,
        status: approved ? 'success' : 'failure',
        amount: order.amount,
        currency: order.currency,
        payment_id: ++seq,
        ...(approved ? {} : { err_description: 'card declined' }),
      };
      try {
        if (card === SANDBOX_CARDS.late) {
          const t = setTimeout(() => {
            timers.delete(t);
            void deliver(order.server_url, callback).catch(() => undefined);
          }, opts.lateMs ?? 1500);
          timers.add(t);
        } else {
          await deliver(order.server_url, callback);
        }
        answer(200, { status: card === SANDBOX_CARDS.late ? 'processing' : callback.status, order_id: order.order_id });
      } catch (err) {
        answer(502, { status: 'error', err_description: `callback failed: ${(err as Error).message}` });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    pending: () => timers.size,
    close: async () => {
      for (const t of timers) clearTimeout(t);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
