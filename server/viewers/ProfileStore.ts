import type { Redis } from 'ioredis';
import { checkId } from './ids.js';
import { DEFAULT_STORE_TIMEOUT_MS, storeCall } from './redisCall.js';
import type { ViewerProfile } from './sessionTypes.js';
import { viewerKeys, type ViewerKeys } from './viewerKeys.js';

/**
 * Reads the long-term profile kept under the anonymous viewer id. It is written only by the
 * session script (lua/profileLua.ts), in the same round trip as the session update, and only
 * while the viewer's join context says consent; a join without consent deletes it, and it
 * expires SessionStore.profileRetentionMs after its last update.
 */
export class ProfileStore {
  private readonly keys: ViewerKeys;
  private readonly timeoutMs: number;

  constructor(
    private readonly redis: Redis,
    options: { prefix: string; timeoutMs?: number },
  ) {
    this.keys = viewerKeys(options.prefix);
    this.timeoutMs = options.timeoutMs ?? DEFAULT_STORE_TIMEOUT_MS;
  }

  async read(viewerId: string): Promise<ViewerProfile | undefined> {
    const key = this.keys.profile(checkId(viewerId, 'viewerId'));
    const hash = await storeCall(this.redis, this.timeoutMs, () => this.redis.hgetall(key));
    if (Object.keys(hash).length === 0) return undefined;
    return {
      firstSeenMs: Number(hash.firstSeenMs ?? 0),
      lastSeenMs: Number(hash.lastSeenMs ?? 0),
      totalClicks: Number(hash.clicks ?? 0),
      showsWatched: Number(hash.shows ?? 0),
      topicAffinities: affinities(hash.topics),
    };
  }
}

// cjson writes an empty Lua table as `{}`, which is also what an empty object looks like.
function affinities(text: string | undefined): Record<string, number> {
  const value = text === undefined ? {} : (JSON.parse(text) as unknown);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, number] => typeof entry[1] === 'number'));
}
