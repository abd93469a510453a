import type { Redis } from 'ioredis';

const TTL_SECONDS = 7 * 24 * 3600;

/** Which show-prep flow belongs to which show, so the show's page can show its readiness. */
export class ShowPrepIndex {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'onair:show-prep',
  ) {}

  async remember(showId: string, jobId: string): Promise<void> {
    await this.redis.set(`${this.prefix}:${showId}`, jobId, 'EX', TTL_SECONDS);
  }

  async lookup(showId: string): Promise<string | undefined> {
    if (!/^[a-z0-9]{6,32}$/.test(showId)) return undefined;
    return (await this.redis.get(`${this.prefix}:${showId}`)) ?? undefined;
  }
}
