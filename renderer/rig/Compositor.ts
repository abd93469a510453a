import { createCanvas, type Canvas, type SKRSContext2D } from '@napi-rs/canvas';
import type { Persona } from '../../lib/media/Persona.js';
import { RIG, type Rect } from './geometry.js';
import { buildLiveBadge } from './overlays/liveBadge.js';
import { buildLowerThird, type LowerThirdText } from './overlays/lowerThird.js';
import type { RigPose, Viseme } from './pose.js';
import type { RigAtlas } from './RigAtlas.js';
import type { Sprite } from './Sprite.js';

/** Reference units the body rises at full breath, the head dips at full emphasis, brows lift. */
const BREATH_LIFT = 2.5;
const NOD_DEPTH = 3;
const BROW_LIFT = 3;
/** Shapes whose lips are closed look the same at any openness, so they are never squashed. */
const CLOSED_VISEMES: ReadonlySet<Viseme> = new Set(['sil', 'MBP']);
const MIN_MOUTH_SCALE = 0.45;

/** The lower third a persona shows by default. */
export function presenterLowerThird(persona: Persona): LowerThirdText {
  return { name: persona.branding.presenterName, title: persona.branding.showTitle };
}

/**
 * Turns poses into RGBA frames by blitting the atlas's sprites onto one reused canvas, plus
 * burned-in overlays (lower third, LIVE badge) that every viewer sees. Overlay sprites are
 * rebuilt only when their content changes.
 */
export class Compositor {
  readonly width: number;
  readonly height: number;
  private readonly canvas: Canvas;
  private readonly ctx: SKRSContext2D;
  private lowerThird: Sprite | null = null;
  private liveBadge: Sprite | null = null;
  private lowerThirdText: LowerThirdText | null = null;
  /**
   * The only pixels a pose can change: where the body, head, eyes, brows and mouth can be
   * drawn at any breath, head offset, nod or brow lift, a pixel wider for smoothing, with even
   * edges. Outside it a frame changes only when an overlay does.
   */
  readonly motionBounds: Rect;

  constructor(readonly atlas: RigAtlas) {
    this.width = atlas.width;
    this.height = atlas.height;
    this.canvas = createCanvas(this.width, this.height);
    this.ctx = this.canvas.getContext('2d');
    this.motionBounds = motionBounds(atlas);
  }

  /** The overlays set now: what a copy of this compositor needs to draw the same frames. */
  get overlays(): { lowerThird: LowerThirdText | null; liveBadge: boolean } {
    return { lowerThird: this.lowerThirdText, liveBadge: this.liveBadge !== null };
  }

  setLowerThird(text: LowerThirdText | null): void {
    if (text?.name === this.lowerThirdText?.name && text?.title === this.lowerThirdText?.title)
      return;
    this.lowerThirdText = text ? { name: text.name, title: text.title } : null;
    this.lowerThird = text
      ? buildLowerThird(text, this.atlas.persona.branding.lowerThird, this.atlas.scale)
      : null;
    if (this.lowerThird) this.lowerThird.canvas.data();
  }

  setLiveBadge(on: boolean): void {
    if (on === (this.liveBadge !== null)) return;
    this.liveBadge = on ? buildLiveBadge(this.atlas.scale) : null;
    if (this.liveBadge) this.liveBadge.canvas.data();
  }

  /**
   * One frame: RGBA bytes, `width * height * 4`, opaque. `extraLayers` are blitted last
   * at their own positions.
   */
  renderFrame(pose: RigPose, extraLayers: readonly Sprite[] = []): Buffer {
    const { atlas, ctx } = this;
    const s = atlas.scale;
    const emphasis = clamp(pose.emphasis, 0, 1);
    const headDx = clamp(pose.headX, -RIG.maxHeadOffset, RIG.maxHeadOffset) * s;
    const headDy =
      (clamp(pose.headY, -RIG.maxHeadOffset, RIG.maxHeadOffset - NOD_DEPTH) +
        emphasis * NOD_DEPTH) *
      s;

    blit(ctx, atlas.background, 0, 0);
    blit(ctx, atlas.body, 0, -clamp(pose.breath, 0, 1) * BREATH_LIFT * s);
    blit(ctx, atlas.head, headDx, headDy);
    blit(ctx, atlas.eyeSprite(pose.eyeOpen), headDx, headDy);
    blit(ctx, atlas.brows, headDx, headDy - emphasis * BROW_LIFT * s);
    this.drawMouth(pose, headDx, headDy);

    if (this.lowerThird) blit(ctx, this.lowerThird, 0, 0);
    if (this.liveBadge) blit(ctx, this.liveBadge, 0, 0);
    for (const layer of extraLayers) blit(ctx, layer, 0, 0);
    return this.canvas.data();
  }

  /** PNG of the last rendered frame (for thumbnails and debugging; slow, never per frame). */
  encodePng(): Buffer {
    return this.canvas.toBuffer('image/png');
  }

  private drawMouth(pose: RigPose, dx: number, dy: number): void {
    const sprite = this.atlas.mouths[pose.viseme] ?? this.atlas.mouths.sil;
    if (CLOSED_VISEMES.has(pose.viseme)) {
      blit(this.ctx, sprite, dx, dy);
      return;
    }
    const scaleY = MIN_MOUTH_SCALE + (1 - MIN_MOUTH_SCALE) * clamp(pose.mouthOpen, 0, 1);
    const { canvas } = sprite;
    const centre = this.atlas.mouthCentreY;
    const top = centre - (centre - sprite.y) * scaleY;
    this.ctx.drawImage(canvas, sprite.x + dx, top + dy, canvas.width, canvas.height * scaleY);
  }
}

function motionBounds(atlas: RigAtlas): Rect {
  const s = atlas.scale;
  const reach = RIG.maxHeadOffset * s + 1;
  const headParts = [atlas.head, atlas.brows, ...atlas.eyes, ...Object.values(atlas.mouths)];
  const boxes = [
    { left: atlas.body.x - 1, top: atlas.body.y - BREATH_LIFT * s - 1, right: atlas.body.x + atlas.body.canvas.width + 1, bottom: atlas.body.y + atlas.body.canvas.height + 1 },
    ...headParts.map((p) => ({ left: p.x - reach, top: p.y - reach - BROW_LIFT * s, right: p.x + p.canvas.width + reach, bottom: p.y + p.canvas.height + reach })),
  ];
  const even = (v: number, round: (v: number) => number) => 2 * round(v / 2);
  const left = Math.max(0, even(Math.min(...boxes.map((b) => b.left)), Math.floor));
  const top = Math.max(0, even(Math.min(...boxes.map((b) => b.top)), Math.floor));
  const right = Math.min(atlas.width, even(Math.max(...boxes.map((b) => b.right)), Math.ceil));
  const bottom = Math.min(atlas.height, even(Math.max(...boxes.map((b) => b.bottom)), Math.ceil));
  return { x: left, y: top, width: right - left, height: bottom - top };
}

function blit(ctx: SKRSContext2D, sprite: Sprite, dx: number, dy: number): void {
  ctx.drawImage(sprite.canvas, sprite.x + dx, sprite.y + dy);
}

/** NaN and infinities count as 0, so one bad pose value cannot throw the rig off screen. */
function clamp(value: number, min: number, max: number): number {
  if (!Number.isFinite(value)) return Math.min(max, Math.max(min, 0));
  return Math.min(max, Math.max(min, value));
}
