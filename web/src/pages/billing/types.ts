/** Shapes of the billing API (src/billing/routes.ts). Amounts are kopecks; prices decimal strings. */
export interface Tariff {
  tariff_id: number;
  provider_id: number;
  service_id: number;
  provider: string;
  service: string;
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

export interface SummaryRow {
  provider_id: number;
  provider: string;
  service_id: number;
  service: string;
  accounts: number;
  charged: number;
  benefits: number;
  subsidies: number;
  recalculations: number;
  penalties: number;
  previous_charged: number;
}

export interface Outlier {
  account_id: number;
  number: string;
  provider: string;
  service: string;
  address: string;
  charged: number;
  usual: number;
}

export interface StatementRow {
  period: string;
  opening: number;
  charged: number;
  recalculations: number;
  benefits: number;
  subsidies: number;
  penalties: number;
  adjustments: number;
  paid: number;
  closing: number;
}

export interface AccountCard {
  account: { account_id: number; number: string; provider: string; service: string; premise_id: number; address: string; unified_account: string | null };
  balance: number;
  statement: StatementRow[];
  entries: Array<{ entry_id: number; period: string; kind: string; amount: number; volume: string | null; tariff: string | null; source: string; reason: string | null; created_at: string }>;
  pending: Array<{ period: string; kind: string; method: string; zone: number | null; amount: number; volume: string | null; tariff: string | null; estimated: boolean }>;
}
