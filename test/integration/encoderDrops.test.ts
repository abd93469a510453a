import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { samplesPerFrame } from '../../lib/media/codecs.js';
import type { EncodedFragment } from '../../lib/media/EncodedMedia.js';
import { DEFAULT_ENCODER_SETTINGS } from '../../pipeline/encode/EncoderSettings.js';
import { Encoder } from '../../pipeline/encode/Encoder.js';
import { frameCodeBits, frameCodeBlockSize, readFrameCode } from '../../renderer/frameCode.js';

const settings = { ...DEFAULT_ENCODER_SETTINGS, width: 320, height: 180 };
const FRAME_MS = 1000 / settings.fps;

/** A grey frame with its lane frame number burned in along the top edge. */
function codedFrame(index: number): Buffer {
  const { width, height } = settings;
  const rgba = Buffer.alloc(width * height * 4, 96);
  const block = frameCodeBlockSize(height);
  frameCodeBits(index).forEach((bit, i) => {
    for (let y = 0; y < block; y++) rgba.fill(bit ? 255 : 0, (y * width + i * block) * 4, (y * width + (i + 1) * block) * 4);
  });
  return rgba;
}

/** Decodes fragmented MP4 to the burned-in number of the frame at each timestamp (in frames). */
async function decodeFrameCodes(mp4: Buffer): Promise<number[]> {
  const ffmpeg = spawn('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-i', 'pipe:0', '-fps_mode', 'cfr', '-f', 'rawvideo', '-pix_fmt', 'rgba', 'pipe:1'], { stdio: ['pipe', 'pipe', 'inherit'] });
  ffmpeg.stdin.end(mp4);
  const chunks: Buffer[] = [];
  for await (const chunk of ffmpeg.stdout) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  const frameBytes = settings.width * settings.height * 4;
  return Array.from({ length: Math.floor(raw.length / frameBytes) }, (_, k) => readFrameCode(raw.subarray(k * frameBytes, (k + 1) * frameBytes), settings.width, settings.height));
}

/** Once the process runs, writes `count` coded frames on the lane's clock (frame i at i frames, written or dropped); `at(i)` runs before each. */
async function playFrames(encoder: Encoder, count: number, at: (i: number) => unknown): Promise<void> {
  await new Promise((resolve) => encoder.once('started', resolve));
  const pcm = Buffer.alloc(samplesPerFrame(settings.fps) * 2);
  const startedAt = performance.now();
  for (let i = 0; i < count; i++) {
    at(i);
    encoder.writeFrame(codedFrame(i), pcm, i * FRAME_MS);
    await sleep(Math.max(0, startedAt + (i + 1) * FRAME_MS - performance.now()));
  }
}

test('frames the encoder drops under overload do not shift its output against the stream clock', { timeout: 60_000 }, async () => {
  const encoder = new Encoder(settings, { name: 'libx264', codec: 'H264', hardware: false, reason: 'test' }, { rtp: [], fragments: true });
  const fragments: EncodedFragment[] = [];
  let init: Buffer | undefined;
  const resyncs: number[] = [];
  encoder.on('init', (i) => (init ??= i.data));
  encoder.on('fragment', (f) => f.generation === 1 && fragments.push(f));
  encoder.on('resync', (point) => resyncs.push(point.frame));
  encoder.start();
  try {
    await playFrames(encoder, 150, (i) => {
      // ffmpeg stalls for 700 ms (a busy core): the pipe fills and frames are dropped, not queued.
      if (i === 30) process.kill(encoder.pid!, 'SIGSTOP');
      if (i === 51) process.kill(encoder.pid!, 'SIGCONT');
    });
    assert.ok(encoder.droppedFrames >= 8, `${encoder.droppedFrames} frames dropped`);
    assert.ok(resyncs.length >= 1, 'the first write after the drops is a new timeline point');
    await sleep(1_000);
  } finally {
    await encoder.close();
  }
  assert.ok(init && fragments.length >= 10, `${fragments.length} fragments`);
  const codes = await decodeFrameCodes(Buffer.concat([init, ...fragments.map((f) => f.data)]));
  let frame = 0;
  for (const fragment of fragments) {
    const code = codes[frame];
    frame += Math.round((fragment.durationMs * settings.fps) / 1000);
    // A process's output starts with its second input frame, at its first timestamp (seen with
    // ffmpeg 5.1); every later frame is at its own index, which is what the mapping is about.
    if (fragment.index === 0) continue;
    assert.ok(code !== undefined, `fragment ${fragment.index}: frame ${frame} decoded`);
    // The fragment's first frame shows lane frame `code`, which plays at code × 33.3 ms.
    assert.ok(Math.abs(fragment.startStreamTimeMs - code * FRAME_MS) < 1, `fragment ${fragment.index} placed at ${fragment.startStreamTimeMs.toFixed(1)} ms; its first frame plays at ${(code * FRAME_MS).toFixed(1)} ms`);
  }
  assert.ok(codes.at(-1)! > 100, 'fragments after the drops were checked too');
});

test('a keyframe request makes the next frame written a keyframe, and the regular GOP counts on from it', { timeout: 60_000 }, async () => {
  const encoder = new Encoder(settings, { name: 'libx264', codec: 'H264', hardware: false, reason: 'test' }, { rtp: [], fragments: true });
  const fragments: EncodedFragment[] = [];
  encoder.on('fragment', (f) => fragments.push(f));
  encoder.start();
  try {
    // Mid-GOP: regular keyframes come every 15 frames (from 16: ffmpeg drops a process's first input frame).
    await playFrames(encoder, 90, (i) => i === 40 && encoder.requestKeyframe());
    await sleep(500);
  } finally {
    await encoder.close();
  }
  assert.equal(encoder.keyframesRequested, 1);
  // The fragmented output starts a fragment at each keyframe: it names them.
  const keyframes = fragments.filter((f) => f.independent).map((f) => Math.round(f.startStreamTimeMs / FRAME_MS));
  assert.deepEqual(keyframes.filter((k) => k >= 35 && k <= 70), [40, 55, 70], `keyframes at frames ${keyframes.join(', ')}`);
});
