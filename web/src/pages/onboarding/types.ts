/** The onboarding API's shapes as the pages use them (see src/onboarding/routes.ts). */
import type { QueueItem } from '../../../../src/onboarding/queue';

// The server's own type for a queue row (types only: nothing of the server is bundled).
export type { QueueItem };
export type FileKind = 'addresses' | 'accounts' | 'charges' | 'payments' | 'readings';

export const KIND_LABELS: Record<FileKind, { uk: string; en: string }> = {
  addresses: { uk: 'Реєстр адрес', en: 'Address register' },
  accounts: { uk: 'Особові рахунки', en: 'Accounts' },
  charges: { uk: 'Нарахування постачальника', en: 'Provider charges' },
  payments: { uk: 'Оплати, отримані постачальником', en: 'Payments received' },
  readings: { uk: 'Лічильники й показники', en: 'Meters and readings' },
};

export interface ImportItem {
  importId: number;
  kind: FileKind;
  providerId: number | null;
  providerName: string | null;
  fileName: string;
  fileBytes: number;
  format: string | null;
  encoding: string | null;
  dryRun: boolean;
  status: 'staging' | 'staged' | 'applied' | 'partial' | 'unchanged' | 'failed';
  counters: Record<string, number>;
  error: { message_uk?: string; message_en?: string } | null;
  jobId: number | null;
  progressDone: number | null;
  message: string | null;
  createdAt: string;
  finishedAt: string | null;
}

export interface Preview {
  format: string;
  encoding: string | null;
  delimiter: string | null;
  headers: string[];
  rows: string[][];
  suggested: Record<string, string>;
  fields: Array<{ name: string; required: boolean; labelUk: string; labelEn: string }>;
}

export interface Profile {
  profileId: number;
  name: string;
  providerId: number | null;
  kind: FileKind;
  settings: Record<string, unknown>;
}

export interface ProviderOption {
  providerId: number;
  name: string;
  edrpou: string;
}
