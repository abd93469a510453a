import { randomInt } from 'node:crypto';
import { rtpSequence, rtpSsrc, rtpTimestamp } from './rtpHeader.js';

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

  constructor(private readonly clockRate: number) {}

  get sourceSwitches(): number {
    return this.switches;
  }

  /** Rewrites the header in place; true when the packet is the first of a new source. */
  rewrite(packet: Buffer, nowMs: number): boolean {
    const ssrc = rtpSsrc(packet);
    const seq = rtpSequence(packet);
    const timestamp = rtpTimestamp(packet);
    const switched = ssrc !== this.inputSsrc;
    if (switched) this.switchSource(ssrc, seq, timestamp, nowMs);
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

  private switchSource(ssrc: number, seq: number, timestamp: number, nowMs: number): void {
    if (this.inputSsrc !== undefined) {
      // Advance the clock by the real gap so the receiver's jitter buffer does not see time stand still.
      const gapTicks = Math.max(1, Math.round(((nowMs - this.lastPacketAtMs) * this.clockRate) / 1000));
      this.seqOffset = (this.lastSeq + 1 - seq) & 0xffff;
      this.timestampOffset = (this.lastTimestamp + gapTicks - timestamp) >>> 0;
      this.switches++;
    }
    this.inputSsrc = ssrc;
  }
}
