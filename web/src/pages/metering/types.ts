/** Shapes of the metering API (src/metering/routes.ts). */
import type { ReadingMessage, ReadingResult } from '../../../../src/metering/service';

// The server's own types for a submission's answer (types only: nothing of the server is bundled).
export type { ReadingMessage, ReadingResult };

export interface PremiseHit {
  premiseId: number;
  buildingId: number;
  premiseNumber: string | null;
  houseKey: string;
  address: string;
  unifiedNumber: string | null;
  persons: string | null;
}

/** Real names of this community for the desk's hint: a flat's address, its unified account, a surname. */
export interface DeskExamples {
  address: string | null;
  unifiedNumber: string | null;
  lastName: string | null;
}

export interface MeterReading {
  id: number;
  readOn: string;
  period: string;
  kind: string;
  values: string[];
  channel: string;
  status: 'accepted' | 'needs_review' | 'rejected';
  reason_uk: string | null;
  reason_en: string | null;
  flags: string[];
}

export interface Meter {
  meterId: number;
  serial: string;
  kind: string;
  zones: number;
  digits: number;
  multiplier: string;
  status: string;
  verifiedUntil: string | null;
  installedOn: string;
  serviceId: number;
  serviceCode: string;
  serviceNameUk: string;
  serviceNameEn: string;
  unit: string;
  readings: MeterReading[];
}

export interface BuildingFlat {
  premiseId: number;
  premiseNumber: string | null;
  unifiedNumber: string | null;
  meters: number;
}

export interface ReviewItem {
  reading_id: number;
  meter_id: number;
  serial: string;
  premise_id: number | null;
  building_id: number;
  premise_number: string | null;
  /** «вул. Київська, буд. 12а, кв. 1», or the building's address for a building meter. */
  address: string;
  service_name_uk: string;
  service_name_en: string;
  unit: string;
  read_on: string;
  period: string;
  value1: string;
  value2: string | null;
  value3: string | null;
  channel: string;
  submitted_at: string;
  reason_code: string | null;
  reason_uk: string | null;
  reason_en: string | null;
  previous: { read_on: string; value1: string; value2: string | null; value3: string | null } | null;
}

export const STATUS_COLOR = { accepted: 'green', needs_review: 'orange', rejected: 'red' } as const;
export const STATUS_LABEL = {
  accepted: { uk: 'прийнято', en: 'accepted' },
  needs_review: { uk: 'на перевірці', en: 'in review' },
  rejected: { uk: 'відхилено', en: 'rejected' },
} as const;

/** How a reading came, in words (the database's channel codes never reach the page). */
export const READING_CHANNEL_LABELS: Record<string, { uk: string; en: string }> = {
  portal: { uk: 'кабінет мешканця', en: "residents' portal" },
  app: { uk: 'мобільний застосунок', en: 'mobile app' },
  chat_bot: { uk: 'чат-бот', en: 'chat bot' },
  cash_desk: { uk: 'каса чи термінал', en: 'cash desk or terminal' },
  call_centre: { uk: 'кол-центр', en: 'call centre' },
  provider_file: { uk: 'файл постачальника', en: "provider's file" },
  controller: { uk: 'контролер', en: 'meter inspector' },
  estimate: { uk: 'розрахунково', en: 'estimated' },
};
