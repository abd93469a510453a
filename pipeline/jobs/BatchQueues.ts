import { FlowProducer, Queue, QueueEvents, type Job, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { clipAssetKey, voiceAssetKey } from '../store/assetKeys.js';
import type { Resolution } from './payloads.js';
import { groupPhrases, RESOLUTIONS, type PayloadReader, type QueueName } from './payloads.js';

export type LeafQueue = Exclude<QueueName, 'show-prep'>;

export interface JobStatus {
  id: string;
  queue: QueueName;
  state: string;
  progress: number;
  attemptsMade: number;
  /** Times a worker picked the job up: 1 for a job failed as unrecoverable. */
  attemptsStarted: number;
  data: unknown;
  result?: unknown;
  failedReason?: string;
  createdAt: number;
  finishedAt?: number;
  /** Show prep only: its children, done and total. */
  children?: { done: number; failed: number; total: number };
}

const JOB_OPTIONS: JobsOptions = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 500 },
  removeOnComplete: { age: 24 * 3600, count: 2_000 },
  removeOnFail: { age: 7 * 24 * 3600, count: 2_000 },
};

export const cancelChannel = (prefix: string) => `${prefix}:onair:cancel`;

/**
 * The producer side of the batch lane: enqueue, inspect, retry and cancel. Its connection
 * has the offline queue off, so an enqueue fails fast while Redis is away.
 */
export class BatchQueues {
  private readonly queues: Map<QueueName, Queue>;
  private readonly flows: FlowProducer;
  private readonly events = new Map<QueueName, QueueEvents>();

  constructor(
    private readonly connection: Redis,
    private readonly prefix: string,
    private readonly payloads: PayloadReader,
    private readonly fps: number,
  ) {
    const names: QueueName[] = ['rig-prewarm', 'clip-render', 'voice-cache', 'show-prep'];
    this.queues = new Map(names.map((name) => [name, new Queue(name, { connection, prefix })]));
    for (const queue of this.queues.values()) queue.on('error', () => undefined);
    this.flows = new FlowProducer({ connection, prefix });
    this.flows.on('error', () => undefined);
  }

  /** Validates then enqueues; identical work already waiting or running is not queued twice. */
  async enqueue(queue: LeafQueue, data: unknown): Promise<JobStatus> {
    const { payload, dedupe } = this.read(queue, data);
    const job = await this.queue(queue).add(queue, payload, { ...JOB_OPTIONS, deduplication: { id: dedupe } });
    return this.describe(queue, job);
  }

  /** A flow: one parent that completes when every child (rigs, clips, phrases) is done. */
  async enqueueShowPrep(data: unknown, resolutions: Resolution[]): Promise<JobStatus> {
    const prep = this.payloads.showPrep(data);
    const children = [
      ...prep.personas.map((persona) => this.child('rig-prewarm', { persona, resolutions })),
      ...prep.clips.map((clip) => this.child('clip-render', clip)),
      ...groupPhrases(prep.phrases).map((phrases) => this.child('voice-cache', phrases)),
    ];
    const tree = await this.flows.add({ name: 'show-prep', queueName: 'show-prep', data: prep, opts: JOB_OPTIONS, children });
    return this.describe('show-prep', tree.job);
  }

  async status(queue: QueueName, id: string): Promise<JobStatus | undefined> {
    const job = await this.queue(queue).getJob(id);
    return job && this.describe(queue, job);
  }

  async list(queue: QueueName, limit = 50): Promise<JobStatus[]> {
    const jobs = await this.queue(queue).getJobs(['active', 'waiting', 'waiting-children', 'delayed', 'prioritized', 'completed', 'failed'], 0, limit - 1);
    return Promise.all(jobs.filter(Boolean).map((job) => this.describe(queue, job)));
  }

  async retry(queue: QueueName, id: string): Promise<JobStatus | undefined> {
    const job = await this.queue(queue).getJob(id);
    if (!job) return undefined;
    await job.retry('failed');
    return this.describe(queue, job);
  }

