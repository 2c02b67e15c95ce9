import type { Db } from '../db/index';
import { STAFF } from '../server/access';
import type { SessionUser } from '../server/context';
import { forbidden, notFound } from '../shared/errors';
import { decodeCursor, pageOf, type Page } from '../shared/pagination';
import * as repo from './repo';

/** A job as the web app and CLI show it. */
export interface JobView {
  jobId: number;
  kind: string;
  status: 'queued' | 'running' | 'succeeded' | 'failed';
  progressDone: number;
  progressTotal: number | null;
  message: string | null;
  result: unknown;
  error: unknown;
  createdBy: number | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

function view(row: repo.JobRow): JobView {
  return {
    jobId: row.job_id,
    kind: row.kind,
    status: row.status,
    progressDone: row.progress_done,
    progressTotal: row.progress_total,
    message: row.message,
    result: row.result,
    error: row.error,
    createdBy: row.created_by,
    createdAt: iso(row.created_at)!,
    startedAt: iso(row.started_at),
    finishedAt: iso(row.finished_at),
  };
}

const isStaff = (actor: SessionUser) => STAFF.includes(actor.role);

/** Staff see every job of the community; anyone else only the jobs they started. */
export async function getJob(db: Db, actor: SessionUser, jobId: number): Promise<JobView> {
  const row = await repo.findJob(db, actor.communityId, jobId);
  if (!row) throw notFound({ uk: `Задача ${jobId}`, en: `Job ${jobId}` });
  if (!isStaff(actor) && row.created_by !== actor.userId) throw forbidden();
  return view(row);
}

export async function listJobs(db: Db, actor: SessionUser, query: { kind?: string; cursor?: string; limit: number }): Promise<Page<JobView>> {
  const key = decodeCursor(query.cursor, ['number']);
  const rows = await repo.listJobs(
    db,
    actor.communityId,
    { kind: query.kind, createdBy: isStaff(actor) ? undefined : actor.userId, beforeId: key?.[0] as number | undefined },
    query.limit,
  );
  return pageOf(rows, query.limit, (r) => [r.job_id], view);
}
