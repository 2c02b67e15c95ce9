/** Shapes of the billing API (src/billing/routes.ts). Amounts are kopecks; prices decimal strings. */
// Where the server defines a shape itself, the page uses that one (types only: nothing is bundled).
import type { Outlier, ServiceSummary } from '../../../../src/billing/run-report';
import type { StatementRow } from '../../../../src/billing/statements';

export type SummaryRow = ServiceSummary;
export type { Outlier, StatementRow };

export interface Tariff {
  tariff_id: number;
  provider_id: number;
  service_id: number;
  provider: string;
  service: string;
  service_en: string;
  service_code: string;
  building_id: number | null;
  consumer_category: string | null;
  method: string;
  price: string;
  unit: string;
  zone_coefficients: string[] | null;
  norm_per_person: string | null;
  subscriber_fee: string | null;
  valid_from: string;
  valid_to: string | null;
  note: string | null;
  tiers: Array<{ from: string; to: string | null; price: string }>;
}

export interface PeriodRow {
  period: string;
  status: 'open' | 'calculated' | 'closed';
  due_date: string | null;
  billing_run_id: number | null;
  run_status: string | null;
  job_id: number | null;
  lines: number | null;
}

export interface AccountCard {
  account: { account_id: number; number: string; provider: string; service: string; service_en: string; premise_id: number; address: string; unified_account: string | null };
  balance: number;
  statement: StatementRow[];
  entries: Array<{ entry_id: number; period: string; kind: string; amount: number; volume: string | null; tariff: string | null; source: string; reason: string | null; created_at: string }>;
  pending: Array<{ period: string; kind: string; method: string; zone: number | null; amount: number; volume: string | null; tariff: string | null; estimated: boolean }>;
}
