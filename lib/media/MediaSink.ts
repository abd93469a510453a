import { EnhancedEventEmitter } from '../EnhancedEventEmitter.js';
import type { EncodedFragment, EncodedInit } from './EncodedMedia.js';
import type { FramePoint } from './FrameTimeline.js';
import type { IngestEndpoint, RtpSourcePorts } from './IngestEndpoint.js';

export type MediaSinkEvents = {
  /** The sink cannot go on; the show detaches it and carries on with the others. */
  failed: [error: Error];
  /** RTP sinks: a receiver needs a keyframe (a viewer joined, or lost the picture); the encoder makes the next frame one. */
  keyframerequest: [];
};

/**
 * One output of a show's encoder. A sink either names an RTP endpoint the encoder sends to
 * directly (the SFU ingest: no extra hop on the latency path), or takes the fragmented MP4
 * output (recording, LL-HLS). Sinks come and go while the show runs; one that throws or
 * fails is detached without touching the others.
 */
export abstract class MediaSink<E extends MediaSinkEvents = MediaSinkEvents> extends EnhancedEventEmitter<E> {
  /** `sfu`, `recording`, `hls`: at most one sink of a kind per show. */
  abstract readonly kind: string;
  /** Set for sinks fed by the encoder's RTP output; adding or removing one restarts the encoder. */
  readonly rtp: IngestEndpoint | undefined = undefined;

  /**
   * RTP sinks: a new encoder process is about to send to `rtp` from these local ports; it
   * starts once this settles, so the receiver can refuse every other source from the first packet.
   */
  rtpSource(_source: RtpSourcePorts): Promise<void> | void {}

  /** A new encoder process wrote its first frame, which plays at `streamTimeMs` on the show clock. */
  encoderStarted(_streamTimeMs: number): void {}

  /** The encoder process dropped frames: from its frame `point.frame` on, its times map to the show clock from `point`. */
  encoderResynced(_point: FramePoint): void {}

  /** The init segment of a new generation; it comes before that generation's fragments. */
  init(_init: EncodedInit): void {}

  fragment(_fragment: EncodedFragment): void {}

  /** Flushes and releases what the sink holds; called once, by the show or its owner. */
  abstract close(): Promise<void>;
}
