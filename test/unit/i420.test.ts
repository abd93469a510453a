import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { getPersona } from '../../pipeline/persona/index.js';
import { i420Bytes, rgbaToI420 } from '../../renderer/i420.js';
import { Compositor, presenterLowerThird, REST_POSE, RigAtlas } from '../../renderer/rig/index.js';

const W = 640;
const H = 360;

async function presenterFrame(): Promise<Buffer> {
  const persona = getPersona('ava');
  const compositor = new Compositor(await RigAtlas.create(persona, { width: W, height: H }));
  compositor.setLowerThird(presenterLowerThird(persona));
  compositor.setLiveBadge(true);
  return Buffer.from(compositor.renderFrame({ ...REST_POSE, viseme: 'AA', mouthOpen: 1 }));
}

test("I420 from the presenter's RGBA is what ffmpeg converts it to: luma within 1, chroma within 1 on average", async () => {
  const rgba = await presenterFrame();
  const ours = Buffer.alloc(i420Bytes(W, H));
  rgbaToI420(rgba, W, H, ours);
  const ffmpeg = spawnSync('ffmpeg', ['-v', 'error', '-f', 'rawvideo', '-pix_fmt', 'rgba', '-s', `${W}x${H}`, '-i', 'pipe:0', '-f', 'rawvideo', '-pix_fmt', 'yuv420p', 'pipe:1'], { input: rgba, maxBuffer: 1 << 24 });
  assert.equal(ffmpeg.status, 0, String(ffmpeg.stderr));
  const theirs = ffmpeg.stdout;
  assert.equal(theirs.length, ours.length);
  const diff = (from: number, to: number) => {
    let max = 0;
    let sum = 0;
    for (let i = from; i < to; i++) {
      const d = Math.abs(ours[i]! - theirs[i]!);
      max = Math.max(max, d);
      sum += d;
    }
    return { max, mean: sum / (to - from) };
  };
  assert.ok(diff(0, W * H).max <= 1, 'luma');
  // Chroma differs at sharp colour edges only: ffmpeg filters where this takes each 2x2 block's mean.
  const chroma = diff(W * H, ours.length);
  assert.ok(chroma.mean < 1, `chroma mean difference ${chroma.mean}`);
});

test('a rectangle is converted alone: the rest of the frame keeps what it held', async () => {
  const rgba = await presenterFrame();
  const whole = Buffer.alloc(i420Bytes(W, H));
  rgbaToI420(rgba, W, H, whole);
  const part = Buffer.alloc(whole.length, 7);
  const rect = { x: 100, y: 40, width: 200, height: 120 };
  rgbaToI420(rgba, W, H, part, rect);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const inside = x >= rect.x && x < rect.x + rect.width && y >= rect.y && y < rect.y + rect.height;
      assert.equal(part[y * W + x], inside ? whole[y * W + x] : 7, `luma at ${x},${y}`);
    }
  }
  const u = (x: number, y: number) => W * H + y * (W / 2) + x;
  assert.equal(part[u(rect.x / 2, rect.y / 2)], whole[u(rect.x / 2, rect.y / 2)]);
  assert.equal(part[u(rect.x / 2 - 1, rect.y / 2)], 7);
});
