import type { Redis } from 'ioredis';
import type { Arm } from '../decisions/types.js';
import type { LatencyHistogram } from '../experiments/latencyHistogram.js';
import { storeCall } from '../viewers/redisCall.js';

/** What one node says of its own viewers of a show, every second. */
export interface NodeReport {
  node: string;
  atMs: number;
  /** Connected viewers per arm on that node. */
  viewers: Record<Arm, number>;
  /** Its recent decisions' latencies. */
  latency: LatencyHistogram;
  maxLatencyMs: number;
}

/** A report older than this is a node that stopped reporting (gone, or cut from Redis): not counted. */
const FRESH_MS = 3_000;
const KEEP_MS = 60_000;
const TIMEOUT_MS = 250;

/**
 * Per show, each node's report of the viewers it holds (a Redis hash, a field per node), so
 * the origin's host panel counts the viewers and pools the decision latencies of every node
 * that decides for the show. Counters that must add up exactly (impressions, clicks, votes)
 * are not here: they are Redis counters already (ArmMetrics, PollVotes).
 */
export class AudienceNodes {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    readonly nodeId: string,
  ) {}

  private key(showId: string): string {
    return `${this.prefix}:audience-nodes:${showId}`;
  }

  async report(showId: string, report: Omit<NodeReport, 'node'>): Promise<void> {
    const key = this.key(showId);
    await storeCall(this.redis, TIMEOUT_MS, () => this.redis.multi().hset(key, this.nodeId, JSON.stringify({ ...report, node: this.nodeId })).pexpire(key, KEEP_MS).exec());
  }

  /** The other nodes' fresh reports; none when Redis does not answer. */
  async others(showId: string, nowMs = Date.now()): Promise<NodeReport[]> {
    const hash = await storeCall(this.redis, TIMEOUT_MS, () => this.redis.hgetall(this.key(showId))).catch(() => ({}) as Record<string, string>);
    const reports: NodeReport[] = [];
    for (const [node, json] of Object.entries(hash)) {
      if (node === this.nodeId) continue;
      try {
        const report = JSON.parse(json) as NodeReport;
        if (typeof report.atMs === 'number' && nowMs - report.atMs <= FRESH_MS && typeof report.viewers === 'object' && report.viewers !== null) reports.push(report);
      } catch {
        // A field no node of this version wrote: skipped.
      }
    }
    return reports;
  }

  /** This node holds no more viewers of the show. */
  async remove(showId: string): Promise<void> {
    await storeCall(this.redis, TIMEOUT_MS, () => this.redis.hdel(this.key(showId), this.nodeId)).catch(() => undefined);
  }
}
