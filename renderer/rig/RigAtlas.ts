import { loadImage, type Image } from '@napi-rs/canvas';
import { join } from 'node:path';
import type { Persona } from '../../lib/media/Persona.js';
import { ASSETS_DIR } from '../../lib/paths.js';
import { drawBackground } from './draw/background.js';
import { drawBody } from './draw/body.js';
import { drawBrows, drawEyes } from './draw/eyes.js';
import { drawHead } from './draw/head.js';
import { drawMouth } from './draw/mouth.js';
import { RigLogoError, RigResolutionError } from './errors.js';
import { REFERENCE_HEIGHT, REFERENCE_WIDTH, RIG, type Rect } from './geometry.js';
import { VISEMES, type Viseme } from './pose.js';
import { paintSprite, prewarm, type Sprite } from './Sprite.js';

/** Eye sprites from open (index 0) to closed (last). */
export const EYE_STEPS = 5;

export interface RigAtlasOptions {
  width?: number;
  height?: number;
  /** A decoded logo; `RigAtlas.create` loads the persona's logo for you. */
  logo?: Image;
  /** Sprites rasterised before (a prewarmed rig from the asset store): nothing is painted. */
  sprites?: RigSprites;
}

/** Every part of a rig, rasterised. */
export interface RigSprites {
  background: Sprite;
  body: Sprite;
  head: Sprite;
  brows: Sprite;
  eyes: Sprite[];
  mouths: Record<Viseme, Sprite>;
}

/**
 * The prewarmed rig: every part of one persona rasterised once at one resolution, so a
 * frame is only sprite blits. Build it when a show starts, not per frame.
 */
export class RigAtlas {
  readonly width: number;
  readonly height: number;
  /** Frame pixels per reference unit (frame height / 360). */
  readonly scale: number;
  readonly background: Sprite;
  readonly body: Sprite;
  readonly head: Sprite;
  readonly brows: Sprite;
  readonly eyes: readonly Sprite[];
  readonly mouths: Readonly<Record<Viseme, Sprite>>;
  /** Mouth centre in frame pixels: open mouth sprites scale vertically about it. */
  readonly mouthCentreY: number;
  /** Frame-pixel rectangle that covers the head wherever the pose moves it; overlays avoid it. */
  readonly faceSafeArea: Rect;
  /** Wall time of the build, sprites rasterised included. */
  readonly buildMs: number;

  /** Loads the persona's logo (if any) from `logosDir`, then builds. */
  static async create(
    persona: Persona,
    options: Omit<RigAtlasOptions, 'logo'> & { logosDir?: string } = {},
  ): Promise<RigAtlas> {
    let logo: Image | undefined;
    if (persona.branding.logo !== undefined) {
      const file = join(
        options.logosDir ?? join(ASSETS_DIR, 'personas', 'logos'),
        persona.branding.logo,
      );
      try {
        logo = await loadImage(file);
      } catch (err) {
        throw new RigLogoError(file, err);
      }
    }
    return new RigAtlas(persona, { ...options, logo });
  }

  constructor(
    readonly persona: Persona,
    options: RigAtlasOptions = {},
  ) {
    const started = performance.now();
    this.width = options.width ?? REFERENCE_WIDTH;
    this.height = options.height ?? REFERENCE_HEIGHT;
    assertSupportedResolution(this.width, this.height);
    const scale = (this.scale = this.height / REFERENCE_HEIGHT);
    const sprites = options.sprites ?? paintRigSprites(persona, scale, options.logo);
    this.background = sprites.background;
    this.body = sprites.body;
    this.head = sprites.head;
    this.brows = sprites.brows;
    this.eyes = sprites.eyes;
    this.mouths = sprites.mouths;
    this.mouthCentreY = RIG.mouth.cy * scale;

    prewarm([
      this.background,
      this.body,
      this.head,
      this.brows,
      ...this.eyes,
      ...Object.values(this.mouths),
    ]);
    this.faceSafeArea = faceSafeArea(this.head, scale, this.width, this.height);
    this.buildMs = performance.now() - started;
  }

  get sprites(): RigSprites {
    const { background, body, head, brows, eyes, mouths } = this;
    return { background, body, head, brows, eyes: [...eyes], mouths: { ...mouths } };
  }

  eyeSprite(eyeOpen: number): Sprite {
    const closedness = 1 - Math.min(1, Math.max(0, Number.isFinite(eyeOpen) ? eyeOpen : 1));
    return this.eyes[Math.round(closedness * (EYE_STEPS - 1))] as Sprite;
  }
}

function paintRigSprites(persona: Persona, scale: number, logo: Image | undefined): RigSprites {
  const { look } = persona;
  const { boxes } = RIG;
  return {
    background: paintSprite({ x: 0, y: 0, width: REFERENCE_WIDTH, height: REFERENCE_HEIGHT }, scale, (ctx) => drawBackground(ctx, look, logo)),
    body: paintSprite(boxes.body, scale, (ctx) => drawBody(ctx, look)),
    head: paintSprite(boxes.head, scale, (ctx) => drawHead(ctx, look)),
    brows: paintSprite(boxes.brows, scale, (ctx) => drawBrows(ctx, look)),
    eyes: Array.from({ length: EYE_STEPS }, (_, i) => paintSprite(boxes.eyes, scale, (ctx) => drawEyes(ctx, look, 1 - i / (EYE_STEPS - 1)))),
    mouths: Object.fromEntries(VISEMES.map((v) => [v, paintSprite(boxes.mouth, scale, (ctx) => drawMouth(ctx, look, v))])) as Record<Viseme, Sprite>,
  };
}

function assertSupportedResolution(width: number, height: number): void {
  const ok =
    Number.isInteger(width) &&
    Number.isInteger(height) &&
    width % 2 === 0 &&
    height % 2 === 0 &&
    height >= 180 &&
    height <= 1080 &&
    width * 9 === height * 16;
  if (!ok) throw new RigResolutionError(width, height);
}

/**
 * The head sprite's painted extent, cut at the neck (long hair below the chin is not face),
 * grown by the largest head movement and clamped to the frame.
 */
function faceSafeArea(head: Sprite, scale: number, frameWidth: number, frameHeight: number): Rect {
  const { canvas } = head;
  const pixels = canvas.data();
  const bottomRow = Math.min(canvas.height, Math.ceil((RIG.neck.top + 30) * scale) - head.y);
  let minX = canvas.width;
  let maxX = -1;
  let minY = canvas.height;
  for (let y = 0; y < bottomRow; y++) {
    for (let x = 0; x < canvas.width; x++) {
      if ((pixels[(y * canvas.width + x) * 4 + 3] as number) < 16) continue;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
    }
  }
  const margin = RIG.maxHeadOffset * scale;
  const left = Math.max(0, Math.floor(head.x + minX - margin));
  const top = Math.max(0, Math.floor(head.y + minY - margin));
  const right = Math.min(frameWidth, Math.ceil(head.x + maxX + 1 + margin));
  const bottom = Math.min(frameHeight, Math.ceil(head.y + bottomRow + margin));
  return { x: left, y: top, width: right - left, height: bottom - top };
}
