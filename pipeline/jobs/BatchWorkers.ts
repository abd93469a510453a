import { Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { fileURLToPath } from 'node:url';
import { siblingModuleUrl } from '../../lib/moduleUrl.js';
import type { TtsEngine } from '../tts/TtsEngine.js';
import { createJobContext, type JobContext, type StoreSettings } from './JobContext.js';
import { cancelChannel } from './BatchQueues.js';
import { processVoiceCache } from './processors/voiceCache.js';
import { sandboxEnv } from './sandboxEnv.js';

export interface BatchWorkerOptions {
  redisUrl: string;
  /** BullMQ key prefix; every process of one deployment uses the same. */
  prefix: string;
  /** Jobs each queue's worker runs at once (clip renders: sandboxed child processes). */
  concurrency: number;
  store: StoreSettings;
  fps: number;
  /** Lower in tests so a killed worker's job is recovered quickly. */
  stalledIntervalMs?: number;
  lockDurationMs?: number;
  /** The process's TTS engine, when it already runs one (the server's embedded worker). */
  tts?: TtsEngine;
  onEvent?: (event: { queue: string; jobId: string | undefined; type: 'completed' | 'failed'; reason?: string }) => void;
}

/**
 * The batch lane's workers in one process: voice phrases in-process (espeak runs in its own
 * thread), clip renders and rig builds as sandboxed child processes, and the show-prep parent once its children are done.
 * One Redis connection is shared (BullMQ duplicates it for blocking reads).
 */
export class BatchWorkers {
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly workers: Worker[],
    private readonly connection: Redis,
    private readonly subscriber: Redis,
    private readonly context: JobContext,
  ) {}

  static async start(options: BatchWorkerOptions): Promise<BatchWorkers> {
    const connection = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
    connection.on('error', () => undefined);
    const context = await createJobContext(connection, options.store, options.fps, options.tts);
    const common = {
      connection,
      prefix: options.prefix,
      concurrency: options.concurrency,
      ...(options.stalledIntervalMs && { stalledInterval: options.stalledIntervalMs }),
      ...(options.lockDurationMs && { lockDuration: options.lockDurationMs }),
    };
    const sandbox = fileURLToPath(siblingModuleUrl(import.meta.url, 'processors/sandbox'));
    const sandboxed = { ...common, workerForkOptions: { env: sandboxEnv({ REDIS_URL: options.redisUrl, ...storeEnv(options.store), FPS: String(options.fps) }) } };
    const workers = [
      new Worker('rig-prewarm', sandbox, sandboxed),
      new Worker('voice-cache', (job, _token, signal) => processVoiceCache(job, context, signal), common),
      new Worker('clip-render', sandbox, sandboxed),
      new Worker('show-prep', (job) => summarizeShowPrep(job), common),
    ];
    for (const worker of workers) {
      worker.on('error', () => undefined); // connection errors: BullMQ reconnects by itself
      worker.on('completed', (job) => options.onEvent?.({ queue: worker.name, jobId: job.id, type: 'completed' }));
      worker.on('failed', (job, error) => options.onEvent?.({ queue: worker.name, jobId: job?.id, type: 'failed', reason: error.message }));
    }
    const subscriber = connection.duplicate();
    subscriber.on('error', () => undefined);
    await subscriber.subscribe(cancelChannel(options.prefix));
    subscriber.on('message', (_channel, message: string) => {
      const { queue, id } = JSON.parse(message) as { queue: string; id: string };
      workers.find((w) => w.name === queue)?.cancelJob(id, 'cancelled by a producer');
    });
    await Promise.all(workers.map((w) => w.waitUntilReady()));
    return new BatchWorkers(workers, connection, subscriber, context);
  }

  /** Stops taking jobs and waits for running ones up to `timeoutMs`, then forces the rest. */
  close(timeoutMs = 10_000): Promise<void> {
    this.closing ??= (async () => {
      const graceful = Promise.all(this.workers.map((w) => w.close()));
      const timedOut = await Promise.race([graceful.then(() => false), sleep(timeoutMs).then(() => true)]);
      if (timedOut) await Promise.all(this.workers.map((w) => w.close(true)));
      this.subscriber.disconnect();
      await this.context.close();
      this.connection.disconnect();
    })();
    return this.closing;
  }
}

async function summarizeShowPrep(job: Job): Promise<{ children: number; assets: string[] }> {
  const values = Object.values(await job.getChildrenValues()) as Array<{ assets?: string[]; asset?: string }>;
  const assets = values.flatMap((v) => v.assets ?? (v.asset ? [v.asset] : []));
  return { children: values.length, assets };
}

function storeEnv(store: StoreSettings): Record<string, string> {
  return { ASSET_DIR: store.assetDir, ASSET_PREFIX: store.assetPrefix, ASSET_STORE_MAX_MB: String(Math.round(store.maxBytes / 1024 / 1024)) };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());
