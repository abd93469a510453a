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
  /** The show's video bitrate: on a simulcast show, a viewer's bandwidth estimate never falls below what its low layer needs. */
  videoBitrateKbps?: number;
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
  /** Packets not posted to a werift egress shard that fell behind (see ShardFlow), by kind. */
  droppedVideoPackets: number;
  droppedAudioPackets: number;
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
  /** Shows piped in from other nodes, and pipes this node feeds towards other nodes. */
  pipes: { imports: number; exports: number };
  /** Simulcast (mediasoup): viewers on the low video layer now, and the layer switches so far. */
  simulcast: { lowLayerViewers: number; switchesDown: number; switchesUp: number };
}

/** One end of a show's pipe between two nodes: where it listens (UDP), and the SRTP key it sends with. */
export interface PipeEndpoint {
  ip: string;
  port: number;
  srtpParameters?: { cryptoSuite: string; keyBase64: string };
}

/** One of a show's producers as the origin node pipes it. */
export interface PipedProducer {
  id: string;
  kind: MediaKind;
  /** The backend's RTP parameters (mediasoup RtpParameters), opaque outside the backend; plain JSON. */
  rtpParameters: unknown;
  paused: boolean;
}

/** What the origin node answers an edge node that asks for a show: its end of the pipe, and the show's media. Plain JSON. */
export interface ShowExport {
  pipeId: string;
  endpoint: PipeEndpoint;
  codec: VideoCodecName;
  producers: { video: PipedProducer; audio: PipedProducer };
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
  /**
   * An imported show's pipe died: no media came from the origin node for the idle timeout
   * (its ingest or worker is gone, or it closed the export), or the edge worker died and the
   * one re-import failed. The show and its viewers here are already closed when this fires;
   * `importShow` again to bring it back.
   */
  importlost: [showId: string, reason: string];
};

export interface Sfu extends EnhancedEventEmitter<SfuEvents> {
  readonly backend: SfuBackendName;
  readonly closed: boolean;
  /** Whether this backend can pipe shows between nodes (exportShow, importShow). */
  readonly canPipe: boolean;
  /**
   * The RTP header extension ids this SFU sends with, where they are fixed (mediasoup): a WHEP
   * client that offers these ids receives the extensions (transport-wide congestion control,
   * which simulcast layer choice runs on, among them); with other ids it receives none.
   * Undefined where the SFU takes the offer's ids (werift).
   */
  readonly extensionIds: ReadonlyArray<{ id: number; uri: string }> | undefined;
  createIngest(options: IngestOptions): Promise<IngestEndpoint>;
  /** Closes the show here, whether ingested or imported, with its viewers and its exports. Idempotent. */
  closeIngest(showId: string): Promise<void>;
  /** Whether this SFU holds the show: its ingest, or an import (done or under way). */
  hasShow(showId: string): boolean;
  /**
   * Origin side: opens a pipe towards an edge node's endpoint and sends the show's producers
   * into it. Only an ingested show is exported (SHOW_NOT_STREAMING otherwise). The export
   * closes by itself when the show or its worker goes, or when nothing (no RTCP) has come
   * back from the edge for the idle timeout.
   */
  exportShow(showId: string, edge: PipeEndpoint): Promise<ShowExport>;
  /** Origin side: closes one export (the edge left or asked). Idempotent. */
  closeExport(pipeId: string): Promise<void>;
  /**
   * Edge side: makes a show that lives on another node servable here. `connect` sends this
   * node's end of the pipe to the origin node (which calls `exportShow` with it) and returns
   * the export. Afterwards `addViewer(showId, …)` works as for a local show: one import per
   * show however many viewers. Idempotent: a call for a show already imported, or being
   * imported, resolves with that import. `connect` runs again, once, if this node's worker
   * holding the pipe dies; failures there, and a silent pipe, end in `importlost`.
   */
  importShow(showId: string, connect: (local: PipeEndpoint) => Promise<ShowExport>): Promise<void>;
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
