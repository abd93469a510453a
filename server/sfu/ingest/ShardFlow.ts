import type { MediaKind } from '../../../lib/media/codecs.js';

/** A shard that has not taken a packet posted this long ago is behind: newer media is worth more. */
export const MAX_BACKLOG_MS = 250;
/** The hard bound on packets posted to one shard and not yet taken, whatever their age. */
export const MAX_IN_FLIGHT_PACKETS = 1024;

/**
 * The bounded queue from the ingest relay to one egress shard thread. A MessagePort has no
 * bound and no back-pressure, so the shard acknowledges what it has taken (once per turn of
 * its event loop) and the relay counts what is in flight. A shard that falls behind, by age or
 * by count, gets nothing until it has taken everything already posted; then audio flows again
 * at once and each show's video from its next keyframe, since a decoder cannot use the frames
 * after a gap. Only that shard's viewers see the gap: the other shards' packets never wait.
 */
export class ShardFlow {
  private sent = 0;
  private acked = 0;
  private readonly sentAtMs = new Float64Array(MAX_IN_FLIGHT_PACKETS);
  /** While set, the shard catches up: nothing is posted until `acked` reaches it. */
  private drainTo: number | undefined;
  /** Shows whose video lost packets here and restarts at a keyframe. */
  private readonly awaitingKeyframe = new Set<string>();

  constructor(
    private readonly maxBacklogMs = MAX_BACKLOG_MS,
    private readonly maxInFlight = MAX_IN_FLIGHT_PACKETS,
  ) {}

  /** Packets posted and not yet taken. */
  get inFlight(): number {
    return this.sent - this.acked;
  }

  /** Decides for a packet about to be posted: true to post it (it then counts as in flight), false to drop it. */
  admit(showId: string, kind: MediaKind, startsKeyframe: boolean, nowMs: number): boolean {
    if (this.drainTo === undefined && this.behind(nowMs)) this.drainTo = this.sent;
    if (this.drainTo !== undefined) {
      if (kind === 'video') this.awaitingKeyframe.add(showId);
      return false;
    }
    if (kind === 'video' && this.awaitingKeyframe.has(showId)) {
      if (!startsKeyframe) return false;
      this.awaitingKeyframe.delete(showId);
    }
    this.sentAtMs[this.sent % this.maxInFlight] = nowMs;
    this.sent++;
    return true;
  }

  /**
   * The shard's running count of packets it has taken. Returns the shows that need a keyframe
   * now: asked for once the shard has caught up, so that the keyframe is not dropped as well.
   */
  ack(taken: number): string[] {
    if (taken <= this.acked || taken > this.sent) return [];
    this.acked = taken;
    if (this.drainTo === undefined || this.acked < this.drainTo) return [];
    this.drainTo = undefined;
    return [...this.awaitingKeyframe];
  }

  /** A show left this shard: it starts clean if it comes back. */
  forget(showId: string): void {
    this.awaitingKeyframe.delete(showId);
  }

  private behind(nowMs: number): boolean {
    if (this.inFlight === 0) return false;
    if (this.inFlight >= this.maxInFlight) return true;
    return nowMs - this.sentAtMs[this.acked % this.maxInFlight]! > this.maxBacklogMs;
  }
}
