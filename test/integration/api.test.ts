import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import type { OnAir } from '../../server/OnAir.js';
import { WeriftViewer } from '../helpers/weriftViewer.js';
import { createShow, hostAuth, producerAuth, startOnAir, whepPost } from '../helpers/startOnAir.js';

let onair: OnAir;
let showId: string;
const viewers: WeriftViewer[] = [];

before(async () => {
  onair = await startOnAir({ MAX_VIEWERS_PER_SHOW: '2' });
  showId = await createShow(onair);
});

after(async () => {
  await Promise.all(viewers.map((v) => v.close()));
  await onair.close();
});

async function json(response: Response) {
  return (await response.json()) as { error?: { code: string; message: string } } & Record<string, unknown>;
}

async function expectError(response: Response, status: number, code: string) {
  const body = await json(response);
  assert.equal(response.status, status, `${code}: ${JSON.stringify(body)}`);
  assert.equal(body.error?.code, code);
  assert.ok(body.error?.message, 'a readable message');
}

async function offer(): Promise<string> {
  const viewer = new WeriftViewer({ keepPackets: false });
  viewers.push(viewer);
  return viewer.createOffer();
}

test('liveness and readiness report Redis, encoder and SFU', async () => {
  assert.deepEqual(await (await fetch(`${onair.url}/healthz`)).json(), { status: 'ok' });
  const ready = await json(await fetch(`${onair.url}/readyz`, { headers: hostAuth }));
  assert.equal(ready.ready, true);
  assert.deepEqual(ready.redis, { ok: true, status: 'ready' });
  assert.equal((ready.encoder as { name: string }).name, 'libx264');
  assert.equal((ready.sfu as { ok: boolean }).ok, true);
  assert.equal((ready.sfu as { backend: string }).backend, process.env.SFU_BACKEND ?? 'mediasoup');
});

test('/metrics passes promtool check metrics and has OnAir series', async () => {
  const text = await (await fetch(`${onair.url}/metrics`, { headers: producerAuth })).text();
  assert.match(text, /^process_cpu_seconds_total /m);
  assert.match(text, /^onair_ingest_packets_total\{show="[0-9a-f]+",kind="video"\} \d+/m);
  assert.match(text, /^onair_encoder_info\{encoder="libx264",hardware="false"\} 1/m);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'onair-metrics-'));
  const file = path.join(dir, 'metrics.txt');
  await writeFile(file, text);
  const { stdout, stderr } = await promisify(execFile)('sh', ['-c', `promtool check metrics < "${file}"`]);
  assert.equal((stdout + stderr).trim(), '', 'promtool reports no problems');
});

test('roles: host actions refuse no token, viewer tokens, producer tokens and bad tokens', async () => {
  const viewerToken = ((await json(await fetch(`${onair.url}/api/shows/${showId}/viewers`, { method: 'POST' }))).token) as string;
  const create = (headers: Record<string, string>) =>
    fetch(`${onair.url}/api/shows`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: '{}' });
  await expectError(await create({}), 401, 'AUTH_REQUIRED');
  await expectError(await create({ authorization: `Bearer ${viewerToken}` }), 403, 'FORBIDDEN_ROLE');
  await expectError(await create(producerAuth), 403, 'FORBIDDEN_ROLE');
  await expectError(await create({ authorization: 'Bearer not-a-real-token' }), 401, 'AUTH_INVALID');
  await expectError(await create({ authorization: 'Basic abc' }), 401, 'AUTH_INVALID');
  await expectError(await fetch(`${onair.url}/api/shows/${showId}`, { method: 'DELETE', headers: { authorization: `Bearer ${viewerToken}` } }), 403, 'FORBIDDEN_ROLE');
  await expectError(await fetch(`${onair.url}/api/shows`), 401, 'AUTH_REQUIRED');
  assert.equal((await fetch(`${onair.url}/api/shows`, { headers: producerAuth })).status, 200, 'producers may read');
});

