/**
 * Reads, in a viewer page, the frame index the test card burns into every presented frame
 * (renderer/frameCode.ts), with the frame's expected display time on the wall clock. The
 * glass-to-glass benchmarks (bench:glass over WebRTC, bench:hls) compare it with when the live
 * lane produced that frame.
 */
import type { Page } from 'playwright-core';
import { FRAME_CODE_BITS, frameCodeBlockSize } from '../renderer/frameCode.js';

// Sent as source text: tsx would wrap named functions with a helper the page does not have.
const READ_FRAMES = `new Promise((resolve) => {
  const [seconds, bits, block, width, height] = ARGS;
  const video = document.querySelector('video');
  const ctx = new OffscreenCanvas(width, block).getContext('2d', { willReadFrequently: true });
  const out = [];
  const end = performance.now() + seconds * 1000;
  const onFrame = (now, meta) => {
    ctx.drawImage(video, 0, 0, width, height, 0, 0, width, height);
    const row = ctx.getImageData(0, Math.floor(block / 2), bits * block, 1).data;
    let value = 0;
    for (let i = 0; i < bits; i++) {
      const o = (i * block + Math.floor(block / 2)) * 4;
      value = (value << 1) | ((row[o] + row[o + 1] + row[o + 2]) / 3 > 127 ? 1 : 0);
    }
    out.push([value, performance.timeOrigin + meta.expectedDisplayTime]);
    if (performance.now() < end) video.requestVideoFrameCallback(onFrame);
    else resolve(out);
  };
  video.requestVideoFrameCallback(onFrame);
})`;

/** `[frame index & 0xffff, display time (ms since the epoch)]` for each frame shown in `seconds`. */
export async function readShownFrames(page: Page, seconds: number, { width, height }: { width: number; height: number }): Promise<Array<[number, number]>> {
  const args = JSON.stringify([seconds, FRAME_CODE_BITS, frameCodeBlockSize(height), width, height]);
  return (await page.evaluate(READ_FRAMES.replace('ARGS', args))) as Array<[number, number]>;
}
