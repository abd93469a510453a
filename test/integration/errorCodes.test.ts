/**
 * Every code the catalogue says a client can cause, caused by a client: over HTTP with the
 * catalogue's status, or in a socket acknowledgement. A `client` code added to
 * server/http/errorStatus.ts without a way to reach it here fails the first test; codes marked
 * `server` (faults, files, configuration) are skipped, and the catalogue says why each is one.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { UnrecoverableError, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { Socket } from 'socket.io-client';
import { ERROR_CODES } from '../../server/http/errorStatus.js';
import type { OnAir } from '../../server/OnAir.js';
import { waitUntil } from '../helpers/batch.js';
import { createShow, HOST_TOKEN, hostAuth, producerAuth, startOnAir, whepPost } from '../helpers/startOnAir.js';
import { openSocket, send, viewerToken } from '../helpers/viewerSocket.js';
import { WeriftViewer } from '../helpers/weriftViewer.js';

interface Observed {
  code: string;
  /** Only over HTTP. */
  status?: number;
}

let onair: OnAir;
/** A presenter show, a test-card show, and one that has ended. */
let presenter: string;
let card: string;
let ended: string;
const sockets: Socket[] = [];
const viewers: WeriftViewer[] = [];

before(async () => {
  onair = await startOnAir({ MAX_SHOWS: '2', MAX_VIEWERS_PER_SHOW: '1', HLS: 'true' });
  ended = await createShow(onair, 'ended', { testCard: true });
  await fetch(`${onair.url}/api/shows/${ended}`, { method: 'DELETE', headers: hostAuth });
  presenter = await createShow(onair, 'presenter');
  card = await createShow(onair, 'card', { testCard: true });
});

after(async () => {
  for (const socket of sockets) socket.close();
  await Promise.all(viewers.map((viewer) => viewer.close()));
  await onair.close();
});

async function http(path: string, init: RequestInit & { json?: unknown } = {}): Promise<Observed> {
  const { json, ...rest } = init;
  const response = await fetch(`${onair.url}${path}`, {
    ...rest,
    ...(json !== undefined && { body: typeof json === 'string' ? json : JSON.stringify(json), headers: { 'content-type': 'application/json', ...hostAuth, ...(rest.headers as Record<string, string>) } }),
  });
  const body = (await response.json().catch(() => ({}))) as { error?: { code: string } };
  return { code: body.error?.code ?? `no error (${response.status})`, status: response.status };
}

