/**
 * Online card payment through an acquirer (LiqPay-style, liqpay.ts): the portal starts an order
 * for a household — the amount to pay is `amountDue` unless the resident types another — and
 * sends the resident to the acquirer; the acquirer's server callback, once its signature verifies,
 * posts the payment through the same `pay` as every agent (the order id is the transaction id, so
 * a repeated callback posts nothing more). Until the callback arrives the order is pending.
 *
 * The acquirer is a payment agent: its key id is the acquirer's public key, the key's secret its
 * private key.
 */

import type { Db, DbOrTx } from '../db/index';
import { AppError, invalid, notFound } from '../shared/errors';
import { formatUahPlain, parseUah } from '../shared/money';
import { decodeData, encodeData, liqpaySignature, liqpaySignatureMatches, type CallbackData, type CheckoutRequest } from './liqpay';
import * as repo from './repo';
import * as payments from './service';
import { receiptCode } from './chain';

export interface AcquirerSettings {
  /** The acquirer's agent code (e.g. 'sandbox'). */
  agentCode: string;
  /** Where the resident's browser posts the order (the acquirer's checkout). */
  checkoutUrl: string;
  /** Our callback URL the acquirer calls: …/api/payments/card/callback. */
  serverUrl: string;
  resultUrl?: string;
}

export interface CardOrder {
  orderId: string;
  amount: number;
  checkoutUrl: string;
  data: string;
  signature: string;
}

/**
 * The acquirer and its keys in force, newest first: new orders are signed with the newest, and a
 * callback may come signed with any of them (an order started before a rotation is paid after it).
 */
async function acquirerOf(db: DbOrTx, communityId: number, code: string, now = new Date()) {
  const agent = await repo.agentByCode(db, communityId, code);
  const keys = agent
    ? await db
        .selectFrom('agent_key')
        .select(['key_id', 'secret'])
        .where('community_id', '=', communityId)
        .where('agent_id', '=', agent.agent_id)
        .where('valid_from', '<=', now)
        .where((eb) => eb.or([eb('valid_until', 'is', null), eb('valid_until', '>', now)]))
        .orderBy('valid_from', 'desc')
        .execute()
    : [];
  if (!agent || keys.length === 0) throw notFound({ uk: `Еквайр «${code}»`, en: `Acquirer "${code}"` });
  return { agent: payments.agentFromRow(communityId, agent), active: agent.active, keys: keys.map((k) => ({ publicKey: k.key_id, privateKey: k.secret })) };
}

/** LiqPay's final statuses of a failed payment; any other but success and reversed (processing, wait_secure, 3ds_verify…) is not final yet. */
const DECLINED_STATUSES = new Set(['failure', 'error']);

/** Starts a card payment for a household: the portal (#16) calls this and sends the form to `checkoutUrl`. */
export async function startCardPayment(db: Db, communityId: number, settings: AcquirerSettings, input: { unifiedAccount: string; amount?: number; split?: payments.CheckInput['split'] }): Promise<CardOrder> {
  const { agent, keys, active } = await acquirerOf(db, communityId, settings.agentCode);
  // Switched off on the agents page: no new card payment starts (a callback for one already started still posts it).
  if (!active) {
    throw new AppError('card_payments_off', 503, {
      uk: 'Оплата карткою зараз вимкнена. Спробуйте пізніше або сплатіть за QR-кодом рахунку у застосунку свого банку',
      en: "Card payment is switched off now. Try later, or pay by the bill's QR code in your bank's app",
    });
  }
  const { publicKey, privateKey } = keys[0]!;
  const amount = input.amount ?? (await payments.findDebt(db, communityId, input.unifiedAccount)).total;
  if (amount <= 0) throw invalid('nothing_to_pay', { uk: 'Сплачувати нічого: борг нульовий', en: 'Nothing to pay: the debt is zero' }, { field: 'amount' });
  // An edited split per service is kept with the order; the callback's `pay` uses it by the reference.
  const check = await payments.checkPayment(db, agent, { unifiedAccount: input.unifiedAccount, amount, ...(input.split ? { split: input.split } : {}) });
  const request: CheckoutRequest = {
    version: 3,
    public_key: publicKey,
    action: 'pay',
    amount: formatUahPlain(amount),
    currency: 'UAH',
    description: `Комунальні послуги, єдиний рахунок ${input.unifiedAccount}`,
    order_id: check.reference,
    server_url: settings.serverUrl,
    ...(settings.resultUrl ? { result_url: settings.resultUrl } : {}),
  };
  const data = encodeData(request);
  return { orderId: check.reference, amount, checkoutUrl: settings.checkoutUrl, data, signature: liqpaySignature(privateKey, data) };
}

const badCallback = (en: string, uk: string) => new AppError('bad_callback', 400, { uk, en });

