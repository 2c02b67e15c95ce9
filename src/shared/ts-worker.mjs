// The entry of our worker threads (piscina): registers tsx, so the worker runs the project's
// TypeScript as the main process does, and hands over to the module named in workerData.
import { register } from 'tsx/esm/api';
import { workerData } from 'piscina';

register();
const task = await import(workerData.module);
export default task.default;
