import { createCanvas, ImageData, type Canvas, type SKRSContext2D } from '@napi-rs/canvas';
import type { Persona } from '../../lib/media/Persona.js';
import type { Rect } from './geometry.js';
import { motionBands } from './MotionBands.js';
import { buildLiveBadge } from './overlays/liveBadge.js';
import { buildLowerThird, type LowerThirdText } from './overlays/lowerThird.js';
import type { RigPose } from './pose.js';
import type { RigAtlas } from './RigAtlas.js';
import { placeRig, placementBounds, type Placement } from './RigPlacement.js';
import type { Sprite } from './Sprite.js';

/** The lower third a persona shows by default. */
export function presenterLowerThird(persona: Persona): LowerThirdText {
  return { name: persona.branding.presenterName, title: persona.branding.showTitle };
}

/**
 * 'partial' redraws only the bands the rig can move in, over a cached static frame; 'full'
 * redraws every layer of the whole frame, as the compositor always did. Both give the same
 * pixels; 'full' stays as the reference that tests and benchmarks compare against.
 */
export type RedrawMode = 'partial' | 'full';

export interface CompositorOptions {
  /** Default 'partial'. */
  redraw?: RedrawMode;
}

interface Band extends Rect {
  canvas: Canvas;
  ctx: SKRSContext2D;
}

/**
 * Turns poses into RGBA frames by blitting the atlas's sprites, plus burned-in overlays (lower
 * third, LIVE badge) that every viewer sees. Overlay sprites are rebuilt only when their
 * content changes.
 *
 * Most of a frame never moves: the background and the overlays. Skia's cost is per pixel
 * drawn and read back, so the partial path keeps the last whole frame as the static frame and
 * per pose paints only the motion bands (where body, head, eyes, brows and mouth can reach,
 * see MotionBands), each on its own canvas clipped to the band, with the same layers at the
 * same positions, then copies the band's rows over a copy of the static frame. Whatever
 * changes the static frame (a lower third or badge change, extra layers) drops it, and the
 * next frame is drawn whole. A persona, look or resolution is another atlas, so another compositor.
 */
export class Compositor {
  readonly width: number;
  readonly height: number;
  readonly redraw: RedrawMode;
  private readonly canvas: Canvas;
  private readonly ctx: SKRSContext2D;
  private readonly bands: Band[];
  private lowerThird: Sprite | null = null;
  private liveBadge: Sprite | null = null;
  private lowerThirdText: LowerThirdText | null = null;
  /** The last frame drawn whole: its pixels outside the bands are every frame's. */
  private staticFrame: Buffer | null = null;
  private lastFrame: Buffer | null = null;

  constructor(
    readonly atlas: RigAtlas,
    options: CompositorOptions = {},
  ) {
    this.width = atlas.width;
    this.height = atlas.height;
    this.redraw = options.redraw ?? 'partial';
    this.canvas = createCanvas(this.width, this.height);
    this.ctx = this.canvas.getContext('2d');
    this.bands = this.redraw === 'partial' ? motionBands(atlas).map(bandCanvas) : [];
  }

  /** The rectangles the partial path redraws per frame (empty for 'full'). */
  get motionBands(): readonly Rect[] {
    return this.bands.map(({ x, y, width, height }) => ({ x, y, width, height }));
  }

  setLowerThird(text: LowerThirdText | null): void {
    if (text?.name === this.lowerThirdText?.name && text?.title === this.lowerThirdText?.title)
      return;
    this.lowerThirdText = text ? { name: text.name, title: text.title } : null;
    this.lowerThird = text
      ? buildLowerThird(text, this.atlas.persona.branding.lowerThird, this.atlas.scale)
      : null;
    if (this.lowerThird) this.lowerThird.canvas.data();
    this.staticFrame = null;
  }

  setLiveBadge(on: boolean): void {
    if (on === (this.liveBadge !== null)) return;
    this.liveBadge = on ? buildLiveBadge(this.atlas.scale) : null;
    if (this.liveBadge) this.liveBadge.canvas.data();
    this.staticFrame = null;
  }

