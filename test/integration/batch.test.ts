import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Queue } from 'bullmq';
import type { OnAir } from '../../server/OnAir.js';
import { spawnWorker, waitUntil, type WorkerProcess } from '../helpers/batch.js';
import { createShow, hostAuth, producerAuth, startOnAir } from '../helpers/startOnAir.js';

let onair: OnAir;
let worker: WorkerProcess;
let batchEnv: Record<string, string>;
const workers: WorkerProcess[] = [];

before(async () => {
  onair = await startOnAir();
  const { batch } = onair.config;
  batchEnv = {
    REDIS_URL: onair.redis.url,
    QUEUE_PREFIX: batch.queuePrefix,
    ASSET_PREFIX: batch.store.assetPrefix,
    ASSET_DIR: batch.store.assetDir,
    WORKER_STALLED_INTERVAL_MS: '1000',
    WORKER_LOCK_DURATION_MS: '2000',
  };
  worker = await spawnWorker(batchEnv);
  workers.push(worker);
});

after(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  await onair?.close();
});

async function api<T = Record<string, unknown>>(method: string, path: string, body?: unknown, auth = producerAuth): Promise<{ status: number; body: T }> {
  const response = await fetch(`${onair.url}${path}`, {
    method,
    headers: { ...auth, ...(body !== undefined && { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as T };
}

interface Job {
  id: string;
  state: string;
  progress: number;
  attemptsMade: number;
  attemptsStarted: number;
  result?: { asset: string; voiceAsset: string; durationMs: number };
  failedReason?: string;
  children?: { done: number; total: number };
}

const finished = (queue: string, id: string, timeoutMs = 60_000) =>
  waitUntil(async () => {
    const { body } = await api<Job>('GET', `/api/jobs/${queue}/${id}`);
    return ['completed', 'failed'].includes(body.state) && body;
  }, timeoutMs, `${queue} job ${id} to finish`);

test('a clip renders to an MP4 preview plus spliceable tracks, in a worker process', async () => {
  const text = 'Welcome back to the lab. Today we test the new lens.';
  const enqueued = await api<Job>('POST', '/api/jobs/clip-render', { persona: 'ava', text, name: 'intro' });
  assert.equal(enqueued.status, 202);
  const job = await finished('clip-render', enqueued.body.id);
  assert.equal(job.state, 'completed', job.failedReason ?? '');
  assert.equal(job.progress, 100);

  const asset = (await api<{ files: Record<string, number>; kind: string }>('GET', `/api/assets/${job.result!.asset}`)).body;
  assert.equal(asset.kind, 'clip');
  assert.ok(asset.files['preview.mp4']! > 10_000 && asset.files['utterance.oau']! > 10_000);
  const mp4 = join(onair.config.batch.store.assetDir, job.result!.asset.slice(0, 2), job.result!.asset, 'preview.mp4');
  const probe = JSON.parse(execFileSync('ffprobe', ['-v', 'error', '-show_streams', '-show_format', '-of', 'json', mp4]).toString());
  assert.deepEqual(probe.streams.map((s: { codec_name: string }) => s.codec_name).sort(), ['aac', 'h264']);
  assert.ok(Math.abs(Number(probe.format.duration) * 1000 - job.result!.durationMs) < 150, `duration ${probe.format.duration}s vs ${job.result!.durationMs} ms`);
  const preview = await fetch(`${onair.url}/api/assets/${job.result!.asset}/preview`, { headers: producerAuth });
  assert.equal(preview.headers.get('content-type'), 'video/mp4');
  assert.equal((await preview.arrayBuffer()).byteLength, asset.files['preview.mp4']);

  const again = await api<Job>('POST', '/api/jobs/clip-render', { persona: 'ava', text, name: 'intro' });
  const second = await finished('clip-render', again.body.id);
  assert.equal(second.result!.asset, job.result!.asset, 'the same inputs address the same asset');
  assert.equal((await api<{ assets: unknown[] }>('GET', '/api/assets?kind=clip')).body.assets.length, 1, 'one asset, not two');
});

test('bad job input gets a clear 400 at the API, and a failed job without retries in the worker', async () => {
  const cases: Array<[unknown, string]> = [
    [{ persona: 'ava', text: 'hi', name: '../../etc/passwd' }, 'ASSET_NAME_INVALID'],
    [{ persona: 'ava', text: 'x'.repeat(5_000), name: 'huge' }, 'TEXT_TOO_LONG'],
    [{ persona: 'nobody', text: 'hi', name: 'x' }, 'PERSONA_UNKNOWN'],
    [{ persona: 'ava', text: 42, extra: true }, 'PAYLOAD_INVALID'],
    [['not', 'an', 'object'], 'PAYLOAD_INVALID'],
  ];
  for (const [body, code] of cases) {
    const response = await api<{ error: { code: string } }>('POST', '/api/jobs/clip-render', body);
    assert.equal(response.status, 400, JSON.stringify(body).slice(0, 60));
    assert.equal(response.body.error.code, code);
  }
  assert.equal((await api('POST', '/api/jobs/clip-render', { persona: 'ava', text: 'hi' }, hostAuth)).status, 403, 'hosts do not enqueue');
  assert.equal((await api('GET', '/api/jobs/nope/1')).status, 404);

  // Straight into Redis, as another producer might: the worker must fail them, not crash.
  const queue = new Queue('clip-render', { connection: { url: onair.redis.url }, prefix: onair.config.batch.queuePrefix });
  try {
    const bad = await Promise.all(cases.map(([data]) => queue.add('clip-render', data, { attempts: 3, backoff: { type: 'fixed', delay: 100 } })));
    for (const [i, job] of bad.entries()) {
      const result = await finished('clip-render', job.id!);
      assert.equal(result.state, 'failed');
      assert.equal(result.attemptsStarted, 1, 'an unrecoverable payload is not retried');
      assert.match(result.failedReason!, new RegExp(cases[i]![1]));
    }
  } finally {
    await queue.close();
  }
  const good = await api<Job>('POST', '/api/jobs/voice-cache', { persona: 'ava', phrases: ['Still here.'] });
  assert.equal((await finished('voice-cache', good.body.id)).state, 'completed', 'the worker survived');
});

test('a worker killed mid-render: the job is recovered as stalled and finished by another, once', async () => {
  const victim = worker;
  const text = 'This clip is long enough to be killed in the middle of its render. '.repeat(4).trim();
  const { body } = await api<Job>('POST', '/api/jobs/clip-render', { persona: 'marcus', text, name: 'long', resolution: '720p' });
  await waitUntil(async () => (await api<Job>('GET', `/api/jobs/clip-render/${body.id}`)).body.progress > 0, 30_000, 'the render to start');
  victim.killHard();
  worker = await spawnWorker(batchEnv);
  workers.push(worker);
  const job = await finished('clip-render', body.id, 90_000);
  assert.equal(job.state, 'completed', job.failedReason ?? '');
  assert.ok(worker.output.some((l) => l.includes('"job completed"') && l.includes(`"jobId":"${body.id}"`)), 'the new worker finished it');
  const clips = (await api<{ assets: Array<{ key: string }> }>('GET', '/api/assets?kind=clip')).body.assets.filter((a) => a.key === job.result!.asset);
  assert.equal(clips.length, 1);
  const tmp = readdirSync(join(onair.config.batch.store.assetDir, 'tmp'));
  assert.deepEqual(tmp, [], 'the killed render left no partial file');
});

test('a cue whose text the batch lane cached is spliced in instead of synthesized', async () => {
  const showId = await createShow(onair, 'splice');
  const cached = 'Thanks for joining us today.';
  const prep = await api<Job>('POST', '/api/jobs/show-prep', { showId, personas: ['ava'], phrases: [{ persona: 'ava', text: cached }] });
  assert.equal(prep.status, 202);
  await waitUntil(async () => (await api<{ ready: boolean }>('GET', `/api/shows/${showId}/prep`, undefined, hostAuth)).body.ready, 30_000, 'the show prep');
  const readiness = (await api<{ prep: Job }>('GET', `/api/shows/${showId}/prep`, undefined, hostAuth)).body.prep;
  assert.deepEqual(readiness.children, { done: 2, failed: 0, total: 2 });

  const say = async (text: string) => {
    const cue = await api<{ id: string }>('POST', `/api/shows/${showId}/cues`, { text }, hostAuth);
    return waitUntil(async () => {
      const { body } = await api<{ state: string; speechSource: string }>('GET', `/api/shows/${showId}/cues/${cue.body.id}`, undefined, hostAuth);
      return body.state !== 'queued' && body;
    }, 15_000, 'the cue to be spoken');
  };
  const first = await say(cached);
  const lookups = (await (await fetch(`${onair.url}/metrics`, { headers: producerAuth })).text()).split('\n').filter((l) => l.startsWith('onair_speech_cache'));
  assert.equal(first.speechSource, 'cache', JSON.stringify({ first, lookups }));
  assert.equal((await say(`${cached} And now, something new.`)).speechSource, 'partial-cache');
  assert.equal((await say('Nothing here was cached.')).speechSource, 'tts');
  const metrics = await (await fetch(`${onair.url}/metrics`, { headers: producerAuth })).text();
  assert.match(metrics, /onair_speech_cache_lookups_total\{show="[0-9a-f]{12}",result="hit"\} 1/);
  assert.match(metrics, /onair_speech_cache_lookups_total\{show="[0-9a-f]{12}",result="partial"\} 1/);
});

test('a show without prewarmed rigs builds them on demand and asks for a prewarm; the next show uses it', async () => {
  const before = { ...onair.shows.list()[0] && {}, ...(await rigLoads()) };
  await createShow(onair, 'first');
  const afterFirst = await rigLoads();
  assert.ok(afterFirst.built_on_demand > before.built_on_demand);
  await waitUntil(async () => (await api<{ assets: unknown[] }>('GET', '/api/assets?kind=rig')).body.assets.length >= 3, 30_000, 'rig prewarms for every persona');
  await createShow(onair, 'second');
  const afterSecond = await rigLoads();
  assert.ok(afterSecond.prewarmed >= 3, `prewarmed rigs used: ${JSON.stringify(afterSecond)}`);
});

async function rigLoads(): Promise<{ prewarmed: number; built_on_demand: number }> {
  const text = await (await fetch(`${onair.url}/metrics`, { headers: producerAuth })).text();
  const read = (source: string) => Number(new RegExp(`onair_rig_loads_total\\{source="${source}"\\} (\\d+)`).exec(text)?.[1] ?? 0);
  return { prewarmed: read('prewarmed'), built_on_demand: read('built_on_demand') };
}

test('cancelling a waiting job removes it; retrying a failed one runs it again', async () => {
  await worker.stop();
  const waiting = await api<Job>('POST', '/api/jobs/voice-cache', { persona: 'lucia', phrases: ['Hola a todos.'] });
  assert.deepEqual((await api('DELETE', `/api/jobs/voice-cache/${waiting.body.id}`)).body, { cancelled: 'removed' });
  assert.equal((await api('GET', `/api/jobs/voice-cache/${waiting.body.id}`)).status, 404);
  worker = await spawnWorker(batchEnv);
  workers.push(worker);
  const failed = await finished('clip-render', (await new Queue('clip-render', { connection: { url: onair.redis.url }, prefix: onair.config.batch.queuePrefix }).add('x', { persona: 'ghost', text: 'hi' })).id!);
  assert.equal(failed.state, 'failed');
  const retried = await api<Job>('POST', `/api/jobs/clip-render/${failed.id}/retry`);
  assert.equal(retried.status, 200);
  assert.equal((await finished('clip-render', failed.id)).attemptsMade >= 1, true);
});
