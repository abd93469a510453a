// Development-only entry for worker threads on .ts sources: registers tsx, then loads the real module.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.tsEntry);
