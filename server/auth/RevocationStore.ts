import type { Redis } from 'ioredis';

/**
 * Erased viewers' token revocations, kept in Redis (a sorted set scored by when each may be
 * forgotten) so that a restart still refuses the tokens of a viewer whose data is gone.
 */
export class RevocationStore {
  constructor(
    private readonly redis: Redis,
    private readonly key: string,
  ) {}

  async add(viewerId: string, untilMs: number): Promise<void> {
    await this.redis.multi().zadd(this.key, untilMs, viewerId).zremrangebyscore(this.key, '-inf', Date.now()).exec();
  }

  /** The revocations still in force: [viewerId, untilMs]. */
  async active(nowMs = Date.now()): Promise<Array<[string, number]>> {
    const flat = await this.redis.zrangebyscore(this.key, nowMs, '+inf', 'WITHSCORES');
    const entries: Array<[string, number]> = [];
    for (let i = 0; i + 1 < flat.length; i += 2) entries.push([flat[i]!, Number(flat[i + 1])]);
    return entries;
  }
}
