import { EnhancedEventEmitter } from '../../../lib/EnhancedEventEmitter.js';
import { Compositor, presenterLowerThird, RigAtlas } from '../../../renderer/rig/index.js';
import { RenderThread } from '../../../renderer/rig/thread/RenderThread.js';
import { Animator } from '../../animate/Animator.js';
import type { Utterance } from '../../animate/Utterance.js';
import { AUDIO_SAMPLE_RATE } from '../../../lib/media/codecs.js';
import type { Persona } from '../../persona/index.js';
import { PICTURE_LIFETIME_FRAMES, type FrameTime, type MediaSource, type PixelFormat } from '../../../lib/media/MediaSource.js';

export interface SpeechItem {
  /** The caller's handle on the item (a cue's part): handed back as it is in the speech events. */
  part: object;
  utterance: Utterance;
  persona: Persona;
}

export type PresenterEvents = {
  /** The first frame (and audio sample) of an item went out at this stream time. */
  speechstart: [part: object, frame: FrameTime];
  speechend: [part: object, frame: FrameTime, interrupted: boolean];
  /** Frames are drawn on this thread from now on: the render thread failed. */
  renderthreadfailed: [error: Error];
};

/** What the presenter draws with: a compositor (RGBA), or one whose frames a render thread draws (I420). */
type FrameCompositor = Pick<Compositor, 'atlas' | 'setLowerThird' | 'renderFrame'>;

interface OnAir {
  item: SpeechItem;
  startSample: number;
}

/**
 * The presenter as a media source: idles (blinks, breathes, sways) and speaks queued
 * utterances back to back. An utterance starts on the first frame boundary after it is
 * queued; an interrupt takes effect on the next frame. The persona's look switches when
 * one of its utterances starts, without touching the stream.
 */
export class PresenterSource extends EnhancedEventEmitter<PresenterEvents> implements MediaSource {
  private readonly animator: Animator;
  private readonly queue: SpeechItem[] = [];
  private current: OnAir | undefined;
  private readonly interrupted: object[] = [];
  private pendingCaption: { text: string; durationMs: number } | undefined;
  private captionUntilSample: number | undefined;
  private compositor: FrameCompositor;
  private readonly compositors = new Map<string, FrameCompositor>();
  private thread: RenderThread | undefined;
  private renderThreadError_: Error | undefined;

  private height_: number;

  private constructor(
    locals: Compositor[],
    persona: Persona,
    height: number,
    seed: number,
  ) {
    super();
    this.animator = new Animator(seed);
    this.height_ = height;
    for (const compositor of locals) this.compositors.set(rigKey(compositor.atlas.persona.id, compositor.height), compositor);
    this.compositor = this.compositors.get(rigKey(persona.id, height))!;
  }

  /**
   * Gets a rig atlas per persona at the show's resolution and at each fallback size before
   * the show starts, so a persona switch or an overload step never builds on the frame path.
   * `rigs` supplies them: prewarmed from the batch lane's store, or built on demand.
   * With `renderThread` (the default) frames are drawn on a worker thread (RenderThread.ts
   * says why); if it cannot start or fails later, they are drawn here.
   */
  static async create(
    personas: Persona[],
    initial: Persona,
    sizes: Array<{ width: number; height: number }>,
    seed = 1,
    rigs: (persona: Persona, size: { width: number; height: number }) => Promise<RigAtlas> = (persona, size) => RigAtlas.create(persona, size),
    renderThread = true,
  ): Promise<PresenterSource> {
    const locals: Compositor[] = [];
    for (const size of sizes) {
      for (const persona of personas) {
        const compositor = new Compositor(await rigs(persona, size));
        compositor.setLowerThird(presenterLowerThird(persona));
        compositor.setLiveBadge(true);
        locals.push(compositor);
      }
    }
    const source = new PresenterSource(locals, initial, sizes[0]!.height, seed);
    if (renderThread) await source.startRenderThread(locals);
    return source;
  }

