/**
 * Runs a Debt-protocol request (debt-xml.ts) over the same core as the JSON agent API: the same
 * debt figure, the same idempotent pay, the same cancel. Every failure is an ErrorInfo answer —
 * 2 not found, 7 duplicate, 99 anything else — and nothing is posted. Readings with a Pay go
 * through the metering rules once (the first Pay of the transaction), each answered with its
 * verdict; a malformed one refuses the whole request (99) before anything is posted. A Check reads
 * and checks them the same way but stores nothing.
 */
import type { Db } from '../db/index';
import { AppError } from '../shared/errors';
import { DebtProtocolError, debtActionOf, debtPackXml, errorInfoXml, gatewayXml, parseDebtRequest, payersTableXml } from './debt-xml';
import * as payments from './service';

export function debtErrorXml(action: string, err: unknown): string {
  if (err instanceof DebtProtocolError) return errorInfoXml(action, err.code, err.message);
  if (err instanceof AppError) {
    const code = err.code === 'unknown_account' || err.code === 'invalid_unified_account' || err.status === 404 ? 2 : err.code === 'txn_conflict' ? 7 : 99;
    return errorInfoXml(action, code, `${err.messages.uk} / ${err.messages.en}`);
  }
  throw err;
}

export async function handleDebtXml(db: Db, agent: payments.Agent, xml: string): Promise<string> {
  const action = debtActionOf(xml);
  try {
    const req = parseDebtRequest(xml);
    switch (req.action) {
      case 'Presearch':
        return payersTableXml(await payments.findDebt(db, agent.communityId, req.billIdentifier!));
      case 'Search':
        return debtPackXml(await payments.findDebt(db, agent.communityId, req.billIdentifier!));
      case 'Check': {
        const check = await payments.checkPayment(db, agent, { unifiedAccount: req.billIdentifier!, amount: req.amount!, split: req.split });
        return gatewayXml('Check', check.reference);
      }
      case 'Pay': {
        const paid = await payments.pay(db, agent, { txnId: req.txnId!, unifiedAccount: req.billIdentifier!, amount: req.amount!, split: req.split, reference: req.checkReference, channel: 'debt' });
        // The readings go once, with the first Pay of the transaction: a retried Pay brings none again.
        if (!req.readings?.length || paid.replayed) return gatewayXml('Pay', String(paid.paymentId));
        const results = await payments.readingsWithPayment(db, agent, req.billIdentifier!, req.txnId!, req.readings);
        return gatewayXml(
          'Pay',
          String(paid.paymentId),
          results.map((r, i) => ({ serial: req.readings![i]!.serial, meterId: r.meterId, status: r.status, message: r.status === 'accepted' ? '' : `${r.message_uk} / ${r.message_en}` })),
        );
      }
      case 'Cancel': {
        const cancelled = await payments.cancelByAgent(db, agent, req.txnId!, 'Debt: Cancel');
        return gatewayXml('Cancel', String(cancelled.paymentId));
      }
    }
  } catch (err) {
    return debtErrorXml(action, err);
  }
}
