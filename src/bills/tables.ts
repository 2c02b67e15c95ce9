/** Kysely types of the bills' tables (src/db/migrations/202612031301_bills.ts). */
import type { ColumnType, Generated } from 'kysely';
import type { Json, Timestamp } from '../registry/tables';

export type DeliveryMethod = 'courier' | 'ukrposhta' | 'ebill';
type WithDefault<T> = ColumnType<T, T | undefined, T>;

export interface BillsTables {
  bill_design: {
    community_id: number;
    recipient_name: string;
    collecting_iban: string;
    recipient_code: string;
    locality: WithDefault<string>;
    qr_format: WithDefault<'002' | '003'>;
    qr_encoding: WithDefault<1 | 2>;
    primary_color: WithDefault<string>;
    accent_color: WithDefault<string>;
    service_order: WithDefault<string[]>;
    sections: WithDefault<string[]>;
    contacts: WithDefault<string[]>;
    footer: WithDefault<string>;
    news: WithDefault<string>;
    debt_threshold: WithDefault<number>;
    logo: Buffer | null;
    logo_type: string | null;
    updated_at: Timestamp;
  };
  bill_delivery: {
    community_id: number;
    premise_id: number;
    method: DeliveryMethod;
    email: string | null;
  };
  bill_email: {
    community_id: number;
    email_id: Generated<number>;
    premise_id: number;
    period: string;
    address: string;
    status: 'sent' | 'failed';
    attempts: number;
    error: string | null;
    message_id: string | null;
    sent_at: Timestamp;
  };
  bill_notice: {
    community_id: number;
    notice_id: Generated<number>;
    provider_id: number | null;
    period_from: string;
    period_to: string;
    text_uk: string;
    text_en: string;
    created_by: number | null;
    created_at: Generated<Timestamp>;
  };
  print_run: {
    community_id: number;
    print_run_id: Generated<number>;
    period: string;
    job_id: number | null;
    status: WithDefault<'running' | 'done' | 'failed'>;
    created_by: number | null;
    created_at: Timestamp;
    summary: Json | null;
    /** The run's premises in print order, stored when it starts (a resumed run keeps them). */
    plan: number[] | null;
  };
  print_file: {
    community_id: number;
    print_run_id: number;
    name: string;
    kind: 'batch' | 'manifest_csv' | 'manifest_pdf' | 'skipped_csv';
    route: string | null;
    bills: WithDefault<number>;
    sha256: string;
    size: number;
    content: Buffer;
  };
}
