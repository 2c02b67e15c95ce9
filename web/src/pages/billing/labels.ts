import type { Bilingual } from '../../i18n';
import { kyivToday, periodOf } from '../../../../src/shared/period';

/** The current month in Kyiv as 'YYYY-MM', what the month fields offer first. */
export const kyivMonth = (): string => periodOf(kyivToday()).slice(0, 7);

/** Kopecks as hryvnias: «1 234,50 ₴» / "1,234.50 ₴", never «-0,00», never wrapped before ₴. */
export function money(kopecks: number, locale: string): string {
  const uah = kopecks === 0 ? 0 : kopecks / 100;
  return `${new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(uah)}\u00a0₴`;
}

/** A tariff price or norm as entered: every significant decimal (7,95689), at least two for money. */
export function decimal(value: string | number, locale: string, minimumFractionDigits = 0): string {
  return new Intl.NumberFormat(locale, { minimumFractionDigits, maximumFractionDigits: 6 }).format(Number(value));
}

/** Where a ledger entry came from (ledger_entry.source). */
export const SOURCE_LABELS: Record<string, Bilingual> = {
  billing: { uk: 'нарахування громади', en: 'community billing' },
  import: { uk: 'дані постачальника', en: "provider's data" },
  manual: { uk: 'оператор', en: 'operator' },
  payment: { uk: 'оплата', en: 'payment' },
};

/** Consumer categories a tariff can be scoped to; a code not listed here is shown as it is. */
export const CONSUMER_CATEGORY_LABELS: Record<string, Bilingual> = {
  electric_heating: { uk: 'з електроопаленням', en: 'electric heating' },
};

export const METHOD_LABELS: Record<string, Bilingual> = {
  metered: { uk: 'За лічильником', en: 'Metered' },
  norm: { uk: 'Норма × особи', en: 'Norm × persons' },
  per_person: { uk: 'За особу', en: 'Per person' },
  area_total: { uk: 'За м² загальної площі', en: 'Per m² of total area' },
  area_heated: { uk: 'За м² опалюваної площі', en: 'Per m² of heated area' },
  fixed_account: { uk: 'Фіксовано на рахунок', en: 'Fixed per account' },
  fixed_premise: { uk: 'Фіксовано на приміщення', en: 'Fixed per premise' },
  capacity: { uk: 'Річна потужність ÷ 12', en: 'Annual capacity ÷ 12' },
  heat_distribution: { uk: 'Розподіл будинкового тепла', en: 'Building heat distribution' },
  building_distribution: { uk: 'Небаланс будинкового лічильника', en: 'Building meter imbalance' },
  recalculation: { uk: 'Перерахунок', en: 'Recalculation' },
  benefit: { uk: 'Пільга', en: 'Benefit' },
  subsidy: { uk: 'Субсидія', en: 'Subsidy' },
  penalty: { uk: 'Пеня', en: 'Penalty' },
};

export const KIND_LABELS: Record<string, Bilingual> = {
  opening_balance: { uk: 'Вхідне сальдо', en: 'Opening balance' },
  charge: { uk: 'Нарахування', en: 'Charge' },
  recalculation: { uk: 'Перерахунок', en: 'Recalculation' },
  benefit: { uk: 'Пільга', en: 'Benefit' },
  subsidy: { uk: 'Субсидія', en: 'Subsidy' },
  penalty: { uk: 'Пеня', en: 'Penalty' },
  payment: { uk: 'Оплата', en: 'Payment' },
  adjustment: { uk: 'Коригування', en: 'Adjustment' },
  reversal: { uk: 'Сторно', en: 'Reversal' },
};

export const PERIOD_STATUS: Record<string, Bilingual & { color: string }> = {
  open: { uk: 'відкритий', en: 'open', color: 'blue' },
  calculated: { uk: 'розраховано', en: 'calculated', color: 'orange' },
  closed: { uk: 'закрито', en: 'closed', color: 'gray' },
};

export const label = (labels: Record<string, Bilingual>, key: string): Bilingual => labels[key] ?? { uk: key, en: key };

/**
 * The reason of a ledger entry in words: the ones the system writes (an import's charges, a
 * corrected import, a payment from a provider's file) are named; an operator's own text is shown
 * as typed.
 */
export function ledgerReason(reason: string): Bilingual {
  if (reason === 'provider charges') return { uk: 'нарахування з файлу постачальника', en: "charges from the provider's file" };
  const corrected = /^import:(\w+):/.exec(reason);
  if (corrected) {
    const kind = label(KIND_LABELS, corrected[1]!);
    return { uk: `виправлення імпорту (${kind.uk.toLowerCase()})`, en: `an import corrected (${kind.en.toLowerCase()})` };
  }
  if (/^payment:\d+:/.test(reason)) return { uk: 'оплата з файлу постачальника', en: "a payment from the provider's file" };
  return { uk: reason, en: reason };
}
