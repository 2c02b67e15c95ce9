import type { DatabaseHandle, Db } from '../db/index';
import type { JobQueue } from '../jobs/queue';

export type Role = 'admin' | 'operator' | 'provider' | 'city' | 'resident';

/** Who is calling: set by the auth plugin on every signed-in request. */
export interface SessionUser {
  userId: number;
  communityId: number;
  login: string;
  displayName: string;
  role: Role;
  /** Set for provider users: they see only this provider's data. */
  providerId: number | null;
}

/** What every service needs: the database and the community it serves. */
export interface AppContext {
  handle: DatabaseHandle;
  db: Db;
  /** The community this process serves by default (the first one seeded). */
  communityId: number;
  jobs: JobQueue;
}

/** Opens the database and the job queue for a command (passed down by `src/cli`, so no domain reaches up to the server's start-up). */
export type OpenContext = () => Promise<AppContext>;
