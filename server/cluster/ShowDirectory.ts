import type { Redis } from 'ioredis';

/** Moves a show to a new origin only if the old one still holds it, so two survivors never both take it. */
const TAKE_OVER = `
if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
  return 1
end
return 0`;

/** Forgets a show only if this node still holds it (a survivor may have taken it meanwhile). */
const REMOVE = `
if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then return redis.call('HDEL', KEYS[1], ARGV[1]) end
return 0`;

/** Show → origin node, in one Redis hash every node reads. */
export class ShowDirectory {
  private readonly key: string;

  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.key = `${prefix}:shows`;
  }

  async place(showId: string, nodeId: string): Promise<void> {
    await this.redis.hset(this.key, showId, nodeId);
  }

  async originOf(showId: string): Promise<string | undefined> {
    return (await this.redis.hget(this.key, showId)) ?? undefined;
  }

  /** Forgets an ended show, unless another node took it over meanwhile. */
  async remove(showId: string, nodeId: string): Promise<void> {
    await this.redis.eval(REMOVE, 1, this.key, showId, nodeId);
  }

  /** Every live show and its origin. */
  async all(): Promise<Map<string, string>> {
    return new Map(Object.entries(await this.redis.hgetall(this.key)));
  }

  /** True when this call moved the show from `from` to `to`. */
  async takeOver(showId: string, from: string, to: string): Promise<boolean> {
    return (await this.redis.eval(TAKE_OVER, 1, this.key, showId, from, to)) === 1;
  }
}
