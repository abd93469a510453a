import type { Redis } from 'ioredis';
import { SerialQueue } from '../../lib/SerialQueue.js';
import { settleWithin } from '../../lib/settleWithin.js';
import { ARMS, type Arm } from '../decisions/types.js';
import { armSnapshot, type ArmMetricsSnapshot } from './armSnapshot.js';
import { DEFAULT_COST_MODEL, type CostModel } from './costModel.js';
import { InvalidArmEventError } from './errors.js';
import { LatencyRing } from './LatencyRing.js';
import { ShowCounters } from './ShowCounters.js';

const ID = /^[\w.:-]{1,128}$/;

export interface ArmMetricsOptions {
  /** Keys are `<prefix>:arms:<showId>`. */
  prefix: string;
  flushEveryMs?: number;
  /** Distinct pending counters kept while Redis is away; increments to further ones are dropped and counted. */
  maxPendingFields?: number;
  costModel?: CostModel;
  /** Below this many impressions on either side, holdout lift is reported as a note. */
  minImpressionsForLift?: number;
  /** How long a snapshot waits for Redis before answering from memory. */
  snapshotBudgetMs?: number;
  retentionMs?: number;
}

/**
 * Per-arm counters per show. Recording is synchronous and in memory; a timer flushes the
 * increments in one MULTI of HINCRBYs. While Redis is away they stay pending (they sum, so
 * memory grows with distinct counters, not events) and go out on the next flush that works.
 */
export class ArmMetrics {
  readonly stats = { flushes: 0, flushFailures: 0, droppedIncrements: 0 };
  private readonly shows = new Map<string, ShowCounters>();
  private readonly latencies = new Map<string, LatencyRing>();
  private readonly options: Required<ArmMetricsOptions>;
  private readonly timer: NodeJS.Timeout;
  private pendingFields = 0;
  private readonly flushes = new SerialQueue();

  constructor(
    private readonly redis: Redis,
    options: ArmMetricsOptions,
  ) {
    this.options = {
      flushEveryMs: 250,
      maxPendingFields: 50_000,
      costModel: DEFAULT_COST_MODEL,
      minImpressionsForLift: 100,
      snapshotBudgetMs: 1_000,
      retentionMs: 90 * 24 * 3_600_000,
      ...options,
    };
    this.timer = setInterval(() => void this.flushIfIdle(), this.options.flushEveryMs).unref();
  }

  key(showId: string): string {
    return `${this.options.prefix}:arms:${showId}`;
  }

  recordDecision(showId: string, arm: Arm, latencyMs: number): void {
    const counters = this.armCounters(showId, arm);
    checkAmount(latencyMs, 'latencyMs');
    this.add(counters, `${arm}:decisions`, 1);
    this.add(counters, `${arm}:latencyUs`, Math.round(latencyMs * 1_000));
    this.latencyRing(showId).push(latencyMs);
  }

  /** With a template id, also counts the show's impressions of that template (inventory, pacing). */
  recordImpression(showId: string, arm: Arm, templateId?: string): void {
    const counters = this.armCounters(showId, arm);
    if (templateId !== undefined && !ID.test(templateId))
      throw new InvalidArmEventError(`bad template id ${JSON.stringify(templateId)}`);
    this.add(counters, `${arm}:impressions`, 1);
    if (templateId !== undefined) this.add(counters, `tpl:${templateId}`, 1);
  }

  recordClick(showId: string, arm: Arm): void {
    this.add(this.armCounters(showId, arm), `${arm}:clicks`, 1);
  }

  recordConversion(showId: string, arm: Arm): void {
    this.add(this.armCounters(showId, arm), `${arm}:conversions`, 1);
  }

  recordWatch(showId: string, arm: Arm, watchedMs: number): void {
    checkAmount(watchedMs, 'watchedMs');
    this.add(this.armCounters(showId, arm), `${arm}:watchMs`, Math.round(watchedMs));
  }

  /** The shared stream's time on air: rendered once, encoded once per rendition. */
  recordStream(showId: string, usage: { renderedMs: number; encodedMs: number }): void {
    const counters = this.counters(showId);
    checkAmount(usage.renderedMs, 'renderedMs');
    checkAmount(usage.encodedMs, 'encodedMs');
    this.add(counters, 'stream:renderedMs', Math.round(usage.renderedMs));
    this.add(counters, 'stream:encodedMs', Math.round(usage.encodedMs));
  }

  /** In memory, no Redis call: a live record updated in place (do not mutate it). */
  impressionsByTemplate(showId: string): Readonly<Record<string, number>> {
    return this.counters(showId).templates;
  }

  /** This process's recent decision latencies of a show (the host panel pools every node's). */
  latencySamples(showId: string): number[] {
    return this.latencyRing(showId).values();
  }

  /** The next flush reads the show's totals afresh: other nodes count into the same hash. */
  rehydrate(showId: string): void {
    const counters = this.shows.get(showId);
    if (counters) counters.hydrated = false;
  }

  /** Loads the show's totals from Redis (e.g. after a restart); a flush does it too. */
  async hydrate(showId: string): Promise<void> {
    const counters = this.counters(showId);
    const hash = await this.redis.hgetall(this.key(showId));
    for (const [field, value] of Object.entries(hash)) counters.confirm(field, Number(value));
    counters.hydrated = true;
  }

