import type { SfuBackendName } from '../sfu/Sfu.js';

/** What a node says about its load; placement and 307s read it. */
export interface NodeLoad {
  viewers: number;
  shows: number;
  /** This node's process CPU over the last heartbeat, in cores (1 = one core busy). */
  cpu: number;
  /** MAX_VIEWERS_PER_NODE: past it the node sends new viewers elsewhere. */
  maxViewers: number;
  maxShows: number;
  /** Shows piped in from their origin (imports) and out to edges (exports). */
  pipes: { imports: number; exports: number };
}

/** One node of the cluster, as it registers itself in Redis (signed). */
export interface NodeInfo {
  nodeId: string;
  /** Where other nodes call it (CLUSTER_URL). */
  url: string;
  /** Where browsers and WHEP players reach it (PUBLIC_URL): 307s point there. */
  publicUrl: string;
  sfu: SfuBackendName;
  /** Whether its SFU can pipe shows from other nodes (mediasoup); a werift node serves only its own. */
  canPipe: boolean;
  startedAt: string;
  heartbeatAt: string;
  load: NodeLoad;
}

/** A Node.js process busier than this (in cores) is loaded beyond its shows and viewers: its event loop lags. */
const BUSY_CPU = 0.8;

/**
 * Lower is emptier: the share of its viewer and show room a node uses, plus how far its
 * process is past busy. CPU below that is noise from one heartbeat to the next, so it does
 * not decide between otherwise equal nodes.
 */
export function loadScore({ viewers, shows, cpu, maxViewers, maxShows }: NodeLoad): number {
  return viewers / maxViewers + shows / maxShows + Math.max(0, cpu - BUSY_CPU);
}

export const hasViewerRoom = (node: NodeInfo) => node.load.viewers < node.load.maxViewers;
export const hasShowRoom = (node: NodeInfo) => node.load.shows < node.load.maxShows;

/** The emptiest node by `loadScore`; on a tie the first (callers list themselves first, so a node keeps a tie). */
export function emptiest<T extends { load: NodeLoad }>(candidates: readonly T[]): T {
  return candidates.reduce((best, node) => (loadScore(node.load) < loadScore(best.load) - 1e-9 ? node : best));
}
