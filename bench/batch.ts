/**
 * bench:batch — clip render speed as a multiple of real time, per worker, at 360p and 720p
 * (TTS → animation → frames → MP4 + spliceable tracks, the whole job), with the compositor's
 * full redraw (the old path) and partial redraw alternating clip by clip in the same run;
 * then what bounds it: the compositor alone against the x264 encode alone, per frame; then
 * throughput of the same clip load on one worker process against two, against one real Redis.
 */
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { formatSummary, summarize } from '../lib/percentiles.js';
import { BatchQueues } from '../pipeline/jobs/BatchQueues.js';
import { createJobContext } from '../pipeline/jobs/JobContext.js';
import { PayloadReader, type Resolution } from '../pipeline/jobs/payloads.js';
import { processClipRender } from '../pipeline/jobs/processors/clipRender.js';
import { getPersona, loadPersonas } from '../pipeline/persona/index.js';
import { Animator } from '../pipeline/animate/Animator.js';
import { Mp4ClipWriter } from '../pipeline/encode/Mp4ClipWriter.js';
import { RESOLUTIONS } from '../pipeline/jobs/payloads.js';
import { Compositor, presenterLowerThird, RigAtlas, VISEMES, type RedrawMode } from '../renderer/rig/index.js';
import { rm } from 'node:fs/promises';
import { spawnWorker, waitUntil } from '../test/helpers/batch.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const CLIPS = Number(process.env.BATCH_CLIPS ?? 6);
const TEXTS = [
  'Welcome back to the workshop. Today we take the new lens apart and see what makes it sharp.',
  'Before we start, a quick word from our sponsor, who keeps this show free for everyone watching.',
  'That is all for the first segment. Stay with us, because the next part answers your questions.',
  'Here is the part many of you asked about: how the coating changes the colours in low light.',
  'Thanks for all the messages in the chat. We read every one of them, even the funny ones.',
  'Let us recap what we learned today, and then I will tell you what is coming next week.',
];
const text = (i: number) => `${TEXTS[i % TEXTS.length]} Take ${i + 1}.`;

const isolated = () => {
  const id = randomBytes(4).toString('hex');
  return { prefix: `bench${id}`, store: { assetDir: join(tmpdir(), `onair-bench-${id}`), assetPrefix: `bench${id}:assets`, maxBytes: 4 * 1024 ** 3 } };
};

const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
console.log(`bench:batch — ${CLIPS} clips per step, 30 fps, libx264 ultrafast + AAC, on ${REDIS_URL}`);

const MODES: RedrawMode[] = ['full', 'partial'];
const BOUND_FRAMES = 300;
const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

for (const resolution of ['360p', '720p'] as Resolution[]) {
  // One context (espeak is one per process); each path speaks its own texts, so no clip or
  // phrase comes from the other path's cache.
  const ctx = await createJobContext(redis, isolated().store);
  const textFor = (mode: RedrawMode, i: number) => `${TEXTS[i % TEXTS.length]} ${mode === 'full' ? 'Take' : 'Part'} ${i + 1}.`;
  const speed: Record<RedrawMode, number[]> = { full: [], partial: [] };
  const totals: Record<RedrawMode, { audioMs: number; wallMs: number }> = { full: { audioMs: 0, wallMs: 0 }, partial: { audioMs: 0, wallMs: 0 } };
  for (const mode of MODES) await processClipRender({ data: { persona: 'ava', text: `Warm up, ${mode}.`, resolution }, updateProgress: async () => undefined }, ctx, undefined, { redraw: mode });
  for (let i = 0; i < CLIPS; i++) {
    // Alternate which path goes first, so neither always meets a warmer or busier machine.
    for (const mode of i % 2 ? [...MODES].reverse() : MODES) {
      const started = performance.now();
      const result = await processClipRender({ data: { persona: 'ava', text: textFor(mode, i), resolution }, updateProgress: async () => undefined }, ctx, undefined, { redraw: mode });
      const elapsed = performance.now() - started;
      speed[mode].push(result.durationMs / elapsed);
      totals[mode].audioMs += result.durationMs;
      totals[mode].wallMs += elapsed;
    }
  }
  await ctx.close();
  for (const mode of MODES) {
    console.log(formatSummary(`  ${resolution} render, ${mode} redraw, × real time per clip (one worker, in-process)`, summarize(speed[mode]), '×'));
    const { audioMs, wallMs } = totals[mode];
    console.log(`    total: ${(audioMs / 1000).toFixed(1)} s of clips in ${(wallMs / 1000).toFixed(1)} s = ${(audioMs / wallMs).toFixed(1)}× real time`);
  }
  const rate = (mode: RedrawMode) => totals[mode].audioMs / totals[mode].wallMs;
  console.log(`    partial / full throughput: ${(rate('partial') / rate('full')).toFixed(2)}× (same run, alternating clips)`);
  await whatBounds(resolution);
}

