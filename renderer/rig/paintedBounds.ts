import type { Rect } from './geometry.js';
import type { Sprite } from './Sprite.js';

/**
 * Where a sprite holds any paint (alpha above 0), in frame pixels at rest, as one rectangle per
 * strip of `stripRows` rows (strips without paint are left out). Sprite boxes are generous and
 * a torso or a head is far from rectangular; the redraw bands are cut from these instead.
 */
export function paintedStrips(sprite: Sprite, stripRows: number): Rect[] {
  const { canvas } = sprite;
  const pixels = canvas.data();
  const { width, height } = canvas;
  const strips: Rect[] = [];
  for (let top = 0; top < height; top += stripRows) {
    const bottom = Math.min(height, top + stripRows);
    let minX = width;
    let maxX = -1;
    let minY = bottom;
    let maxY = -1;
    for (let y = top; y < bottom; y++) {
      const row = y * width * 4;
      for (let x = 0; x < width; x++) {
        if (pixels[row + x * 4 + 3] === 0) continue;
        if (x < minX) minX = x;
        if (x > maxX) maxX = x;
        if (y < minY) minY = y;
        maxY = y;
      }
    }
    if (maxX >= 0) strips.push({ x: sprite.x + minX, y: sprite.y + minY, width: maxX - minX + 1, height: maxY - minY + 1 });
  }
  return strips;
}
