import type { RTCRtpSender } from 'werift';

import type { MediaKind } from '../../../lib/media/codecs.js';

const CLOCK_RATE: Record<MediaKind, number> = { video: 90_000, audio: 48_000 };
const NTP_EPOCH_OFFSET_MS = Date.UTC(1900, 0, 1);

/**
 * The capture clock of one show's two streams, for RTCP sender reports. werift stamps a
 * report with the wall clock of the *send* (and a malformed NTP fraction), so a browser
 * lines audio and video up by arrival: video, which leaves the encoder later, plays late.
 * Here both streams count from one base, each from its own first RTP timestamp (the encoder
 * starts both at media time 0), so a report says when the packet was captured.
 */
export class ShowMediaClock {
  private baseMs: number | undefined;
  private readonly firstTimestamp: Partial<Record<MediaKind, number>> = {};

  /** NTP time (64-bit) at which the packet with this RTP timestamp was captured. */
  ntpFor(kind: MediaKind, rtpTimestamp: number, nowMs = performance.timeOrigin + performance.now()): bigint {
    this.baseMs ??= nowMs;
    const first = (this.firstTimestamp[kind] ??= rtpTimestamp);
    const mediaMs = (((rtpTimestamp - first) >>> 0) * 1000) / CLOCK_RATE[kind];
    return toNtp(this.baseMs + mediaMs);
  }
}

export function toNtp(epochMs: number): bigint {
  const ms = epochMs - NTP_EPOCH_OFFSET_MS;
  const seconds = Math.floor(ms / 1000);
  const fraction = Math.floor(((ms - seconds * 1000) / 1000) * 2 ** 32);
  return (BigInt(seconds) << 32n) | BigInt(fraction);
}

/**
 * Overwrites the NTP half of the sender's report mapping for the packet it has just sent
 * (werift sets both halves synchronously when a packet is dispatched, before any await).
 */
export function stampSender(sender: RTCRtpSender, ntp: bigint): void {
  (sender as unknown as { ntpTimestamp: bigint }).ntpTimestamp = ntp;
}
