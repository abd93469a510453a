import { RIG, type Rect } from './geometry.js';
import type { RigPose, Viseme } from './pose.js';
import type { RigAtlas } from './RigAtlas.js';
import type { Sprite } from './Sprite.js';

/** Reference units the body rises at full breath, the head dips at full emphasis, brows lift. */
export const BREATH_LIFT = 2.5;
export const NOD_DEPTH = 3;
export const BROW_LIFT = 3;
/** Shapes whose lips are closed look the same at any openness, so they are never squashed. */
const CLOSED_VISEMES: ReadonlySet<Viseme> = new Set(['sil', 'MBP']);
export const MIN_MOUTH_SCALE = 0.45;

/** One sprite where a frame draws it: top-left in frame pixels, optionally squashed vertically. */
export interface Placement {
  readonly sprite: Sprite;
  readonly x: number;
  readonly y: number;
  /** Drawn height in pixels when the sprite is scaled (open mouths); absent: drawn 1:1. */
  readonly height?: number;
}

/**
 * Where the moving parts of the rig go for one pose, back to front: body, head, eyes, brows,
 * mouth. Both redraw paths of the compositor draw exactly these, so they cannot disagree.
 */
export function placeRig(atlas: RigAtlas, pose: RigPose): Placement[] {
  const s = atlas.scale;
  const emphasis = clamp(pose.emphasis, 0, 1);
  const headDx = clamp(pose.headX, -RIG.maxHeadOffset, RIG.maxHeadOffset) * s;
  const headDy =
    (clamp(pose.headY, -RIG.maxHeadOffset, RIG.maxHeadOffset - NOD_DEPTH) + emphasis * NOD_DEPTH) * s;
  const at = (sprite: Sprite, dx: number, dy: number): Placement => ({ sprite, x: sprite.x + dx, y: sprite.y + dy });
  return [
    at(atlas.body, 0, -clamp(pose.breath, 0, 1) * BREATH_LIFT * s),
    at(atlas.head, headDx, headDy),
    at(atlas.eyeSprite(pose.eyeOpen), headDx, headDy),
    at(atlas.brows, headDx, headDy - emphasis * BROW_LIFT * s),
    placeMouth(atlas, pose, headDx, headDy),
  ];
}

function placeMouth(atlas: RigAtlas, pose: RigPose, dx: number, dy: number): Placement {
  const sprite = atlas.mouths[pose.viseme] ?? atlas.mouths.sil;
  if (CLOSED_VISEMES.has(pose.viseme)) return { sprite, x: sprite.x + dx, y: sprite.y + dy };
  const scaleY = MIN_MOUTH_SCALE + (1 - MIN_MOUTH_SCALE) * clamp(pose.mouthOpen, 0, 1);
  const centre = atlas.mouthCentreY;
  const top = centre - (centre - sprite.y) * scaleY;
  return { sprite, x: sprite.x + dx, y: top + dy, height: sprite.canvas.height * scaleY };
}

/**
 * How far each moving part can travel from rest, in frame pixels, over every pose `placeRig`
 * accepts (clamping included): the partial redraw's bands are built from these.
 */
export function motionRanges(atlas: RigAtlas): Array<{ sprites: readonly Sprite[]; dx: [number, number]; dy: [number, number]; pivotY?: number }> {
  const s = atlas.scale;
  const head: [number, number] = [-RIG.maxHeadOffset * s, RIG.maxHeadOffset * s];
  // headY is clamped to maxHeadOffset - NOD_DEPTH before the nod adds up to NOD_DEPTH.
  const headY: [number, number] = [-RIG.maxHeadOffset * s, RIG.maxHeadOffset * s];
  return [
    { sprites: [atlas.body], dx: [0, 0], dy: [-BREATH_LIFT * s, 0] },
    { sprites: [atlas.head, ...atlas.eyes], dx: head, dy: headY },
    { sprites: [atlas.brows], dx: head, dy: [headY[0] - BROW_LIFT * s, headY[1]] },
    // Open mouths squash towards the mouth centre, so they stay between it and their rest extent.
    { sprites: Object.values(atlas.mouths), dx: head, dy: headY, pivotY: atlas.mouthCentreY },
  ];
}

/** NaN and infinities count as 0, so one bad pose value cannot throw the rig off screen. */
export function clamp(value: number, min: number, max: number): number {
  if (!Number.isFinite(value)) return Math.min(max, Math.max(min, 0));
  return Math.min(max, Math.max(min, value));
}

/** The pixels a placement can touch: its box rounded out, plus a pixel for filtering at fractional positions. */
export function placementBounds(p: Placement): Rect {
  const x = Math.floor(p.x) - 1;
  const y = Math.floor(p.y) - 1;
  return {
    x,
    y,
    width: Math.ceil(p.x + p.sprite.canvas.width) + 1 - x,
    height: Math.ceil(p.y + (p.height ?? p.sprite.canvas.height)) + 1 - y,
  };
}
