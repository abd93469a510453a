import { EnhancedEventEmitter } from '../../../lib/EnhancedEventEmitter.js';
import type { Encoder } from '../../encode/Encoder.js';
import { AUDIO_SAMPLE_RATE, samplesPerFrame } from '../../../lib/media/codecs.js';
import type { FrameTime, MediaSource } from '../../../lib/media/MediaSource.js';

export type LiveLaneEvents = {
  /** A frame went to the encoder; epochMs is the wall time it was produced. */
  frame: [frame: FrameTime, epochMs: number];
};

export interface LiveLaneStats {
  framesProduced: number;
  framesLate: number;
  framesRepeated: number;
  lastRenderMs: number;
}

/** Past this many frames behind, missed frames repeat the last picture instead of being rendered. */
const MAX_CATCH_UP_FRAMES = 2;

/**
 * The live lane's final mile: one show clock, with audio samples as the master. Each frame
 * index maps to an exact sample position, so video timestamps come from the audio clock;
 * the stream never stops, and a lane that falls behind repeats pictures rather than drifting.
 */
export class LiveLane extends EnhancedEventEmitter<LiveLaneEvents> {
  private timer: NodeJS.Timeout | undefined;
  private startedAtMs = 0;
  private nextFrame = 0;
  private lastPicture: Buffer | undefined;
  /** 1 renders every frame; 2 renders every other frame and repeats the picture between. */
  pictureEvery = 1;
  private readonly samplesPerFrame: number;
  private readonly stats_: LiveLaneStats = { framesProduced: 0, framesLate: 0, framesRepeated: 0, lastRenderMs: 0 };

  private encoder: Encoder | undefined;

  constructor(
    private readonly source: MediaSource,
    private readonly fps: number,
  ) {
    super();
    this.samplesPerFrame = samplesPerFrame(fps);
    if (!Number.isInteger(this.samplesPerFrame)) throw new RangeError(`fps ${fps} does not divide 48 kHz`);
  }

  get stats(): Readonly<LiveLaneStats> {
    return this.stats_;
  }

  /**
   * Wall-clock time (ms since the Unix epoch) of stream time 0: frame n is due at this plus
   * its stream time. HLS program date times and glass-to-glass measurements start here.
   */
  get startedAtEpochMs(): number {
    return performance.timeOrigin + this.startedAtMs;
  }

  /** Stream time of the frame being produced now. */
  get streamTimeMs(): number {
    return (this.nextFrame * 1000) / this.fps;
  }

  /** Frames go to `encoder` from the next one on; the caller closes any previous one. */
  setEncoder(encoder: Encoder): void {
    this.encoder = encoder;
    this.lastPicture = undefined;
  }

  start(): void {
    if (this.timer) return;
    this.startedAtMs = performance.now();
    this.schedule();
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /**
   * Wakes when the next frame is due. A short fixed tick (it was 4 ms) costs a wake-up 250
   * times a second, 1.5% of a core here on its own; lateness is the timer's, about a ms, either way.
   */
  private schedule(): void {
    const dueAtMs = this.startedAtMs + (this.nextFrame * 1000) / this.fps;
    this.timer = setTimeout(() => {
      this.tick();
      if (this.timer) this.schedule();
    }, Math.max(0, dueAtMs - performance.now()));
  }

  private tick(): void {
    const elapsedMs = performance.now() - this.startedAtMs;
    const due = Math.floor((elapsedMs * this.fps) / 1000) + 1;
    const behind = due - this.nextFrame;
    if (behind <= 0) return;
    if (behind > 1) this.stats_.framesLate += behind - 1;
    while (this.nextFrame < due) {
      const behindTooFar = due - this.nextFrame > MAX_CATCH_UP_FRAMES;
      const skipped = this.nextFrame % this.pictureEvery !== 0;
      const repeat = (behindTooFar || skipped) && this.lastPicture !== undefined;
      if (repeat && behindTooFar) this.stats_.framesRepeated++;
      this.produce(this.frameTime(this.nextFrame), repeat);
      this.nextFrame++;
    }
  }

  private produce(frame: FrameTime, repeatPicture: boolean): void {
    const t0 = performance.now();
    this.source.advance?.(frame);
    const picture = repeatPicture ? this.lastPicture! : this.source.renderVideo(frame);
    const audio = this.source.renderAudio(frame, this.samplesPerFrame);
    this.stats_.lastRenderMs = performance.now() - t0;
    this.lastPicture = picture;
    this.encoder?.writeFrame(picture, Buffer.from(audio.buffer, audio.byteOffset, audio.byteLength), frame.streamTimeMs);
    this.stats_.framesProduced++;
    this.safeEmit('frame', frame, performance.timeOrigin + performance.now());
  }

  private frameTime(index: number): FrameTime {
    const startSample = index * this.samplesPerFrame;
    return { index, startSample, streamTimeMs: (startSample * 1000) / AUDIO_SAMPLE_RATE };
  }
}
