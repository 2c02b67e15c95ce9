/** Kysely types of the onboarding tables (see src/db/migrations/202611261930_onboarding.ts). */
import type { ColumnType, Generated } from 'kysely';
import type { Json, Numeric, Timestamp } from '../registry/tables';

export type ImportKind = 'addresses' | 'accounts' | 'charges' | 'payments' | 'readings';
export type ImportStatus = 'staging' | 'staged' | 'applied' | 'partial' | 'unchanged' | 'failed';
export type RowStatus = 'matched' | 'review' | 'new' | 'error' | 'skipped';

export interface OnboardingTables {
  import_profile: {
    community_id: number;
    profile_id: Generated<number>;
    name: string;
    provider_id: number | null;
    kind: ImportKind;
    settings: Json<Record<string, unknown>>;
    created_by: number | null;
    created_at: Timestamp;
    updated_at: Timestamp;
  };
  data_import: {
    community_id: number;
    import_id: Generated<number>;
    provider_id: number | null;
    kind: ImportKind;
    file_name: string;
    file_hash: string;
    file_bytes: number;
    format: string | null;
    encoding: string | null;
    settings: Json<Record<string, unknown>>;
    dry_run: ColumnType<boolean, boolean | undefined>;
    status: ColumnType<ImportStatus, ImportStatus | undefined>;
    job_id: number | null;
    counters: Json<Record<string, number>>;
    error: Json | null;
    created_by: number | null;
    created_at: Timestamp;
    finished_at: Timestamp | null;
  };
  import_row: {
    community_id: number;
    import_id: number;
    row_no: number;
    status: RowStatus;
    account_number: string | null;
    service_code: string | null;
    address_raw: string | null;
    address_key: string | null;
    street_type: string | null;
    street_key: string | null;
    street_translit_key: string | null;
    house_key: string | null;
    apartment_key: string | null;
    house_number: number | null;
    house_letter: string | null;
    house_fraction: string | null;
    house_block: string | null;
    apartment: string | null;
    /** The other reading of «12/7»: house 12, flat 7 (202612031501_import_row_flat_reading). */
    flat_house_key: string | null;
    flat_apartment_key: string | null;
    data: Json<Record<string, unknown>>;
    errors: Json<unknown[]> | null;
  };
  /** What matching made of each staged row (202611261931_onboarding_match). */
  import_match: {
    community_id: number;
    import_id: number;
    row_no: number;
    status: Exclude<RowStatus, 'skipped'>;
    premise_id: number | null;
    confidence: number | null;
    method: string | null;
    reason_uk: string | null;
    reason_en: string | null;
    candidates: Json<unknown[]> | null;
    errors: Json<unknown[]> | null;
    resolution: 'accepted' | 'created' | 'rejected' | null;
    resolved_by: number | null;
    resolved_at: Timestamp | null;
  };
  address_alias: {
    community_id: number;
    alias_key: string;
    premise_id: number;
    created_by: number | null;
    created_at: Timestamp;
  };
  account_report: {
    community_id: number;
    account_id: number;
    payer: string | null;
    area: Numeric | null;
    persons: number | null;
    row_hash: string;
    import_id: number | null;
    updated_at: Timestamp;
  };
  import_posting: {
    community_id: number;
    provider_id: number;
    posting_key: string;
    account_id: number;
    kind: string;
    amount: number;
    import_id: number | null;
  };
}
