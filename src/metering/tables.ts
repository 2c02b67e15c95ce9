import type { ColumnType } from 'kysely';
import type { Id, Numeric, Timestamp } from '../registry/tables';

export type MeterKind = 'individual' | 'building';
export type MeterStatus = 'active' | 'removed_for_verification' | 'retired';
export type ReadingKind = 'regular' | 'initial' | 'final';
export type ReadingStatus = 'accepted' | 'needs_review' | 'rejected';
export const READING_CHANNELS = [
  'portal',
  'app',
  'chat_bot',
  'cash_desk',
  'call_centre',
  'provider_file',
  'controller',
  'estimate',
] as const;
export type ReadingChannel = (typeof READING_CHANNELS)[number];

type WithDefault<T> = ColumnType<T, T | undefined, T>;

/** Kysely types of the metering tables (see src/db/migrations/202611261950_metering.ts). */
export interface MeteringTables {
  meter: {
    community_id: number;
    meter_id: Id;
    kind: MeterKind;
    premise_id: number | null;
    building_id: number;
    service_id: number;
    provider_id: number | null;
    serial: string;
    zones: WithDefault<number>;
    digits: WithDefault<number>;
    multiplier: ColumnType<string, string | number | undefined, string | number>;
    installed_on: string;
    verified_until: string | null;
    status: WithDefault<MeterStatus>;
    removed_on: string | null;
    replaces_meter_id: number | null;
    created_at: Timestamp;
  };
  meter_reading: {
    community_id: number;
    reading_id: Id;
    meter_id: number;
    read_on: string;
    period: string;
    kind: WithDefault<ReadingKind>;
    value1: Numeric;
    value2: Numeric | null;
    value3: Numeric | null;
    channel: ReadingChannel;
    submitted_by: number | null;
    submitted_at: Timestamp;
    status: ReadingStatus;
    reason_code: string | null;
    reason_uk: string | null;
    reason_en: string | null;
    flags: ColumnType<string[], string[] | undefined, string[]>;
    external_ref: string | null;
    reviewed_by: number | null;
    reviewed_at: Timestamp | null;
  };
  metering_settings: {
    community_id: number;
    settings_id: Id;
    provider_id: number | null;
    window_opens_day: WithDefault<number>;
    window_closes_day: WithDefault<number>;
    estimate_months: WithDefault<number>;
    plausibility_factor: ColumnType<string, string | number | undefined, string | number>;
  };
  meter_norm: {
    community_id: number;
    service_id: number;
    monthly_per_person: Numeric;
  };
  meter_consumption: {
    community_id: number;
    period: string;
    meter_id: number;
    premise_id: number | null;
    building_id: number;
    service_id: number;
    zone: number;
    volume: Numeric;
    estimated: boolean;
    verification_expired: boolean;
    start_reading_id: number | null;
    end_reading_id: number | null;
  };
}
