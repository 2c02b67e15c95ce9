import type { JobQueue } from '../../jobs/queue';
import { seedCity, type SeedOptions } from './seed';

export const SEED_JOB = 'registry.seed';

/** The seed job: COPY runs on the queue's raw database handle. */
export function registerSeedJob(jobs: JobQueue): void {
  jobs.register<SeedOptions>(SEED_JOB, (run) =>
    seedCity(jobs.handle, { ...run.params, communityId: run.communityId, force: false }, (done, total, message) =>
      run.progress(done, total, message),
    ),
  );
}
