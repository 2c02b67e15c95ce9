/**
 * "To pay" — the one figure a household owes, computed here and nowhere else: the bill, its QR,
 * the agents' API, the portal and the receipt all call `amountDue` on the balances of the
 * premise's personal accounts (from `premiseBalances` in statements.ts).
 *
 * The rule: each personal account owes its positive balance; an account with a negative balance
 * holds an advance for its own provider, which is shown but never netted against another
 * provider's debt (money paid to the gas company cannot settle the water bill). The total to pay
 * is the sum of what the accounts owe. Pure, no I/O.
 */
import { assertKopecks, type Kopecks } from '../shared/money';

export interface AccountBalance {
  accountId: number;
  /** Σ of the account's ledger entries: > 0 the resident owes, < 0 paid in advance. */
  balance: Kopecks;
}

export interface AccountDue<T extends AccountBalance = AccountBalance> {
  account: T;
  /** What this account's provider is owed: max(balance, 0). */
  toPay: Kopecks;
  /** Paid in advance to this provider: max(−balance, 0). */
  advance: Kopecks;
}

export interface AmountDue<T extends AccountBalance = AccountBalance> {
  lines: AccountDue<T>[];
  /** The figure the household is asked to pay: Σ toPay. Zero means nothing to pay. */
  total: Kopecks;
  /** Σ advance: shown beside the total, not subtracted from it. */
  advance: Kopecks;
}

/** What one account owes on its balance (the rule above); the set-based registry import uses it line by line. */
export function owedOn(balance: Kopecks): Kopecks {
  return Math.max(balance, 0);
}

export function amountDue<T extends AccountBalance>(balances: readonly T[]): AmountDue<T> {
  let total = 0;
  let advance = 0;
  const lines = balances.map((account) => {
    assertKopecks(account.balance, `balance of account ${account.accountId}`);
    const toPay = owedOn(account.balance);
    const adv = Math.max(-account.balance, 0);
    total += toPay;
    advance += adv;
    return { account, toPay, advance: adv };
  });
  return { lines, total, advance };
}
