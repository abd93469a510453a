import type { Redis } from 'ioredis';

/**
 * Erased viewers' token revocations, kept in Redis (a sorted set scored by when each may be
 * forgotten) so that a restart still refuses the tokens of a viewer whose data is gone, and
 * announced on a channel so that every node of a cluster refuses them at once.
 */
export class RevocationStore {
  private subscriber: Redis | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly key: string,
  ) {}

  async add(viewerId: string, untilMs: number): Promise<void> {
    await this.redis.multi().zadd(this.key, untilMs, viewerId).zremrangebyscore(this.key, '-inf', Date.now()).publish(this.key, JSON.stringify([viewerId, untilMs])).exec();
  }

  /** The revocations still in force: [viewerId, untilMs]. */
  async active(nowMs = Date.now()): Promise<Array<[string, number]>> {
    const flat = await this.redis.zrangebyscore(this.key, nowMs, '+inf', 'WITHSCORES');
    const entries: Array<[string, number]> = [];
    for (let i = 0; i + 1 < flat.length; i += 2) entries.push([flat[i]!, Number(flat[i + 1])]);
    return entries;
  }

  /**
   * Calls `revoked` for each revocation any node adds from now on, and, after the subscription
   * comes back from a Redis outage, for every revocation in force (one may have been missed).
   */
  async watch(revoked: (viewerId: string, untilMs: number) => void): Promise<void> {
    const subscriber = this.redis.duplicate();
    this.subscriber = subscriber;
    subscriber.on('error', () => undefined);
    subscriber.on('message', (_channel, message: string) => {
      try {
        const [viewerId, untilMs] = JSON.parse(message) as [unknown, unknown];
        if (typeof viewerId === 'string' && typeof untilMs === 'number') revoked(viewerId, untilMs);
      } catch {
        // Not ours: only RevocationStore.add publishes here.
      }
    });
    let first = true;
    subscriber.on('ready', () => {
      if (first) return void (first = false);
      void this.active().then((entries) => entries.forEach(([viewerId, untilMs]) => revoked(viewerId, untilMs)), () => undefined);
    });
    await subscriber.subscribe(this.key);
  }

  close(): void {
    this.subscriber?.disconnect();
  }
}
