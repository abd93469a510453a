import type { EnhancedEventEmitter } from '../../lib/EnhancedEventEmitter.js';
import type { MediaKind, VideoCodecName } from '../../lib/media/codecs.js';
import type { IngestEndpoint, RtpSourcePorts } from '../../lib/media/IngestEndpoint.js';

/**
 * The SFU seen by the rest of OnAir, whichever backend runs it: mediasoup (server/sfu/mediasoup)
 * or werift (server/sfu/werift). Code outside server/sfu/ depends on this file alone.
 */
export type SfuBackendName = 'mediasoup' | 'werift';

export const VIDEO_PAYLOAD_TYPE = 96;
export const AUDIO_PAYLOAD_TYPE = 111;

export interface IngestOptions {
  showId: string;
  videoCodec: VideoCodecName;
}

export interface ViewerAnswer {
  sessionId: string;
  answerSdp: string;
}

export type ViewerState = 'new' | 'connecting' | 'connected' | 'disconnected' | 'failed' | 'closed';

export interface IngestStats {
  showId: string;
  videoPackets: number;
  audioPackets: number;
  bytes: number;
  sourceSwitches: number;
  keyframes: number;
  /** Packets dropped because they came from another source than the show's encoder. */
  foreignPackets: number;
}

export interface ShardStats {
  index: number;
  viewers: number;
  packetsOut: number;
}

export interface SfuStats {
  ingests: IngestStats[];
  shards: ShardStats[];
  viewers: number;
  pliReceived: number;
}

export type SfuEvents = {
  /** A viewer asked for a keyframe (PLI/FIR); coalesced per show. */
  keyframerequest: [showId: string];
  viewerstatechange: [sessionId: string, state: ViewerState];
  /** An audio RTP packet reached a show's ingest (its size tells speech from silence). */
  audioingest: [showId: string, packetBytes: number];
  /**
   * A new encoder process's first video or audio packet reached the ingest. Its RTP
   * timestamp, as viewers receive it, pairs with the stream time of that process's first frame.
   */
  mediasource: [showId: string, kind: MediaKind, rtpTimestamp: number];
  /** A part of the SFU (a worker, a shard) failed, and what was done about it; for the log. */
  failure: [message: string];
};

export interface Sfu extends EnhancedEventEmitter<SfuEvents> {
  readonly backend: SfuBackendName;
  readonly closed: boolean;
  createIngest(options: IngestOptions): Promise<IngestEndpoint>;
  closeIngest(showId: string): Promise<void>;
  /**
   * The show's next encoder process sends from these loopback ports: from now on the ingest
   * accepts RTP from them only (the previous process's packets are dropped too).
   */
  expectIngestSource(showId: string, source: RtpSourcePorts): Promise<void>;
  /** Answers a viewer's SDP offer; the viewer receives the show's audio and video. */
  addViewer(showId: string, offerSdp: string): Promise<ViewerAnswer>;
  removeViewer(sessionId: string): Promise<boolean>;
  viewerCount(showId: string): number;
  stats(): SfuStats;
  close(): Promise<void>;
}