  /** Redis totals merged with what is not flushed yet; from memory alone when Redis does not answer in time. */
  async snapshot(showId: string, nowMs = Date.now()): Promise<ArmMetricsSnapshot> {
    const counters = this.counters(showId);
    counters.hydrated = false; // read the hash afresh after the increments
    const reached = await settleWithin(this.flush(), this.options.snapshotBudgetMs);
    const fromRedis = reached !== undefined && counters.hydrated;
    return armSnapshot({
      showId,
      atMs: nowMs,
      source: fromRedis ? 'redis' : 'memory',
      counters,
      latency: this.latencyRing(showId).summary(),
      costModel: this.options.costModel,
      minImpressionsForLift: this.options.minImpressionsForLift,
    });
  }

  /** Sends everything pending in one MULTI; resolves when it is in Redis or back in pending. */
  flush(): Promise<void> {
    return this.flushes.run(() => this.flushOnce());
  }

  /** Final flush (bounded wait); pending increments that could not be written stay counted in `pendingCount`. */
  async close(budgetMs = 2_000): Promise<void> {
    clearInterval(this.timer);
    await settleWithin(this.flush(), budgetMs);
  }

  get pendingCount(): number {
    return this.pendingFields;
  }

  /** Drops a finished show from memory (its totals stay in Redis); false while it has unflushed increments. */
  forget(showId: string): boolean {
    const counters = this.shows.get(showId);
    if (counters?.pending.size || counters?.inFlight) return false;
    this.shows.delete(showId);
    this.latencies.delete(showId);
    return true;
  }

  private async flushIfIdle(): Promise<void> {
    if (this.flushes.busy) return;
    const needed = [...this.shows.values()].some((c) => c.pending.size > 0 || !c.hydrated);
    if (needed) await this.flush();
  }

  private async flushOnce(): Promise<void> {
    const batches = this.takeBatches();
    const toRead = [...this.shows].filter(([, c]) => !c.hydrated);
    if (batches.length === 0 && toRead.length === 0) return;
    const multi = this.redis.multi();
    for (const [showId, batch] of batches) {
      for (const [field, amount] of batch) multi.hincrby(this.key(showId), field, amount);
      multi.pexpire(this.key(showId), this.options.retentionMs);
    }
    for (const [showId] of toRead) multi.hgetall(this.key(showId));
    try {
      const results = await multi.exec();
      if (!results) throw new Error('transaction aborted');
      this.applyResults(batches, toRead, results);
      this.stats.flushes += 1;
    } catch {
      this.stats.flushFailures += 1;
      for (const [showId] of batches) this.restore(this.shows.get(showId)!);
    }
  }

  private takeBatches(): [string, Map<string, number>][] {
    const batches: [string, Map<string, number>][] = [];
    for (const [showId, counters] of this.shows) {
      const batch = counters.takePending();
      if (batch) {
        batches.push([showId, batch]);
        this.pendingFields -= batch.size;
      }
    }
    return batches;
  }

  private applyResults(
    batches: [string, Map<string, number>][],
    toRead: [string, ShowCounters][],
    results: [Error | null, unknown][],
  ): void {
    let i = 0;
    for (const [showId, batch] of batches) {
      const counters = this.shows.get(showId)!;
      for (const [field, amount] of batch) {
        const [error, value] = results[i++]!;
        if (error)
          this.stats.droppedIncrements += amount > 0 ? 1 : 0; // e.g. WRONGTYPE: retrying cannot help
        else counters.confirm(field, Number(value));
      }
      i++; // pexpire
      counters.settle();
    }
    for (const [, counters] of toRead) {
      const [error, hash] = results[i++]!;
      if (error) continue;
      for (const [field, value] of Object.entries(hash as Record<string, string>))
        counters.confirm(field, Number(value));
      counters.hydrated = true;
    }
  }

  private restore(counters: ShowCounters): void {
    const accept = () => {
      if (this.pendingFields >= this.options.maxPendingFields) return false;
      this.pendingFields += 1;
      return true;
    };
    counters.restore(accept, () => (this.stats.droppedIncrements += 1));
  }

  private add(counters: ShowCounters, field: string, amount: number): void {
    if (!counters.pending.has(field)) {
      if (this.pendingFields >= this.options.maxPendingFields) {
        this.stats.droppedIncrements += 1;
        return;
      }
      this.pendingFields += 1;
    }
    counters.add(field, amount);
  }

  private armCounters(showId: string, arm: Arm): ShowCounters {
    if (!ARMS.includes(arm)) throw new InvalidArmEventError(`unknown arm ${JSON.stringify(arm)}`);
    return this.counters(showId);
  }

  private counters(showId: string): ShowCounters {
    let counters = this.shows.get(showId);
    if (!counters) {
      if (typeof showId !== 'string' || !ID.test(showId))
        throw new InvalidArmEventError(`bad show id ${JSON.stringify(showId)}`);
      counters = new ShowCounters();
      this.shows.set(showId, counters);
    }
    return counters;
  }

  private latencyRing(showId: string): LatencyRing {
    let ring = this.latencies.get(showId);
    if (!ring) this.latencies.set(showId, (ring = new LatencyRing(10_000)));
    return ring;
  }
}

function checkAmount(value: number, name: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 86_400_000) {
    throw new InvalidArmEventError(`${name} must be a finite number of ms in [0, 86400000]`);
  }
}
