import type { WorkerReply } from '../../../lib/WorkerRequests.js';
import type { IngestEndpoint, IngestStats, VideoCodecName } from '../Sfu.js';

/** Messages between the mediasoup SFU (main thread) and the ingest relay thread. */
export type RelayRequest =
  | { type: 'open'; id: number; showId: string; codec: VideoCodecName }
  /** Where the show's PlainTransport listens; packets before this are dropped. */
  | { type: 'target'; id: number; showId: string; port: number }
  | { type: 'close'; id: number; showId: string };

export interface RelayOpened {
  endpoint: IngestEndpoint;
  /** The SSRCs the relay sends with, whatever the encoder process behind it. */
  ssrcs: { video: number; audio: number };
}

export type RelayOutbound =
  | WorkerReply
  | { type: 'mediasource'; showId: string; kind: 'video' | 'audio'; rtpTimestamp: number }
  | { type: 'audio'; showId: string; bytes: number }
  | { type: 'stats'; ingests: IngestStats[] };
