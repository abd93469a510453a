import { percentile } from '../../lib/percentiles.js';
import { descendants } from '../cluster/procCpu.js';
import { sampleProcess } from '../fanout/procStats.js';
import { epochMs } from './clock.js';
import type { Gap, SocketTick, WebrtcTick } from './protocol.js';

/** What one minute of the soak saw. */
export interface Minute {
  index: number;
  /** The server process (Node.js) at the minute's last sample. */
  rssMb: number;
  /** Its CPU, % of one core, all threads. */
  cpuPct: number;
  /** The server and its children (mediasoup worker, ffmpeg), % of one core. */
  treeCpuPct: number;
  cpuSeconds: number;
  treeCpuSeconds: number;
  sampledSeconds: number;
  overlayMs: number[];
  ackMs: number[];
  socketSent: number;
  socketErrors: number;
  socketDisconnects: number;
  socketConnected: number;
  socketViewers: number;
  /** WebRTC viewers playing (video within 2 s) at the minute's end, and the fewest at any tick. */
  playing: number;
  playingLow: number;
  webrtcViewers: number;
  drops: number;
  expected: number;
  received: number;
  lagMs: number[];
  faults: string[];
}

export interface Drop {
  viewer: number;
  atMs: number;
  reason: string;
}

const newMinute = (index: number): Minute => ({
  index,
  rssMb: Number.NaN,
  cpuPct: Number.NaN,
  treeCpuPct: Number.NaN,
  cpuSeconds: 0,
  treeCpuSeconds: 0,
  sampledSeconds: 0,
  overlayMs: [],
  ackMs: [],
  socketSent: 0,
  socketErrors: 0,
  socketDisconnects: 0,
  socketConnected: 0,
  socketViewers: 0,
  playing: 0,
  playingLow: Number.POSITIVE_INFINITY,
  webrtcViewers: 0,
  drops: 0,
  expected: 0,
  received: 0,
  lagMs: [],
  faults: [],
});

/**
 * Collects the load processes' ticks and samples the server's process tree once a second,
 * into one row per minute; keeps every gap and drop for the chaos drills' recovery figures.
 */
export class SoakRecorder {
  readonly minutes: Minute[] = [];
  readonly gaps: Gap[] = [];
  readonly drops: Drop[] = [];
  readonly socketDisconnects: { atMs: number; reason: string }[] = [];
  private readonly webrtc = new Map<string, WebrtcTick>();
  private readonly sockets = new Map<string, SocketTick>();
  /** Epoch ms of minute 0. */
  startMs = epochMs();
  private started = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly cpuAt = new Map<number, number>();
  private lastSampleMs = 0;

  constructor(private readonly serverPid: () => number) {}

  /** From now on, the minutes count. */
  start(): void {
    this.startMs = this.lastSampleMs = epochMs();
    this.started = true;
    this.sampleCpu();
    this.timer = setInterval(() => this.sample(), 1_000);
  }

  stop(): void {
    clearInterval(this.timer);
    this.sample();
  }

  get elapsedMs(): number {
    return epochMs() - this.startMs;
  }

  minuteAt(atMs: number): Minute {
    const index = Math.max(0, Math.floor((atMs - this.startMs) / 60_000));
    while (this.minutes.length <= index) this.minutes.push(newMinute(this.minutes.length));
    return this.minutes[index]!;
  }

  onWebrtc(source: string, tick: WebrtcTick): void {
    this.webrtc.set(source, tick);
    if (!this.started) return;
    const minute = this.minuteAt(tick.atMs);
    minute.drops += tick.drops.length;
    minute.expected += tick.expected;
    minute.received += tick.received;
    for (const ms of tick.lagMs) minute.lagMs.push(ms);
    for (const gap of tick.gaps) this.gaps.push(gap);
    for (const drop of tick.drops) this.drops.push(drop);
  }

  onSocket(source: string, tick: SocketTick): void {
    this.sockets.set(source, tick);
    if (!this.started) return;
    const minute = this.minuteAt(tick.atMs);
    for (const ms of tick.overlayMs) minute.overlayMs.push(ms);
    for (const ms of tick.ackMs) minute.ackMs.push(ms);
    minute.socketSent += tick.sent;
    minute.socketErrors += tick.errors;
    minute.socketDisconnects += tick.disconnects.length;
    for (const d of tick.disconnects) this.socketDisconnects.push(d);
  }

  noteFault(name: string, atMs: number): void {
    this.minuteAt(atMs).faults.push(name);
  }

  /** Viewers silent now, since when: from each WebRTC process's latest tick (and its time). */
  stalled(): { viewer: number; sinceMs: number }[] {
    return [...this.webrtc.values()].flatMap((t) => t.stalled);
  }

  /** The oldest of the WebRTC processes' latest ticks: what `stalled` is at least as new as. */
  get latestTickMs(): number {
    const ticks = [...this.webrtc.values()];
    return ticks.length ? Math.min(...ticks.map((t) => t.atMs)) : 0;
  }

  /** CPU seconds the server and its tree used since the last call. */
  private sampleCpu(): { node: number; tree: number } {
    const pid = this.serverPid();
    let node = 0;
    let tree = 0;
    for (const p of [pid, ...descendants(pid).map((d) => d.pid)]) {
      let cpu: number;
      try {
        cpu = sampleProcess(p).cpuSeconds;
      } catch {
        continue;
      }
      // A process first seen now (a new encoder, a new worker) ran since it started: all of it counts.
      const delta = cpu - (this.cpuAt.get(p) ?? 0);
      this.cpuAt.set(p, cpu);
      tree += delta;
      if (p === pid) node += delta;
    }
    return { node, tree };
  }

  private sample(): void {
    const now = epochMs();
    const minute = this.minuteAt(now);
    const { node, tree } = this.sampleCpu();
    minute.cpuSeconds += node;
    minute.treeCpuSeconds += tree;
    minute.sampledSeconds += (now - this.lastSampleMs) / 1000;
    this.lastSampleMs = now;
    minute.cpuPct = (minute.cpuSeconds / minute.sampledSeconds) * 100;
    minute.treeCpuPct = (minute.treeCpuSeconds / minute.sampledSeconds) * 100;
    try {
      minute.rssMb = sampleProcess(this.serverPid()).rssBytes / 2 ** 20;
    } catch {
      // the server is gone: the driver notices
    }
    const webrtc = [...this.webrtc.values()];
    minute.playing = webrtc.reduce((n, t) => n + t.playing, 0);
    minute.playingLow = Math.min(minute.playingLow, minute.playing);
    minute.webrtcViewers = webrtc.reduce((n, t) => n + t.viewers, 0);
    const sockets = [...this.sockets.values()];
    minute.socketConnected = sockets.reduce((n, t) => n + t.connected, 0);
    minute.socketViewers = sockets.reduce((n, t) => n + t.viewers, 0);
  }
}

export const p = (values: readonly number[], q: number) => percentile(values, q);
