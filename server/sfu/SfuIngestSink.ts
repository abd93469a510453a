import type { MediaKind, VideoCodecName } from '../../lib/media/codecs.js';
import { rtpTicksAt, type FramePoint } from '../../lib/media/FrameTimeline.js';
import type { IngestEndpoint, RtpSourcePorts } from '../../lib/media/IngestEndpoint.js';
import { MediaSink, type MediaSinkEvents } from '../../lib/media/MediaSink.js';
import type { Sfu } from './Sfu.js';

/**
 * Maps the RTP timestamps viewers receive to the show's stream time: `streamTimeMs` is when
 * the video (90 kHz) and audio (48 kHz) timestamps given here were captured.
 */
export interface StreamClockSync {
  streamTimeMs: number;
  videoRtpTimestamp?: number;
  audioRtpTimestamp?: number;
}

export type SfuIngestSinkEvents = MediaSinkEvents & {
  clocksync: [sync: StreamClockSync];
  /** An audio RTP packet reached the ingest (its size tells speech from silence). */
  audio: [packetBytes: number];
};

/** The show's WebRTC output: the encoder sends RTP straight to the SFU ingest. */
export class SfuIngestSink extends MediaSink<SfuIngestSinkEvents> {
  readonly kind = 'sfu';
  /** The current encoder process's latest timeline point: its first frame, or the first write after a drop. */
  private point: { frame: number; streamTimeMs: number; fps?: number } | undefined;
  /** The RTP timestamps of the current process's first packets, per kind. */
  private rtpBase: Partial<Record<MediaKind, number>> = {};
  private clockSync_: StreamClockSync | undefined;
  private closed = false;
  private readonly onMediaSource = (showId: string, kind: MediaKind, rtpTimestamp: number) => showId === this.showId && this.mediaSourceStarted(kind, rtpTimestamp);
  private readonly onAudio = (showId: string, bytes: number) => showId === this.showId && this.safeEmit('audio', bytes);
  private readonly onKeyframeRequest = (showId: string) => showId === this.showId && this.safeEmit('keyframerequest');

  private constructor(
    private readonly sfu: Sfu,
    readonly showId: string,
    override readonly rtp: IngestEndpoint,
  ) {
    super();
    sfu.on('mediasource', this.onMediaSource);
    sfu.on('audioingest', this.onAudio);
    sfu.on('keyframerequest', this.onKeyframeRequest);
  }

  static async open(sfu: Sfu, showId: string, videoCodec: VideoCodecName, videoBitrateKbps?: number): Promise<SfuIngestSink> {
    return new SfuIngestSink(sfu, showId, await sfu.createIngest({ showId, videoCodec, ...(videoBitrateKbps !== undefined && { videoBitrateKbps }) }));
  }

  /** Undefined until the first packet of the show reached the ingest. */
  get clockSync(): StreamClockSync | undefined {
    return this.clockSync_;
  }

  /** The ingest latches on the new encoder process's ports: packets from anywhere else are dropped. */
  override async rtpSource(source: RtpSourcePorts): Promise<void> {
    if (!this.closed) await this.sfu.expectIngestSource(this.showId, source);
  }

  override encoderStarted(streamTimeMs: number): void {
    this.point = { frame: 0, streamTimeMs };
    this.rtpBase = {};
  }

  /** Each drop shifts the process's RTP clock by a frame against the show clock: a new sync point undoes it. */
  override encoderResynced(point: FramePoint): void {
    this.point = point;
    this.publishSync();
  }

  /** Each encoder process numbers its RTP from its first frame, so its first packets pin the clock. */
  private mediaSourceStarted(kind: MediaKind, rtpTimestamp: number): void {
    if (this.point === undefined) return;
    this.rtpBase[kind] = rtpTimestamp;
    this.publishSync();
  }

  private publishSync(): void {
    const point = this.point;
    if (!point) return;
    const at = (kind: MediaKind) => {
      const base = this.rtpBase[kind];
      return base === undefined ? {} : { [`${kind}RtpTimestamp`]: (base + rtpTicksAt(point.frame, point.fps ?? 1, kind)) >>> 0 };
    };
    this.clockSync_ = { streamTimeMs: point.streamTimeMs, ...at('video'), ...at('audio') };
    this.safeEmit('clocksync', this.clockSync_);
  }

  /** Closes the ingest and with it every viewer of the show. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.sfu.off('mediasource', this.onMediaSource);
    this.sfu.off('audioingest', this.onAudio);
    this.sfu.off('keyframerequest', this.onKeyframeRequest);
    await this.sfu.closeIngest(this.showId);
  }
}
