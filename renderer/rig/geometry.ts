/**
 * All rig drawing happens in reference units: a 640x360 frame. Sprites are rasterised at
 * `scale = frameHeight / 360`, so one drawing serves every resolution.
 */
export const REFERENCE_WIDTH = 640;
export const REFERENCE_HEIGHT = 360;

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Point {
  x: number;
  y: number;
}

/** Where the parts of the presenter sit, in reference units. */
export const RIG = {
  centreX: 320,
  face: { cy: 150, rx: 54, top: 80, chin: 222 },
  ears: { dx: 55, cy: 154, rx: 9, ry: 14 },
  eyes: { dx: 23, cy: 150, rx: 11, ry: 8.5 },
  brows: { cy: 131 },
  mouth: { cx: 320, cy: 195 },
  neck: { halfWidth: 21, top: 196, bottom: 262 },
  shoulders: { y: 276, halfWidth: 150 },
  /** Sprite boxes; each must contain everything its part draws. */
  boxes: {
    body: { x: 150, y: 190, width: 340, height: 180 },
    head: { x: 206, y: 28, width: 228, height: 282 },
    eyes: { x: 280, y: 134, width: 80, height: 32 },
    brows: { x: 280, y: 118, width: 80, height: 24 },
    mouth: { x: 290, y: 178, width: 60, height: 36 },
  },
  /** How far the head may drift from rest; bounds the face safe area. */
  maxHeadOffset: 12,
} as const;

export function scaleRect(r: Rect, scale: number): Rect {
  return { x: r.x * scale, y: r.y * scale, width: r.width * scale, height: r.height * scale };
}
