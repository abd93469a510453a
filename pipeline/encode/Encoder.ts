import { spawn, type ChildProcess } from 'node:child_process';
import type { Writable } from 'node:stream';
import { EnhancedEventEmitter } from '../../lib/EnhancedEventEmitter.js';
import type { IngestEndpoint } from '../../server/sfu/Sfu.js';
import type { EncoderSettings } from './EncoderSettings.js';
import { buildEncoderArgs } from './ffmpegArgs.js';
import type { VideoEncoderChoice } from './selectVideoEncoder.js';

export type EncoderEvents = {
  /** A new ffmpeg process is running; its input timeline starts at zero. */
  started: [pid: number, generation: number];
  /** ffmpeg died unexpectedly; a restart follows. */
  crashed: [code: number | null, signal: NodeJS.Signals | null];
  stderr: [line: string];
  /** The first frame written to a new ffmpeg process: its RTP output starts at this stream time. */
  firstframe: [streamTimeMs: number];
};

const RESTART_DELAYS_MS = [50, 200, 500, 900];
const STABLE_RUN_MS = 5_000;
/** Frames buffered towards ffmpeg before new ones are dropped rather than queued without bound. */
const MAX_QUEUED_FRAMES = 8;

/** One ffmpeg child per show: RGBA + PCM in, RTP out. Restarts itself within 1 s if it dies. */
export class Encoder extends EnhancedEventEmitter<EncoderEvents> {
  private child: ChildProcess | undefined;
  private generation = 0;
  private crashesInARow = 0;
  private startedAtMs = 0;
  private restartTimer: NodeJS.Timeout | undefined;
  private closed = false;
  private _restarts = 0;
  private _droppedFrames = 0;
  private framesToChild = 0;

  constructor(
    readonly settings: EncoderSettings,
    readonly choice: VideoEncoderChoice,
    private readonly ingest: IngestEndpoint,
  ) {
    super();
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

  start(): void {
    if (this.closed || this.child) return;
    const child = spawn('ffmpeg', buildEncoderArgs(this.settings, this.choice, this.ingest), {
      stdio: ['pipe', 'ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.framesToChild = 0;
    this.startedAtMs = performance.now();
    const generation = ++this.generation;
    for (const stream of [child.stdin, child.stdio[3]] as Writable[]) stream.on('error', () => undefined);
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
  writeFrame(rgba: Buffer, pcm: Buffer, streamTimeMs?: number): boolean {
    const child = this.child;
    if (!child || !this.running) return false;
    const video = child.stdin as Writable;
    const audio = child.stdio[3] as Writable;
    if (video.writableLength > MAX_QUEUED_FRAMES * rgba.length) {
      this._droppedFrames++;
      return false;
    }
    audio.write(pcm);
    video.write(rgba);
    if (this.framesToChild++ === 0 && streamTimeMs !== undefined) this.safeEmit('firstframe', streamTimeMs);
    return true;
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
