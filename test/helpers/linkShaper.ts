import dgram from 'node:dgram';
import { mulberry32 } from '../../lib/prng.js';
import { bindLoopback } from '../../server/sfu/ingest/Ingest.js';

/** A slow, lossy, delayed link, towards the client (the server's media); the client's packets pass unshaped. */
export interface LinkShape {
  /** Capacity; unset: unlimited. */
  rateKbps?: number;
  /** What the bottleneck queue holds before it drops (as tbf's `latency`). Default 100. */
  queueMs?: number;
  /** Random loss after the queue, in percent. */
  lossPercent?: number;
  /** One-way delay added after the queue. */
  delayMs?: number;
}

export interface LinkShaperStats {
  /** Packets towards the client: delivered, dropped by the full queue, lost at random. */
  delivered: number;
  queueDrops: number;
  randomLosses: number;
}

/**
 * A UDP link shaper on loopback, for one client: a client sends to `port`, the shaper relays
 * to the server from a socket of its own, and shapes what comes back as a token bucket with
 * a bounded queue (like `tc tbf`), then random loss and delay (like `tc netem`). This
 * kernel has no netem (`tc qdisc add … netem` says "Specified qdisc kind is unknown"), so
 * the shaping is done here, in user space, with the same parameters.
 */
export class LinkShaper {
  private client: dgram.RemoteInfo | undefined;
  /** When the bottleneck is free again (ms, performance.now()). */
  private busyUntilMs = 0;
  private readonly random: () => number;
  private closed = false;
  readonly stats: LinkShaperStats = { delivered: 0, queueDrops: 0, randomLosses: 0 };

  private constructor(
    private readonly front: dgram.Socket,
    private readonly back: dgram.Socket,
    private readonly target: { host: string; port: number },
    private shape: LinkShape,
    seed: number,
  ) {
    this.random = mulberry32(seed);
    front.on('message', (packet, from) => {
      this.client = from;
      back.send(packet, target.port, target.host);
    });
    back.on('message', (packet, from) => {
      if (from.port === target.port) this.towardsClient(packet);
    });
  }

  /** Opens a shaper in front of `target` (the server's UDP address). */
  static async open(target: { host: string; port: number }, shape: LinkShape, seed = 1): Promise<LinkShaper> {
    const [front, back] = await Promise.all([bindLoopback(), bindLoopback()]);
    return new LinkShaper(front, back, target, shape, seed);
  }

  /** Where the client sends. */
  get port(): number {
    return this.front.address().port;
  }

  /** Changes the link from now on (packets already queued keep their schedule). */
  reshape(shape: LinkShape): void {
    this.shape = shape;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.front.close();
    this.back.close();
  }

  private towardsClient(packet: Buffer): void {
    const client = this.client;
    if (!client) return;
    const { rateKbps, queueMs = 100, lossPercent = 0, delayMs = 0 } = this.shape;
    const nowMs = performance.now();
    let leavesAtMs = nowMs;
    if (rateKbps !== undefined) {
      const startMs = Math.max(nowMs, this.busyUntilMs);
      if (startMs - nowMs > queueMs) {
        this.stats.queueDrops++;
        return;
      }
      leavesAtMs = startMs + (packet.length * 8) / rateKbps;
      this.busyUntilMs = leavesAtMs;
    }
    if (this.random() * 100 < lossPercent) {
      this.stats.randomLosses++;
      return;
    }
    const send = () => {
      if (this.closed) return;
      this.stats.delivered++;
      this.front.send(packet, client.port, client.address);
    };
    const waitMs = leavesAtMs - nowMs + delayMs;
    if (waitMs < 1) send();
    else setTimeout(send, waitMs);
  }
}
