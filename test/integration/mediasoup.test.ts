import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { OnAir } from '../../server/OnAir.js';
import { MediasoupSfu } from '../../server/sfu/mediasoup/MediasoupSfu.js';
import { createShow, hostAuth, startOnAir, whepPost } from '../helpers/startOnAir.js';
import { WeriftViewer } from '../helpers/weriftViewer.js';

let onair: OnAir;
let sfu: MediasoupSfu;
const viewers: WeriftViewer[] = [];

before(async () => {
  onair = await startOnAir({ SFU_BACKEND: 'mediasoup', SFU_WORKERS: '2' });
  assert.ok(onair.sfu instanceof MediasoupSfu, 'the mediasoup backend runs');
  sfu = onair.sfu;
});

after(async () => {
  await Promise.all(viewers.map((v) => v.close()));
  await onair.close();
});

async function join(showId: string, options: ConstructorParameters<typeof WeriftViewer>[0] = {}): Promise<WeriftViewer> {
  const viewer = new WeriftViewer({ keepPackets: false, ...options });
  viewers.push(viewer);
  const response = await whepPost(onair, showId, await viewer.createOffer());
  assert.equal(response.status, 201, await response.clone().text());
  await viewer.acceptAnswer(await response.text());
  return viewer;
}

async function routerCounts(): Promise<number[]> {
  return (await sfu.dump()).map((w) => w.routerIds.length);
}

test('viewers spread over both workers; each worker pipes the show once; ending the show leaves nothing behind', async () => {
  const showId = await createShow(onair, 'pipes', { testCard: true });
  const group = await Promise.all(Array.from({ length: 6 }, () => join(showId)));
  await Promise.all(group.map((v) => v.waitFor(() => v.counts.video >= 30 && v.counts.audio >= 25, 20_000, 'video and audio')));
  assert.deepEqual(sfu.stats().shards.map((s) => s.viewers), [3, 3]);
  // The origin router plus one viewer router per worker (all six viewers offer the same payload types).
  assert.deepEqual((await routerCounts()).reduce((a, b) => a + b), 3);
  const keyframeRequests = sfu.stats().pliReceived;
  assert.ok(keyframeRequests > 0, 'new consumers asked the encoder for a keyframe');
  const info = (await (await fetch(`${onair.url}/api/shows/${showId}`, { headers: hostAuth })).json()) as { encoder: { keyframesRequested: number } };
  assert.ok(info.encoder.keyframesRequested > 0, 'and it made them');

  assert.equal((await fetch(`${onair.url}/api/shows/${showId}`, { method: 'DELETE', headers: hostAuth })).status, 200);
  for (const { index, routerIds, webRtcTransportIds } of await sfu.dump()) {
    assert.deepEqual(routerIds, [], `worker ${index} holds no router`);
    assert.deepEqual(webRtcTransportIds, [], `worker ${index}'s WebRtcServer holds no transport`);
  }
  assert.equal(sfu.stats().viewers, 0);
  await Promise.all(group.map((v) => v.close()));
});

test('a viewer keeps the payload types it offered, whatever the router numbered them', async () => {
  const showId = await createShow(onair, 'profiles', { testCard: true });
  const a = await join(showId);
  const b = new WeriftViewer({ keepPackets: false });
  viewers.push(b);
  const offered = await b.createOffer();
  const pt = /^a=rtpmap:(\d+) H264\/90000/m.exec(offered)![1]!;
  // The same viewer, with its H264 payload type renumbered as another browser might number it.
  const renumbered = offered.replace(new RegExp(`^(m=video \\S+ \\S+ .*)\\b${pt}\\b|^(a=(?:rtpmap|fmtp|rtcp-fb):)${pt}\\b`, 'gm'), (_m, mLine, attr) =>
    mLine ? `${mLine}120` : `${attr}120`,
  );
  assert.match(renumbered, /^a=rtpmap:120 H264\/90000/m);
  const response = await whepPost(onair, showId, renumbered);
  assert.equal(response.status, 201);
  const answer = await response.text();
  assert.match(answer, /^a=rtpmap:120 H264\/90000/m, 'the answer keeps the offer’s payload type');
  assert.doesNotMatch(answer, new RegExp(`^a=rtpmap:${pt} `, 'm'));
  await a.waitFor(() => a.counts.video > 30, 15_000, 'video at the viewer with the usual numbers');
  await fetch(`${onair.url}/api/shows/${showId}`, { method: 'DELETE', headers: hostAuth });
});

test('a killed mediasoup worker is logged and replaced, its routers rebuilt, and a new viewer plays within 3 s', async () => {
  const showId = await createShow(onair, 'worker kill', { testCard: true });
  const first = await join(showId);
  await first.waitFor(() => first.counts.video > 30, 15_000, 'video before the kill');
  const failures: string[] = [];
  sfu.on('failure', (message) => failures.push(message));
  const closed: string[] = [];
  sfu.on('viewerstatechange', (sessionId, state) => state === 'closed' && closed.push(sessionId));
  // Kill the worker that holds the show's origin: the hardest case (every viewer loses its pipe).
  const index = sfu.originWorkerOf(showId)!;
  const origin = { index, pid: sfu.workerPids()[index]! };
  const killedAt = performance.now();
  process.kill(origin.pid, 'SIGKILL');
  await first.waitFor(() => failures.length > 0 && closed.length > 0, 3_000, 'the failure and the closed session');
  assert.match(failures[0]!, new RegExp(`mediasoup worker ${origin.index} \\(pid ${origin.pid}\\) died`));
  await first.waitFor(() => sfu.workerPids()[origin.index] !== origin.pid && sfu.originWorkerOf(showId) !== undefined, 2_000, 'a new worker in the dead one’s place');
  const again = await join(showId);
  await again.waitFor(() => again.counts.video > 5 && again.counts.audio > 5, 3_000, 'media after the kill');
  const recoveredMs = performance.now() - killedAt;
  console.log(`worker kill: a new viewer played ${recoveredMs.toFixed(0)} ms after the SIGKILL`);
  assert.ok(recoveredMs < 3_000, `recovered in ${recoveredMs.toFixed(0)} ms`);
  assert.equal((await fetch(`${onair.url}/readyz`)).status, 200, 'the server keeps running');
  assert.equal((await sfu.dump()).length, 2, 'both workers answer');
  await fetch(`${onair.url}/api/shows/${showId}`, { method: 'DELETE', headers: hostAuth });
});
