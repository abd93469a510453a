import { EnhancedEventEmitter } from '../../lib/EnhancedEventEmitter.js';
import { Encoder } from '../../pipeline/encode/Encoder.js';
import type { EncoderSettings } from '../../pipeline/encode/EncoderSettings.js';
import type { VideoEncoderChoice } from '../../pipeline/encode/selectVideoEncoder.js';
import { DegradePolicy } from '../../pipeline/lanes/live/DegradePolicy.js';
import { LiveLane } from '../../pipeline/lanes/live/LiveLane.js';
import type { MediaSource } from '../../pipeline/lanes/live/MediaSource.js';
import type { IngestEndpoint, MediaKind, Sfu } from '../sfu/Sfu.js';
import type { CueRunner } from './cues/CueRunner.js';

export type ShowState = 'live' | 'ended';

export interface ShowRecord {
  id: string;
  title: string;
  state: ShowState;
  createdAt: string;
  endedAt?: string;
}

export interface ShowInfo extends ShowRecord {
  viewers: number;
  encoder: { name: string; hardware: boolean; running: boolean; restarts: number };
  video: { codec: string; width: number; height: number; fps: number; pictureRate: number; degradeLevel: number };
  stream: { streamTimeMs: number; framesProduced: number; framesLate: number; framesRepeated: number; framesDropped: number };
  presenter: { persona: string; speaking: string | null; faceSafeArea: { x: number; y: number; width: number; height: number } } | null;
}

/**
 * Maps the RTP timestamps viewers receive to the show's stream time: `streamTimeMs` is when
 * the video (90 kHz) and audio (48 kHz) timestamps given here were captured.
 */
export interface StreamClockSync {
  streamTimeMs: number;
  videoRtpTimestamp?: number;
  audioRtpTimestamp?: number;
}

export type ShowEvents = {
  ended: [];
  clocksync: [sync: StreamClockSync];
  degraded: [level: number];
  encodercrash: [code: number | null, signal: string | null];
  encoderlog: [line: string];
};

export interface ShowDeps {
  sfu: Sfu;
  settings: EncoderSettings;
  encoderChoice: VideoEncoderChoice;
  source: MediaSource;
  /** Present when the source is the presenter; the test card takes no cues. */
  cues?: CueRunner;
}

const DEGRADE_WINDOW_MS = 2_000;

/** One live show: its SFU ingest, its ffmpeg encoder and the live lane feeding it. */
export class Show extends EnhancedEventEmitter<ShowEvents> {
  private _state: ShowState = 'live';
  private endedAt: string | undefined;
  private readonly createdAt = new Date().toISOString();
  private encoder_: Encoder;
  private retiredEncoderRestarts = 0;
  private readonly degrade = new DegradePolicy();
  private readonly degradeTimer: NodeJS.Timeout;
  private lastWindow = { produced: 0, late: 0 };
  private firstFrameMs: number | undefined;
  private clockSync_: StreamClockSync | undefined;
  private readonly onMediaSource = (showId: string, kind: MediaKind, rtpTimestamp: number) => this.mediaSourceStarted(showId, kind, rtpTimestamp);

  private constructor(
    readonly id: string,
    readonly title: string,
    private readonly deps: ShowDeps,
    private readonly endpoint: IngestEndpoint,
    readonly lane: LiveLane,
  ) {
    super();
    deps.sfu.on('mediasource', this.onMediaSource);
    this.encoder_ = this.startEncoder(deps.settings);
    lane.setEncoder(this.encoder_);
    lane.start();
    this.degradeTimer = setInterval(() => this.observeLoad(), DEGRADE_WINDOW_MS);
  }

  static async start(id: string, title: string, deps: ShowDeps): Promise<Show> {
    const endpoint = await deps.sfu.createIngest({ showId: id, videoCodec: deps.settings.videoCodec });
    return new Show(id, title, deps, endpoint, new LiveLane(deps.source, deps.settings.fps));
  }

  get encoder(): Encoder {
    return this.encoder_;
  }

  /** Encoder crash restarts over the show's life, across resolution switches. */
  get encoderRestarts(): number {
    return this.retiredEncoderRestarts + this.encoder_.restarts;
  }

  get degradeLevel(): number {
    return this.degrade.level;
  }

