import type { MessagePort } from 'node:worker_threads';
import type { WorkerReply } from '../../../lib/WorkerRequests.js';
import type { IngestStats } from '../Sfu.js';
import type { IngestEndpoint, RtpSourcePorts } from '../../../lib/media/IngestEndpoint.js';
import type { MediaKind, VideoCodecName } from '../../../lib/media/codecs.js';
import type { IngestSsrcs } from './Ingest.js';

/** Messages between an SFU backend (main thread) and the ingest relay thread. */
export type RelayRequest =
  | { type: 'open'; id: number; showId: string; codec: VideoCodecName; simulcast: boolean }
  /** The ports the show's next encoder process sends from: the only RTP source accepted from then on. */
  | { type: 'source'; id: number; showId: string; source: RtpSourcePorts }
  /** mediasoup: where the show's PlainTransport listens. */
  | { type: 'target'; id: number; showId: string; port: number }
  /** werift: a port straight to an egress shard thread (replacing that index's old one). */
  | { type: 'shard'; id: number; index: number; port: MessagePort }
  /** werift: the egress shards that have viewers of the show, and so get its packets. */
  | { type: 'shards'; id: number; showId: string; indices: number[] }
  | { type: 'close'; id: number; showId: string };

/** What the relay posts to an egress shard's port (see RelayRequest 'shard'). */
export interface RelayedRtp {
  type: 'rtp';
  showId: string;
  kind: MediaKind;
  packet: Uint8Array;
}

/** What an egress shard posts back on that port: its running count of packets taken (see ShardFlow). */
export interface ShardAck {
  type: 'ack';
  taken: number;
}

export interface RelayOpened {
  endpoint: IngestEndpoint;
  /** The SSRCs the relay sends with, whatever the encoder process behind it. */
  ssrcs: IngestSsrcs;
}

export type RelayOutbound =
  | WorkerReply
  | { type: 'mediasource'; showId: string; kind: MediaKind; rtpTimestamp: number }
  | { type: 'audio'; showId: string; bytes: number }
  /** An egress shard fell behind and dropped this show's video: it restarts at a keyframe. */
  | { type: 'keyframe'; showId: string }
  | { type: 'stats'; ingests: IngestStats[] };
