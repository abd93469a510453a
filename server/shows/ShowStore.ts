import type { Redis } from 'ioredis';
import type { ShowRecord } from './Show.js';
import type { ShowSnapshot } from './ShowSnapshot.js';

const ENDED_TTL_SECONDS = 24 * 60 * 60;
const key = (id: string) => `onair:show:${id}`;
const stateKey = (id: string) => `onair:show:${id}:state`;

/** Show records in Redis, so ended shows stay queryable and other nodes can see and take over shows. */
export class ShowStore {
  constructor(private readonly redis: Redis) {}

  async save(record: ShowRecord): Promise<void> {
    const multi = this.redis.multi().set(key(record.id), JSON.stringify(record));
    if (record.state === 'ended') multi.expire(key(record.id), ENDED_TTL_SECONDS).del(stateKey(record.id));
    await multi.exec();
  }

  async load(id: string): Promise<ShowRecord | undefined> {
    const raw = await this.redis.get(key(id));
    return raw ? (JSON.parse(raw) as ShowRecord) : undefined;
  }

  /** A live show's snapshot (what a takeover restores), as JSON already serialized by the caller. */
  async saveSnapshot(id: string, json: string): Promise<void> {
    await this.redis.set(stateKey(id), json);
  }

  async loadSnapshot(id: string): Promise<ShowSnapshot | undefined> {
    const raw = await this.redis.get(stateKey(id));
    return raw ? (JSON.parse(raw) as ShowSnapshot) : undefined;
  }
}
