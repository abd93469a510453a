/**
 * A frame number burned into pixels: FRAME_CODE_BITS black/white blocks along the top
 * edge, most significant bit first. The glass-to-glass benchmark reads it back in the
 * browser after encode, transport and decode.
 */
export const FRAME_CODE_BITS = 16;

export function frameCodeBlockSize(height: number): number {
  return Math.max(8, Math.round(height / 24));
}

export function frameCodeBits(frameIndex: number): boolean[] {
  const value = frameIndex & ((1 << FRAME_CODE_BITS) - 1);
  return Array.from({ length: FRAME_CODE_BITS }, (_, i) => ((value >> (FRAME_CODE_BITS - 1 - i)) & 1) === 1);
}

/** Decodes from RGBA pixels by sampling each block's centre. */
export function readFrameCode(rgba: Uint8Array | Uint8ClampedArray, width: number, height: number): number {
  const block = frameCodeBlockSize(height);
  const y = Math.floor(block / 2);
  let value = 0;
  for (let i = 0; i < FRAME_CODE_BITS; i++) {
    const x = i * block + Math.floor(block / 2);
    const offset = (y * width + x) * 4;
    const luma = (rgba[offset]! + rgba[offset + 1]! + rgba[offset + 2]!) / 3;
    value = (value << 1) | (luma > 127 ? 1 : 0);
  }
  return value;
}
