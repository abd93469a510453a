import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { EnhancedEventEmitter } from '../../lib/EnhancedEventEmitter.js';
import type { EncodedFragment, EncodedInit } from '../../lib/media/EncodedMedia.js';
import { FrameTimeline, type FramePoint } from '../../lib/media/FrameTimeline.js';
import { PICTURE_LIFETIME_FRAMES } from '../../lib/media/MediaSource.js';
import type { EncoderSettings } from './EncoderSettings.js';
import { buildEncoderArgs, FRAGMENTS_FD, supportsFragments, type EncoderOutputs } from './ffmpegArgs.js';
import { Fmp4Reader } from './fmp4/Fmp4Reader.js';
import { KEYFRAME_MARK_US, matroskaFrameHeader, matroskaHeader } from './matroskaFrames.js';
import { pickRtpSourcePorts } from './rtpSourcePorts.js';
import type { RtpSourcePorts } from '../../lib/media/IngestEndpoint.js';
import type { VideoEncoderChoice } from './selectVideoEncoder.js';

export type EncoderEvents = {
  /** A new ffmpeg process is running; its input timeline starts at zero. */
  started: [pid: number, generation: number];
  /** ffmpeg died unexpectedly; a restart follows. */
  crashed: [code: number | null, signal: NodeJS.Signals | null];
  stderr: [line: string];
  /** The first frame written to a new ffmpeg process: its outputs start at this stream time. */
  firstframe: [streamTimeMs: number];
  /**
   * Frames were dropped since the last write: the process's frame `point.frame` plays at
   * `point.streamTimeMs`, not where counting from its first frame would put it.
   */
  resync: [point: FramePoint];
  /** The fragmented MP4 output of a new process begins (outputs.fragments). */
  init: [init: EncodedInit];
  fragment: [fragment: EncodedFragment];
  /** The fragmented output broke (not the RTP); it comes back with the next process. */
  fragmenterror: [error: Error];
};

const RESTART_DELAYS_MS = [50, 200, 500, 900];
const STABLE_RUN_MS = 5_000;
/**
 * Frames buffered towards ffmpeg before new ones are dropped rather than queued without bound.
 * Queued pictures are the source's own memory, so fewer than it keeps unchanged, with room
 * for the one being written and the lane's repeated picture.
 */
const MAX_QUEUED_FRAMES = PICTURE_LIFETIME_FRAMES - 4;
/** How long a process waits for its RTP receivers to accept its source ports before it starts anyway. */
const ANNOUNCE_TIMEOUT_MS = 2_000;

/**
 * One ffmpeg child per show: RGBA or I420 pictures + PCM in; RTP and fragmented MP4 out (see ffmpegArgs).
 * Restarts itself within 1 s if it dies; each process is a new generation. A keyframe request
 * (a viewer joining, or one that lost the picture) makes the next frame written a keyframe.
 */
export class Encoder extends EnhancedEventEmitter<EncoderEvents> {
  private child: ChildProcess | undefined;
  private generation = 0;
  private crashesInARow = 0;
  private startedAtMs = 0;
  private restartTimer: NodeJS.Timeout | undefined;
  private closed = false;
  private starting = false;
  private _restarts = 0;
  private _droppedFrames = 0;
  private _keyframesRequested = 0;
  private keyframeWanted = false;
  private framesToChild = 0;
  /** A frame was dropped since the last one written: the next write is a new timeline point. */
  private skipped = false;
  /** The current process's frames on the show clock; each process gets its own. */
  private timeline: FrameTimeline;

  constructor(
    readonly settings: EncoderSettings,
    readonly choice: VideoEncoderChoice,
    readonly outputs: EncoderOutputs,
  ) {
    super();
    this.timeline = new FrameTimeline(settings.fps);
  }

