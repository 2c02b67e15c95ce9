import type { DbOrTx } from '../db/index';

const JOB_COLUMNS = [
  'job_id',
  'kind',
  'status',
  'progress_done',
  'progress_total',
  'message',
  'result',
  'error',
  'created_by',
  'created_at',
  'started_at',
  'finished_at',
] as const;

export async function findJob(db: DbOrTx, communityId: number, jobId: number) {
  return db.selectFrom('job').select(JOB_COLUMNS).where('community_id', '=', communityId).where('job_id', '=', jobId).executeTakeFirst();
}

export type JobRow = NonNullable<Awaited<ReturnType<typeof findJob>>>;

/** Newest first: `limit + 1` jobs with an id below `beforeId`. */
export async function listJobs(
  db: DbOrTx,
  communityId: number,
  filter: { kind?: string; createdBy?: number; beforeId?: number },
  limit: number,
): Promise<JobRow[]> {
  let q = db.selectFrom('job').select(JOB_COLUMNS).where('community_id', '=', communityId);
  if (filter.kind !== undefined) q = q.where('kind', '=', filter.kind);
  if (filter.createdBy !== undefined) q = q.where('created_by', '=', filter.createdBy);
  if (filter.beforeId !== undefined) q = q.where('job_id', '<', filter.beforeId);
  return q.orderBy('job_id', 'desc').limit(limit + 1).execute();
}