  private async startRenderThread(locals: Compositor[]): Promise<void> {
    let thread: RenderThread;
    try {
      thread = await RenderThread.start(locals, PICTURE_LIFETIME_FRAMES);
    } catch (error) {
      this.renderThreadError_ = error as Error;
      return;
    }
    this.thread = thread;
    thread.once('failed', (error) => this.safeEmit('renderthreadfailed', error));
    for (const threaded of thread.compositors) this.compositors.set(rigKey(threaded.atlas.persona.id, threaded.local.height), threaded);
    this.compositor = this.compositors.get(rigKey(this.compositor.atlas.persona.id, this.height_))!;
  }

  /** Why the render thread did not start, if it did not (a later failure is `renderthreadfailed`). */
  get renderThreadError(): Error | undefined {
    return this.renderThreadError_;
  }

  /** I420 from a render thread (and from the main thread, should it fail); RGBA without one. */
  get pixelFormat(): PixelFormat {
    return this.thread ? 'yuv420p' : 'rgba';
  }

  close(): void {
    this.thread?.close();
  }

  resize(_width: number, height: number): void {
    const next = this.compositors.get(rigKey(this.compositor.atlas.persona.id, height));
    if (!next) throw new RangeError(`no prewarmed rig at height ${height}`);
    this.height_ = height;
    this.compositor = next;
  }

  get width(): number {
    return this.compositor.atlas.width;
  }

  get height(): number {
    return this.compositor.atlas.height;
  }

  /** The part on air, if any. */
  get speaking(): object | undefined {
    return this.current?.item.part;
  }

  /** The rig's face area in frame pixels; overlays must not cover it. */
  get faceSafeArea() {
    return this.compositor.atlas.faceSafeArea;
  }

  /**
   * Shows `text` in the lower third instead of the presenter's name and title for a while:
   * the fallback ladder's text-only overlay when a line cannot be spoken.
   */
  caption(text: string, durationMs: number): void {
    this.captionUntilSample = undefined;
    this.pendingCaption = { text, durationMs };
  }

  enqueue(item: SpeechItem): void {
    this.queue.push(item);
  }

  /** Drops the current and queued speech; returns what was dropped, current first. */
  interrupt(): object[] {
    const dropped = [...(this.current ? [this.current.item.part] : []), ...this.queue.splice(0).map((i) => i.part)];
    this.current = undefined;
    this.interrupted.push(...dropped);
    return dropped;
  }

  advance(frame: FrameTime): void {
    this.advanceCaption(frame);
    for (const part of this.interrupted.splice(0)) this.safeEmit('speechend', part, frame, true);
    if (this.current && frame.startSample - this.current.startSample >= this.current.item.utterance.pcm.length) {
      this.safeEmit('speechend', this.current.item.part, frame, false);
      this.current = undefined;
    }
    if (!this.current && this.queue.length) {
      const item = this.queue.shift()!;
      this.current = { item, startSample: frame.startSample };
      this.compositor = this.compositors.get(rigKey(item.persona.id, this.height_)) ?? this.compositor;
      this.safeEmit('speechstart', item.part, frame);
    }
  }

  private advanceCaption(frame: FrameTime): void {
    const persona = this.compositor.atlas.persona;
    if (this.pendingCaption) {
      const { text, durationMs } = this.pendingCaption;
      this.pendingCaption = undefined;
      this.captionUntilSample = frame.startSample + (durationMs * AUDIO_SAMPLE_RATE) / 1000;
      this.compositor.setLowerThird({ name: persona.branding.presenterName, title: text });
    } else if (this.captionUntilSample !== undefined && frame.startSample >= this.captionUntilSample) {
      this.captionUntilSample = undefined;
      this.compositor.setLowerThird(presenterLowerThird(persona));
    }
  }

  renderVideo(frame: FrameTime): Buffer {
    const speech = this.current && { utterance: this.current.item.utterance, sample: frame.startSample - this.current.startSample };
    return this.compositor.renderFrame(this.animator.pose(frame.streamTimeMs, speech));
  }

  renderAudio(frame: FrameTime, samples: number): Int16Array {
    const out = new Int16Array(samples);
    if (!this.current) return out;
    const offset = frame.startSample - this.current.startSample;
    const pcm = this.current.item.utterance.pcm;
    if (offset < pcm.length) out.set(pcm.subarray(Math.max(0, offset), Math.min(pcm.length, offset + samples)));
    return out;
  }
}

const rigKey = (personaId: string, height: number) => `${personaId}@${height}`;
