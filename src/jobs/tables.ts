import type { ColumnType, Generated } from 'kysely';
import type { Json, Timestamp } from '../registry/tables';

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed';

export interface JobsTables {
  job: {
    community_id: number;
    job_id: Generated<number>;
    kind: string;
    status: ColumnType<JobStatus, JobStatus | undefined>;
    params: Json<Record<string, unknown>>;
    progress_done: ColumnType<number, number | undefined>;
    progress_total: number | null;
    message: string | null;
    checkpoint: Json | null;
    result: Json | null;
    error: Json | null;
    created_by: number | null;
    created_at: Timestamp;
    started_at: Timestamp | null;
    finished_at: Timestamp | null;
  };
}
