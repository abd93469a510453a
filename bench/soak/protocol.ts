/** Messages between the soak's driver and its load processes (IPC, one clock: `epochMs`). */

export interface Gap {
  /** The viewer's number across all load processes. */
  viewer: number;
  startMs: number;
  endMs: number;
}

/** Every second from a WebRTC load process: what happened since its last tick. */
export interface WebrtcTick {
  type: 'tick';
  atMs: number;
  viewers: number;
  /** Viewers with a video packet in the last 2 s. */
  playing: number;
  /** Viewers silent now, since when (epoch ms): gaps not yet over. */
  stalled: { viewer: number; sinceMs: number }[];
  drops: { viewer: number; atMs: number; reason: string }[];
  expected: number;
  received: number;
  lagMs: number[];
  gaps: Gap[];
}

/** Every second from a socket load process. */
export interface SocketTick {
  type: 'tick';
  atMs: number;
  viewers: number;
  connected: number;
  disconnects: { atMs: number; reason: string }[];
  /** Event sent → the overlay its decision showed, per overlay. */
  overlayMs: number[];
  /** Event sent → its ack. */
  ackMs: number[];
  sent: number;
  errors: number;
  votes: number;
}

export type LoadMessage =
  | { type: 'ready'; viewers: number }
  | { type: 'failed'; error: string }
  | { type: 'stopped' }
  | WebrtcTick
  | SocketTick;

/** The driver's only message to a load process. */
export interface StopMessage {
  type: 'stop';
}

export interface WebrtcLoadArgs {
  url: string;
  showId: string;
  count: number;
  firstViewer: number;
  lagEvery: number;
}

export interface SocketLoadArgs {
  url: string;
  showId: string;
  count: number;
  eventIntervalMs: number;
}
