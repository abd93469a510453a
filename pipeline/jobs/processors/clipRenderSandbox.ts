// Entry of the sandboxed clip-render processor: BullMQ runs it in a child process, so a
// CPU-heavy render (or a crash in it) cannot stall the worker's event loop or lock renewals.
import { Redis } from 'ioredis';
import type { SandboxedJob } from 'bullmq';
import { createJobContext, storeSettingsFromEnv, type JobContext } from '../JobContext.js';
import { processClipRender } from './clipRender.js';

let context: Promise<JobContext> | undefined;

function jobContext(): Promise<JobContext> {
  context ??= (async () => {
    const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
    redis.on('error', () => undefined);
    return createJobContext(redis, storeSettingsFromEnv(), Number(process.env.FPS ?? 30));
  })();
  return context;
}

export default async function clipRender(job: SandboxedJob, _token?: string, signal?: AbortSignal) {
  return processClipRender(job, await jobContext(), signal);
}
