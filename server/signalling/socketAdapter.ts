import { createAdapter } from '@socket.io/redis-streams-adapter';
import { Redis, type RedisOptions } from 'ioredis';
import type { Server as SocketServer } from 'socket.io';
import { redactUrl } from '../../lib/secrets.js';

/** The Redis stream (and PUB/SUB channel prefix) of one cluster's socket traffic: under CLUSTER_PREFIX, so clusters on one Redis never see each other's. */
export const socketStreamName = (clusterPrefix: string) => `${clusterPrefix}:sockets`;

/**
 * Publishing fails at once while Redis is away instead of queueing: socket.io's ClusterAdapter
 * delivers a broadcast to this node's own sockets only after its XADD settles, so a queued
 * XADD would hold local delivery until Redis came back.
 */
const PUBLISH_OPTIONS: RedisOptions = {
  enableOfflineQueue: false,
  maxRetriesPerRequest: 0,
  commandTimeout: 500,
  connectTimeout: 2_000,
  retryStrategy: (attempt) => Math.min(100 * attempt, 2_000),
};

/**
 * The adapter's own duplicates (the blocking XREAD, and PUB/SUB for its ephemeral requests)
 * wait out an outage: ioredis reconnects, resubscribes, and the reader resumes the stream
 * from the last entry it read, so room broadcasts published meanwhile still arrive. They
 * must keep the offline queue: without it a failed XREAD is retried at once, forever.
 */
const READ_OPTIONS: RedisOptions = {
  maxRetriesPerRequest: null,
  connectTimeout: 2_000,
  retryStrategy: (attempt) => Math.min(100 * attempt, 2_000),
};

export interface SocketAdapter {
  /** socket.io's `adapter` option: one adapter per namespace, all on one stream. */
  adapter: (nsp: unknown) => ReturnType<ReturnType<typeof createAdapter>>;
  close(): void;
}

/**
 * The socket.io Redis streams adapter on connections of its own: a room emit on any node
 * reaches that room's sockets on every node of the cluster (nodes that share REDIS_URL and
 * CLUSTER_PREFIX). Joining a room stays local to the node that holds the socket.
 */
export async function createSocketAdapter(options: { redisUrl: string; clusterPrefix: string }): Promise<SocketAdapter> {
  const publisher = new Redis(options.redisUrl, PUBLISH_OPTIONS);
  publisher.on('error', () => undefined); // a failed publish is the adapter's to report (debug), and local delivery goes on
  await new Promise<void>((resolve, reject) => {
    publisher.once('ready', resolve);
    setTimeout(() => reject(new Error(`Redis at ${redactUrl(options.redisUrl)} is not ready for the socket adapter`)), 5_000).unref();
  }).catch((error: unknown) => {
    publisher.disconnect();
    throw error;
  });
  const duplicates: Redis[] = [];
  // The adapter calls `duplicate()` for its reader and subscriber (synchronously, inside createAdapter).
  (publisher as unknown as { duplicate: () => Redis }).duplicate = () => {
    const client = new Redis(options.redisUrl, READ_OPTIONS);
    client.on('error', () => undefined);
    duplicates.push(client);
    return client;
  };
  const stream = socketStreamName(options.clusterPrefix);
  const factory = createAdapter(publisher, { streamName: stream, channelPrefix: stream, sessionKeyPrefix: `${stream}:session:`, maxLen: 10_000 });
  const adapters: { close(): void }[] = [];
  return {
    // A function, not an arrow: socket.io calls it with `new` (and gets the object it returns).
    adapter: function (nsp: unknown) {
      const adapter = factory(nsp);
      adapters.push(adapter);
      return adapter;
    },
    close: () => {
      // Closing every namespace's adapter stops the adapter's read loop after its current XREAD.
      for (const adapter of adapters.splice(0)) adapter.close();
      for (const client of duplicates) {
        // That XREAD may block for up to 5 s: disconnecting ends it now. Any read after that is
        // left pending, never failed, so a loop that was somehow not stopped parks instead of spinning.
        (client as unknown as { xread: () => Promise<never> }).xread = () => new Promise<never>(() => undefined);
        client.disconnect();
      }
      publisher.disconnect();
    },
  };
}

const adapters = new WeakMap<SocketServer, SocketAdapter>();

export function rememberAdapter(io: SocketServer, adapter: SocketAdapter): void {
  adapters.set(io, adapter);
}

/** Disconnects this node's sockets (only this node's: other nodes keep theirs) and closes the adapter. */
export function closeSockets(io: SocketServer): void {
  for (const nsp of io._nsps.values()) nsp.local.disconnectSockets(true);
  adapters.get(io)?.close();
}
