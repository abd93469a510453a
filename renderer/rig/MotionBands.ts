import type { Rect } from './geometry.js';
import { paintedStrips } from './paintedBounds.js';
import type { RigAtlas } from './RigAtlas.js';
import { motionRanges } from './RigPlacement.js';

/**
 * Pixels of margin around where a part can paint: bilinear filtering at a fractional
 * position reaches one pixel past the paint; the second is headroom.
 */
const PAD = 2;
/**
 * Two neighbouring bands become one when that redraws fewer extra pixels than this share of
 * the frame: each band costs a canvas, its draw calls and a read-back of its own.
 */
const MERGE_SLACK = 1 / 64;
/** Sprites are measured in strips this many reference rows tall: a torso is narrow at the neck. */
const STRIP_ROWS = 12;

/**
 * The parts of the frame any pose can change, as disjoint full-pixel rectangles (horizontal
 * bands, top to bottom). Everything outside them is the static frame: background, lower third
 * and badge. Built once per atlas from where each moving part can paint and how far it moves.
 */
export function motionBands(atlas: RigAtlas): Rect[] {
  const stripRows = Math.max(1, Math.round(STRIP_ROWS * atlas.scale));
  const rects: Rect[] = [];
  for (const range of motionRanges(atlas)) {
    for (const sprite of range.sprites) {
      for (const strip of paintedStrips(sprite, stripRows)) {
        // A squashed mouth stays between its rest extent and the mouth centre.
        const painted = range.pivotY === undefined ? strip : union(strip, { x: strip.x, y: Math.floor(range.pivotY), width: strip.width, height: 1 })!;
        const x0 = Math.max(0, Math.floor(painted.x + range.dx[0]) - PAD);
        const y0 = Math.max(0, Math.floor(painted.y + range.dy[0]) - PAD);
        const x1 = Math.min(atlas.width, Math.ceil(painted.x + painted.width + range.dx[1]) + PAD);
        const y1 = Math.min(atlas.height, Math.ceil(painted.y + painted.height + range.dy[1]) + PAD);
        if (x1 > x0 && y1 > y0) rects.push({ x: x0, y: y0, width: x1 - x0, height: y1 - y0 });
      }
    }
  }
  return toBands(rects, atlas.width * atlas.height * MERGE_SLACK);
}

/**
 * Cuts overlapping rectangles into horizontal bands at their top and bottom edges (each band
 * as wide as the rectangles it crosses), then merges neighbours where that costs little.
 */
export function toBands(rects: readonly Rect[], slackPixels: number): Rect[] {
  const edges = [...new Set(rects.flatMap((r) => [r.y, r.y + r.height]))].sort((a, b) => a - b);
  const bands: Rect[] = [];
  for (let i = 0; i + 1 < edges.length; i++) {
    const top = edges[i]!;
    const bottom = edges[i + 1]!;
    let x0 = Infinity;
    let x1 = -Infinity;
    for (const r of rects) {
      if (r.y >= bottom || r.y + r.height <= top) continue;
      x0 = Math.min(x0, r.x);
      x1 = Math.max(x1, r.x + r.width);
    }
    if (x1 <= x0) continue;
    const band = { x: x0, y: top, width: x1 - x0, height: bottom - top };
    const last = bands.at(-1);
    const merged = last && last.y + last.height === top ? union(last, band) : null;
    if (last && merged && area(merged) - area(last) - area(band) <= slackPixels) bands[bands.length - 1] = merged;
    else bands.push(band);
  }
  return bands;
}

function union(a: Rect | null, b: Rect | null): Rect | null {
  if (!a) return b;
  if (!b) return a;
  const x = Math.min(a.x, b.x);
  const y = Math.min(a.y, b.y);
  return {
    x,
    y,
    width: Math.max(a.x + a.width, b.x + b.width) - x,
    height: Math.max(a.y + a.height, b.y + b.height) - y,
  };
}

const area = (r: Rect) => r.width * r.height;
