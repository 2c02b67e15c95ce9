/** Kysely types of the billing tables (see the matching migrations 20261126194x in src/db/migrations). */
import type { ColumnType, Generated } from 'kysely';
import type { Json, Numeric, Timestamp } from '../registry/tables';

/** What an imported charge above the approved tariff becomes (billing_settings.tariff_excess). */
export type TariffExcess = 'flag' | 'hold';

export type PeriodStatus = 'open' | 'calculated' | 'closed';
export type BillingRunStatus = 'running' | 'calculated' | 'superseded' | 'posted' | 'failed' | 'discarded';
export type LedgerKind =
  | 'opening_balance'
  | 'charge'
  | 'recalculation'
  | 'benefit'
  | 'subsidy'
  | 'penalty'
  | 'payment'
  | 'adjustment'
  | 'reversal';
export type LedgerSource = 'billing' | 'import' | 'manual' | 'payment';
export type TariffMethod =
  | 'metered'
  | 'norm'
  | 'per_person'
  | 'area_total'
  | 'area_heated'
  | 'fixed_account'
  | 'fixed_premise'
  | 'capacity'
  | 'building_distribution'
  | 'heat_distribution';
export type DistributionBasis = 'area' | 'persons' | 'consumption';

/** A 'YYYY-MM-DD' date (periods are the first day of a month). */
type DateText = string;

export interface BillingTables {
  billing_period: {
    community_id: number;
    period: DateText;
    status: ColumnType<PeriodStatus, PeriodStatus | undefined>;
    due_date: DateText | null;
    calculated_at: Timestamp | null;
    closed_at: Timestamp | null;
    closed_by: number | null;
    snapshot_entry_id: number | null;
  };
  /** Per-account balances as of the latest closed period (src/billing/snapshot.ts). */
  ledger_snapshot: {
    community_id: number;
    period: DateText;
    account_id: number;
    principal: number;
    penalties: number;
    last_bill: number;
    /** Charges (kind 'charge') of the period and of the two before; null: no charge entry that month. */
    charged_1: number | null;
    charged_2: number | null;
    charged_3: number | null;
  };
  billing_run: {
    community_id: number;
    billing_run_id: Generated<number>;
    period: DateText;
    status: ColumnType<BillingRunStatus, BillingRunStatus | undefined>;
    job_id: number | null;
    created_by: number | null;
    started_at: ColumnType<Date, Date | string | undefined, Date | string>;
    finished_at: Timestamp | null;
    summary: Json | null;
  };
  /** Append-only. amount in kopecks: > 0 the resident owes more, < 0 payments/benefits/subsidies. */
  ledger_entry: {
    community_id: number;
    entry_id: Generated<number>;
    account_id: number;
    period: DateText;
    kind: LedgerKind;
    amount: number;
    volume: Numeric | null;
    tariff: Numeric | null;
    source: LedgerSource;
    billing_run_id: number | null;
    import_id: number | null;
    reason: string | null;
    reverses_entry_id: number | null;
    created_by: number | null;
    created_at: ColumnType<Date, Date | string | undefined, Date | string>;
  };
  billing_settings: {
    community_id: number;
    due_day: ColumnType<number, number | undefined>;
    penalty_enabled: ColumnType<boolean, boolean | undefined>;
    penalty_rate_per_day: ColumnType<string, string | number | undefined>;
    penalty_moratorium: ColumnType<boolean, boolean | undefined>;
    holidays: ColumnType<string[], string[] | undefined>;
    outlier_factor: ColumnType<string, string | number | undefined>;
    /** The go-live month (a DATE, the 1st), set once; null until set. */
    first_period: ColumnType<Date | string | null, string | null | undefined, string | null>;
    /** The community's own bounds of plausible amounts, field by field (shared/amount-bounds.ts). */
    amount_bounds: ColumnType<unknown, string | undefined, string>;
    /** An imported charge above the approved tariff: 'flag' (posted and flagged) or 'hold' (review queue). */
    tariff_excess: ColumnType<TariffExcess, TariffExcess | undefined, TariffExcess>;
  };
  tariff: {
    community_id: number;
    tariff_id: Generated<number>;
    provider_id: number;
    service_id: number;
    building_id: number | null;
    consumer_category: string | null;
    method: TariffMethod;
    price: Numeric;
    unit: string;
    vat_rate: ColumnType<string, string | number | undefined>;
    zone_coefficients: ColumnType<string[] | null, string[] | number[] | null | undefined>;
    norm_per_person: Numeric | null;
    subscriber_fee: Numeric | null;
    social_norm_per_person: Numeric | null;
    social_norm_per_household: Numeric | null;
    valid_from: DateText;
    valid_to: DateText | null;
    note: string | null;
    created_by: number | null;
    created_at: ColumnType<Date, Date | string | undefined, Date | string>;
  };
  tariff_tier: {
    community_id: number;
    tariff_id: number;
    volume_from: Numeric;
    volume_to: Numeric | null;
    price: Numeric;
  };
  account_billing: {
    community_id: number;
    account_id: number;
    consumer_category: string | null;
    annual_capacity: Numeric | null;
  };
  building_distribution: {
    community_id: number;
    building_id: number;
    service_id: number;
    basis: ColumnType<DistributionBasis, DistributionBasis | undefined>;
    common_area: ColumnType<string, string | number | undefined>;
    common_area_coefficient: ColumnType<string, string | number | undefined>;
  };
  benefit_grant: {
    community_id: number;
    grant_id: Generated<number>;
    person_id: number;
    premise_id: number;
    service_id: number | null;
    category: string;
    percent: Numeric;
    valid_from: DateText;
    valid_to: DateText | null;
    created_by: number | null;
    created_at: ColumnType<Date, Date | string | undefined, Date | string>;
  };
  subsidy_award: {
    community_id: number;
    award_id: Generated<number>;
    account_id: number;
    monthly_amount: number;
    mode: 'credited' | 'monetised';
    valid_from: DateText;
    valid_to: DateText | null;
    created_by: number | null;
    created_at: ColumnType<Date, Date | string | undefined, Date | string>;
  };
  recalculation_request: {
    community_id: number;
    request_id: Generated<number>;
    account_id: number;
    period: DateText;
    days: number;
    percent: ColumnType<string, string | number | undefined>;
    reason: string;
    created_by: number | null;
    created_at: ColumnType<Date, Date | string | undefined, Date | string>;
  };
  charge_line: {
    community_id: number;
    billing_run_id: number;
    account_id: number;
    period: DateText;
    kind: 'charge' | 'recalculation' | 'benefit' | 'subsidy' | 'penalty';
    method: string;
    zone: number | null;
    amount: number;
    volume: Numeric | null;
    tariff: Numeric | null;
    tariff_id: number | null;
    estimated: ColumnType<boolean, boolean | undefined>;
  };
  approved_tariff: {
    community_id: number;
    approved_id: Generated<number>;
    service_id: number;
    provider_id: number | null;
    price: Numeric;
    valid_from: DateText;
    valid_to: DateText | null;
    decision: string;
    created_by: number | null;
    created_at: ColumnType<Date, Date | string | undefined, Date | string>;
  };
  tariff_flag: {
    community_id: number;
    flag_id: Generated<number>;
    provider_id: number;
    service_id: number;
    period: DateText;
    implied_price: Numeric;
    approved_price: Numeric;
    entries: number;
    amount: number;
    overcharge: number;
    status: ColumnType<'open' | 'acknowledged', 'open' | 'acknowledged' | undefined>;
    created_at: ColumnType<Date, Date | string | undefined, Date | string>;
  };
}
