import { CodedError } from '../../lib/errors/CodedError.js';
import { EnhancedEventEmitter } from '../../lib/EnhancedEventEmitter.js';
import type { EncodedInit } from '../../lib/media/EncodedMedia.js';
import type { RtpSourcePorts } from '../../lib/media/IngestEndpoint.js';
import type { MediaSink } from '../../lib/media/MediaSink.js';
import type { MediaSource } from '../../lib/media/MediaSource.js';
import { Encoder } from '../encode/Encoder.js';
import type { EncoderSettings } from '../encode/EncoderSettings.js';
import { supportsFragments } from '../encode/ffmpegArgs.js';
import type { VideoEncoderChoice } from '../encode/selectVideoEncoder.js';
import { DegradePolicy } from '../lanes/live/DegradePolicy.js';
import { LiveLane } from '../lanes/live/LiveLane.js';

export type ShowSessionEvents = {
  closed: [];
  degraded: [level: number];
  encodercrash: [code: number | null, signal: string | null];
  encoderlog: [line: string];
  /** A sink failed or threw; it has been detached and closed, the others go on. */
  sinkfailed: [sink: MediaSink, error: Error];
};

export interface ShowSessionOptions {
  id: string;
  settings: EncoderSettings;
  encoderChoice: VideoEncoderChoice;
  source: MediaSource;
  sinks?: MediaSink[];
}

const DEGRADE_WINDOW_MS = 2_000;

/**
 * One show's media life: the live lane renders frames, one encoder encodes them once, and a
 * list of sinks takes the result (the SFU ingest over RTP; recording and LL-HLS from the
 * fragmented MP4). Sinks are attached and detached while the show runs; one that fails is
 * detached and never stops the others. `close()` ends all of it, once.
 */
export class ShowSession extends EnhancedEventEmitter<ShowSessionEvents> {
  readonly lane: LiveLane;
  private encoder_: Encoder;
  private readonly sinks_: MediaSink[] = [];
  private readonly onSinkFailed = new Map<MediaSink, (error: Error) => void>();
  /** A sink's receivers (viewers joining, or one that lost the picture) ask for a keyframe: the next frame is one. */
  private readonly onKeyframeRequest = () => this.encoder_.requestKeyframe();
  private retiredEncoderRestarts = 0;
  private readonly degrade = new DegradePolicy();
  private readonly degradeTimer: NodeJS.Timeout;
  private lastWindow = { produced: 0, late: 0 };
  /** Session-wide generation of the fragmented output: one per encoder process, across encoders. */
  private generation = 0;
  private currentInit: EncodedInit | undefined;
  private closed_ = false;

  constructor(private readonly options: ShowSessionOptions) {
    super();
    for (const sink of options.sinks ?? []) this.adopt(sink);
    this.lane = new LiveLane(options.source, options.settings.fps);
    this.encoder_ = this.startEncoder(options.settings);
    this.lane.setEncoder(this.encoder_);
    this.lane.start();
    this.degradeTimer = setInterval(() => this.observeLoad(), DEGRADE_WINDOW_MS);
  }

  get id(): string {
    return this.options.id;
  }

  get closed(): boolean {
    return this.closed_;
  }

  get encoder(): Encoder {
    return this.encoder_;
  }

  get settings(): EncoderSettings {
    return this.options.settings;
  }

  get encoderChoice(): VideoEncoderChoice {
    return this.options.encoderChoice;
  }

  get sinks(): readonly MediaSink[] {
    return this.sinks_;
  }

  sink(kind: string): MediaSink | undefined {
    return this.sinks_.find((sink) => sink.kind === kind);
  }

  /** Encoder crash restarts over the show's life, across resolution switches. */
  get encoderRestarts(): number {
    return this.retiredEncoderRestarts + this.encoder_.restarts;
  }

  get degradeLevel(): number {
    return this.degrade.level;
  }

  /**
   * Adds an output while the show runs. A fragment sink starts from the current init
   * segment at once; an RTP sink needs a new encoder process (the SFU ingest bridges it).
   */
  attach(sink: MediaSink): void {
    if (this.closed_) throw new CodedError('SHOW_ENDED', `show ${this.id} has ended`);
    if (this.sink(sink.kind)) throw new CodedError('SINK_EXISTS', `show ${this.id} already has a ${sink.kind} output`);
    if (!sink.rtp && !supportsFragments(this.options.settings)) {
      throw new CodedError('SINK_UNSUPPORTED', `a ${this.options.settings.videoCodec} show streams over WebRTC only; ${sink.kind} needs H264`);
    }
    this.adopt(sink);
    if (sink.rtp) this.replaceEncoder(this.encoder_.settings);
    else if (this.currentInit) this.deliver(sink, () => sink.init(this.currentInit!));
  }

  /** Removes an output and closes it. */
  async detach(sink: MediaSink): Promise<void> {
    if (!this.release(sink)) return;
    if (sink.rtp && !this.closed_) this.replaceEncoder(this.encoder_.settings);
    await sink.close();
  }

