/**
 * Plausible amounts: every money field has bounds, per row and per account (the sum of one file's
 * rows for one account). A row beyond them is held for review with the reason, never posted
 * straight to the ledger. The defaults come from the field (e.g. a single utility payment through
 * an aggregator is 2–14 999 UAH); a community may set its own in billing_settings.amount_bounds.
 * All amounts are kopecks.
 */
import { formatUah } from './money';
import { invalid } from './errors';

export const MONEY_FIELDS = ['payment', 'charge', 'recalculation', 'benefit', 'subsidy', 'opening_balance', 'adjustment'] as const;
export type MoneyField = (typeof MONEY_FIELDS)[number];

export interface Bounds {
  /** The smallest amount a row may carry (negative for fields that may be negative). */
  min: number;
  max: number;
  /** The largest absolute sum of one account's rows in one file (or one request). */
  perAccount: number;
}

export type AmountBounds = Record<MoneyField, Bounds>;

const UAH = 100;

export const DEFAULT_BOUNDS: AmountBounds = {
  // A single payment: 2 to 14 999 UAH, as aggregators take them; one account's payments in one file up to 30 000 UAH.
  payment: { min: 2 * UAH, max: 14_999 * UAH, perAccount: 30_000 * UAH },
  // A month's charge for one service of one household.
  charge: { min: 0, max: 50_000 * UAH, perAccount: 100_000 * UAH },
  recalculation: { min: -50_000 * UAH, max: 50_000 * UAH, perAccount: 100_000 * UAH },
  benefit: { min: -50_000 * UAH, max: 50_000 * UAH, perAccount: 100_000 * UAH },
  subsidy: { min: -50_000 * UAH, max: 50_000 * UAH, perAccount: 100_000 * UAH },
  // A debt or an advance carried over from the provider's own system.
  opening_balance: { min: -500_000 * UAH, max: 500_000 * UAH, perAccount: 500_000 * UAH },
  // An operator's manual correction.
  adjustment: { min: -100_000 * UAH, max: 100_000 * UAH, perAccount: 100_000 * UAH },
};

const FIELD_NAMES: Record<MoneyField, { uk: string; en: string }> = {
  payment: { uk: 'оплата', en: 'payment' },
  charge: { uk: 'нарахування', en: 'charge' },
  recalculation: { uk: 'перерахунок', en: 'recalculation' },
  benefit: { uk: 'пільга', en: 'benefit' },
  subsidy: { uk: 'субсидія', en: 'subsidy' },
  opening_balance: { uk: 'вхідне сальдо', en: 'opening balance' },
  adjustment: { uk: 'коригування', en: 'adjustment' },
};

/** The community's bounds: its own where it set them, the defaults elsewhere. */
export function boundsOf(stored: unknown): AmountBounds {
  const own = (stored && typeof stored === 'object' ? stored : {}) as Partial<Record<MoneyField, Partial<Bounds>>>;
  const out = { ...DEFAULT_BOUNDS };
  for (const field of Object.keys(DEFAULT_BOUNDS) as MoneyField[]) {
    const o = own[field];
    if (o) out[field] = { ...DEFAULT_BOUNDS[field], ...Object.fromEntries(Object.entries(o).filter(([, v]) => Number.isSafeInteger(v))) };
  }
  return out;
}

const uah = (k: number) => formatUah(k, { currency: false });

/** Whether one row's amount is within its bounds. */
export function withinRow(field: MoneyField, kopecks: number, bounds: AmountBounds): boolean {
  return Number.isSafeInteger(kopecks) && kopecks >= bounds[field].min && kopecks <= bounds[field].max;
}

/** Whether one account's total of a field is within its bound. */
export function withinAccount(field: MoneyField, totalKopecks: number, bounds: AmountBounds): boolean {
  return Number.isSafeInteger(totalKopecks) && Math.abs(totalKopecks) <= bounds[field].perAccount;
}

/** The reason a row beyond its bounds is held: what the field is and what it may be. */
export function rowBoundsReason(field: MoneyField, bounds: AmountBounds): { uk: string; en: string } {
  const b = bounds[field];
  const name = FIELD_NAMES[field];
  return {
    uk: `${name.uk} поза межами ${uah(b.min)} … ${uah(b.max)} грн: неправдоподібна сума, перевірте рядок`,
    en: `${name.en} outside ${uah(b.min)} … ${uah(b.max)} UAH: an implausible amount, check the row`,
  };
}

/** The reason an account's rows are held: their total is past the per-account bound. */
export function accountBoundsReason(field: MoneyField, bounds: AmountBounds): { uk: string; en: string } {
  const name = FIELD_NAMES[field];
  return {
    uk: `разом за рахунком (${name.uk}) понад ${uah(bounds[field].perAccount)} грн: перевірте рядки`,
    en: `the account's ${name.en} total exceeds ${uah(bounds[field].perAccount)} UAH: check the rows`,
  };
}

/** Refuses (422, naming the field) an amount an API call brings beyond its bounds. */
export function requirePlausible(field: MoneyField, kopecks: number, bounds: AmountBounds, inputField = 'amount'): void {
  if (withinRow(field, kopecks, bounds)) return;
  throw invalid('amount_implausible', rowBoundsReason(field, bounds), { field: inputField, min: bounds[field].min, max: bounds[field].max });
}
