import { defaultOptions, openDatabase, type OpenOptions } from '../db/index';
import { migrateToLatest } from '../db/migrate';
import type { AppContext } from './context';
import { createJobQueue } from '../jobs/handlers';

/** Opens the database, applies migrations, and prepares the job queue: what every entry point needs. */
export async function openContext(options: OpenOptions = defaultOptions()): Promise<AppContext> {
  const handle = await openDatabase(options);
  await migrateToLatest(handle.db);
  const jobs = createJobQueue(handle);
  const community = await handle.db.selectFrom('community').select('community_id').orderBy('community_id').limit(1).executeTakeFirst();
  return { handle, db: handle.db, communityId: community?.community_id ?? 1, jobs };
}
