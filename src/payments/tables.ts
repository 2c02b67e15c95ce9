/** Kysely types of the payments tables (migration 202612031401_payments). */
import type { ColumnType, Generated } from 'kysely';
import type { Json } from '../registry/tables';

export type PaymentChannel = 'api' | 'debt' | 'card' | 'registry';
type Stamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface PaymentsTables {
  payment_agent: {
    community_id: number;
    agent_id: Generated<number>;
    code: string;
    name: string;
    max_amount: ColumnType<number, number | undefined>;
    ip_allow: string[] | null;
    active: ColumnType<boolean, boolean | undefined>;
    created_at: Stamp;
  };
  agent_key: {
    community_id: number;
    agent_id: number;
    key_id: string;
    secret: string;
    valid_from: Stamp;
    valid_until: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
    created_at: Stamp;
  };
  agent_nonce: {
    community_id: number;
    agent_id: number;
    nonce: string;
    seen_at: Stamp;
  };
  payment_check: {
    community_id: number;
    reference: string;
    agent_id: number;
    premise_id: number;
    amount: number;
    split: Json | null;
    outcome: ColumnType<'declined' | null, 'declined' | null | undefined>;
    created_at: Stamp;
  };
  payment_chain_head: {
    community_id: number;
    seq: number;
    hash: string;
  };
  payment: {
    community_id: number;
    payment_id: Generated<number>;
    agent_id: number;
    channel: PaymentChannel;
    txn_id: string;
    request_hash: string;
    premise_id: number;
    amount: number;
    reference: string | null;
    payer: string | null;
    paid_at: Stamp;
    business_date: string;
    period: string;
    status: ColumnType<'posted' | 'cancelled', 'posted' | 'cancelled' | undefined>;
    /** The random part of the receipt code; the code is `receiptCode(payment_id, receipt_secret)` (chain.ts). */
    receipt_secret: string;
    chain_seq: ColumnType<number | null, number | null | undefined>;
    prev_hash: ColumnType<string | null, string | null | undefined>;
    hash: ColumnType<string | null, string | null | undefined>;
  };
  payment_allocation: {
    community_id: number;
    payment_id: number;
    account_id: number;
    amount: number;
    entry_id: number;
  };
  payment_reversal: {
    community_id: number;
    payment_id: number;
    reason: string;
    reversed_by: number | null;
    reversed_at: Stamp;
    chain_seq: number;
    prev_hash: string;
    hash: string;
  };
  settlement_contract: {
    community_id: number;
    contract_id: Generated<number>;
    provider_id: number;
    agent_id: number | null;
    percent: string | null;
    fixed: number | null;
    /** The first business day the contract is in force (a later one for the same agent replaces it). */
    valid_from: string;
  };
  settlement_registry: {
    community_id: number;
    registry_id: Generated<number>;
    provider_id: number;
    business_date: string;
    lines: number;
    gross: number;
    commission: number;
    net: number;
    /** What earlier registries left the provider owing, set against this one (≤ 0). */
    carried_in: Generated<number>;
    csv: Buffer;
    dbf: Buffer;
    transfer: Json<TransferOrder>;
    exported_at: Stamp;
    chain_seq: number;
    prev_hash: string;
    hash: string;
  };
  agent_registry: {
    community_id: number;
    agent_id: number;
    business_date: string;
    file_name: string;
    file_sha256: string;
    rows: number;
    total: number;
    matched: number;
    posted: number;
    amount_differs: number;
    missing_in_file: number;
    flags: Json<RegistryFlag[]>;
    imported_at: Stamp;
  };
}

/** A line of an agent's registry that did not reconcile. */
export interface RegistryFlag {
  problem: 'amount_differs' | 'household_differs' | 'cancelled_in_api' | 'missing_in_file';
  txnId: string;
  rowNo: number | null;
  fileAmount: number | null;
  apiAmount: number | null;
}

/** The bank transfer to make to a provider for one day's registry. */
export interface TransferOrder {
  recipient: string;
  edrpou: string;
  iban: string;
  amount: number;
  purpose: string;
}
