/**
 * The rundown and its autopilot on a real server (real Redis, real espeak, real batch worker)
 * with a real local HTTP server as the data feed: bad rundowns get their codes, failing and
 * hanging feeds fall back to the cached value (or skip the line) without stalling the show,
 * the host's interrupt and controls do not stop the autopilot, and a prepped show's scripted
 * lines come from the voice cache (≥ 90% hits in its own `/metrics` series).
 */
import assert from 'node:assert/strict';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import type { OnAir } from '../../server/OnAir.js';
import { ShowStore } from '../../server/shows/ShowStore.js';
import { waitUntil } from '../helpers/batch.js';
import type { Socket } from 'socket.io-client';
import {
  createShow,
  HOST_TOKEN,
  hostAuth,
  producerAuth,
  startOnAir,
} from '../helpers/startOnAir.js';
import { openSocket, send, viewerToken } from '../helpers/viewerSocket.js';

interface AutopilotView {
  state: string;
  position: { segment: number; line: number; polled: boolean };
  segmentId?: string;
}
interface RundownAnswer {
  rundown: unknown;
  autopilot: AutopilotView | null;
  feeds: Array<{ url: string; fetchedAt?: number; failures: number; lastError?: string }>;
  prep: {
    ready: boolean;
    segments: Array<{
      id: string;
      lines: number;
      cached: number;
      clips: number;
      rendered: number;
      ready: boolean;
    }>;
  } | null;
}
interface CueView {
  id: string;
  kind: string;
  prompt?: string;
  text: string;
  state: string;
  speechSource?: string;
  personaId: string;
  timings: { receivedAt: number };
}

let onair: OnAir;
let feedServer: Server;
let feedUrl: string;
/** What the feed does: answer, answer 500, or never answer. */
let feedMode: 'ok' | 'fail' | 'hang' = 'ok';
let feedValue: unknown = { today: { sky: 'clear' } };
const hanging: ServerResponse[] = [];
const sockets: Socket[] = [];

before(async () => {
  feedServer = createServer((request, response) => {
    if (request.url === '/never') return void response.writeHead(500).end('{}');
    if (feedMode === 'hang') return void hanging.push(response);
    if (feedMode === 'fail') return void response.writeHead(500).end('no');
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(feedValue));
  });
  await new Promise<void>((resolve) => feedServer.listen(0, '127.0.0.1', resolve));
  feedUrl = `http://127.0.0.1:${(feedServer.address() as AddressInfo).port}`;
  onair = await startOnAir({
    DATA_FEED_HOSTS: '127.0.0.1',
    DATA_FEED_TIMEOUT_MS: '300',
    EMBEDDED_WORKER: 'true',
    MAX_SHOWS: '4',
  });
});

after(async () => {
  for (const socket of sockets) socket.close();
  await onair?.close();
  for (const response of hanging) response.destroy();
  feedServer.closeAllConnections();
  await new Promise((resolve) => feedServer.close(resolve));
});