  /**
   * Applies an overload level (see DegradePolicy): half picture rate from level 1, half
   * resolution from level 2. A resolution change swaps in a new ffmpeg at the new size;
   * the ingest keeps the RTP stream continuous, so viewers keep their sessions.
   */
  applyDegradeLevel(level: number): void {
    this.lane.pictureEvery = level >= 1 ? 2 : 1;
    const { width, height } = this.deps.settings;
    const size = level >= 2 ? { width: width / 2, height: height / 2 } : { width, height };
    if (size.height !== this.encoder_.settings.height) this.switchResolution(size);
    this.safeEmit('degraded', level);
  }

  private observeLoad(): void {
    const { framesProduced, framesLate } = this.lane.stats;
    const window = { produced: framesProduced - this.lastWindow.produced, late: framesLate - this.lastWindow.late };
    this.lastWindow = { produced: framesProduced, late: framesLate };
    const before = this.degrade.level;
    const level = this.degrade.observe(window);
    if (level !== before) this.applyDegradeLevel(level);
  }

  private switchResolution(size: { width: number; height: number }): void {
    this.deps.source.resize?.(size.width, size.height);
    const retired = this.encoder_;
    this.encoder_ = this.startEncoder({ ...this.deps.settings, ...size });
    this.lane.setEncoder(this.encoder_);
    this.retiredEncoderRestarts += retired.restarts;
    void retired.close();
  }

  /** Undefined until the first packet of the show reached the ingest. */
  get clockSync(): StreamClockSync | undefined {
    return this.clockSync_;
  }

  /** Each encoder process numbers its RTP from its first frame, so its first packets pin the clock. */
  private mediaSourceStarted(showId: string, kind: MediaKind, rtpTimestamp: number): void {
    if (showId !== this.id || this.firstFrameMs === undefined) return;
    const base = this.clockSync_?.streamTimeMs === this.firstFrameMs ? this.clockSync_ : { streamTimeMs: this.firstFrameMs };
    this.clockSync_ = { ...base, [kind === 'video' ? 'videoRtpTimestamp' : 'audioRtpTimestamp']: rtpTimestamp };
    this.safeEmit('clocksync', this.clockSync_);
  }

  private startEncoder(settings: EncoderSettings): Encoder {
    const encoder = new Encoder(settings, this.deps.encoderChoice, this.endpoint);
    encoder.on('firstframe', (streamTimeMs) => (this.firstFrameMs = streamTimeMs));
    encoder.on('crashed', (code, signal) => this.safeEmit('encodercrash', code, signal));
    encoder.on('stderr', (line) => this.safeEmit('encoderlog', line));
    encoder.start();
    return encoder;
  }

  get state(): ShowState {
    return this._state;
  }

  get cues(): CueRunner | undefined {
    return this.deps.cues;
  }

  record(): ShowRecord {
    return { id: this.id, title: this.title, state: this._state, createdAt: this.createdAt, ...(this.endedAt && { endedAt: this.endedAt }) };
  }

  info(): ShowInfo {
    const { settings, encoderChoice, sfu } = this.deps;
    const lane = this.lane.stats;
    return {
      ...this.record(),
      viewers: sfu.viewerCount(this.id),
      encoder: { name: encoderChoice.name, hardware: encoderChoice.hardware, running: this.encoder_.running, restarts: this.encoderRestarts },
      video: {
        codec: settings.videoCodec,
        width: this.encoder_.settings.width,
        height: this.encoder_.settings.height,
        fps: settings.fps,
        pictureRate: settings.fps / this.lane.pictureEvery,
        degradeLevel: this.degrade.level,
      },
      stream: {
        streamTimeMs: Math.round(this.lane.streamTimeMs),
        framesProduced: lane.framesProduced,
        framesLate: lane.framesLate,
        framesRepeated: lane.framesRepeated,
        framesDropped: this.encoder_.droppedFrames,
      },
      presenter: this.deps.cues
        ? {
            persona: this.deps.cues.currentPersona.id,
            speaking: this.deps.cues.speaking ?? null,
            faceSafeArea: this.deps.cues.faceSafeArea,
          }
        : null,
    };
  }

  /** Ends the show: stops the lane and encoder, and closes the ingest with every viewer on it. */
  async end(): Promise<void> {
    if (this._state === 'ended') return;
    this._state = 'ended';
    this.deps.cues?.interrupt();
    this.endedAt = new Date().toISOString();
    clearInterval(this.degradeTimer);
    this.deps.sfu.off('mediasource', this.onMediaSource);
    this.lane.stop();
    await this.encoder_.close();
    await this.deps.sfu.closeIngest(this.id);
    this.safeEmit('ended');
  }
}
