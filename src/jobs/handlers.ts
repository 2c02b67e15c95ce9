import type { JobQueue } from './queue';

/** Each domain's long-running job kinds, registered on every queue (server and CLI alike). */
export function registerJobHandlers(queue: JobQueue): void {
  void queue;
}
