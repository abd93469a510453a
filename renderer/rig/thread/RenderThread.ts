import type { Worker } from 'node:worker_threads';
import { EnhancedEventEmitter } from '../../../lib/EnhancedEventEmitter.js';
import { CodedError } from '../../../lib/errors/CodedError.js';
import { startSiblingWorker } from '../../../lib/moduleUrl.js';
import { i420Bytes, rgbaToI420 } from '../../i420.js';
import { encodeAtlas } from '../atlasBundle.js';
import type { Compositor } from '../Compositor.js';
import type { LowerThirdText } from '../overlays/lowerThird.js';
import type { RigPose } from '../pose.js';
import { Control, CONTROL_LENGTH, POSE_LENGTH, writePose, type RenderThreadData, type RenderThreadMessage } from './protocol.js';

export type RenderThreadEvents = {
  /** The thread stopped answering or drawing; its compositors draw on the caller's thread from now on. */
  failed: [error: Error];
};

const START_TIMEOUT_MS = 20_000;
/** A frame is due every 33 ms; a thread this late is stuck, not busy. */
const FRAME_TIMEOUT_MS = 500;

export class RenderThreadError extends CodedError {
  constructor(message: string) {
    super('RENDER_THREAD_FAILED', message);
  }
}

/**
 * Draws a show's frames on a worker thread, as I420. Each frame is a new ~1 MB read-back from
 * skia; on the main thread, among the server's tens of MB of live objects, that garbage made
 * V8 run a full mark-compact every ~0.4 s, which cost more CPU than drawing. The thread's heap
 * holds little but the rig, so collecting there is cheap, and the main thread allocates
 * nothing per frame: pictures are views on `slots` reused shared buffers. The thread converts
 * only the part of a frame a pose can change (Compositor.motionBounds), so ffmpeg gets
 * three eighths of the bytes and skips its own conversion.
 *
 * A frame is still drawn synchronously (the caller waits on an atomic, as it waited on skia),
 * so the live lane's clock and its order of events do not change.
 */
export class RenderThread extends EnhancedEventEmitter<RenderThreadEvents> {
  /** One per local compositor, in the same order: draws here, or there if this thread fails. */
  readonly compositors: ThreadedCompositor[];
  private readonly control: Int32Array;
  private readonly pose: Float64Array;
  private readonly views: Array<Buffer | undefined>;
  private sequence = 0;
  private nextSlot = 0;
  private healthy = true;

  private constructor(
    private readonly worker: Worker,
    private readonly data: RenderThreadData,
    locals: Compositor[],
  ) {
    super();
    this.control = new Int32Array(data.control);
    this.pose = new Float64Array(data.pose);
    this.views = new Array<Buffer | undefined>(data.frames.byteLength / data.slotBytes);
    this.compositors = locals.map((local, index) => new ThreadedCompositor(local, this, index));
    worker.on('error', (error: Error) => this.fail(error));
    worker.on('exit', () => this.fail(new RenderThreadError('the render thread exited')));
  }

  /**
   * Starts a thread with a copy of each compositor's rig and overlays. A picture it returns
   * stays unchanged until `slots` more frames have been drawn.
   */
  static async start(locals: Compositor[], slots: number): Promise<RenderThread> {
    const slotBytes = Math.max(...locals.map((c) => i420Bytes(c.width, c.height)));
    const data: RenderThreadData = {
      control: new SharedArrayBuffer(CONTROL_LENGTH * Int32Array.BYTES_PER_ELEMENT),
      pose: new SharedArrayBuffer(POSE_LENGTH * Float64Array.BYTES_PER_ELEMENT),
      frames: new SharedArrayBuffer(slotBytes * slots),
      slotBytes,
      compositors: locals.map((c) => ({ persona: c.atlas.persona, bundle: encodeAtlas(c.atlas), ...c.overlays })),
    };
    const worker = startSiblingWorker(import.meta.url, 'renderThreadWorker', { name: 'render-thread', workerData: data });
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new RenderThreadError(`the render thread did not start within ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS);
        worker.once('message', () => (clearTimeout(timer), resolve()));
        worker.once('error', (error) => (clearTimeout(timer), reject(error)));
        worker.once('exit', (code) => (clearTimeout(timer), reject(new RenderThreadError(`the render thread exited with ${code} while starting`))));
      });
    } catch (error) {
      void worker.terminate();
      throw error;
    }
    // The show closes it; a thread left behind must not keep the process alive.
    worker.unref();
    return new RenderThread(worker, data, locals);
  }

  get running(): boolean {
    return this.healthy;
  }

  /** The frame in I420, or undefined once the thread has failed. */
  render(compositor: number, pose: RigPose): Buffer | undefined {
    if (!this.healthy) return undefined;
    const { control } = this;
    const slot = this.nextSlot;
    this.nextSlot = (slot + 1) % this.views.length;
    writePose(this.pose, pose);
    Atomics.store(control, Control.COMPOSITOR, compositor);
    Atomics.store(control, Control.SLOT, slot);
    const request = ++this.sequence;
    Atomics.store(control, Control.REQUEST, request);
    Atomics.notify(control, Control.REQUEST);
    const deadline = performance.now() + FRAME_TIMEOUT_MS;
    for (let done = Atomics.load(control, Control.DONE); done !== request; done = Atomics.load(control, Control.DONE)) {
      const leftMs = deadline - performance.now();
      if (leftMs <= 0) return this.fail(new RenderThreadError(`the render thread did not draw a frame within ${FRAME_TIMEOUT_MS} ms`));
      Atomics.wait(control, Control.DONE, done, leftMs);
    }
    const bytes = Atomics.load(control, Control.FRAME_BYTES);
    if (bytes === 0) return this.fail(new RenderThreadError('the render thread failed to draw a frame'));
    let view = this.views[slot];
    if (view?.length !== bytes) view = this.views[slot] = Buffer.from(this.data.frames, slot * this.data.slotBytes, bytes);
    return view;
  }

  post(message: RenderThreadMessage): void {
    if (this.healthy) this.worker.postMessage(message);
  }

  close(): void {
    if (!this.healthy) return;
    this.healthy = false;
    this.stop();
  }

  private fail(error: Error): undefined {
    if (!this.healthy) return undefined;
    this.healthy = false;
    this.stop();
    this.safeEmit('failed', error);
    return undefined;
  }

  private stop(): void {
    Atomics.store(this.control, Control.CLOSE, 1);
    Atomics.store(this.control, Control.REQUEST, ++this.sequence);
    Atomics.notify(this.control, Control.REQUEST);
    void this.worker.terminate();
  }
}

/**
 * A compositor drawn on the render thread, in I420. It keeps its local twin's overlays in
 * step, so that twin draws the same picture if the thread fails (converted here, whole).
 */
export class ThreadedCompositor {
  constructor(
    readonly local: Compositor,
    private readonly thread: RenderThread,
    private readonly index: number,
  ) {}

  get atlas() {
    return this.local.atlas;
  }

  setLowerThird(text: LowerThirdText | null): void {
    this.local.setLowerThird(text);
    this.thread.post({ type: 'lowerThird', compositor: this.index, text });
  }

  setLiveBadge(on: boolean): void {
    this.local.setLiveBadge(on);
    this.thread.post({ type: 'liveBadge', compositor: this.index, on });
  }

  renderFrame(pose: RigPose): Buffer {
    const picture = this.thread.render(this.index, pose);
    if (picture) return picture;
    const { width, height } = this.local;
    const i420 = Buffer.allocUnsafe(i420Bytes(width, height));
    rgbaToI420(this.local.renderFrame(pose), width, height, i420);
    return i420;
  }
}
