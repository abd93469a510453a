// `npm run worker`: one batch-lane worker process. Run several, on several machines, against one Redis.
import { BatchWorkers } from './BatchWorkers.js';
import { workerOptionsFromEnv } from './workerConfig.js';
import { redactUrl } from '../../lib/secrets.js';

let options: ReturnType<typeof workerOptionsFromEnv>;
try {
  options = workerOptionsFromEnv();
} catch (error) {
  console.error(`onair worker: invalid configuration: ${(error as Error).message}`);
  process.exit(2);
}
const redisUrl = options.redisUrl ?? 'redis://127.0.0.1:6379';
const workers = await BatchWorkers.start({
  ...options,
  redisUrl,
  onEvent: (e) => console.log(JSON.stringify({ msg: `job ${e.type}`, ...e })),
});
console.log(JSON.stringify({ msg: 'onair worker ready', pid: process.pid, redisUrl: redactUrl(redisUrl), prefix: options.prefix, concurrency: options.concurrency }));

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    console.log(JSON.stringify({ msg: `${signal}: finishing running jobs`, timeoutMs: options.shutdownTimeoutMs }));
    void workers.close(options.shutdownTimeoutMs).then(() => process.exit(0));
  });
}
