import type { Rect } from './rig/geometry.js';

/** Bytes of a `width` x `height` I420 frame: a full-size luma plane, then quarter-size U and V. */
export function i420Bytes(width: number, height: number): number {
  return width * height + 2 * (width / 2) * (height / 2);
}

/**
 * Converts opaque RGBA to I420 (BT.601, limited range: what ffmpeg's rgba → yuv420p gives and
 * what x264 signals) inside `rect`, whose edges must be even; the rest of `out` is left alone,
 * so a frame where only part of the picture moved is converted only there. Chroma is the mean
 * of each 2x2 block.
 */
export function rgbaToI420(rgba: Uint8Array, width: number, height: number, out: Uint8Array, rect: Rect = { x: 0, y: 0, width, height }): void {
  const chromaWidth = width / 2;
  const uPlane = width * height;
  const vPlane = uPlane + chromaWidth * (height / 2);
  const right = rect.x + rect.width;
  const bottom = rect.y + rect.height;
  for (let y = rect.y; y < bottom; y += 2) {
    let top = (y * width + rect.x) * 4;
    let below = top + width * 4;
    let luma = y * width + rect.x;
    let chroma = (y / 2) * chromaWidth + rect.x / 2;
    for (let x = rect.x; x < right; x += 2) {
      const r0 = rgba[top]!, g0 = rgba[top + 1]!, b0 = rgba[top + 2]!;
      const r1 = rgba[top + 4]!, g1 = rgba[top + 5]!, b1 = rgba[top + 6]!;
      const r2 = rgba[below]!, g2 = rgba[below + 1]!, b2 = rgba[below + 2]!;
      const r3 = rgba[below + 4]!, g3 = rgba[below + 5]!, b3 = rgba[below + 6]!;
      out[luma] = ((66 * r0 + 129 * g0 + 25 * b0 + 128) >> 8) + 16;
      out[luma + 1] = ((66 * r1 + 129 * g1 + 25 * b1 + 128) >> 8) + 16;
      out[luma + width] = ((66 * r2 + 129 * g2 + 25 * b2 + 128) >> 8) + 16;
      out[luma + width + 1] = ((66 * r3 + 129 * g3 + 25 * b3 + 128) >> 8) + 16;
      const r = r0 + r1 + r2 + r3;
      const g = g0 + g1 + g2 + g3;
      const b = b0 + b1 + b2 + b3;
      out[uPlane + chroma] = ((-38 * r - 74 * g + 112 * b + 512) >> 10) + 128;
      out[vPlane + chroma] = ((112 * r - 94 * g - 18 * b + 512) >> 10) + 128;
      top += 8;
      below += 8;
      luma += 2;
      chroma++;
    }
  }
}
