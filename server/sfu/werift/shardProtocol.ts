import type { WorkerReply } from '../../../lib/WorkerRequests.js';
import type { ViewerState } from '../Sfu.js';
import type { VideoCodecName } from '../../../lib/media/codecs.js';

/** Messages between the SFU (main thread) and an egress shard (worker thread). */
export type ShardRequest =
  | { type: 'addViewer'; id: number; showId: string; sessionId: string; offerSdp: string; videoCodec: VideoCodecName }
  | { type: 'removeViewer'; id: number; sessionId: string }
  | { type: 'closeShow'; id: number; showId: string }
  | { type: 'stats'; id: number };

export type ShardOutbound =
  | WorkerReply
  | { type: 'pli'; showId: string }
  | { type: 'viewerState'; sessionId: string; state: ViewerState };

export interface ShardWorkerStats {
  viewers: number;
  packetsOut: number;
}
