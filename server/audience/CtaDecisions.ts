import type { Redis } from 'ioredis';
import { ARMS, type Arm } from '../decisions/types.js';
import { storeCall } from '../viewers/redisCall.js';

export interface CtaDecision {
  viewerId: string;
  arm: Arm;
  templateId: string;
}

const FLUSH_EVERY_MS = 100;
const MAX_BUFFERED = 50_000;
const TIMEOUT_MS = 500;

/**
 * The CTA decisions of a show, whichever node made them, so an advertiser's postback (which
 * reaches the show's origin) finds a decision made for a viewer on another node. Writes are
 * buffered and sent in one pipeline every 100 ms, off the decision path; a show's hash expires
 * with the audit retention after its last write.
 */
export class CtaDecisions {
  private buffer: Array<[showId: string, decisionId: string, value: string]> = [];
  private readonly timer: NodeJS.Timeout;
  private flushing = false;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly retentionMs: number,
  ) {
    this.timer = setInterval(() => void this.flush(), FLUSH_EVERY_MS).unref();
  }

  private key(showId: string): string {
    return `${this.prefix}:cta-decisions:${showId}`;
  }

  remember(showId: string, decisionId: string, decision: CtaDecision): void {
    if (this.buffer.length >= MAX_BUFFERED) return;
    this.buffer.push([showId, decisionId, `${decision.arm} ${decision.templateId} ${decision.viewerId}`]);
  }

  async find(showId: string, decisionId: string): Promise<CtaDecision | undefined> {
    const value = await storeCall(this.redis, TIMEOUT_MS, () => this.redis.hget(this.key(showId), decisionId)).catch(() => null);
    const [arm, templateId, viewerId] = value?.split(' ') ?? [];
    if (!arm || !templateId || !viewerId || !(ARMS as readonly string[]).includes(arm)) return undefined;
    return { arm: arm as Arm, templateId, viewerId };
  }

  async flush(): Promise<void> {
    if (this.flushing || this.buffer.length === 0) return;
    this.flushing = true;
    const rows = this.buffer.splice(0, 5_000);
    const pipeline = this.redis.pipeline();
    for (const [showId, decisionId, value] of rows) pipeline.hset(this.key(showId), decisionId, value);
    for (const showId of new Set(rows.map(([showId]) => showId))) pipeline.pexpire(this.key(showId), this.retentionMs);
    try {
      await storeCall(this.redis, TIMEOUT_MS, () => pipeline.exec());
    } catch {
      // Redis away: kept for the next flush, within the bound.
      this.buffer = [...rows, ...this.buffer].slice(0, MAX_BUFFERED);
    } finally {
      this.flushing = false;
    }
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}