/** Per frame: each redraw path alone (CPU), then libx264 alone on those frames (wall, one thread as in a job). */
async function whatBounds(resolution: Resolution): Promise<void> {
  const size = RESOLUTIONS[resolution];
  const atlas = await RigAtlas.create(getPersona('ava'), size);
  const animator = new Animator(1);
  // Idle sway and breath with a mouth that keeps changing, as in speech.
  const poses = Array.from({ length: BOUND_FRAMES }, (_, i) => ({
    ...animator.pose((i * 1000) / 30),
    viseme: VISEMES[(i * 7) % VISEMES.length]!,
    mouthOpen: 0.5 + 0.5 * Math.sin(i),
  }));
  const composite: Record<RedrawMode, number[]> = { full: [], partial: [] };
  const compositors = Object.fromEntries(MODES.map((mode) => [mode, new Compositor(atlas, { redraw: mode })])) as Record<RedrawMode, Compositor>;
  for (const c of Object.values(compositors)) c.setLowerThird(presenterLowerThird(atlas.persona));
  const frames: Buffer[] = [];
  for (const pose of poses) {
    for (const mode of MODES) {
      const started = cpuMs();
      const frame = compositors[mode].renderFrame(pose);
      composite[mode].push(cpuMs() - started);
      if (mode === 'partial') frames.push(frame);
    }
  }
  const outputPath = join(tmpdir(), `onair-bench-${randomBytes(4).toString('hex')}.mp4`);
  const wavPath = `${outputPath}.wav`;
  const writer = await Mp4ClipWriter.open({ ...size, fps: 30, outputPath, wavPath }, new Int16Array(BOUND_FRAMES * 1600));
  const started = performance.now();
  for (const frame of frames) await writer.writeFrame(frame);
  await writer.finish();
  const encodeMs = (performance.now() - started) / BOUND_FRAMES;
  frames.length = 0;
  await Promise.all([rm(outputPath, { force: true }), rm(wavPath, { force: true })]);
  for (const mode of MODES) console.log(formatSummary(`    compositor alone, ${mode} redraw, CPU per frame`, summarize(composite[mode])));
  const p50 = (mode: RedrawMode) => summarize(composite[mode]).p50;
  console.log(`    compositor full / partial: ${(p50('full') / p50('partial')).toFixed(2)}× at p50`);
  console.log(`    x264 encode alone (Mp4ClipWriter, ultrafast, 1 thread, + AAC): ${encodeMs.toFixed(2)} ms per frame, wall, ${BOUND_FRAMES} frames`);
  const bound = encodeMs > p50('partial') ? 'x264 (the encode)' : 'the compositor';
  console.log(`    bound with the partial redraw: ${bound}; with the full redraw: ${encodeMs > p50('full') ? 'x264 (the encode)' : 'the compositor'}`);
}

const throughput: Record<number, number> = {};
for (const workerCount of [1, 2]) {
  const { prefix, store } = isolated();
  const env = { REDIS_URL, QUEUE_PREFIX: prefix, ASSET_PREFIX: store.assetPrefix, ASSET_DIR: store.assetDir };
  const workers = await Promise.all(Array.from({ length: workerCount }, () => spawnWorker(env)));
  const connection = new Redis(REDIS_URL, { enableOfflineQueue: false });
  await new Promise((resolve) => connection.once('ready', resolve));
  const queues = new BatchQueues(connection, prefix, new PayloadReader(loadPersonas()), 30);
  // Warm each worker's sandbox child (process start, espeak init) outside the window.
  const warm = await Promise.all(workers.map((_, i) => queues.enqueue('clip-render', { persona: 'marcus', text: `Warm up ${i}.`, name: 'warm' })));
  await Promise.all(warm.map((job) => waitUntil(async () => (await queues.status('clip-render', job.id))?.state === 'completed', 60_000, 'warm-up')));
  const started = performance.now();
  const jobs = await Promise.all(Array.from({ length: CLIPS }, (_, i) => queues.enqueue('clip-render', { persona: 'ava', text: text(i), name: 'bench' })));
  const done = await Promise.all(jobs.map((job) => waitUntil(async () => {
    const status = await queues.status('clip-render', job.id);
    return status?.state === 'completed' && status;
  }, 300_000, 'a clip', 50)));
  const wallS = (performance.now() - started) / 1000;
  const audioS = done.reduce((n, s) => n + (s.result as { durationMs: number }).durationMs, 0) / 1000;
  throughput[workerCount] = audioS / wallS;
  console.log(`  ${workerCount} worker process${workerCount > 1 ? 'es' : ''}: ${CLIPS} clips (${audioS.toFixed(1)} s) in ${wallS.toFixed(1)} s → ${(CLIPS / wallS * 60).toFixed(1)} clips/min, ${(audioS / wallS).toFixed(1)}× real time`);
  await queues.close();
  connection.disconnect();
  await Promise.all(workers.map((w) => w.stop()));
}
console.log(`  2 workers / 1 worker throughput: ${(throughput[2]! / throughput[1]!).toFixed(2)}× (2 cores)`);
console.log('  targets: ≥ 10× real time at 360p, ≥ 4× at 720p per worker');
redis.disconnect();
process.exit(0);
