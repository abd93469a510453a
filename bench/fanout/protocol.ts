/** IPC messages between the orchestrator and its children. */
import type { Summary } from '../../lib/percentiles.js';

export type LoadgenTarget =
  | { kind: 'onair'; url: string }
  | {
      kind: 'janus';
      /** On the Janus namespace's veth address. */
      apiUrl: string;
      mountpointId: number;
      /** Host end of the veth: the viewers' werift ICE binds here. */
      localAddress: string;
    };

/** One SFU's RTP input, as the source sends to it. */
export interface SourceDestination {
  /** 127.0.0.1 (OnAir) or the Janus namespace's veth address. */
  host: string;
  /** Local address the source's socket for this destination binds to. */
  bind: string;
  /** Local port to send from: OnAir's ingest accepts RTP from its announced source port only. */
  bindPort?: number;
  video: number;
  audio: number;
}

export interface LoadgenArgs {
  target: LoadgenTarget;
  viewers: number;
  connectTimeoutMs: number;
  /** See loadgenProcess.ts: 'raw' counts RTP off the socket, 'werift' takes werift's whole path. */
  mode: 'raw' | 'werift';
  /** 'raw': decrypt every delayEvery-th packet per stream for its stamp. */
  delayEvery: number;
}

export interface LoadgenConnected {
  type: 'connected';
  connected: number;
  failed: number;
  errors: string[];
  setupMs: number;
}

export interface LoadgenWindow {
  type: 'window';
  seconds: number;
  /** Viewers whose peer connection is connected at the end of the window. */
  connectedViewers: number;
  /** Viewers that received video and audio in the window. */
  receivingViewers: number;
  packetsReceived: number;
  packetsExpected: number;
  packetsLost: number;
  /** Fewest packets any viewer received in the window. */
  minViewerPackets: number;
  /** Relay delay (source send → viewer receive), ms, from a reservoir sample. */
  delay: Summary;
  /** Delay measurements taken in the window (the reservoir holds up to 20 000 of them). */
  delaySamplesSeen: number;
  /** The reservoir itself, so the orchestrator can merge several load generators'. */
  delaySamples: number[];
  /** Raw path: sampled packets whose SRTP authentication or decryption failed. */
  decryptErrors: number;
  /** Raw path: viewers left on werift's path because it could not be installed. */
  rawFallbacks: number;
  /** The load generator's own CPU over the window, % of one core, and RSS. */
  cpuPercent: number;
  rssBytes: number;
}

export interface OnairReady {
  type: 'ready';
  httpPort: number;
  rtpPort: number;
  /** The loopback port the ingest accepts the source's RTP from. */
  sourcePort: number;
  backend: 'werift' | 'mediasoup';
  /** werift: egress shards; mediasoup: worker processes. */
  shards: number;
  /** What runs, in words, for the log. */
  note: string;
}

export interface SourceStats {
  type: 'stats';
  videoPackets: number;
  audioPackets: number;
  sendErrors: number;
  cpu: NodeJS.CpuUsage;
}
