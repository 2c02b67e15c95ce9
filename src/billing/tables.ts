/** Kysely types of the billing tables (see the matching migrations 20261126194x in src/db/migrations). */
import type { ColumnType, Generated } from 'kysely';
import type { Json, Numeric, Timestamp } from '../registry/tables';

export type PeriodStatus = 'open' | 'calculated' | 'closed';
export type BillingRunStatus = 'running' | 'calculated' | 'superseded' | 'posted' | 'failed';
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
}