/**
 * The acquirer's callback, verified before anything else: success posts the payment (the order's
 * amount, in hryvnias); failure or error declines the order; reversed (the acquirer refunded the
 * payer) reverses the payment posted for it; a status on the way (processing, wait_secure…) changes nothing.
 */
export async function handleCardCallback(db: Db, communityId: number, agentCode: string, form: { data?: string; signature?: string }): Promise<{ orderId: string; status: CardOrderStatus }> {
  const { agent, keys } = await acquirerOf(db, communityId, agentCode);
  const { data, signature } = form;
  const key = data && signature ? keys.find((k) => liqpaySignatureMatches(k.privateKey, data, signature)) : undefined;
  if (!data || !key) throw badCallback('The callback signature does not verify', 'Підпис зворотного виклику не збігається');
  let cb: CallbackData;
  try {
    cb = decodeData<CallbackData>(data);
  } catch {
    throw badCallback('The callback data is not base64 JSON', 'Дані зворотного виклику — не base64 JSON');
  }
  if (cb.public_key !== key.publicKey) throw badCallback('The callback is for another merchant', 'Зворотний виклик для іншого продавця');
  const order = await db.selectFrom('payment_check').selectAll().where('community_id', '=', communityId).where('reference', '=', String(cb.order_id)).where('agent_id', '=', agent.agentId).executeTakeFirst();
  if (!order) throw notFound({ uk: `Замовлення ${cb.order_id}`, en: `Order ${cb.order_id}` });
  if (DECLINED_STATUSES.has(cb.status)) {
    await db.updateTable('payment_check').set({ outcome: 'declined' }).where('community_id', '=', communityId).where('reference', '=', order.reference).execute();
  } else if (cb.status === 'reversed') {
    const paid = await repo.paymentByTxn(db, communityId, agent.agentId, order.reference);
    if (paid && paid.status !== 'cancelled') {
      await payments.reversePayment(db, communityId, paid.payment_id, `${agent.code}: кошти повернуто платнику / refunded to the payer`, { sameDayOnly: false });
    }
  } else if (cb.status === 'success') {
    const amount = parseUah(String(cb.amount));
    if (cb.currency !== 'UAH' || !amount.ok || amount.value !== order.amount) {
      throw badCallback(`The callback amount ${cb.amount} ${cb.currency} is not the order's`, `Сума зворотного виклику ${cb.amount} ${cb.currency} не дорівнює сумі замовлення`);
    }
    const unifiedAccount = (await repo.unifiedAccountOfPremise(db, communityId, order.premise_id)) ?? '';
    await payments.pay(db, agent, { txnId: order.reference, unifiedAccount, amount: order.amount, reference: order.reference, channel: 'card' });
  }
  return { orderId: order.reference, status: (await cardOrderStatus(db, communityId, agentCode, order.reference)).status };
}

/** What the portal shows while the resident waits: pending until the callback, then paid (with the receipt) or declined; reversed once refunded. */
export type CardOrderStatus = 'pending' | 'paid' | 'declined' | 'reversed';

export async function cardOrderStatus(db: DbOrTx, communityId: number, agentCode: string, orderId: string): Promise<{ orderId: string; status: CardOrderStatus; receiptCode: string | null; premiseId: number }> {
  const { agent } = await acquirerOf(db, communityId, agentCode);
  const order = await db.selectFrom('payment_check').selectAll().where('community_id', '=', communityId).where('reference', '=', orderId).where('agent_id', '=', agent.agentId).executeTakeFirst();
  if (!order) throw notFound({ uk: `Замовлення ${orderId}`, en: `Order ${orderId}` });
  const paid = await repo.paymentByTxn(db, communityId, agent.agentId, orderId);
  const status = paid ? (paid.status === 'cancelled' ? 'reversed' : 'paid') : order.outcome === 'declined' ? 'declined' : 'pending';
  return { orderId, status, receiptCode: paid ? receiptCode(paid.payment_id, paid.receipt_secret) : null, premiseId: order.premise_id };
}

/** Settings from the environment: HROMADA_ACQUIRER (agent code), HROMADA_ACQUIRER_URL, HROMADA_PUBLIC_URL. */
export function acquirerSettingsFromEnv(env = process.env): AcquirerSettings {
  const base = (env.HROMADA_PUBLIC_URL ?? 'http://127.0.0.1:3000').replace(/\/$/, '');
  return {
    agentCode: env.HROMADA_ACQUIRER ?? 'sandbox',
    checkoutUrl: `${(env.HROMADA_ACQUIRER_URL ?? 'http://127.0.0.1:40149').replace(/\/$/, '')}/api/3/checkout`,
    serverUrl: `${base}/api/payments/card/callback`,
    resultUrl: `${base}/`,
  };
}

