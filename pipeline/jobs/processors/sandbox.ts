// Entry of the sandboxed processors: BullMQ runs CPU-heavy jobs (clip renders, rig builds)
// in child processes, so they cannot stall the worker's event loop, its lock renewals, or,
// for the embedded worker, the live lane's frame clock.
import { Redis } from 'ioredis';
import type { SandboxedJob } from 'bullmq';
import { createJobContext, storeSettingsFromEnv, type JobContext } from '../JobContext.js';
import { processClipRender } from './clipRender.js';
import { processRigPrewarm } from './rigPrewarm.js';

let context: Promise<JobContext> | undefined;

function jobContext(): Promise<JobContext> {
  context ??= (async () => {
    const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
    redis.on('error', () => undefined);
    return createJobContext(redis, storeSettingsFromEnv(), Number(process.env.FPS ?? 30));
  })();
  return context;
}

export default async function process_(job: SandboxedJob, _token?: string, signal?: AbortSignal) {
  const ctx = await jobContext();
  return job.queueQualifiedName.endsWith(':rig-prewarm') ? processRigPrewarm(job, ctx) : processClipRender(job, ctx, signal);
}
