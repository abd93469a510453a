import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { Redis } from 'ioredis';

export interface RedisHandle {
  client: Redis;
  /** With the embedded server's password in it: pass it to clients, never log it (see `redactUrl`). */
  url: string;
  /** True when OnAir started its own redis-server child. */
  embedded: boolean;
  close(): Promise<void>;
}

const DEFAULT_URL = 'redis://127.0.0.1:6379';

/**
 * Connects to REDIS_URL; without one, to a local Redis on 6379, and when nothing answers
 * there, starts a private redis-server child on a free port with persistence off and a random
 * password of its own (`requirepass`, given on its stdin so no `ps` shows it). With
 * NODE_ENV=production there is no fallback: loadConfig refuses to start without REDIS_URL.
 */
export async function connectRedis(url: string | undefined, localUrl = DEFAULT_URL): Promise<RedisHandle> {
  if (url) return connected(url, undefined);
  if (await answersPing(localUrl)) return connected(localUrl, undefined);
  const port = await freePort();
  const password = randomBytes(24).toString('base64url');
  const child = spawn('redis-server', ['-'], { stdio: ['pipe', 'ignore', 'ignore'] });
  child.stdin?.end([`port ${port}`, 'bind 127.0.0.1', 'save ""', 'appendonly no', `requirepass ${password}`, ''].join('\n'));
  const embeddedUrl = `redis://:${password}@127.0.0.1:${port}`;
  await waitFor(() => answersPing(embeddedUrl), 5_000, 'embedded redis-server to answer');
  return connected(embeddedUrl, child);
}

async function connected(url: string, child: ChildProcess | undefined): Promise<RedisHandle> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2, connectTimeout: 3_000 });
  client.on('error', () => undefined); // state is reported by /readyz; ioredis reconnects by itself
  await client.connect();
  const stopChild = () => child?.kill('SIGTERM');
  if (child) process.once('exit', stopChild);
  return {
    client,
    url,
    embedded: child !== undefined,
    async close() {
      client.disconnect();
      if (!child || child.exitCode !== null) return;
      process.off('exit', stopChild);
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      });
    },
  };
}

export async function answersPing(url: string): Promise<boolean> {
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 500, retryStrategy: () => null });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    return (await probe.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
