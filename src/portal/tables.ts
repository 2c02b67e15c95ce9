/** Kysely types of the portal's tables (src/db/migrations/202612041601_portal.ts). */
import type { ColumnType, Generated } from 'kysely';
import type { Json, Timestamp } from '../registry/tables';

type Stamp = ColumnType<Date, Date | string | undefined, Date | string>;

export type ContactChannel = 'email' | 'phone';
export type CodePurpose = 'confirm' | 'reset';

export interface PortalTables {
  portal_account: {
    community_id: number;
    user_id: number;
    channel: ContactChannel;
    contact: string;
    confirmed_at: Date | null;
    created_at: Stamp;
  };
  portal_code: {
    community_id: number;
    code_id: Generated<number>;
    user_id: number;
    purpose: CodePurpose;
    code_hash: string;
    expires_at: Timestamp;
    used_at: Date | null;
    created_at: Stamp;
  };
  portal_outbox: {
    community_id: number;
    outbox_id: Generated<number>;
    channel: 'email' | 'sms';
    recipient: string;
    subject: string;
    body: string;
    created_at: Stamp;
  };
  portal_invite: {
    community_id: number;
    invite_id: Generated<number>;
    premise_id: number;
    from_user_id: number;
    code_hash: string;
    expires_at: Timestamp;
    used_by: number | null;
    used_at: Date | null;
  };
  portal_reading_key: {
    community_id: number;
    user_id: number;
    idem_key: string;
    result: Json;
    created_at: Stamp;
  };
}
