import type { Redis } from 'ioredis';
import { EnhancedEventEmitter } from '../../lib/EnhancedEventEmitter.js';
import type { ClusterAuth } from './clusterAuth.js';
import type { NodeInfo, NodeLoad } from './NodeInfo.js';

export interface NodeRegistryOptions {
  redis: Redis;
  prefix: string;
  auth: ClusterAuth;
  self: Omit<NodeInfo, 'load' | 'heartbeatAt'>;
  load: () => NodeLoad;
  /** How often the node renews its registration and reads the others'. */
  heartbeatMs?: number;
  /** A registration not renewed for this long expires; a node missing from two reads in a row has left. */
  ttlMs?: number;
}

export type NodeRegistryEvents = {
  joined: [node: NodeInfo];
  /** The node's registration expired: it died, hung or lost Redis. */
  left: [node: NodeInfo];
  /** An entry in the node set that is not signed with the cluster secret (forged, or another secret). */
  forged: [nodeId: string];
};

/**
 * Membership: each node keeps a signed registration with its load under a key that expires
 * unless it is renewed, and reads everyone's at the same beat. A node that stops renewing
 * (killed, frozen, cut from Redis) is gone within `ttlMs`, and every other node sees it leave.
 */
export class NodeRegistry extends EnhancedEventEmitter<NodeRegistryEvents> {
  private readonly heartbeatMs: number;
  private readonly ttlMs: number;
  private known = new Map<string, NodeInfo>();
  /** Known nodes missing from the last read: one miss may be Redis coming back empty, two is a leave. */
  private readonly missing = new Set<string>();
  /** After Redis was away, every node needs a beat to register again: nobody has left before this. */
  private quietUntilMs = 0;
  private redisAway = false;
  private readonly forgedIds = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private beating: Promise<void> | undefined;
  private closed = false;

  constructor(private readonly options: NodeRegistryOptions) {
    super();
    this.heartbeatMs = options.heartbeatMs ?? 500;
    this.ttlMs = options.ttlMs ?? 2_000;
  }

  get nodeId(): string {
    return this.options.self.nodeId;
  }

  /** Registers this node and reads the others once before it resolves. */
  async start(): Promise<void> {
    await this.beat();
    this.timer = setInterval(() => this.tick(), this.heartbeatMs);
    this.timer.unref();
  }

  private tick(): void {
    this.beating ??= this.beat().finally(() => (this.beating = undefined));
  }

  /** The live, verified nodes (this one included), as of the last beat. */
  nodes(): NodeInfo[] {
    return [...this.known.values()];
  }

  node(nodeId: string): NodeInfo | undefined {
    return this.known.get(nodeId);
  }

  /** Registrations seen in the node set that did not verify. */
  get forged(): string[] {
    return [...this.forgedIds];
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    await this.beating;
    const { redis, prefix } = this.options;
    // A clean stop leaves at once instead of after the TTL.
    await redis.multi().del(nodeKey(prefix, this.nodeId)).srem(`${prefix}:nodes`, this.nodeId).exec().catch(() => undefined);
    this.removeAllListeners();
  }

  private async beat(): Promise<void> {
    if (this.closed) return;
    const { redis, prefix, auth, self, load } = this.options;
    const info: NodeInfo = { ...self, heartbeatAt: new Date().toISOString(), load: load() };
    const body = JSON.stringify(info);
    try {
      await redis.multi().set(nodeKey(prefix, self.nodeId), `${auth.sign(body)}.${body}`, 'PX', this.ttlMs).sadd(`${prefix}:nodes`, self.nodeId).exec();
      const ids = await redis.smembers(`${prefix}:nodes`);
      const raw = ids.length ? await redis.mget(ids.map((id) => nodeKey(prefix, id))) : [];
      if (this.redisAway) {
        this.redisAway = false;
        this.quietUntilMs = Date.now() + this.ttlMs;
      }
      this.update(ids, raw);
    } catch {
      // Redis is away: keep the last view; registrations expire by themselves if it lasts.
      this.redisAway = true;
    }
  }

  private update(ids: string[], raw: (string | null)[]): void {
    const { redis, prefix, auth } = this.options;
    const next = new Map<string, NodeInfo>();
    ids.forEach((id, i) => {
      const entry = raw[i];
      if (entry === null || entry === undefined) {
        // Expired: drop it from the set (any node may; SREM is idempotent).
        void redis.srem(`${prefix}:nodes`, id).catch(() => undefined);
        return;
      }
      const dot = entry.indexOf('.');
      const body = entry.slice(dot + 1);
      const info = dot > 0 && auth.verify(body, entry.slice(0, dot)) ? parseNode(body) : undefined;
      if (!info || info.nodeId !== id) {
        if (!this.forgedIds.has(id)) {
          this.forgedIds.add(id);
          this.safeEmit('forged', id);
        }
        return;
      }
      this.forgedIds.delete(id);
      next.set(id, info);
    });
    const before = this.known;
    const left: NodeInfo[] = [];
    for (const [id, info] of before) {
      if (next.has(id)) continue;
      if (this.missing.has(id) && Date.now() >= this.quietUntilMs) {
        this.missing.delete(id);
        left.push(info);
      } else {
        // Confirm soon rather than a whole beat later: a dead node's shows wait for this.
        this.missing.add(id);
        next.set(id, info);
        setTimeout(() => this.tick(), CONFIRM_MS).unref();
      }
    }
    for (const id of next.keys()) if (ids.includes(id)) this.missing.delete(id);
    this.known = next;
    for (const [id, info] of next) if (!before.has(id)) this.safeEmit('joined', info);
    for (const info of left) this.safeEmit('left', info);
  }
}

/** How soon a node first seen missing is looked for again. */
const CONFIRM_MS = 150;

const nodeKey = (prefix: string, id: string) => `${prefix}:node:${id}`;

function parseNode(body: string): NodeInfo | undefined {
  try {
    const info = JSON.parse(body) as NodeInfo;
    return typeof info.nodeId === 'string' && typeof info.url === 'string' && typeof info.load === 'object' ? info : undefined;
  } catch {
    return undefined;
  }
}
