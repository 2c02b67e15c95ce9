import type { JobQueue } from './queue';
import { IMPORT_JOB, importJobOn } from '../onboarding/service';
import { registerBillingJobs } from '../billing/jobs';

/** Each domain's long-running job kinds, registered on every queue (server and CLI alike). */
export function registerJobHandlers(queue: JobQueue): void {
  void queue;
  queue.register(IMPORT_JOB, importJobOn(queue));
  registerBillingJobs(queue);
}
