import { storeSettingsFromEnv } from './JobContext.js';
import type { BatchWorkerOptions } from './BatchWorkers.js';

/** Worker settings from the environment; a bad value names its variable. */
export function workerOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): Omit<BatchWorkerOptions, 'redisUrl'> & { redisUrl?: string; shutdownTimeoutMs: number } {
  return {
    ...(env.REDIS_URL && { redisUrl: env.REDIS_URL }),
    prefix: queuePrefix(env.QUEUE_PREFIX),
    concurrency: positiveInt(env, 'WORKER_CONCURRENCY', 1),
    store: storeSettingsFromEnv(env),
    fps: positiveInt(env, 'FPS', 30),
    shutdownTimeoutMs: positiveInt(env, 'WORKER_SHUTDOWN_TIMEOUT_MS', 10_000),
    ...(env.WORKER_STALLED_INTERVAL_MS && { stalledIntervalMs: positiveInt(env, 'WORKER_STALLED_INTERVAL_MS', 30_000) }),
    ...(env.WORKER_LOCK_DURATION_MS && { lockDurationMs: positiveInt(env, 'WORKER_LOCK_DURATION_MS', 30_000) }),
  };
}

function positiveInt(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name}: expected a positive integer, got "${raw}"`);
  return value;
}

function queuePrefix(raw: string | undefined): string {
  if (raw === undefined || raw === '') return 'onair';
  if (!/^[a-z0-9][a-z0-9-]{0,39}$/.test(raw)) throw new Error(`QUEUE_PREFIX: expected a lowercase slug, got "${raw}"`);
  return raw;
}
