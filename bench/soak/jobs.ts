import { randomBytes } from 'node:crypto';
import { producerAuth } from '../../test/helpers/startOnAir.js';
import { epochMs } from './clock.js';

interface TrackedJob {
  id: string;
  drill: string;
  enqueuedAtMs: number;
  state: string;
  finishedAtMs?: number;
}

export interface JobOutcome {
  enqueued: number;
  completed: number;
  failed: number;
  /** Neither completed nor failed by the deadline, or gone from Redis: lost. */
  lost: number;
  /** The drill's fault → its last job completed (ms). */
  lastCompletedMs?: number;
}

/**
 * Voice-cache jobs the soak enqueues through the producer API (docs/batch.md) before a fault,
 * and follows to the end: a job that never completes was lost. Each phrase is new text, so no
 * job is deduplicated or answered from the asset store.
 */
export class JobTracker {
  readonly jobs: TrackedJob[] = [];
  private readonly run = randomBytes(3).toString('hex');
  private n = 0;
  private following: Promise<void> | undefined;
  private stopped = false;

  constructor(private readonly url: string) {}

  /** Enqueues `count` jobs of `phrases` phrases each; throws on a refusal (nothing is down yet). */
  async enqueue(drill: string, count: number, phrases = 10): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const job = this.n++;
      const response = await fetch(`${this.url}/api/jobs/voice-cache`, {
        method: 'POST',
        headers: { ...producerAuth, 'content-type': 'application/json' },
        body: JSON.stringify({
          persona: 'ava',
          phrases: Array.from(
            { length: phrases },
            (_, k) => `Soak run ${this.run}, job ${job}, phrase ${k + 1}: stay with us.`,
          ),
        }),
        signal: AbortSignal.timeout(10_000),
      });
      if (response.status !== 202)
        throw new Error(`enqueue: ${response.status} ${await response.text()}`);
      const { id } = (await response.json()) as { id: string };
      this.jobs.push({ id, drill, enqueuedAtMs: epochMs(), state: 'waiting' });
      ids.push(id);
    }
    return ids;
  }

  async state(id: string): Promise<string | undefined> {
    const response = await fetch(`${this.url}/api/jobs/voice-cache/${id}`, {
      headers: producerAuth,
      signal: AbortSignal.timeout(5_000),
    }).catch(() => undefined);
    if (!response) return undefined;
    if (response.status === 404) return 'missing';
    if (!response.ok) return void (await response.body?.cancel());
    return ((await response.json()) as { state: string }).state;
  }

  /** Follows every unfinished job in the background (so completion times are when they happened) until `stop`. */
  follow(): void {
    if (this.following) return;
    this.following = (async () => {
      while (!this.stopped) {
        for (const job of this.jobs.filter((j) => j.finishedAtMs === undefined)) {
          const state = await this.state(job.id);
          if (state === undefined) continue; // Redis or the server briefly away: ask again
          job.state = state;
          if (state === 'completed' || state === 'failed' || state === 'missing')
            job.finishedAtMs = epochMs();
        }
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    })();
  }

  /** Waits until every job finished, or `timeoutMs`; then stops following. */
  async settle(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.jobs.some((j) => j.finishedAtMs === undefined) && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 250));
    this.stopped = true;
    await this.following;
  }

  outcome(drill: string, faultAtMs: number): JobOutcome {
    const jobs = this.jobs.filter((j) => j.drill === drill);
    const completed = jobs.filter((j) => j.state === 'completed');
    return {
      enqueued: jobs.length,
      completed: completed.length,
      failed: jobs.filter((j) => j.state === 'failed').length,
      lost: jobs.filter((j) => j.state !== 'completed' && j.state !== 'failed').length,
      ...(completed.length && {
        lastCompletedMs: Math.max(...completed.map((j) => j.finishedAtMs!)) - faultAtMs,
      }),
    };
  }
}
