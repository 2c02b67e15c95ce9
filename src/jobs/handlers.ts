import type { DatabaseHandle } from '../db/index';
import { JobQueue } from './queue';
import { IMPORT_JOB, importJob } from '../onboarding/service';
import { registerSeedJob } from '../registry/seed/job';
import { registerBillingJobs } from '../billing/jobs';
import { registerBillsJobs } from '../bills/print-run';

/** Each domain's long-running job kinds, registered on every queue (server and CLI alike). */
export function registerJobHandlers(queue: JobQueue): void {
  queue.register(IMPORT_JOB, importJob(queue.handle));
  registerSeedJob(queue);
  registerBillingJobs(queue);
  registerBillsJobs(queue);
}

/** A queue that knows every job kind: what the server, the CLI and tests use. */
export function createJobQueue(handle: DatabaseHandle): JobQueue {
  const queue = new JobQueue(handle);
  registerJobHandlers(queue);
  return queue;
}
