import { randomInt } from 'node:crypto';
import { rtpSequence, rtpSsrc, rtpTimestamp } from './rtpHeader.js';

/**
 * Where the output timestamps of each encoder process start, for streams that must number the
 * same frame alike: a show's simulcast layers. ffmpeg gives each RTP output its own random
 * base, but every layer's first packet is the process's first frame, so the first layer to see
 * a process fixes the origin and the others take it. mediasoup forwards whichever layer a viewer
 * gets with that layer's timestamps (it has no sender reports to map one onto another), so one
 * numbering keeps the show's stream clock true for every viewer, whatever its layer.
 */
export class TimestampOrigin {
  private generation: number | undefined;
  private origin = 0;

  /** The origin for encoder process `generation`: `proposed` if this is the first stream to ask. */
  resolve(generation: number, proposed: number): number {
    if (generation !== this.generation) {
      this.generation = generation;
      this.origin = proposed;
    }
    return this.origin;
  }
}

/**
 * Rewrites one RTP stream so SSRC, sequence numbers and timestamps stay continuous
 * when the encoder behind it restarts with a fresh SSRC and random bases. Viewers
 * then see one unbroken stream and at most a short freeze.
 */
export class RtpContinuity {
  readonly outputSsrc = randomInt(1, 0xffffffff);
  private inputSsrc: number | undefined;
  private seqOffset = 0;
  private timestampOffset = 0;
  private lastSeq = 0;
  private lastTimestamp = 0;
  private lastPacketAtMs = 0;
  private switches = 0;

  /**
   * @param shared simulcast layers: the origin they share, and this layer's ticks past it. The
   * low layer runs one tick (11 µs) ahead: when mediasoup switches a viewer to a layer whose
   * keyframe has the timestamp of a frame it already sent from the other layer, it shifts that
   * viewer's timestamps by a frame or more for good; ffmpeg writes the top layer's packets of a
   * frame before the low layer's, so with the tick neither switch meets an equal timestamp.
   */
  constructor(
    private readonly clockRate: number,
    private readonly shared?: { origin: TimestampOrigin; ticks: number },
  ) {}

  get sourceSwitches(): number {
    return this.switches;
  }

  /**
   * Rewrites the header in place; true when the packet is the first of a new source.
   * `generation` counts the encoder processes (shared origins tell them apart by it).
   */
  rewrite(packet: Buffer, nowMs: number, generation = 0): boolean {
    const ssrc = rtpSsrc(packet);
    const seq = rtpSequence(packet);
    const timestamp = rtpTimestamp(packet);
    const switched = ssrc !== this.inputSsrc;
    if (switched) this.switchSource(ssrc, seq, timestamp, nowMs, generation);
    const outSeq = (seq + this.seqOffset) & 0xffff;
    const outTimestamp = (timestamp + this.timestampOffset) >>> 0;
    packet.writeUInt16BE(outSeq, 2);
    packet.writeUInt32BE(outTimestamp, 4);
    packet.writeUInt32BE(this.outputSsrc, 8);
    this.lastSeq = outSeq;
    this.lastTimestamp = outTimestamp;
    this.lastPacketAtMs = nowMs;
    return switched;
  }

  private switchSource(ssrc: number, seq: number, timestamp: number, nowMs: number, generation: number): void {
    // The first source keeps its own timestamps.
    let start = timestamp;
    if (this.inputSsrc !== undefined) {
      // Advance the clock by the real gap so the receiver's jitter buffer does not see time stand still.
      const gapTicks = Math.max(1, Math.round(((nowMs - this.lastPacketAtMs) * this.clockRate) / 1000));
      this.seqOffset = (this.lastSeq + 1 - seq) & 0xffff;
      start = (this.lastTimestamp + gapTicks) >>> 0;
      this.switches++;
    }
    if (this.shared) start = (this.shared.origin.resolve(generation, (start - this.shared.ticks) >>> 0) + this.shared.ticks) >>> 0;
    this.timestampOffset = (start - timestamp) >>> 0;
    this.inputSsrc = ssrc;
  }
}
