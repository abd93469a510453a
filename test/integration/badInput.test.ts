/**
 * Regressions from a bad-input run against the server (issue 13): each answered a client's
 * mistake with a 5xx, the wrong code, or not at all.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Socket } from 'socket.io-client';
import type { OnAir } from '../../server/OnAir.js';
import { listRoutes } from '../helpers/routes.js';
import { createShow, HOST_TOKEN, hostAuth, PRODUCER_TOKEN, producerAuth, startOnAir, whepPost } from '../helpers/startOnAir.js';
import { openSocket, send, viewerToken } from '../helpers/viewerSocket.js';

let onair: OnAir;
let showId: string;
const sockets: Socket[] = [];

before(async () => {
  // Ten joins per address, one more a second: few enough that spending them shows (the WHEP test).
  onair = await startOnAir({ VIEWER_JOIN_BURST: '10', VIEWER_JOINS_PER_SECOND: '1' });
  showId = await createShow(onair, 'bad input', { testCard: true });
});

after(async () => {
  for (const socket of sockets) socket.close();
  await onair.close();
});

async function expectError(response: Response, status: number, code: string) {
  const body = (await response.json()) as { error?: { code: string } };
  assert.equal(response.status, status, `${code}: ${JSON.stringify(body)}`);
  assert.equal(body.error?.code, code);
}

const api = (path: string, init: RequestInit = {}) => fetch(`${onair.url}${path}`, init);
const json = (method: string, body: unknown, headers: Record<string, string> = hostAuth): RequestInit => ({
  method,
  headers: { ...headers, 'content-type': 'application/json' },
  body: typeof body === 'string' ? body : JSON.stringify(body),
});

test('audit: a bad limit or before is a 400, not a 500', async () => {
  const audit = (query: string) => api(`/api/shows/${showId}/audit?${query}`, { headers: hostAuth });
  for (const query of ['limit=abc', 'limit=-1', 'limit=1.5', 'limit=1&limit=2', 'before=1-0&before=2-0', 'viewer=a%20b']) await expectError(await audit(query), 400, 'INVALID_REQUEST');
  for (const query of ['limit=0', 'limit=501', 'before=abc', 'before=-1']) await expectError(await audit(query), 400, 'INVALID_AUDIT_QUERY');
  assert.equal((await audit('limit=5&before=1-0')).status, 200);
});

test('rollout: resuming a running rollout or advancing a paused one is a 409 with its code', async () => {
  const step = (name: string) => api(`/api/shows/${showId}/experiment/${name}`, json('POST', {}));
  await expectError(await step('resume'), 409, 'ROLLOUT_NOT_PAUSED');
  assert.equal((await step('pause')).status, 200);
  await expectError(await step('advance'), 409, 'ROLLOUT_PAUSED');
  assert.equal((await step('resume')).status, 200);
  let advanced: Response;
  do advanced = await step('advance');
  while (advanced.status === 200);
  await expectError(advanced, 409, 'ROLLOUT_COMPLETE');
});

test('bull-board: a body that is not JSON, or not a JSON object, is a 400, not its own 500', async () => {
  // Found by the fuzzer: a JSON string with a raw NUL in it.
  const body = '"\u0000"';
  await expectError(await api('/admin/queues-view/api/queues/x/obliterate', { method: 'PUT', headers: { ...hostAuth, 'content-type': 'application/json' }, body }), 400, 'INVALID_JSON');
  await expectError(await api('/admin/queues/api/queues/x/pause', { method: 'PUT', headers: { ...producerAuth, 'content-type': 'application/json' }, body: '{"a":' }), 400, 'INVALID_JSON');
  // Found by the fuzzer too: valid JSON that is not an object (here a string holding a NUL) threw inside bull-board.
  for (const other of ['"\\u0000"', '[1]', 'null', '7']) {
    await expectError(await api('/admin/queues-view/api/queues/a%2Fb/add', { method: 'POST', headers: { ...hostAuth, 'content-type': 'application/json' }, body: other }), 400, 'INVALID_REQUEST');
  }
});

test('a job payload nested 4,000 deep is a 400, not a stack overflow answered as an outage', async () => {
  let deep: unknown = [];
  for (let i = 0; i < 4_000; i++) deep = [deep];
  await expectError(await api('/api/jobs/rig-prewarm', json('POST', { persona: deep }, producerAuth)), 400, 'BODY_TOO_DEEP');
  await expectError(await api('/api/jobs/voice-cache', json('POST', { persona: 'ava', phrases: deep }, producerAuth)), 400, 'BODY_TOO_DEEP');
  const token = await viewerToken(onair, showId);
  const socket = await openSocket(onair, '/viewer', token, sockets);
  const reply = await send(socket, 'join', { utm: deep });
  assert.equal(reply.ok ? 'ok' : reply.error.code, 'BODY_TOO_DEEP');
  assert.equal((await api('/healthz')).status, 200);
});

test('topic: NUL, C1 controls and bidirectional overrides are refused', async () => {
  const topic = (value: string) => api(`/api/shows/${showId}/topic`, json('PUT', { topic: value }));
  for (const value of ['cam\u0000eras', 'cam\u0085eras', 'cam\u202eeras', 'cam\u2066eras', ' ']) await expectError(await topic(value), 400, 'INVALID_TOPIC');
  assert.deepEqual(await (await topic('cameras')).json(), { topic: 'cameras' });
});

test('/viewer: the event budget is per viewer, shared by all its sockets', async () => {
  const token = await viewerToken(onair, showId);
  const tabs = await Promise.all(Array.from({ length: 10 }, () => openSocket(onair, '/viewer', token, sockets)));
  const replies = await Promise.all(tabs.flatMap((tab) => Array.from({ length: 4 }, () => send(tab, 'heartbeat', { watchMs: 1 }))));
  const limited = replies.filter((reply) => !reply.ok && reply.error.code === 'RATE_LIMITED').length;
  // A burst of 20 (and 10 a second) for the viewer, not for each of its ten sockets.
  assert.ok(limited >= 10, `${limited} of 40 events were rate-limited`);
});

test('DELETE /api/viewers/me names the calling viewer; a host has no "me"', async () => {
  await expectError(await api('/api/viewers/me', { method: 'DELETE', headers: hostAuth }), 400, 'INVALID_REQUEST');
  const token = await viewerToken(onair, showId);
  const erased = (await (await api('/api/viewers/me', { method: 'DELETE', headers: { authorization: `Bearer ${token}` } })).json()) as { viewerId: string };
  assert.equal(erased.viewerId, token.split('.')[1], 'the token names the viewer');
});

test('/host and /producer acknowledge an event they do not know', async () => {
  for (const [namespace, token] of [['/host', HOST_TOKEN], ['/producer', PRODUCER_TOKEN]] as const) {
    const socket = await openSocket(onair, namespace, token, sockets);
    const reply = await send(socket, 'no_such_event', {});
    assert.equal(reply.ok ? 'ok' : reply.error.code, 'UNKNOWN_EVENT', namespace);
  }
});

test('WHEP: hostile offers are refused before they cost a viewer token or stall the loop', async () => {
  const hostile = `v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n${'m=video 9 UDP/TLS/RTP/SAVPF 96\r\n'.repeat(1_000)}`;
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const startedAt = performance.now();
  const answers = await Promise.all(Array.from({ length: 10 }, () => whepPost(onair, showId, hostile)));
  const tookMs = performance.now() - startedAt;
  delay.disable();
  for (const answer of answers) await expectError(answer, 400, 'INVALID_SDP');
  assert.ok(tookMs < 2_000, `ten hostile offers took ${Math.round(tookMs)} ms`);
  assert.ok(delay.max < 500e6, `the event loop stalled for ${Math.round(delay.max / 1e6)} ms`);
  // Ten joins per address: the refused offers spent none of them.
  assert.equal((await api(`/api/shows/${showId}/viewers`, { method: 'POST' })).status, 201);
});

test('authentication comes before parsing and validation on every route that needs a token', async () => {
  // The anonymous join is the one /api route without a token; WHEP, HLS and pages are public.
  const guarded = listRoutes(onair.app).filter(({ method, url }) => /^\/(api|admin|recordings)\//.test(url) && !url.includes('*') && !(method === 'POST' && url === '/api/shows/:id/viewers'));
  assert.ok(guarded.length > 40, `found ${guarded.length} routes`);
  const refused: string[] = [];
  for (const { method, url } of guarded) {
    const path = url.replace(/:\w+/g, 'x').replace('*', 'x');
    const hasBody = !['GET', 'HEAD', 'OPTIONS'].includes(method);
    const response = await api(`${path}?limit=abc`, { method, ...(hasBody && { headers: { 'content-type': 'application/json' }, body: '{"not json' }) });
    if (response.status !== 401) refused.push(`${method} ${url}: ${response.status} ${await response.text()}`);
  }
  assert.deepEqual(refused, []);
});
