import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

/** Fresh key prefixes on the shared test Redis, so files never see each other's keys; `drop` deletes them all. */
export class KeyPrefixes {
  private readonly made: string[] = [];

  fresh(name: string): string {
    const prefix = `test-${name}-${randomBytes(6).toString('hex')}`;
    this.made.push(prefix);
    return prefix;
  }

  async drop(redis: Redis): Promise<void> {
    for (const prefix of this.made) {
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length) await redis.del(...keys);
    }
  }
}