test('shows: several run at once, each with state; an ended show says so', async () => {
  const second = await createShow(onair, 'second show');
  const state = await json(await fetch(`${onair.url}/api/shows/${second}`, { headers: hostAuth }));
  assert.equal(state.state, 'live');
  assert.equal(state.title, 'second show');
  const list = await json(await fetch(`${onair.url}/api/shows`, { headers: hostAuth }));
  assert.ok((list.shows as Array<{ id: string }>).some((s) => s.id === showId));
  const ended = await json(await fetch(`${onair.url}/api/shows/${second}`, { method: 'DELETE', headers: hostAuth }));
  assert.equal(ended.state, 'ended');
  const after = await json(await fetch(`${onair.url}/api/shows/${second}`, { headers: hostAuth }));
  assert.equal(after.state, 'ended', 'ended shows stay queryable from Redis');
  await expectError(await whepPost(onair, second, await offer()), 409, 'SHOW_ENDED');
  await expectError(await fetch(`${onair.url}/api/shows/${second}`, { method: 'DELETE', headers: hostAuth }), 409, 'SHOW_ENDED');
  await expectError(await fetch(`${onair.url}/api/shows/zzzzzzzz`, { headers: hostAuth }), 404, 'SHOW_NOT_FOUND');
});

test('create-show input is validated', async () => {
  const post = (body: string) =>
    fetch(`${onair.url}/api/shows`, { method: 'POST', headers: { ...hostAuth, 'content-type': 'application/json' }, body });
  await expectError(await post('{"title": 5}'), 400, 'INVALID_REQUEST');
  await expectError(await post('{"title": "x", "extra": 1}'), 400, 'INVALID_REQUEST');
  await expectError(await post('{"title": "bell\\u0007"}'), 400, 'INVALID_REQUEST');
  await expectError(await post('{not json'), 400, 'INVALID_JSON');
  await expectError(await post(JSON.stringify({ title: 'x'.repeat(10_000) })), 413, 'BODY_TOO_LARGE');
});

test('WHEP: a good offer gets 201, an SDP answer, a Location and a viewer token', async () => {
  const response = await whepPost(onair, showId, await offer());
  assert.equal(response.status, 201);
  assert.equal(response.headers.get('content-type'), 'application/sdp');
  assert.match(response.headers.get('location') ?? '', new RegExp(`^/whep/${showId}/sessions/[0-9a-f]{32}$`));
  assert.match(response.headers.get('x-onair-viewer-token') ?? '', /^v2\./);
  const answer = await response.text();
  assert.match(answer, /^v=0/);
  assert.match(answer, /a=rtpmap:\d+ H264\/90000/);
  assert.match(answer, /packetization-mode=1/);
  assert.match(answer, /a=rtpmap:\d+ opus\/48000/);
  assert.match(answer, /a=candidate:.* 127\.0\.0\.1 /);
  const del = await fetch(`${onair.url}${response.headers.get('location')}`, { method: 'DELETE' });
  assert.equal(del.status, 204);
});

test('WHEP bad input: each gets a clear 4xx with a stable code and the server keeps running', async () => {
  await expectError(await whepPost(onair, showId, ''), 400, 'INVALID_SDP');
  await expectError(await whepPost(onair, showId, 'hello, this is not SDP'), 400, 'INVALID_SDP');
  await expectError(await whepPost(onair, showId, 'v=0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\n'), 400, 'INVALID_SDP');
  const vp8Only = (await offer()).replace(/H264/g, 'H265');
  await expectError(await whepPost(onair, showId, vp8Only), 400, 'NO_COMMON_CODEC');
  await expectError(await whepPost(onair, showId, await offer(), { 'content-type': 'application/json' }), 415, 'UNSUPPORTED_MEDIA_TYPE');
  await expectError(await whepPost(onair, showId, await offer(), { 'content-type': 'text/plain' }), 415, 'UNSUPPORTED_MEDIA_TYPE');
  await expectError(await whepPost(onair, 'nosuchshow1', await offer()), 404, 'SHOW_NOT_FOUND');
  await expectError(await whepPost(onair, '../../etc', await offer()), 404, 'ROUTE_NOT_FOUND');
  await expectError(await whepPost(onair, showId, 'v=0\r\n' + 'a=x\r\n'.repeat(20_000)), 413, 'BODY_TOO_LARGE');
  const good = await offer();
  const extraVideo = good.slice(good.indexOf('m=video'), good.indexOf('m=audio'));
  const startedAt = performance.now();
  await expectError(await whepPost(onair, showId, good + extraVideo.repeat(3)), 400, 'TOO_MANY_MEDIA');
  await expectError(await whepPost(onair, showId, good + 'a=x-padding\r\n'.repeat(1_200)), 400, 'INVALID_SDP');
  await expectError(await whepPost(onair, showId, good.replace(/a=fingerprint:.*\r\n/g, '')), 400, 'INVALID_SDP');
  await expectError(await whepPost(onair, showId, good.replace(/a=rtpmap:(\d+) opus/gi, 'a=rtpmap:$1 speex')), 400, 'NO_COMMON_CODEC');
  await expectError(await whepPost(onair, showId, good.replace(/packetization-mode=1/g, 'packetization-mode=0')), 400, 'NO_COMMON_CODEC');
  assert.ok(performance.now() - startedAt < 2_000, 'bad offers are answered in bounded time');
  const healthy = await fetch(`${onair.url}/healthz`);
  assert.equal(healthy.status, 200);
});