async function api<T = Record<string, unknown>>(
  method: string,
  path: string,
  body?: unknown,
  auth: Record<string, string> = hostAuth,
): Promise<{ status: number; body: T }> {
  const response = await fetch(`${onair.url}${path}`, {
    method,
    headers: { ...auth, ...(body !== undefined && { 'content-type': 'application/json' }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json().catch(() => ({}))) as T };
}

const rundownOf = async (showId: string) =>
  (await api<RundownAnswer>('GET', `/api/shows/${showId}/rundown`)).body;
const cuesOf = async (showId: string) =>
  (await api<{ cues: CueView[] }>('GET', `/api/shows/${showId}/cues`)).body.cues;
const finished = (showId: string, timeoutMs = 60_000) =>
  waitUntil(
    async () => {
      const state = (await rundownOf(showId)).autopilot?.state;
      return (state === 'finished' || state === 'stopped') && state;
    },
    timeoutMs,
    'the autopilot to finish',
    200,
  );

test('a bad rundown gets a 4xx with a stable code, and nothing of it is kept', async () => {
  const showId = await createShow(onair, 'bad rundowns');
  const segment = (lines: unknown[], extra = {}) => ({
    segments: [{ title: 'One', lines: { en: lines } }],
    ...extra,
  });
  const cases: Array<[string, unknown, number, string]> = [
    [
      'unknown CTA',
      segment([{ text: 'A deal.', offer: { word: 'deal', cta: 'no-such-cta' } }]),
      400,
      'RUNDOWN_UNKNOWN_CTA',
    ],
    [
      'data URL not allowed',
      segment(['Hi {{w.x}}.'], { data: { w: { url: 'http://169.254.169.254/latest' } } }),
      400,
      'RUNDOWN_DATA_URL_NOT_ALLOWED',
    ],
    ['huge line', segment(['x'.repeat(5_000)]), 400, 'RUNDOWN_TOO_LARGE'],
    [
      'template injection',
      segment(['Hi {{w.constructor}}.'], { data: { w: { url: `${feedUrl}/w.json` } } }),
      400,
      'RUNDOWN_TEMPLATE_INVALID',
    ],
    ['__proto__', segment(['Hi {{__proto__.polluted}}.']), 400, 'RUNDOWN_TEMPLATE_INVALID'],
    ['not an object', [1, 2], 400, 'INVALID_REQUEST'],
    ['no segments', { segments: [] }, 400, 'RUNDOWN_INVALID'],
  ];
  for (const [what, body, status, code] of cases) {
    const answer = await api<{ error: { code: string } }>(
      'PUT',
      `/api/shows/${showId}/rundown`,
      body,
    );
    assert.deepEqual([answer.status, answer.body.error?.code], [status, code], what);
  }
  assert.equal((await rundownOf(showId)).rundown, null);
  const notSet = await api<{ error: { code: string } }>(
    'POST',
    `/api/shows/${showId}/rundown/start`,
    {},
  );
  assert.deepEqual([notSet.status, notSet.body.error.code], [409, 'RUNDOWN_NOT_SET']);
  const notRunning = await api<{ error: { code: string } }>(
    'POST',
    `/api/shows/${showId}/rundown/pause`,
  );
  assert.deepEqual([notRunning.status, notRunning.body.error.code], [409, 'AUTOPILOT_NOT_RUNNING']);
  assert.equal(
    (await api('PUT', `/api/shows/${showId}/rundown`, segment(['Fine.']), producerAuth)).status,
    200,
    'a producer sets rundowns too',
  );
  assert.equal(
    (await api('POST', `/api/shows/${showId}/rundown/start`, {}, producerAuth)).status,
    403,
    'only hosts drive the autopilot',
  );
  await api('DELETE', `/api/shows/${showId}`);
});

test('a feed that fails or hangs falls back to its cached value; one that never answered skips its line; the show never stalls', async () => {
  const showId = await createShow(onair, 'feeds');
  const rundown = {
    linePauseMs: 0,
    segmentPauseMs: 0,
    data: {
      w: { url: `${feedUrl}/weather.json`, refreshMs: 1_000 },
      never: { url: `${feedUrl}/never`, refreshMs: 1_000 },
    },
    segments: [
      {
        id: 'news',
        title: 'News',
        lines: {
          en: [
            'First line.',
            'The sky is {{w.today.sky}}.',
            'Stocks are {{never.acme}}.',
            'Last line.',
          ],
        },
      },
    ],
  };
  assert.equal((await api('PUT', `/api/shows/${showId}/rundown`, rundown)).status, 200);
  await waitUntil(
    async () =>
      (await rundownOf(showId)).feeds.find((f) => f.url.endsWith('/weather.json'))?.fetchedAt,
    10_000,
    'the first poll',
  );
  feedMode = 'hang';
  feedValue = { today: { sky: 'stormy' } };
  await waitUntil(
    async () =>
      ((await rundownOf(showId)).feeds.find((f) => f.url.endsWith('/weather.json'))?.failures ??
        0) >= 1,
    10_000,
    'a poll to time out',
  );
  const startedMs = Date.now();
  assert.equal((await api('POST', `/api/shows/${showId}/rundown/start`, {})).status, 202);
  await finished(showId, 30_000);
  const tookMs = Date.now() - startedMs;
  const spoken = (await cuesOf(showId)).map((cue) => [cue.text, cue.state]);
  assert.deepEqual(spoken, [
    ['First line.', 'done'],
    ['The sky is clear.', 'done'],
    ['Last line.', 'done'],
  ]);
  const feeds = (await rundownOf(showId)).feeds;
  assert.ok(feeds.find((f) => f.url.endsWith('/never'))!.failures >= 1);
  assert.match(
    feeds.find((f) => f.url.endsWith('/weather.json'))!.lastError ?? '',
    /abort|timeout/i,
  );
  // Three short lines: well under the time a stalled feed would add per line.
  assert.ok(tookMs < 20_000, `the rundown took ${tookMs} ms`);

  // A 500 now: still the cached value, and the line takes no longer than its neighbours.
  feedMode = 'fail';
  await waitUntil(
    async () =>
      (await rundownOf(showId)).feeds
        .find((f) => f.url.endsWith('/weather.json'))
        ?.lastError?.includes('500'),
    10_000,
    'a failed poll',
  );
  assert.equal((await api('POST', `/api/shows/${showId}/rundown/start`, {})).status, 202);
  await finished(showId, 30_000);
  assert.equal((await cuesOf(showId)).filter((cue) => cue.text === 'The sky is clear.').length, 2);

  // The feed answers again with new data: the line is filled with it (and rendered live).
  feedMode = 'ok';
  await waitUntil(
    async () =>
      !(await rundownOf(showId)).feeds.find((f) => f.url.endsWith('/weather.json'))?.lastError,
    10_000,
    'a good poll',
  );
  assert.equal((await api('POST', `/api/shows/${showId}/rundown/start`, {})).status, 202);
  await finished(showId, 30_000);
  const stormy = (await cuesOf(showId)).find((cue) => cue.text === 'The sky is stormy.');
  assert.equal(stormy?.speechSource, 'tts');
  await api('DELETE', `/api/shows/${showId}`);
});

test('the host interrupts, inserts, jumps and pauses; the autopilot goes on, and its position is in the show snapshot', async () => {
  const showId = await createShow(onair, 'controls');
  const rundown = {
    linePauseMs: 200,
    segmentPauseMs: 200,
    segments: [
      {
        id: 'one',
        title: 'One',
        lines: {
          en: [
            'This first line of segment one is long enough to be cut in the middle by the host.',
            'Segment one, second line.',
          ],
        },
      },
      { id: 'two', title: 'Two', lines: { en: ['Segment two, only line.'] } },
      {
        id: 'three',
        title: 'Three',
        talkingPoints: ['the finale'],
        lines: { en: ['Segment three, first line.', 'Segment three, second line.'] },
      },
    ],
  };
  assert.equal((await api('PUT', `/api/shows/${showId}/rundown`, rundown)).status, 200);
  assert.equal((await api('POST', `/api/shows/${showId}/rundown/start`, {})).status, 202);
  assert.equal(
    (await api<{ error: { code: string } }>('POST', `/api/shows/${showId}/rundown/start`, {})).body
      .error.code,
    'AUTOPILOT_RUNNING',
  );
  assert.equal(
    (await api<{ error: { code: string } }>('PUT', `/api/shows/${showId}/rundown`, rundown)).body
      .error.code,
    'AUTOPILOT_RUNNING',
  );
  await waitUntil(
    async () => (await cuesOf(showId)).some((cue) => cue.state === 'speaking'),
    15_000,
    'the first line on air',
  );
  assert.equal((await api('POST', `/api/shows/${showId}/interrupt`)).status, 200);
  await waitUntil(
    async () => (await cuesOf(showId)).some((cue) => cue.text === 'Segment one, second line.'),
    15_000,
    'the line after the interrupted one',
  );
  assert.equal((await cuesOf(showId))[0]!.state, 'interrupted');

  assert.equal(
    (await api('POST', `/api/shows/${showId}/rundown/insert`, { text: 'A word from the host.' }))
      .status,
    202,
  );
  assert.equal(
    (
      await api<{ error: { code: string } }>('POST', `/api/shows/${showId}/rundown/jump`, {
        segment: 'nope',
      })
    ).body.error.code,
    'RUNDOWN_SEGMENT_NOT_FOUND',
  );
  assert.equal(
    (await api('POST', `/api/shows/${showId}/rundown/jump`, { segment: 'three' })).status,
    200,
  );
  await waitUntil(
    async () => (await cuesOf(showId)).some((cue) => cue.text === 'Segment three, first line.'),
    20_000,
    'the jump',
  );
  const paused = await api<{ autopilot: AutopilotView }>(
    'POST',
    `/api/shows/${showId}/rundown/pause`,
  );
  assert.equal(paused.body.autopilot.state, 'paused');

  // The snapshot a takeover restores was written before the pause was acknowledged.
  const snapshot = await new ShowStore(onair.redis.client).loadSnapshot(showId);
  assert.equal(snapshot?.rundown?.autopilot?.state, 'paused');
  assert.equal(snapshot?.rundown?.autopilot?.position.segment, 2);
  const other = await createShow(onair, 'taken over');
  onair.shows.rundown(other)!.restore(snapshot!.rundown!);
  assert.deepEqual((await rundownOf(other)).autopilot?.position.segment, 2);
  assert.equal((await rundownOf(other)).autopilot?.state, 'paused');
  await api('DELETE', `/api/shows/${other}`);

  const texts = (await cuesOf(showId)).map((cue) => cue.text);
  assert.ok(
    texts.indexOf('A word from the host.') > texts.indexOf('Segment one, second line.'),
    texts.join(' | '),
  );
  assert.ok(!texts.includes('Segment two, only line.'), 'segment two was jumped over');
  assert.equal((await api('POST', `/api/shows/${showId}/rundown/resume`)).status, 200);
  await finished(showId, 30_000);
  assert.equal(
    (await cuesOf(showId)).filter((cue) => cue.text === 'Segment three, second line.').length,
    1,
  );
  await api('DELETE', `/api/shows/${showId}`);
});

test('show prep renders every line of the rundown in every language, voice and clips; autopilot on the prepped show gets ≥ 90% cache hits in its own series', async () => {
  const showId = await createShow(onair, 'prepped');
  const en = [
    'Good evening and welcome.',
    'Tonight we look at the new lens.',
    'It is small and it is sharp.',
    'Grab the launch shirt while it lasts.',
    'We will be right back.',
    'And we are back.',
    'Thanks for watching tonight.',
  ];
  const es = ['Buenas noches y bienvenidos.', 'Gracias por vernos.'];
  const rundown = {
    linePauseMs: 100,
    segmentPauseMs: 100,
    segments: [
      { id: 'open', title: 'Open', lines: { en: en.slice(0, 4), es: es.slice(0, 1) } },
      { id: 'close', title: 'Close', lines: { en: en.slice(4), es: es.slice(1) } },
    ],
  };
  rundown.segments[0]!.lines.en[3] = {
    text: en[3]!,
    offer: { word: 'shirt', cta: 'launch-tshirt' },
  } as unknown as string;
  assert.equal((await api('PUT', `/api/shows/${showId}/rundown`, rundown)).status, 200);
  const before = (await rundownOf(showId)).prep!;
  assert.deepEqual(
    before.segments.map((s) => [s.id, s.lines, s.cached, s.clips, s.rendered, s.ready]),
    [
      ['open', 5, 0, 5, 0, false],
      ['close', 4, 0, 4, 0, false],
    ],
  );

  const prep = await api<{
    id: string;
    data: {
      personas: string[];
      phrases: unknown[];
      clips: Array<{ persona: string; text: string; name: string; resolution: string }>;
    };
  }>('POST', `/api/shows/${showId}/rundown/prep`, undefined, producerAuth);
  assert.equal(prep.status, 202);
  assert.deepEqual(
    prep.body.data.personas.sort(),
    ['ava', 'lucia'],
    'the show persona speaks en, lucia es',
  );
  assert.equal(prep.body.data.phrases.length, 9);
  // Every line is static here, and 9 is under the bound: a clip of each, in its voice.
  assert.deepEqual(
    prep.body.data.clips.map((clip) => [clip.name, clip.persona, clip.text]),
    [
      ['rundown-s1-en-1', 'ava', en[0]],
      ['rundown-s1-es-1', 'lucia', es[0]],
      ['rundown-s1-en-2', 'ava', en[1]],
      ['rundown-s1-en-3', 'ava', en[2]],
      ['rundown-s1-en-4', 'ava', en[3]],
      ['rundown-s2-en-1', 'ava', en[4]],
      ['rundown-s2-es-1', 'lucia', es[1]],
      ['rundown-s2-en-2', 'ava', en[5]],
      ['rundown-s2-en-3', 'ava', en[6]],
    ],
  );
  await waitUntil(
    async () => (await api<{ ready: boolean }>('GET', `/api/shows/${showId}/prep`)).body.ready,
    120_000,
    'the show prep',
    500,
  );
  const after = (await rundownOf(showId)).prep!;
  assert.equal(after.ready, true, JSON.stringify(after));
  assert.deepEqual(
    after.segments.map((s) => [s.id, s.cached, s.rendered]),
    [
      ['open', 5, 5],
      ['close', 4, 4],
    ],
  );
  // The clips render from the same voice phrases the show splices.
  const { assets } = (
    await api<{ assets: Array<{ label: string; meta: { voiceAsset?: string } }> }>(
      'GET',
      '/api/assets?kind=clip',
      undefined,
      producerAuth,
    )
  ).body;
  for (const clip of prep.body.data.clips) {
    const voiceAsset = assets.find((asset) => asset.label.startsWith(`${clip.name}: `))?.meta
      .voiceAsset;
    assert.ok(voiceAsset, `${clip.name} is in the store`);
    const voice = await api<{ kind: string; label: string }>(
      'GET',
      `/api/assets/${voiceAsset}`,
      undefined,
      producerAuth,
    );
    assert.deepEqual([voice.status, voice.body.kind, voice.body.label], [200, 'voice', clip.text]);
  }
  // Prep again: everything is rendered, so no clip is queued twice.
  const again = await api<{ id: string; data: { clips: unknown[] } }>(
    'POST',
    `/api/shows/${showId}/rundown/prep`,
    undefined,
    producerAuth,
  );
  assert.deepEqual(again.body.data.clips, []);
  // Its rigs and (cached) phrases finish before the show plays: the lookups below are the show's own.
  await waitUntil(
    async () => {
      const { body } = await api<{ ready: boolean; prep: { id: string } }>(
        'GET',
        `/api/shows/${showId}/prep`,
      );
      return body.prep.id === again.body.id && body.ready;
    },
    120_000,
    'the second show prep',
    500,
  );

  assert.equal((await api('POST', `/api/shows/${showId}/rundown/start`, {})).status, 202);
  await finished(showId, 90_000);
  const cues = await cuesOf(showId);
  assert.deepEqual(
    cues.map((cue) => cue.text),
    en,
  );
  const { shows } = (
    await api<{ shows: Array<{ id: string; metricsLabel: string }> }>('GET', '/readyz')
  ).body;
  const label = shows.find((show) => show.id === showId)!.metricsLabel;
  const metrics = await (await fetch(`${onair.url}/metrics`, { headers: producerAuth })).text();
  const count = (result: string) =>
    Number(
      new RegExp(
        `onair_speech_cache_lookups_total\\{show="${label}",result="${result}"\\} (\\d+)`,
      ).exec(metrics)?.[1] ?? 0,
    );
  const [hit, partial, miss, failed] = ['hit', 'partial', 'miss', 'lookup_failed'].map(count) as [
    number,
    number,
    number,
    number,
  ];
  const ratio = hit / (hit + partial + miss + failed);
  console.log(
    `prepped show: ${hit} hits of ${hit + partial + miss + failed} lookups (${(ratio * 100).toFixed(1)}%; partial ${partial}, miss ${miss}, failed ${failed})`,
  );
  assert.ok(hit + partial + miss + failed >= en.length);
  assert.ok(ratio >= 0.9, `cache hit ratio ${ratio}`);
  assert.ok(
    cues.every((cue) => cue.speechSource === 'cache'),
    JSON.stringify(cues.map((c) => c.speechSource)),
  );
  await api('DELETE', `/api/shows/${showId}`);
});

test('over the host socket: the autopilot starts, its progress is pushed, and a waiting viewer question is answered between segments', async () => {
  const showId = await createShow(onair, 'socket');
  const rundown = {
    linePauseMs: 0,
    segmentPauseMs: 0,
    segments: [
      {
        id: 'one',
        title: 'Lenses',
        talkingPoints: ['the new lens'],
        lines: { en: ['Here is the new lens.'] },
      },
      { id: 'two', title: 'Goodbye', lines: { en: ['That is all for today.'] } },
    ],
  };
  assert.equal((await api('PUT', `/api/shows/${showId}/rundown`, rundown)).status, 200);
  const viewer = await openSocket(onair, '/viewer', await viewerToken(onair, showId), sockets);
  assert.equal((await send(viewer, 'join', { consent: false })).ok, true);
  const chat = await send<{ question: boolean }>(viewer, 'chat', {
    text: 'Is the new lens waterproof?',
  });
  assert.ok(chat.ok && chat.result.question, JSON.stringify(chat));

  const host = await openSocket(onair, '/host', HOST_TOKEN, sockets);
  assert.equal((await send(host, 'watch', { showId })).ok, true);
  const states: string[] = [];
  host.on(
    'rundown',
    (event: { showId: string; autopilot: AutopilotView | null }) =>
      event.showId === showId && event.autopilot && states.push(event.autopilot.state),
  );
  const bad = await send(host, 'rundown', { showId, action: 'explode' });
  assert.equal(bad.ok ? 'ok' : bad.error.code, 'INVALID_REQUEST');
  const started = await send<{ autopilot: AutopilotView }>(host, 'rundown', {
    showId,
    action: 'start',
  });
  assert.ok(started.ok && started.result.autopilot.state === 'playing', JSON.stringify(started));
  await finished(showId, 45_000);
  await waitUntil(() => states.includes('finished'), 5_000, 'the finished event');
  assert.ok(states.includes('playing'));
  const cues = await cuesOf(showId);
  assert.deepEqual(
    cues.map((cue) => (cue.kind === 'prompt' ? `answer: ${cue.prompt}` : cue.text)),
    ['Here is the new lens.', 'answer: Is the new lens waterproof?', 'That is all for today.'],
  );
  const view = await send<{ autopilot: AutopilotView }>(host, 'rundown', {
    showId,
    action: 'view',
  });
  assert.ok(view.ok && view.result.autopilot.state === 'finished');
  await api('DELETE', `/api/shows/${showId}`);
});
