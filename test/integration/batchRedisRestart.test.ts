import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import type { OnAir } from '../../server/OnAir.js';
import { privateRedis, spawnWorker, waitUntil, type PrivateRedis, type WorkerProcess } from '../helpers/batch.js';
import { createShow, hostAuth, producerAuth, startOnAir } from '../helpers/startOnAir.js';

let redis: PrivateRedis | undefined;
let onair: OnAir | undefined;
let worker: WorkerProcess | undefined;

after(async () => {
  await worker?.stop();
  await onair?.close();
  await redis?.stop();
});

const post = (path: string, body: unknown, auth = producerAuth) =>
  fetch(`${onair!.url}${path}`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify(body) });

test('Redis restarts with jobs queued: none is lost, and the live show keeps streaming meanwhile', async () => {
  redis = await privateRedis();
  onair = await startOnAir({ REDIS_URL: redis.url });
  const showId = await createShow(onair, 'through a Redis restart');
  const ids: string[] = [];
  for (const phrase of ['One.', 'Two.', 'Three.', 'Four.', 'Five.']) {
    const response = await post('/api/jobs/voice-cache', { persona: 'ava', phrases: [phrase] });
    assert.equal(response.status, 202);
    ids.push(((await response.json()) as { id: string }).id);
  }

  await redis.stop();
  const before = { frames: onair.shows.live(showId)!.lane.stats.framesProduced, packets: ingestPackets(onair) };
  const refused = await post('/api/jobs/voice-cache', { persona: 'ava', phrases: ['Six.'] });
  assert.equal(refused.status, 503, 'an enqueue during the outage is refused, not silently dropped');
  assert.equal(((await refused.json()) as { error: { code: string } }).error.code, 'QUEUE_UNAVAILABLE');
  const cue = (await (await post(`/api/shows/${showId}/cues`, { text: 'Still on air without Redis.' }, hostAuth)).json()) as { id: string };
  await waitUntil(() => onair!.shows.live(showId)!.cues!.get(cue.id)?.state === 'speaking', 10_000, 'the cue to be spoken without Redis');
  await new Promise((r) => setTimeout(r, 1_000));
  assert.ok(onair.shows.live(showId)!.lane.stats.framesProduced - before.frames >= 25, 'frames kept coming');
  assert.ok(ingestPackets(onair) - before.packets > 50, 'RTP kept reaching the SFU');

  await redis.start();
  worker = await spawnWorker({
    REDIS_URL: redis.url,
    QUEUE_PREFIX: onair.config.batch.queuePrefix,
    ASSET_PREFIX: onair.config.batch.store.assetPrefix,
    ASSET_DIR: onair.config.batch.store.assetDir,
  });
  for (const id of ids) {
    const job = await waitUntil(async () => {
      const response = await fetch(`${onair!.url}/api/jobs/voice-cache/${id}`, { headers: producerAuth });
      const body = (await response.json()) as { state?: string };
      return response.status === 200 && ['completed', 'failed'].includes(body.state ?? '') && body;
    }, 30_000, `job ${id} after the restart`);
    assert.equal(job.state, 'completed');
  }
});

function ingestPackets(server: OnAir): number {
  return server.sfu.stats().ingests.reduce((n, i) => n + i.videoPackets + i.audioPackets, 0);
}