async function ack(socket: Socket, event: string, payload: unknown): Promise<Observed> {
  const reply = await send(socket, event, payload);
  return { code: reply.ok ? 'no error' : reply.error.code };
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const cue = (showId: string, body: unknown) => http(`/api/shows/${showId}/cues`, { method: 'POST', json: body });
const shared = (body: Record<string, unknown>) => http(`/api/shows/${card}/overlays/shared`, { method: 'PUT', json: { placement: 'badge', headline: 'Hello', ...body } });
const colours = { background: '#000000', text: '#ffffff', accent: '#ff0000' };
const poll = (options: string[]) => http(`/api/shows/${card}/polls`, { method: 'POST', json: { question: 'Which?', options: options.map((label) => ({ label })), durationMs: 60_000, announce: false } });
const rundown = (body: unknown) => http(`/api/shows/${presenter}/rundown`, { method: 'PUT', json: body });
const rollout = (step: string) => http(`/api/shows/${card}/experiment/${step}`, { method: 'POST', json: {} });

/** A viewer of `showId` on the /viewer namespace, joined unless told not to. */
async function viewer(showId: string, join = true): Promise<Socket> {
  const socket = await openSocket(onair, '/viewer', await viewerToken(onair, showId), sockets);
  if (join) assert.equal((await send(socket, 'join', { consent: false })).ok, true);
  return socket;
}

async function webrtcOffer(): Promise<string> {
  const peer = new WeriftViewer({ keepPackets: false });
  viewers.push(peer);
  return peer.createOffer();
}

async function openPollId(): Promise<string> {
  const { polls } = (await (await fetch(`${onair.url}/api/shows/${card}/polls`, { headers: hostAuth })).json()) as { polls: { id: string; state: string }[] };
  return polls.find((p) => p.state === 'open')!.id;
}

/** A job that a test worker failed, for the codes only a finished job answers with. */
async function failedJob(): Promise<string> {
  const connection = new Redis(onair.redis.url, { maxRetriesPerRequest: null });
  const worker = new Worker('rig-prewarm', async () => Promise.reject(new UnrecoverableError('made to fail')), { connection, prefix: onair.config.batch.queuePrefix });
  try {
    const job = (await (await fetch(`${onair.url}/api/jobs/rig-prewarm`, { method: 'POST', headers: { ...producerAuth, 'content-type': 'application/json' }, body: JSON.stringify({ persona: 'ava', resolutions: ['360p'] }) })).json()) as { id: string };
    await waitUntil(async () => ((await (await fetch(`${onair.url}/api/jobs/rig-prewarm/${job.id}`, { headers: producerAuth })).json()) as { state: string }).state === 'failed', 10_000, 'the job to fail');
    return job.id;
  } finally {
    await worker.close();
    connection.disconnect();
  }
}

/** How each client code is caused, in an order where each step leaves the state the next needs. */
const provoke: Record<string, () => Promise<Observed>> = {
  // Requests and authentication.
  INVALID_REQUEST: () => http('/api/shows', { method: 'POST', json: { title: 5 } }),
  INVALID_JSON: () => http('/api/shows', { method: 'POST', json: '{"title": ' }),
  BODY_TOO_DEEP: () => http(`/api/shows/${card}/overlays/shared`, { method: 'PUT', json: { placement: 'badge', headline: 'x', colours: JSON.parse('{"a":'.repeat(20) + '1' + '}'.repeat(20)) } }),
  BODY_TOO_LARGE: () => http('/api/shows', { method: 'POST', json: { title: 'x'.repeat(10_000) } }),
  UNSUPPORTED_MEDIA_TYPE: () => http('/api/shows', { method: 'POST', headers: { ...hostAuth, 'content-type': 'application/xml' }, body: '<show/>' }),
  ROUTE_NOT_FOUND: () => http('/api/no/such/route'),
  // A node-to-node route called without the cluster signature.
  CLUSTER_AUTH_INVALID: () => http(`/internal/cluster/shows/${card}/pipe`, { method: 'POST', json: { endpoint: { ip: '127.0.0.1', port: 9 } } }),
  AUTH_REQUIRED: () => http('/api/shows'),
  AUTH_INVALID: () => http('/api/shows', { headers: bearer('not-a-token') }),
  FORBIDDEN_ROLE: () => http('/api/shows', { method: 'POST', headers: producerAuth, json: {} }),
  RATE_LIMITED: async () => {
    const socket = await viewer(card, false);
    const replies = await Promise.all(Array.from({ length: 30 }, () => ack(socket, 'heartbeat', { watchMs: 1 })));
    return replies.find((reply) => reply.code === 'RATE_LIMITED') ?? replies[0]!;
  },
  UNKNOWN_EVENT: async () => ack(await openSocket(onair, '/host', HOST_TOKEN, sockets), 'no_such_event', {}),
  ORIGIN_FORBIDDEN: () => http(`/whep/${card}`, { method: 'POST', headers: { 'content-type': 'application/sdp', origin: 'https://elsewhere.example' }, body: 'v=0\r\n' }),
  NAMESPACE_NOT_FOUND: async () => {
    const error = await openSocket(onair, '/', HOST_TOKEN, sockets).then(
      () => undefined,
      (refused: { data?: { code?: string } }) => refused,
    );
    return { code: error?.data?.code ?? 'connected' };
  },
  // Shows.
  SHOW_LIMIT: () => http('/api/shows', { method: 'POST', json: { testCard: true } }),
  SHOW_NOT_FOUND: () => http('/api/shows/zzzzzzzz', { headers: hostAuth }),
  SHOW_ENDED: () => http(`/api/shows/${ended}`, { method: 'DELETE', headers: hostAuth }),
  SHOW_HAS_NO_PRESENTER: () => cue(card, { text: 'hello' }),
  INVALID_TOPIC: () => http(`/api/shows/${card}/topic`, { method: 'PUT', json: { topic: 'a\u202eb' } }),
  // Cues and speech.
  CUE_NOT_FOUND: () => http(`/api/shows/${presenter}/cues/nosuchcue`, { headers: hostAuth }),
  CUE_NOT_AWAITING_APPROVAL: async () => {
    const said = (await (await fetch(`${onair.url}/api/shows/${presenter}/cues`, { method: 'POST', headers: { ...hostAuth, 'content-type': 'application/json' }, body: JSON.stringify({ text: 'Hello there.' }) })).json()) as { id: string };
    return http(`/api/shows/${presenter}/cues/${said.id}/approve`, { method: 'POST', json: {} });
  },
  CUE_QUEUE_FULL: async () => {
    // Generated lines wait for approval without being spoken, so the queue fills cheaply.
    await http(`/api/shows/${presenter}/approval`, { method: 'PUT', json: { enabled: true } });
    let last: Observed = { code: 'none' };
    for (let i = 0; i < 60 && last.code !== 'CUE_QUEUE_FULL'; i++) last = await cue(presenter, { prompt: `Talk about lenses ${i}` });
    await http(`/api/shows/${presenter}/interrupt`, { method: 'POST', headers: hostAuth });
    await http(`/api/shows/${presenter}/approval`, { method: 'PUT', json: { enabled: false } });
    return last;
  },
  INVALID_OFFER: () => cue(presenter, { text: 'hello world', offer: { word: 'hello', overlay: 5 } }),
  OFFER_WORD_NOT_IN_TEXT: () => cue(presenter, { text: 'hello world', offer: { word: 'zebra', overlay: onair.audience.catalog.templates[0]!.id } }),
  UNKNOWN_OVERLAY: () => cue(presenter, { text: 'hello world', offer: { word: 'hello', overlay: 'no-such-overlay' } }),
  CHAT_LINE_NOT_FOUND: () => http(`/api/shows/${presenter}/chat/nosuchline/answer`, { method: 'POST', headers: hostAuth }),
  // Show knowledge.
  KNOWLEDGE_INVALID: () => http(`/api/shows/${card}/knowledge`, { method: 'PUT', json: { facts: [{ text: 'Ships in 3 days.', language: 'fr' }] } }),
  KNOWLEDGE_TOO_LARGE: () => http(`/api/shows/${card}/knowledge`, { method: 'PUT', json: { facts: [{ text: 'x'.repeat(301) }] } }),
  KNOWLEDGE_TEXT_INVALID: () => http(`/api/shows/${card}/knowledge`, { method: 'PUT', json: { facts: [{ text: 'Free \u202eshipping' }] } }),
  TEXT_INVALID: async () => ack(await openSocket(onair, '/host', HOST_TOKEN, sockets), 'cue', { showId: presenter, text: 5 }),
  TEXT_CONTROL_CHARS: () => cue(presenter, { text: 'bell\u0007' }),
  TEXT_EMPTY: () => cue(presenter, { text: '   ' }),
  TEXT_TOO_LONG: () => cue(presenter, { text: 'la '.repeat(400) }),
  PERSONA_UNKNOWN: () => http(`/api/shows/${presenter}/persona`, { method: 'PUT', json: { persona: 'nobody' } }),
  // Polls and viewers.
  INVALID_POLL: () => poll(['same', 'same']),
  POLL_NOT_FOUND: () => http(`/api/shows/${card}/polls/abcdef123`, { headers: hostAuth }),
  POLL_ALREADY_OPEN: async () => (await poll(['red', 'blue']), poll(['left', 'right'])),
  ALREADY_VOTED: async () => {
    const socket = await viewer(card);
    const pollId = await openPollId();
    await ack(socket, 'poll_vote', { pollId, option: 0 });
    return ack(socket, 'poll_vote', { pollId, option: 1 });
  },
  INVALID_EVENT: async () => ack(await viewer(card), 'poll_vote', { pollId: await openPollId(), option: 5 }),
  POLL_CLOSED: async () => {
    const socket = await viewer(card);
    const pollId = await openPollId();
    await http(`/api/shows/${card}/polls/${pollId}/close`, { method: 'POST', headers: hostAuth });
    return ack(socket, 'poll_vote', { pollId, option: 0 });
  },
  NOT_JOINED: async () => ack(await viewer(card, false), 'heartbeat', { watchMs: 1 }),
  NOT_CONNECTED: async () => {
    // A viewer's two tabs: the later one holds the viewer's connection; when it closes, the viewer is gone from the show.
    const token = await viewerToken(onair, card);
    const [first, second] = [await openSocket(onair, '/viewer', token, sockets), await openSocket(onair, '/viewer', token, sockets)];
    second.close();
    return waitUntil(async () => {
      const reply = await ack(first, 'heartbeat', { watchMs: 1 });
      return reply.code === 'NOT_CONNECTED' && reply;
    }, 5_000, 'the second tab to close');
  },
  DECISION_NOT_FOUND: async () => ack(await viewer(card), 'cta_click', { decisionId: 'nosuchdecision' }),
  POSTBACK_INVALID: async () => http(`/api/shows/${card}/conversions`, { method: 'POST', headers: { ...bearer(await viewerToken(onair, card)), 'x-onair-campaign': 'ledger-card', 'x-onair-timestamp': String(Date.now()), 'x-onair-signature': '0'.repeat(64) }, json: { decisionId: 'nosuchdecision' } }),
  FORBIDDEN_VIEWER: async () => http('/api/viewers/someoneelse', { method: 'DELETE', headers: bearer(await viewerToken(onair, card)) }),
  IMAGE_NOT_FOUND: () => http('/overlays/images/nothing.png'),
  // Viewer chat.
  CHAT_INVALID: async () => ack(await viewer(presenter), 'chat', { text: 5 }),
  CHAT_EMPTY: async () => ack(await viewer(presenter), 'chat', { text: '   ' }),
  CHAT_TOO_LONG: async () => ack(await viewer(presenter), 'chat', { text: 'a'.repeat(301) }),
  CHAT_RATE_LIMITED: async () => {
    const socket = await viewer(presenter);
    let last: Observed = { code: 'none' };
    for (let i = 0; i < 8 && last.code !== 'CHAT_RATE_LIMITED'; i++) last = await ack(socket, 'chat', { text: `hello ${i}` });
    return last;
  },
  // Shared overlays.
  OVERLAY_UNKNOWN_FIELD: () => shared({ colours: { ...colours, shadow: '#000000' } }),
  OVERLAY_MISSING_FIELD: () => shared({ colours: { background: '#000000' } }),
  OVERLAY_BAD_TEXT: () => shared({ headline: '   ' }),
  OVERLAY_CONTROL_CHARACTERS: () => shared({ headline: 'bell\u0007' }),
  OVERLAY_BAD_LINK: () => shared({ link: 'http://example.com/' }),
  OVERLAY_BAD_COLOUR: () => shared({ colours: { ...colours, text: 'white' } }),
  OVERLAY_BAD_LANGUAGE: () => shared({ language: 'en', translations: { en: { headline: 'Hello again' } } }),
  // Experiments and the audit.
  ROLLOUT_NOT_PAUSED: () => rollout('resume'),
  ROLLOUT_PAUSED: async () => (await rollout('pause'), rollout('advance')),
  ROLLOUT_COMPLETE: async () => {
    await rollout('resume');
    let last: Observed;
    do last = await rollout('advance');
    while (last.status === 200);
    return last;
  },
  INVALID_AUDIT_QUERY: () => http(`/api/shows/${card}/audit?limit=0`, { headers: hostAuth }),
  // WHEP. The card takes one viewer, so the offers that must reach the SFU go first.
  INVALID_SDP: () => http(`/whep/${card}`, { method: 'POST', headers: { 'content-type': 'application/sdp' }, body: 'v=0\r\nnot sdp\r\n' }),
  NO_COMMON_CODEC: async () => http(`/whep/${card}`, { method: 'POST', headers: { 'content-type': 'application/sdp' }, body: (await webrtcOffer()).replace(/H264/g, 'H265') }),
  TOO_MANY_MEDIA: async () => {
    const offer = await webrtcOffer();
    return http(`/whep/${card}`, { method: 'POST', headers: { 'content-type': 'application/sdp' }, body: offer + offer.slice(offer.indexOf('m=video'), offer.indexOf('m=audio')).repeat(4) });
  },
  TOKEN_WRONG_SHOW: async () => http(`/whep/${card}`, { method: 'POST', headers: { 'content-type': 'application/sdp', ...bearer(await viewerToken(onair, presenter)) }, body: await webrtcOffer() }),
  SESSION_NOT_OWNED: async () => {
    const created = await whepPost(onair, card, await webrtcOffer());
    assert.equal(created.status, 201);
    return http(created.headers.get('location')!, { method: 'DELETE', headers: bearer(await viewerToken(onair, card)) });
  },
  VIEWER_LIMIT: async () => http(`/whep/${card}`, { method: 'POST', headers: { 'content-type': 'application/sdp' }, body: await webrtcOffer() }),
  SESSION_NOT_FOUND: () => http(`/whep/${card}/sessions/${'0'.repeat(32)}`, { method: 'DELETE' }),
  TRICKLE_UNSUPPORTED: () => http(`/whep/${card}/sessions/${'0'.repeat(32)}`, { method: 'PATCH', headers: { 'content-type': 'application/trickle-ice-sdpfrag' }, body: 'a=x' }),
  // LL-HLS.
  HLS_INVALID_QUERY: () => http(`/hls/${card}/index.m3u8?_HLS_part=1`),
  HLS_TOO_FAR_AHEAD: () => http(`/hls/${card}/index.m3u8?_HLS_msn=999999`),
  HLS_NAME_INVALID: () => http(`/hls/${card}/passwords.txt`),
  HLS_MEDIA_NOT_FOUND: () => http(`/hls/${card}/seg-999999.m4s`),
  // Recordings.
  RECORDING_ACTION_INVALID: () => http(`/api/shows/${card}/recording`, { method: 'POST', json: { action: 'rewind' } }),
  RECORDING_NOT_RUNNING: () => http(`/api/shows/${card}/recording`, { method: 'POST', json: { action: 'stop' } }),
  RECORDING_ALREADY_RUNNING: async () => (await http(`/api/shows/${card}/recording`, { method: 'POST', json: { action: 'start' } }), http(`/api/shows/${card}/recording`, { method: 'POST', json: { action: 'start' } })),
  RECORDING_ID_INVALID: () => http('/api/recordings/not-an-id', { headers: hostAuth }),
  RECORDING_NOT_FOUND: () => http(`/api/recordings/${'0'.repeat(16)}`, { headers: hostAuth }),
  RECORDING_FILE_INVALID: () => http(`/recordings/${'0'.repeat(16)}/passwords.txt`, { headers: hostAuth }),
  // Batch jobs and assets.
  PAYLOAD_INVALID: () => http('/api/jobs/rig-prewarm', { method: 'POST', headers: producerAuth, json: { persona: 'ava', colour: 'red' } }),
  ASSET_NAME_INVALID: () => http('/api/jobs/clip-render', { method: 'POST', headers: producerAuth, json: { persona: 'ava', text: 'Hello.', name: 'Not A Slug' } }),
  ASSET_NOT_FOUND: () => http('/api/assets/nosuchasset', { headers: producerAuth }),
  QUEUE_NOT_FOUND: () => http('/api/jobs/no-such-queue', { headers: producerAuth }),
  JOB_NOT_FOUND: () => http('/api/jobs/rig-prewarm/nosuchjob', { headers: producerAuth }),
  JOB_FINISHED: async () => http(`/api/jobs/rig-prewarm/${await failedJob()}`, { method: 'DELETE', headers: producerAuth }),
  SAFETY_TEXT_INVALID: () => http('/api/safety/check', { method: 'POST', json: { language: 'en' } }),
  SAFETY_TEXT_EMPTY: () => http('/api/safety/check', { method: 'POST', json: { text: '   ' } }),
  SAFETY_TEXT_TOO_LONG: () => http('/api/safety/check', { method: 'POST', json: { text: 'a'.repeat(2001) } }),
  SAFETY_LANGUAGE_INVALID: () => http('/api/safety/check', { method: 'POST', json: { text: 'hello', language: 'fr' } }),
  // Rundown and autopilot, on the presenter show (its autopilot is stopped again at once).
  RUNDOWN_NOT_SET: () => http(`/api/shows/${presenter}/rundown/start`, { method: 'POST', json: {} }),
  AUTOPILOT_NOT_RUNNING: () => http(`/api/shows/${presenter}/rundown/pause`, { method: 'POST', headers: hostAuth }),
  RUNDOWN_INVALID: () => rundown({ segments: [] }),
  RUNDOWN_TOO_LARGE: () => rundown({ segments: [{ title: 'One', lines: { en: ['x'.repeat(5_000)] } }] }),
  RUNDOWN_UNKNOWN_CTA: () => rundown({ segments: [{ title: 'One', lines: { en: [{ text: 'A deal.', offer: { word: 'deal', cta: 'no-such-cta' } }] } }] }),
  RUNDOWN_DATA_URL_NOT_ALLOWED: () => rundown({ data: { w: { url: 'http://169.254.169.254/latest' } }, segments: [{ title: 'One' }] }),
  RUNDOWN_TEMPLATE_INVALID: () => rundown({ segments: [{ title: 'One', lines: { en: ['Hi {{constructor}}.'] } }] }),
  RUNDOWN_SEGMENT_NOT_FOUND: async () => {
    await rundown({ segments: [{ id: 'one', title: 'One', lines: { en: ['Hello from the rundown.'] } }] });
    return http(`/api/shows/${presenter}/rundown/start`, { method: 'POST', json: { segment: 'nope' } });
  },
  AUTOPILOT_RUNNING: async () => {
    await http(`/api/shows/${presenter}/rundown/start`, { method: 'POST', json: {} });
    const again = await http(`/api/shows/${presenter}/rundown/start`, { method: 'POST', json: {} });
    await http(`/api/shows/${presenter}/rundown/stop`, { method: 'POST', headers: hostAuth });
    await http(`/api/shows/${presenter}/interrupt`, { method: 'POST', headers: hostAuth });
    return again;
  },
  JOB_NOT_FAILED: async () => {
    const waiting = (await (await fetch(`${onair.url}/api/jobs/voice-cache`, { method: 'POST', headers: { ...producerAuth, 'content-type': 'application/json' }, body: JSON.stringify({ persona: 'ava', phrases: ['Hello.'] }) })).json()) as { id: string };
    return http(`/api/jobs/voice-cache/${waiting.id}/retry`, { method: 'POST', headers: producerAuth });
  },
  // Last: the refused address keeps its handshakes open until they time out (10 s).
  CONNECTION_LIMIT: async () => {
    // Engine.IO handshakes from this test's address until MAX_SOCKETS_PER_IP refuses one.
    let last: Observed = { code: 'none' };
    for (let i = 0; i < 60 && last.code !== 'CONNECTION_LIMIT'; i++) {
      const response = await fetch(`${onair.url}/socket.io/?EIO=4&transport=polling`);
      const body = response.ok ? '' : ((await response.json()) as { message: string }).message;
      last = { code: response.ok ? `no error (${response.status})` : body.split(':')[0]! };
    }
    return last;
  },
};

test('the CTA moment route: host only, no body fields, a live show; it decides for every joined viewer', async () => {
  const moment = (showId: string, init: RequestInit & { json?: unknown } = {}) => http(`/api/shows/${showId}/cta-moment`, { method: 'POST', ...init });
  assert.deepEqual(await moment(card), { code: 'AUTH_REQUIRED', status: 401 });
  assert.deepEqual(await moment(card, { headers: producerAuth, json: {} }), { code: 'FORBIDDEN_ROLE', status: 403 });
  assert.deepEqual(await moment(card, { json: { everyone: true } }), { code: 'INVALID_REQUEST', status: 400 });
  assert.deepEqual(await moment('zzzzzzzz', { json: {} }), { code: 'SHOW_NOT_FOUND', status: 404 });
  assert.deepEqual(await moment(ended, { json: {} }), { code: 'SHOW_NOT_FOUND', status: 404 });
  await viewer(card);
  const response = await fetch(`${onair.url}/api/shows/${card}/cta-moment`, { method: 'POST', headers: { ...hostAuth, 'content-type': 'application/json' }, body: '{}' });
  assert.equal(response.status, 200);
  const result = (await response.json()) as { viewers: number; shown: number };
  assert.ok(result.viewers >= 1 && result.shown <= result.viewers, JSON.stringify(result));
});

test('every code a client can cause has a way to cause it here', () => {
  const clientCodes = Object.entries(ERROR_CODES).filter(([, entry]) => entry.source === 'client').map(([code]) => code);
  assert.deepEqual([...clientCodes].sort(), Object.keys(provoke).sort());
});

test('each client code is reached, over HTTP with its catalogued status', async (t) => {
  for (const [code, cause] of Object.entries(provoke)) {
    await t.test(code, async () => {
      const observed = await cause();
      assert.equal(observed.code, code);
      if (observed.status !== undefined) assert.equal(observed.status, ERROR_CODES[code]!.status);
    });
  }
});