  /** Waiting work is removed; running work is asked to stop through its worker. */
  async cancel(queue: QueueName, id: string): Promise<'removed' | 'signalled' | 'finished' | undefined> {
    const job = await this.queue(queue).getJob(id);
    if (!job) return undefined;
    const state = await job.getState();
    if (state === 'completed' || state === 'failed') return 'finished';
    if (state === 'active') {
      await this.connection.publish(cancelChannel(this.prefix), JSON.stringify({ queue, id }));
      return 'signalled';
    }
    await job.remove({ removeChildren: true });
    return 'removed';
  }

  /** Live job events for the producer page; best-effort, so final state is read from the job. */
  queueEvents(queue: QueueName): QueueEvents {
    let events = this.events.get(queue);
    if (!events) {
      events = new QueueEvents(queue, { connection: this.connection.duplicate({ maxRetriesPerRequest: null, enableOfflineQueue: true }), prefix: this.prefix });
      events.on('error', () => undefined);
      this.events.set(queue, events);
    }
    return events;
  }

  async counts(): Promise<Record<QueueName, Record<string, number>>> {
    const entries = await Promise.all([...this.queues].map(async ([name, q]) => [name, await q.getJobCounts()] as const));
    return Object.fromEntries(entries) as Record<QueueName, Record<string, number>>;
  }

  get all(): Queue[] {
    return [...this.queues.values()];
  }

  async close(): Promise<void> {
    await Promise.all([...this.events.values()].map((e) => e.close()));
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    await this.flows.close();
  }

  private read(queue: LeafQueue, data: unknown): { payload: object; dedupe: string } {
    switch (queue) {
      case 'rig-prewarm': {
        const p = this.payloads.rigPrewarm(data);
        return { payload: p, dedupe: `rig:${p.persona}:${p.resolutions.join(',')}` };
      }
      case 'clip-render': {
        const p = this.payloads.clipRender(data);
        return { payload: p, dedupe: `clip:${clipAssetKey(p.text, this.payloads.persona(p.persona), RESOLUTIONS[p.resolution], this.fps)}` };
      }
      case 'voice-cache': {
        const p = this.payloads.voiceCache(data);
        const persona = this.payloads.persona(p.persona);
        return { payload: p, dedupe: `voice:${p.phrases.map((t) => voiceAssetKey(t, persona).slice(0, 16)).join(',')}` };
      }
    }
  }

  private child(queue: LeafQueue, data: unknown) {
    const { payload } = this.read(queue, data);
    return { name: queue, queueName: queue, data: payload, opts: { ...JOB_OPTIONS, failParentOnFailure: true } };
  }

  private queue(name: QueueName): Queue {
    return this.queues.get(name)!;
  }

  private async describe(queue: QueueName, fetched: Job): Promise<JobStatus> {
    const state = await fetched.getState();
    // The job was read before its state: one that finished in between is read again, or it
    // would be `completed` without its result.
    const finished = (state === 'completed' || state === 'failed') && fetched.finishedOn === undefined;
    const job = (finished && (await this.queue(queue).getJob(fetched.id!))) || fetched;
    const status: JobStatus = {
      id: job.id!,
      queue,
      state,
      progress: typeof job.progress === 'number' ? job.progress : 0,
      attemptsMade: job.attemptsMade,
      attemptsStarted: job.attemptsStarted,
      data: job.data,
      createdAt: job.timestamp,
      ...(job.returnvalue !== undefined && job.returnvalue !== null && { result: job.returnvalue }),
      ...(job.failedReason && { failedReason: job.failedReason }),
      ...(job.finishedOn && { finishedAt: job.finishedOn }),
    };
    if (queue === 'show-prep') {
      const deps = await job.getDependenciesCount({ processed: true, unprocessed: true, failed: true });
      const done = deps.processed ?? 0;
      const failed = deps.failed ?? 0;
      status.children = { done, failed, total: done + failed + (deps.unprocessed ?? 0) };
      if (state === 'completed') status.progress = 100;
      else if (status.children.total) status.progress = Math.round((done * 100) / status.children.total);
    }
    return status;
  }
}
