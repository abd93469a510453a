import { Redis, type RedisOptions } from 'ioredis';
import { ViewerStoreUnavailableError } from './errors.js';

/**
 * Options for the viewer stores' own connection: a command never waits for a reconnect
 * (no offline queue, no retry of in-flight commands) and never waits long for a reply, so a
 * Redis outage shows up at once and the decision engine falls back instead of queueing.
 */
export const VIEWER_STORE_REDIS_OPTIONS: RedisOptions = {
  enableOfflineQueue: false,
  maxRetriesPerRequest: 0,
  commandTimeout: 250,
  connectTimeout: 1_000,
  retryStrategy: (attempt) => Math.min(100 * attempt, 1_000),
};

/**
 * Opens the viewer stores' own connection and waits until it is ready: without an offline
 * queue, a command sent before that fails at once. Later outages are reconnected by ioredis.
 */
export async function connectViewerStoreRedis(url: string): Promise<Redis> {
  const redis = new Redis(url, { ...VIEWER_STORE_REDIS_OPTIONS, lazyConnect: true });
  redis.on('error', () => undefined); // each call reports its own failure as VIEWER_STORE_UNAVAILABLE
  await redis.connect();
  return redis;
}

/** Default bound on one store call, on top of whatever the connection's options say. */
export const DEFAULT_STORE_TIMEOUT_MS = 250;

type ScriptArg = string | number;
export type ScriptCall = (keys: readonly string[], args: readonly ScriptArg[]) => Promise<unknown>;

/**
 * Registers `lua` on the connection with ioredis `defineCommand` (sent as EVALSHA, and as
 * EVAL only the first time per socket) and returns a caller for it.
 */
export function defineScript(redis: Redis, name: string, lua: string, numberOfKeys: number): ScriptCall {
  redis.defineCommand(name, { lua, numberOfKeys });
  const command = (redis as unknown as Record<string, (...args: ScriptArg[]) => Promise<unknown>>)[name]!;
  return (keys, args) => command.call(redis, ...keys, ...args);
}

const DOWN = new Set(['close', 'end', 'reconnecting']);

/**
 * Runs one Redis call within `timeoutMs`: rejects at once when the connection is down
 * (rather than queueing behind a reconnect) and with ViewerStoreUnavailableError on any
 * connection error or timeout.
 */
export async function storeCall<T>(redis: Redis, timeoutMs: number, call: () => Promise<T>): Promise<T> {
  if (DOWN.has(redis.status)) throw new ViewerStoreUnavailableError(`redis connection is ${redis.status}`);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ViewerStoreUnavailableError(`no reply within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([call(), timeout]);
  } catch (error) {
    throw error instanceof ViewerStoreUnavailableError ? error : new ViewerStoreUnavailableError(error);
  } finally {
    clearTimeout(timer);
  }
}