  /** Whether this encoder writes fragmented MP4 (H.264 only). */
  get fragments(): boolean {
    return this.outputs.fragments && supportsFragments(this.settings);
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && !this.closed;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get restarts(): number {
    return this._restarts;
  }

  get droppedFrames(): number {
    return this._droppedFrames;
  }

  /** Keyframes made on request, beyond the regular GOP. */
  get keyframesRequested(): number {
    return this._keyframesRequested;
  }

  /** The next frame written is encoded as a keyframe (a new process starts with one anyway). */
  requestKeyframe(): void {
    this.keyframeWanted = true;
  }

  /**
   * Starts a process. With RTP outputs it first picks the local ports that process sends from
   * and announces them (the ingest accepts no other source), so it spawns a moment later.
   */
  start(): void {
    if (this.closed || this.child || this.starting) return;
    if (this.outputs.rtp.length === 0) return this.spawnProcess([]);
    this.starting = true;
    void this.announceThenSpawn();
  }

  private async announceThenSpawn(): Promise<void> {
    try {
      const sources = await Promise.all(this.outputs.rtp.map((ingest) => pickRtpSourcePorts(ingest.simulcast)));
      if (this.closed) return;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise((resolve) => (timer = setTimeout(resolve, ANNOUNCE_TIMEOUT_MS)));
      await Promise.race([Promise.resolve(this.outputs.announceSources?.(sources)).catch(() => undefined), timeout]);
      clearTimeout(timer);
      if (!this.closed) this.spawnProcess(sources);
    } catch {
      // No free loopback ports just now: try again as after a crash.
      if (!this.closed) this.restartTimer = setTimeout(() => this.start(), RESTART_DELAYS_MS[1]);
    } finally {
      this.starting = false;
    }
  }

  private spawnProcess(sources: RtpSourcePorts[]): void {
    const child = spawn('ffmpeg', buildEncoderArgs(this.settings, this.choice, this.outputs, sources), {
      stdio: ['pipe', 'ignore', 'pipe', 'pipe', this.fragments ? 'pipe' : 'ignore'],
    });
    this.child = child;
    this.framesToChild = 0;
    this.skipped = false;
    this.keyframeWanted = false;
    this.startedAtMs = performance.now();
    const generation = ++this.generation;
    this.timeline = new FrameTimeline(this.settings.fps);
    for (const stream of [child.stdin, child.stdio[3]] as Writable[]) stream.on('error', () => undefined);
    child.stdin!.write(matroskaHeader(this.settings.width, this.settings.height, this.settings.fps, this.settings.pixelFormat));
    const fragments = child.stdio[FRAGMENTS_FD] as Readable | null;
    if (fragments) this.readFragments(fragments, generation, this.timeline);
    child.stderr?.setEncoding('utf8').on('data', (text: string) => {
      for (const line of text.split('\n')) if (line.trim()) this.safeEmit('stderr', line.trim());
    });
    child.once('exit', (code, signal) => this.onExit(child, code, signal));
    child.once('spawn', () => this.safeEmit('started', child.pid ?? -1, generation));
  }

  /**
   * Writes one frame's video and the audio that plays during it. Writing them as a unit
   * keeps both inputs aligned on frame boundaries, also across restarts.
   */
  writeFrame(picture: Buffer, pcm: Buffer, streamTimeMs?: number): boolean {
    const child = this.child;
    if (!child || !this.running) return false;
    const video = child.stdin as Writable;
    const audio = child.stdio[3] as Writable;
    if (video.writableLength > MAX_QUEUED_FRAMES * picture.length) {
      this._droppedFrames++;
      this.skipped = true;
      return false;
    }
    const frame = this.framesToChild++;
    // Frame times count from the process's first frame, as with a raw pipe; a mark past the slot asks for a keyframe.
    let timestampUs = Math.round((frame * 1e6) / this.settings.fps);
    if (this.keyframeWanted && frame > 0) {
      timestampUs += KEYFRAME_MARK_US;
      this._keyframesRequested++;
    }
    this.keyframeWanted = false;
    audio.write(pcm);
    video.write(matroskaFrameHeader(timestampUs, picture.length));
    video.write(picture);
    if (streamTimeMs !== undefined && (frame === 0 || this.skipped)) {
      const point = this.timeline.mark(frame, streamTimeMs);
      if (frame === 0) this.safeEmit('firstframe', streamTimeMs);
      else this.safeEmit('resync', point);
    }
    this.skipped = false;
    return true;
  }

  /**
   * Always drained, sinks or not: a full pipe would stall ffmpeg and with it the RTP.
   * Fragment times are the process's own (from 0), placed on the show clock by its timeline.
   */
  private readFragments(stream: Readable, generation: number, timeline: FrameTimeline): void {
    const reader = new Fmp4Reader();
    let index = 0;
    reader.on('init', ({ data, codecs, width, height }) => this.safeEmit('init', { generation, data, codecs, width, height }));
    reader.on('fragment', ({ data, startS, durationS, independent }) => {
      const startStreamTimeMs = timeline.streamTimeAt(startS) ?? startS * 1000;
      this.safeEmit('fragment', { generation, index: index++, data, startStreamTimeMs, durationMs: durationS * 1000, independent });
    });
    reader.on('error', (error) => this.safeEmit('fragmenterror', error));
    stream.on('data', (chunk: Buffer) => reader.push(chunk));
    stream.on('error', () => undefined);
  }

  /** Kills the current ffmpeg as a crash would (tests and chaos drills). */
  kill(signal: NodeJS.Signals = 'SIGKILL'): void {
    this.child?.kill(signal);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.restartTimer);
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      const force = setTimeout(() => child.kill('SIGKILL'), 2_000);
      child.once('exit', () => (clearTimeout(force), resolve()));
      (child.stdin as Writable).end();
      (child.stdio[3] as Writable).end();
      child.kill('SIGTERM');
    });
    this.removeAllListeners();
  }

  private onExit(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.child === child) this.child = undefined;
    if (this.closed) return;
    this.crashesInARow = performance.now() - this.startedAtMs > STABLE_RUN_MS ? 1 : this.crashesInARow + 1;
    this.safeEmit('crashed', code, signal);
    const delay = RESTART_DELAYS_MS[Math.min(this.crashesInARow, RESTART_DELAYS_MS.length) - 1]!;
    this.restartTimer = setTimeout(() => {
      this._restarts++;
      this.start();
    }, delay);
  }
}
