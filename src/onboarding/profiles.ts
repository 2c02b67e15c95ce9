/** Saved import profiles: per provider and file kind, reused by name from the web app and the CLI. */
import { sql } from 'kysely';
import type { DbOrTx } from '../db/index';
import { conflict } from '../shared/errors';
import { profileSettingsSchema, type ProfileInput, type ProfileSettings } from './profile';

export interface ProfileView {
  profileId: number;
  name: string;
  providerId: number | null;
  kind: ProfileSettings['kind'];
  settings: ProfileSettings;
}

const view = (r: { profile_id: number; name: string; provider_id: number | null; kind: string; settings: unknown }): ProfileView => ({
  profileId: r.profile_id,
  name: r.name,
  providerId: r.provider_id,
  kind: r.kind as ProfileSettings['kind'],
  settings: profileSettingsSchema.parse(r.settings),
});

export async function findProfileByName(db: DbOrTx, communityId: number, name: string): Promise<ProfileView | undefined> {
  const r = await db
    .selectFrom('import_profile')
    .selectAll()
    .where('community_id', '=', communityId)
    .where(sql<string>`lower(name)`, '=', name.toLowerCase())
    .executeTakeFirst();
  return r && view(r);
}

export async function listProfiles(db: DbOrTx, communityId: number, providerId?: number): Promise<ProfileView[]> {
  let q = db.selectFrom('import_profile').selectAll().where('community_id', '=', communityId);
  if (providerId !== undefined) q = q.where('provider_id', '=', providerId);
  return (await q.orderBy('name').execute()).map(view);
}

/** Saves a profile under its name: a new one, or the same name again replaces its settings. */
export async function saveProfile(
  db: DbOrTx,
  communityId: number,
  input: { name: string; providerId: number | null; settings: ProfileInput },
  createdBy: number | null = null,
): Promise<ProfileView> {
  const settings = profileSettingsSchema.parse(input.settings);
  const existing = await findProfileByName(db, communityId, input.name);
  if (existing && existing.providerId !== input.providerId) {
    throw conflict('profile_name_taken', { uk: `Профіль «${input.name}» уже належить іншому постачальнику`, en: `Profile "${input.name}" belongs to another provider` });
  }
  const row = existing
    ? await db
        .updateTable('import_profile')
        .set({ settings: JSON.stringify(settings), kind: settings.kind, updated_at: new Date() })
        .where('community_id', '=', communityId)
        .where('profile_id', '=', existing.profileId)
        .returningAll()
        .executeTakeFirstOrThrow()
    : await db
        .insertInto('import_profile')
        .values({ community_id: communityId, name: input.name, provider_id: input.providerId, kind: settings.kind, settings: JSON.stringify(settings), created_by: createdBy })
        .returningAll()
        .executeTakeFirstOrThrow();
  return view(row);
}
