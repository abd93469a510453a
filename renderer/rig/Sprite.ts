import { createCanvas, type Canvas, type SKRSContext2D } from '@napi-rs/canvas';
import type { Rect } from './geometry.js';

/** A pre-rasterised image and where its top-left corner sits in the frame at rest, in pixels. */
export interface Sprite {
  readonly canvas: Canvas;
  readonly x: number;
  readonly y: number;
}

/**
 * Draws `paint` (in reference units) into a canvas sized to `box` at `scale`. The box is
 * snapped outward to whole pixels so sprites line up exactly at rest.
 */
export function paintSprite(box: Rect, scale: number, paint: (ctx: SKRSContext2D) => void): Sprite {
  const x = Math.floor(box.x * scale);
  const y = Math.floor(box.y * scale);
  const width = Math.ceil((box.x + box.width) * scale) - x;
  const height = Math.ceil((box.y + box.height) * scale) - y;
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  ctx.translate(-x, -y);
  ctx.scale(scale, scale);
  paint(ctx);
  return { canvas, x, y };
}

/**
 * Draw calls only record; the first read-back rasterises. Reading each sprite once at
 * build time moves that cost out of the first frames.
 */
export function prewarm(sprites: Iterable<Sprite>): void {
  for (const sprite of sprites) sprite.canvas.data();
}
