/**
 * Allocation: how one payment for a household is split among its personal accounts. Pure, no I/O.
 *
 * The rules:
 * - The payer's own split (per service) is taken as given: it must add up to the amount and name
 *   only services the household has. A service with several accounts gets its part in proportion
 *   to their debts (the rule below).
 * - Otherwise the amount goes to the accounts that owe (`toPay` from `amountDue`), in proportion to
 *   what each owes, to the kopeck: each gets the floor of its exact share, and the kopecks left are
 *   given one each to the largest remainders; equal remainders go to the account listed first
 *   (lines come in the statement's order: service, then account number), so the same input always
 *   gives the same split.
 * - A partial payment is the same proportion of every debt; an overpayment is spread by the same
 *   proportion, so each account is paid in full and the excess becomes an advance on the accounts
 *   that owed, in the shares of their debts.
 * - When nothing is owed, the whole payment is an advance on the first account (the lines list
 *   open accounts before closed ones, so it is never a closed account while an open one is there).
 * The parts are never negative and always sum to the amount exactly.
 */
import type { Bilingual } from '../shared/errors';
import type { Kopecks } from '../shared/money';

export interface DebtLine {
  accountId: number;
  serviceCode: string;
  /** What the account owes now (max(balance, 0) from amountDue); never negative. */
  toPay: Kopecks;
}

export interface SplitPart {
  serviceCode: string;
  amount: Kopecks;
}

export interface AllocatedPart {
  accountId: number;
  amount: Kopecks;
}

export type AllocationResult =
  | { ok: true; parts: AllocatedPart[] }
  | { ok: false; code: 'split_sum' | 'split_unknown_service' | 'split_negative' | 'no_accounts'; reason: Bilingual; field?: string };

/** Splits `amount` over `weights` (≥ 0, not all zero) by largest remainder; ties to the lower index. */
export function largestRemainder(amount: Kopecks, weights: readonly number[]): Kopecks[] {
  let total = 0;
  let heaviest = 0;
  for (const w of weights) {
    total += w;
    if (w > heaviest) heaviest = w;
  }
  if (total <= 0) throw new RangeError('largestRemainder needs a positive total weight');
  // Every product amount × weight fits in a double's 53 bits: the same split in exact integer
  // arithmetic on numbers (x % total is exact, and (x − x % total) / total divides exactly), at a
  // fraction of BigInt's cost. Otherwise BigInt.
  if (Number.isSafeInteger(total) && amount * heaviest <= Number.MAX_SAFE_INTEGER) return splitByRemainders(amount, weights.map((w) => {
    const product = amount * w;
    const remainder = product % total;
    return { share: (product - remainder) / total, remainder };
  }));
  return largestRemainderBig(amount, weights);
}

/** `largestRemainder` in BigInt, for any amount and weights (and the reference of the fast path's test). */
export function largestRemainderBig(amount: Kopecks, weights: readonly number[]): Kopecks[] {
  const total = weights.reduce((s, w) => s + BigInt(w), 0n);
  if (total <= 0n) throw new RangeError('largestRemainder needs a positive total weight');
  const big = BigInt(amount);
  return splitByRemainders(amount, weights.map((w) => ({ share: Number((big * BigInt(w)) / total), remainder: (big * BigInt(w)) % total })));
}

/** Floors plus the kopecks left, one each to the largest remainders (ties to the lower index). */
function splitByRemainders<R extends number | bigint>(amount: Kopecks, exact: ReadonlyArray<{ share: number; remainder: R }>): Kopecks[] {
  const shares = exact.map((x) => x.share);
  let left = amount - shares.reduce((s, x) => s + x, 0);
  const order = exact.map((x, i) => ({ i, r: x.remainder }));
  order.sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1));
  for (const { i } of order) {
    if (left === 0) break;
    shares[i]! += 1;
    left--;
  }
  return shares;
}

/** Splits a positive payment over the household's debt lines by the rules above. */
export function allocate(amount: Kopecks, lines: readonly DebtLine[], split?: readonly SplitPart[]): AllocationResult {
  if (lines.length === 0) {
    return { ok: false, code: 'no_accounts', reason: { uk: 'У помешкання немає особових рахунків', en: 'The premise has no personal accounts' } };
  }
  if (!split || split.length === 0) return { ok: true, parts: proportional(amount, lines) };

  let sum = 0;
  const byAccount = new Map<number, number>();
  for (const [i, part] of split.entries()) {
    if (!Number.isSafeInteger(part.amount) || part.amount < 0) {
      return { ok: false, code: 'split_negative', field: `split[${i}].amount`, reason: { uk: 'Сума за послугу має бути невід’ємною, у копійках', en: 'A service amount must be non-negative kopecks' } };
    }
    const own = lines.filter((l) => l.serviceCode === part.serviceCode);
    if (own.length === 0) {
      return {
        ok: false,
        code: 'split_unknown_service',
        field: `split[${i}].serviceCode`,
        reason: { uk: `Послуги «${part.serviceCode}» у цього помешкання немає`, en: `The household has no service "${part.serviceCode}"` },
      };
    }
    sum += part.amount;
    if (part.amount === 0) continue;
    proportional(part.amount, own).forEach((p) => byAccount.set(p.accountId, (byAccount.get(p.accountId) ?? 0) + p.amount));
  }
  if (sum !== amount) {
    return {
      ok: false,
      code: 'split_sum',
      field: 'split',
      reason: { uk: `Сума за послугами (${sum} коп.) не дорівнює сумі платежу (${amount} коп.)`, en: `The split adds up to ${sum} kopecks, not the payment's ${amount}` },
    };
  }
  return { ok: true, parts: lines.filter((l) => byAccount.has(l.accountId)).map((l) => ({ accountId: l.accountId, amount: byAccount.get(l.accountId)! })) };
}

function proportional(amount: Kopecks, lines: readonly DebtLine[]): AllocatedPart[] {
  const weights = lines.map((l) => Math.max(l.toPay, 0));
  if (weights.every((w) => w === 0)) return [{ accountId: lines[0]!.accountId, amount }];
  return largestRemainder(amount, weights)
    .map((share, i) => ({ accountId: lines[i]!.accountId, amount: share }))
    .filter((p) => p.amount > 0);
}
