import { createCanvas, type SKRSContext2D } from '@napi-rs/canvas';
import { font } from '../fonts.js';

let measurer: SKRSContext2D | undefined;

/** Width of `text` in reference units. */
export function measure(text: string, weight: 'normal' | 'bold', size: number): number {
  measurer ??= createCanvas(1, 1).getContext('2d');
  measurer.font = font(weight, size);
  return measurer.measureText(text).width;
}

/** Shortens `text` with an ellipsis until it fits `maxWidth`. */
export function fitText(
  text: string,
  weight: 'normal' | 'bold',
  size: number,
  maxWidth: number,
): string {
  if (measure(text, weight, size) <= maxWidth) return text;
  let chars = [...text];
  while (chars.length > 1 && measure(`${chars.join('').trimEnd()}…`, weight, size) > maxWidth) {
    chars = chars.slice(0, -1);
  }
  return `${chars.join('').trimEnd()}…`;
}

export function drawText(
  ctx: SKRSContext2D,
  text: string,
  x: number,
  baseline: number,
  opts: { weight: 'normal' | 'bold'; size: number; colour: string },
): void {
  ctx.font = font(opts.weight, opts.size);
  ctx.fillStyle = opts.colour;
  ctx.textBaseline = 'alphabetic';
  ctx.textAlign = 'left';
  ctx.fillText(text, x, baseline);
}