  /**
   * One frame: RGBA bytes, `width * height * 4`, opaque, a new buffer each time (the encoder
   * may still hold earlier ones). `extraLayers` are blitted last at their own positions; they
   * can be anywhere, so a frame with any is drawn whole.
   */
  renderFrame(pose: RigPose, extraLayers: readonly Sprite[] = []): Buffer {
    const rig = placeRig(this.atlas, pose);
    const whole = this.redraw === 'full' || this.staticFrame === null || extraLayers.length > 0;
    const frame = whole ? this.renderWhole(rig, extraLayers) : this.renderBands(rig, this.staticFrame!);
    // Extra layers are not static: the next frame without them starts from a clean one.
    if (this.redraw === 'partial' && whole) this.staticFrame = extraLayers.length ? null : Buffer.from(frame);
    this.lastFrame = frame;
    return frame;
  }

  /** PNG of the last rendered frame (for thumbnails and debugging; slow, never per frame). */
  encodePng(): Buffer {
    if (this.lastFrame) {
      const { buffer, byteOffset, byteLength } = this.lastFrame;
      const pixels = new Uint8ClampedArray(buffer, byteOffset, byteLength);
      this.ctx.putImageData(new ImageData(pixels, this.width, this.height), 0, 0);
    }
    return this.canvas.toBuffer('image/png');
  }

  private renderWhole(rig: readonly Placement[], extraLayers: readonly Sprite[]): Buffer {
    this.paint(this.ctx, rig, { x: 0, y: 0, width: this.width, height: this.height }, extraLayers);
    return this.canvas.data();
  }

  private renderBands(rig: readonly Placement[], staticFrame: Buffer): Buffer {
    const frame = Buffer.allocUnsafe(staticFrame.length);
    staticFrame.copy(frame);
    const stride = this.width * 4;
    for (const band of this.bands) {
      this.paint(band.ctx, rig, band, []);
      // The band is opaque (the background covers it), so getImageData's unpremultiplied
      // bytes are the premultiplied ones canvas.data() gives for a whole frame.
      const { data } = band.ctx.getImageData(band.x, band.y, band.width, band.height);
      const pixels = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
      const rowBytes = band.width * 4;
      for (let row = 0; row < band.height; row++) {
        const from = row * rowBytes;
        pixels.copy(frame, (band.y + row) * stride + band.x * 4, from, from + rowBytes);
      }
    }
    return frame;
  }

  /**
   * Draws every layer that reaches `area` onto `ctx` at its place in the frame. A band's
   * canvas starts at the frame's top-left and is clipped to the band, so every pixel in it is
   * sampled and blended by exactly the same arithmetic as in a whole frame: skia's sampling
   * depends on a draw's position in floating point, and shifting a scaled draw (an open mouth)
   * by whole pixels would round differently. The background is opaque, so nothing needs clearing.
   */
  private paint(ctx: SKRSContext2D, rig: readonly Placement[], area: Rect, extraLayers: readonly Sprite[]): void {
    blit(ctx, this.atlas.background);
    for (const p of rig) {
      if (!overlaps(placementBounds(p), area)) continue;
      const { canvas } = p.sprite;
      if (p.height === undefined) ctx.drawImage(canvas, p.x, p.y);
      else ctx.drawImage(canvas, p.x, p.y, canvas.width, p.height);
    }
    for (const overlay of [this.lowerThird, this.liveBadge, ...extraLayers]) {
      if (overlay && overlaps(spriteRect(overlay), area)) blit(ctx, overlay);
    }
  }
}

/**
 * A band's own canvas: the frame's size up to the band's right and bottom edges (pixels above
 * and left of it are never drawn: the clip keeps skia's work to the band).
 */
function bandCanvas(rect: Rect): Band {
  const canvas = createCanvas(rect.x + rect.width, rect.y + rect.height);
  const ctx = canvas.getContext('2d');
  ctx.beginPath();
  ctx.rect(rect.x, rect.y, rect.width, rect.height);
  ctx.clip();
  return { ...rect, canvas, ctx };
}

function blit(ctx: SKRSContext2D, sprite: Sprite): void {
  ctx.drawImage(sprite.canvas, sprite.x, sprite.y);
}

function spriteRect(sprite: Sprite): Rect {
  return { x: sprite.x, y: sprite.y, width: sprite.canvas.width, height: sprite.canvas.height };
}

function overlaps(a: Rect, b: Rect): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}
