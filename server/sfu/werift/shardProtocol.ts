import type { VideoCodecName, ViewerState } from '../Sfu.js';
import type { MediaKind } from './Ingest.js';

/** Messages between the SFU (main thread) and an egress shard (worker thread). */
export type ShardRequest =
  | { type: 'addViewer'; id: number; showId: string; sessionId: string; offerSdp: string; videoCodec: VideoCodecName }
  | { type: 'removeViewer'; id: number; sessionId: string }
  | { type: 'closeShow'; id: number; showId: string }
  | { type: 'stats'; id: number };

export interface RtpMessage {
  type: 'rtp';
  showId: string;
  kind: MediaKind;
  packet: Uint8Array;
}

export type ShardInbound = ShardRequest | RtpMessage;

export interface ShardErrorInfo {
  name: string;
  code: string;
  message: string;
}

export type ShardOutbound =
  | { type: 'reply'; id: number; ok: true; result: unknown }
  | { type: 'reply'; id: number; ok: false; error: ShardErrorInfo }
  | { type: 'pli'; showId: string }
  | { type: 'viewerState'; sessionId: string; state: ViewerState };

export interface ShardWorkerStats {
  viewers: number;
  packetsOut: number;
}
