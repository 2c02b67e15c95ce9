import type { Kysely } from 'kysely';
import { execSql } from '../index';

// Indexes for sign-in and the audit log: finding a login case-insensitively is already covered by
// app_user_login; these serve the audit views (by entity, by user) and expired-session cleanup.
export async function up(db: Kysely<any>): Promise<void> {
  await execSql(
    db,
    `
create index audit_log_entity on audit_log (community_id, entity, entity_id, audit_id);
create index audit_log_user on audit_log (community_id, user_id, audit_id);
create index user_session_expiry on user_session (expires_at);
create index user_session_user on user_session (community_id, user_id);
`,
  );
}