test('WHEP: the per-show viewer cap, foreign sessions and unknown sessions', async () => {
  const first = await whepPost(onair, showId, await offer());
  const second = await whepPost(onair, showId, await offer());
  assert.equal(first.status, 201);
  assert.equal(second.status, 201);
  const third = await whepPost(onair, showId, await offer());
  await expectError(third, 429, 'VIEWER_LIMIT');

  const otherToken = second.headers.get('x-onair-viewer-token')!;
  const firstLocation = first.headers.get('location')!;
  const foreign = await fetch(`${onair.url}${firstLocation}`, { method: 'DELETE', headers: { authorization: `Bearer ${otherToken}` } });
  await expectError(foreign, 403, 'SESSION_NOT_OWNED');
  await expectError(await fetch(`${onair.url}/whep/${showId}/sessions/${'0'.repeat(32)}`, { method: 'DELETE' }), 404, 'SESSION_NOT_FOUND');
  await expectError(
    await fetch(`${onair.url}${firstLocation}`, { method: 'PATCH', headers: { 'content-type': 'application/trickle-ice-sdpfrag' }, body: 'a=x' }),
    405,
    'TRICKLE_UNSUPPORTED',
  );
  const firstToken = first.headers.get('x-onair-viewer-token')!;
  const own = await fetch(`${onair.url}${firstLocation}`, { method: 'DELETE', headers: { authorization: `Bearer ${firstToken}` } });
  assert.equal(own.status, 204);
  const again = await fetch(`${onair.url}${second.headers.get('location')}`, { method: 'DELETE', headers: hostAuth });
  assert.equal(again.status, 204, 'a host may end any session');
  assert.equal(onair.sfu.viewerCount(showId), 0);
});

test('a viewer token for one show cannot join another', async () => {
  const other = await createShow(onair, 'other');
  const token = ((await json(await fetch(`${onair.url}/api/shows/${other}/viewers`, { method: 'POST' }))).token) as string;
  await expectError(await whepPost(onair, showId, await offer(), { authorization: `Bearer ${token}` }), 403, 'TOKEN_WRONG_SHOW');
  await expectError(await whepPost(onair, showId, await offer(), { authorization: `Bearer v1.a.${showId}.99999999999999.forged` }), 401, 'AUTH_INVALID');
});

test('pages are served with a strict Content-Security-Policy', async () => {
  const page = await fetch(`${onair.url}/watch/${showId}`);
  assert.equal(page.status, 200);
  const csp = page.headers.get('content-security-policy') ?? '';
  assert.match(csp, /script-src 'self'/);
  assert.doesNotMatch(csp, /unsafe-inline/);
  assert.equal((await fetch(`${onair.url}/client/../package.json`)).status, 404);
});

test('OPTIONS /whep says the header extension ids the SFU sends with where they are fixed (mediasoup), for pages to offer', async () => {
  const extmap = (await fetch(`${onair.url}/whep/${showId}`, { method: 'OPTIONS' })).headers.get('x-onair-extmap');
  if (onair.sfu.backend === 'werift') return assert.equal(extmap, null, 'werift takes the offer\'s ids');
  const ids = new Map(extmap!.split(', ').map((entry) => entry.split(' ').reverse() as [string, string]));
  assert.equal(ids.get('http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01'), '5');
  assert.equal(ids.get('urn:ietf:params:rtp-hdrext:sdes:mid'), '1');
  assert.equal(new Set(ids.values()).size, ids.size, 'one id per extension');
});
