import { readFileSync, rmSync } from 'node:fs';
import { Redis } from 'ioredis';
import { io as connect, type Socket } from 'socket.io-client';
import { NodeProcess } from '../../test/helpers/nodeProcess.js';
import { hostAuth, isolatedBatchEnv } from '../../test/helpers/startOnAir.js';
import { childPids } from '../fanout/procStats.js';
import { descendants, startTicksOf } from './procCpu.js';

/** Per-address limits lifted: every viewer of the bench comes from 127.0.0.1. */
const UNLIMITED: Record<string, string> = {
  VIEWER_JOIN_BURST: '100000',
  VIEWER_JOINS_PER_SECOND: '100000',
  WHEP_OFFER_BURST: '100000',
  WHEP_OFFERS_PER_SECOND: '100000',
  MAX_WHEP_SESSIONS_PER_IP: '100000',
  MAX_SOCKETS_PER_IP: '100000',
  MAX_CONNECTIONS_PER_IP: '100000',
};

export interface Api {
  status: number;
  body: unknown;
}

export async function api<T>(
  node: NodeProcess,
  path: string,
  init: { method?: string; json?: unknown; timeoutMs?: number } = {},
): Promise<{ status: number; body: T }> {
  const response = await fetch(`${node.url}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      ...hostAuth,
      ...(init.json !== undefined && { 'content-type': 'application/json' }),
    },
    ...(init.json !== undefined && { body: JSON.stringify(init.json) }),
    signal: AbortSignal.timeout(init.timeoutMs ?? 10_000),
  });
  return { status: response.status, body: (await response.json().catch(() => undefined)) as T };
}

const JOIN = {
  device: 'desktop',
  language: 'en-US',
  region: 'US',
  referrer: 'https://www.example.com/',
  consent: true,
};

/** A viewer of `showId` at `node`: a token from it, a /viewer socket there, joined; the join's result. */
export async function joinedViewer<T>(node: NodeProcess, showId: string): Promise<{ socket: Socket; result: T }> {
  const { status, body } = await api<{ token: string }>(node, `/api/shows/${showId}/viewers`, {
    method: 'POST',
  });
  if (status !== 201)
    throw new Error(`viewer token at ${node.nodeId}: ${status} ${JSON.stringify(body)}`);
  const socket = connect(`${node.url}/viewer`, {
    auth: { token: body.token },
    transports: ['websocket'],
    reconnection: false,
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  const reply = (await socket.timeout(10_000).emitWithAck('join', JOIN)) as { ok: boolean; result: T };
  if (!reply.ok) throw new Error(`join at ${node.nodeId}: ${JSON.stringify(reply)}`);
  return { socket, result: reply.result };
}

export async function until<T>(
  read: () => Promise<T>,
  ok: (value: T) => boolean,
  timeoutMs: number,
  what: string,
  everyMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read().catch(() => undefined as T);
    if (value !== undefined && ok(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/**
 * Three OnAir node processes on one Redis (one cluster: the same isolated prefixes), one
 * mediasoup worker each. Everything they spawned is remembered, so `close` can kill what a
 * SIGKILLed node left behind, but only while its pid still names the same process.
 */
export class BenchCluster {
  readonly nodes: NodeProcess[] = [];
  readonly env: Record<string, string>;
  private readonly children = new Map<number, { comm: string; startTicks: number }>();
  private closed = false;

  constructor(extraEnv: Record<string, string>) {
    this.env = {
      ...isolatedBatchEnv(),
      HLS: 'false',
      SFU_WORKERS: '1',
      ...UNLIMITED,
      ...(process.env.REDIS_URL && { REDIS_URL: process.env.REDIS_URL }),
      ...extraEnv,
    };
  }

  async start(nodeId: string): Promise<NodeProcess> {
    const node = await NodeProcess.start(nodeId, this.env);
    this.nodes.push(node);
    const startTicks = startTicksOf(node.pid);
    if (startTicks !== undefined) this.children.set(node.pid, { comm: 'node', startTicks });
    this.remember();
    return node;
  }

  /** Records the nodes' descendants (mediasoup workers, ffmpeg) as they are now. */
  remember(): void {
    for (const node of this.nodes)
      for (const { pid, comm, startTicks } of descendants(node.pid))
        this.children.set(pid, { comm, startTicks });
  }

  /** Descendants recorded earlier that still run (as the same process). */
  leftovers(): { pid: number; comm: string }[] {
    return [...this.children]
      .filter(([pid, { startTicks }]) => startTicksOf(pid) === startTicks)
      .map(([pid, { comm }]) => ({ pid, comm }));
  }

  /** SIGKILLs every recorded descendant that still runs; returns what it killed. */
  killLeftovers(): { pid: number; comm: string }[] {
    const left = this.leftovers();
    for (const { pid } of left) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone meanwhile
      }
    }
    return left;
  }

  /** Synchronous last resort (an exit handler): SIGKILL the nodes and their children. */
  killAllNow(): void {
    this.remember();
    // A node that failed to start is not in `nodes` (NodeProcess.start threw) but is still this process's child.
    for (const pid of childPids(process.pid).filter((pid) =>
      cmdlineOf(pid).includes('server/main.ts'),
    )) {
      for (const { pid: child, comm, startTicks } of descendants(pid))
        this.children.set(child, { comm, startTicks });
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    // The nodes themselves are in `children` too: killed only while their pid still names them.
    this.killLeftovers();
  }

  /** Stops everything and deletes the run's keys; the nodes' logs stay only when `keepLogs`. */
  async close(keepLogs = false): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.remember();
    await Promise.all(this.nodes.map((node) => node.stop()));
    await new Promise((resolve) => setTimeout(resolve, 500));
    this.killLeftovers();
    // The run's keys (queues, assets, audience, cluster, sockets) all start with the isolated prefix.
    const redis = new Redis(this.env.REDIS_URL ?? 'redis://127.0.0.1:6379', {
      maxRetriesPerRequest: 1,
    });
    // Best effort: a Redis already gone (a soak's own, stopped by Ctrl-C) is no error to print.
    redis.on('error', () => undefined);
    try {
      const prefix = this.env.QUEUE_PREFIX!;
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
        cursor = next;
        if (keys.length) await redis.del(...keys);
      } while (cursor !== '0');
    } catch {
      // best effort
    } finally {
      redis.disconnect();
    }
    rmSync(this.env.ASSET_DIR!, { recursive: true, force: true });
    if (!keepLogs) for (const node of this.nodes) rmSync(node.logFile, { force: true });
  }
}

function cmdlineOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}
