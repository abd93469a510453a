import type { Redis } from 'ioredis';
import type { ShowRecord } from './Show.js';

const ENDED_TTL_SECONDS = 24 * 60 * 60;
const key = (id: string) => `onair:show:${id}`;

/** Show records in Redis, so ended shows stay queryable and other processes can see shows. */
export class ShowStore {
  constructor(private readonly redis: Redis) {}

  async save(record: ShowRecord): Promise<void> {
    const multi = this.redis.multi().set(key(record.id), JSON.stringify(record));
    if (record.state === 'ended') multi.expire(key(record.id), ENDED_TTL_SECONDS);
    await multi.exec();
  }

  async load(id: string): Promise<ShowRecord | undefined> {
    const raw = await this.redis.get(key(id));
    return raw ? (JSON.parse(raw) as ShowRecord) : undefined;
  }
}
