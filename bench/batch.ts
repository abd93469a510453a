/**
 * bench:batch — clip render speed as a multiple of real time, per worker, at 360p and 720p
 * (TTS → animation → frames → MP4 + spliceable tracks, the whole job), then throughput of
 * the same clip load on one worker process against two, against one real Redis.
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
import { loadPersonas } from '../pipeline/persona/index.js';
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

for (const resolution of ['360p', '720p'] as Resolution[]) {
  const { store } = isolated();
  const ctx = await createJobContext(redis, store);
  await processClipRender({ data: { persona: 'ava', text: 'Warm up.', resolution }, updateProgress: async () => undefined }, ctx);
  const speed: number[] = [];
  let audioMs = 0;
  let wallMs = 0;
  for (let i = 0; i < CLIPS; i++) {
    const started = performance.now();
    const result = await processClipRender({ data: { persona: 'ava', text: text(i), resolution }, updateProgress: async () => undefined }, ctx);
    const elapsed = performance.now() - started;
    speed.push(result.durationMs / elapsed);
    audioMs += result.durationMs;
    wallMs += elapsed;
  }
  await ctx.close();
  console.log(formatSummary(`  ${resolution} render, × real time per clip (one worker, in-process)`, summarize(speed), '×'));
  console.log(`    total: ${(audioMs / 1000).toFixed(1)} s of clips in ${(wallMs / 1000).toFixed(1)} s = ${(audioMs / wallMs).toFixed(1)}× real time`);
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