  /**
   * Applies an overload level (see DegradePolicy): half picture rate from level 1, half
   * resolution from level 2. A resolution change swaps in a new ffmpeg at the new size;
   * the ingest keeps the RTP stream continuous, so viewers keep their sessions.
   */
  applyDegradeLevel(level: number): void {
    this.lane.pictureEvery = level >= 1 ? 2 : 1;
    const { width, height } = this.options.settings;
    const size = level >= 2 ? { width: width / 2, height: height / 2 } : { width, height };
    if (size.height !== this.encoder_.settings.height) {
      this.options.source.resize?.(size.width, size.height);
      this.replaceEncoder({ ...this.options.settings, ...size });
    }
    this.safeEmit('degraded', level);
  }

  /** Stops the lane, its source and the encoder, then closes every sink; each sink's failure stays its own. */
  async close(): Promise<void> {
    if (this.closed_) return;
    this.closed_ = true;
    clearInterval(this.degradeTimer);
    this.lane.stop();
    this.options.source.close?.();
    await this.encoder_.close();
    const sinks = [...this.sinks_];
    for (const sink of sinks) this.release(sink);
    await Promise.allSettled(sinks.map((sink) => sink.close()));
    this.safeEmit('closed');
  }

  private observeLoad(): void {
    const { framesProduced, framesLate } = this.lane.stats;
    const window = { produced: framesProduced - this.lastWindow.produced, late: framesLate - this.lastWindow.late };
    this.lastWindow = { produced: framesProduced, late: framesLate };
    const before = this.degrade.level;
    const level = this.degrade.observe(window);
    if (level !== before) this.applyDegradeLevel(level);
  }

  private replaceEncoder(settings: EncoderSettings): void {
    const retired = this.encoder_;
    this.encoder_ = this.startEncoder(settings);
    this.lane.setEncoder(this.encoder_);
    this.retiredEncoderRestarts += retired.restarts;
    void retired.close();
  }

  private startEncoder(settings: EncoderSettings): Encoder {
    const rtpSinks = this.sinks_.filter((sink) => sink.rtp);
    const rtp = rtpSinks.map((sink) => sink.rtp!);
    // Each process's source ports go to its RTP sinks first: their ingests accept no other sender.
    const announceSources = (sources: RtpSourcePorts[]) => Promise.all(rtpSinks.map((sink, i) => sink.rtpSource(sources[i]!)));
    const { pixelFormat } = this.options.source;
    const encoder = new Encoder({ ...settings, ...(pixelFormat && { pixelFormat }) }, this.options.encoderChoice, { rtp, fragments: true, announceSources });
    encoder.on('firstframe', (streamTimeMs) => {
      for (const sink of [...this.sinks_]) this.deliver(sink, () => sink.encoderStarted(streamTimeMs));
    });
    encoder.on('resync', (point) => {
      for (const sink of [...this.sinks_]) this.deliver(sink, () => sink.encoderResynced(point));
    });
    let localGeneration = 0;
    encoder.on('init', (init) => {
      if (encoder !== this.encoder_) return;
      localGeneration = init.generation;
      this.currentInit = { ...init, generation: ++this.generation };
      for (const sink of this.fragmentSinks()) this.deliver(sink, () => sink.init(this.currentInit!));
    });
    encoder.on('fragment', (fragment) => {
      // A retired or crashed process's last bytes belong to a generation sinks have left.
      if (encoder !== this.encoder_ || fragment.generation !== localGeneration) return;
      const placed = { ...fragment, generation: this.generation };
      for (const sink of this.fragmentSinks()) this.deliver(sink, () => sink.fragment(placed));
    });
    encoder.on('fragmenterror', (error) => this.safeEmit('encoderlog', `fragmented output: ${error.message}`));
    encoder.on('crashed', (code, signal) => this.safeEmit('encodercrash', code, signal));
    encoder.on('stderr', (line) => this.safeEmit('encoderlog', line));
    encoder.start();
    return encoder;
  }

  private fragmentSinks(): MediaSink[] {
    return this.sinks_.filter((sink) => !sink.rtp);
  }

  private adopt(sink: MediaSink): void {
    const onFailed = (error: Error) => void this.fail(sink, error);
    this.onSinkFailed.set(sink, onFailed);
    sink.on('failed', onFailed);
    sink.on('keyframerequest', this.onKeyframeRequest);
    this.sinks_.push(sink);
  }

  private release(sink: MediaSink): boolean {
    const at = this.sinks_.indexOf(sink);
    if (at < 0) return false;
    this.sinks_.splice(at, 1);
    sink.off('failed', this.onSinkFailed.get(sink)!);
    sink.off('keyframerequest', this.onKeyframeRequest);
    this.onSinkFailed.delete(sink);
    return true;
  }

  /** A sink that throws is treated as failed: the fan-out to the others goes on. */
  private deliver(sink: MediaSink, call: () => void): void {
    try {
      call();
    } catch (error) {
      void this.fail(sink, error as Error);
    }
  }

  private async fail(sink: MediaSink, error: Error): Promise<void> {
    if (!this.sinks_.includes(sink)) return;
    this.safeEmit('sinkfailed', sink, error);
    await this.detach(sink).catch(() => undefined);
  }
}
