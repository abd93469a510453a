/**
 * Property-based fuzzing of every HTTP route (read from Fastify, so new routes are covered
 * without a list) and every socket event, against one server: whatever a client sends, the
 * answer is never a 5xx, never shows a stack trace, and names only catalogued codes; and
 * the server still answers /healthz at the end. Each route and event gets a bounded number
 * of runs and a time limit, so the file takes well under a minute.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import type { Socket } from 'socket.io-client';
import { QUEUE_NAMES } from '../../pipeline/jobs/payloads.js';
import { ERROR_CODES, statusOf } from '../../server/http/errorStatus.js';
import type { OnAir } from '../../server/OnAir.js';
import { HOST_EVENTS } from '../../server/signalling/hostNamespace.js';
import { VIEWER_EVENTS } from '../../server/viewers/viewerEvents.js';
import { nastyBody, nastyObject, nastyValue, pathParam, queryString, type FuzzBody } from '../helpers/fuzzInputs.js';
import { listRoutes, type Route } from '../helpers/routes.js';
import { createShow, HOST_TOKEN, hostAuth, PRODUCER_TOKEN, startOnAir } from '../helpers/startOnAir.js';
import { openSocket, send, viewerToken } from '../helpers/viewerSocket.js';

/** Per route or event: at most this many runs, for at most this long. */
const RUNS = 100;
const ROUTE_TIME_LIMIT_MS = 1_500;
/** A stack frame (`at f (file.ts:1:2)`), an internal module, or a path on this machine. */
const STACK_TRACE = /\bat .*:\d+:\d+|node:internal|\/work\/|\.ts:\d+/;
/** bull-board answers in its own format; its routes are held to no 5xx and no stack trace only. */
const BOARD = /^\/admin\/queues/;

let onair: OnAir;
const shows: { presenter: string; card: string } = { presenter: '', card: '' };
let viewer = '';
const sockets: Socket[] = [];

before(async () => {
  onair = await startOnAir({ MAX_SHOWS: '2', MAX_VIEWERS_PER_SHOW: '2', VIEWER_JOIN_BURST: '100000', VIEWER_JOINS_PER_SECOND: '1000' });
  await keepShowsLive();
  viewer = await viewerToken(onair, shows.card);
});

after(async () => {
  for (const socket of sockets) socket.close();
  await onair.close();
});

/** A fuzzed DELETE may end a show, a fuzzed POST start one: the next route gets the two shows again, and only them. */
async function keepShowsLive(): Promise<void> {
  for (const show of onair.shows.list()) if (show.id !== shows.presenter && show.id !== shows.card) await onair.shows.end(show.id);
  if (!onair.shows.live(shows.presenter)) shows.presenter = await createShow(onair, 'fuzz presenter');
  if (!onair.shows.live(shows.card)) shows.card = await createShow(onair, 'fuzz card', { testCard: true });
}

/** Mostly tokens that pass, so runs reach validation and handlers; sometimes none, the wrong role, or garbage. */
const authorization = () =>
  fc.oneof(
    { arbitrary: fc.constantFrom<Record<string, string>>(hostAuth, { authorization: `Bearer ${PRODUCER_TOKEN}` }), weight: 3 },
    { arbitrary: fc.constantFrom<Record<string, string>>({}, { authorization: `Bearer ${viewer}` }, { authorization: 'Bearer garbage' }, { authorization: 'Basic eDp5' }), weight: 1 },
  );

/** Real values for path parameters, by name, so a run can reach past the lookup. */
function knownParams(name: string | undefined): string[] {
  const showIds = [shows.presenter, shows.card];
  const byName: Record<string, string[]> = {
    id: [...showIds, '0'.repeat(16), '1'],
    showId: showIds,
    queue: [...QUEUE_NAMES],
    queueName: [...QUEUE_NAMES],
    file: ['index.m3u8', 'seg-1.m4s', 'init-0.mp4', 'part-1.m4s', 'recording.json'],
    viewerId: ['me', viewer.split('.')[1]!],
  };
  return byName[name ?? ''] ?? [...showIds, '0'.repeat(16), 'abcdef123456'];
}

function requestFor({ method, url }: Route) {
  const params = [...url.matchAll(/:(\w+)|\*/g)];
  return fc.record({
    path: fc.tuple(...params.map(([, name]) => pathParam(knownParams(name)))).map((values) => {
      let i = 0;
      return url.replace(/:(\w+)|\*/g, () => values[i++]!);
    }),
    query: queryString,
    headers: authorization(),
    body: ['GET', 'HEAD', 'OPTIONS'].includes(method) ? fc.constant<FuzzBody>({}) : nastyBody,
  });
}

async function checkResponse(route: Route, response: Response): Promise<void> {
  const text = await response.text();
  const what = `${route.method} ${route.url} → ${response.status} ${text.slice(0, 300)}`;
  assert.ok(response.status < 500, what);
  assert.doesNotMatch(text, STACK_TRACE, what);
  if (BOARD.test(route.url) || response.status < 400 || !(response.headers.get('content-type') ?? '').includes('json')) return;
  const code = (JSON.parse(text) as { error?: { code?: string } }).error?.code;
  assert.ok(code !== undefined && code in ERROR_CODES, `uncatalogued code: ${what}`);
}

async function checkAck(reply: Awaited<ReturnType<typeof send>>, what: string): Promise<void> {
  if (reply.ok) return;
  const { code, message } = reply.error;
  assert.ok(code in ERROR_CODES, `uncatalogued code ${code}: ${what}`);
  assert.ok(statusOf(code) < 500, `${code} ${message}: ${what}`);
  assert.doesNotMatch(message, STACK_TRACE, what);
}

/** Under socket.io's message limit (maxHttpBufferSize, 16 KiB): a larger message closes the connection by design. */
const socketPayload = (payload: fc.Arbitrary<unknown>) => payload.filter((p) => (JSON.stringify(p)?.length ?? 0) < 12_000);

const options = { numRuns: RUNS, interruptAfterTimeLimit: ROUTE_TIME_LIMIT_MS, markInterruptAsFailure: false, endOnFailure: true, includeErrorInReport: true };

test('every HTTP route: no 5xx, no stack trace, only catalogued codes', async (t) => {
  const routes = listRoutes(onair.app);
  assert.ok(routes.length > 50, `found ${routes.length} routes`);
  for (const route of routes) {
    await t.test(`${route.method} ${route.url}`, async () => {
      await keepShowsLive();
      await fc.assert(
        fc.asyncProperty(requestFor(route), async ({ path, query, headers, body }) => {
          const response = await fetch(`${onair.url}${path}${query}`, {
            method: route.method,
            headers: { ...headers, ...(body.contentType !== undefined && { 'content-type': body.contentType }) },
            ...(body.body !== undefined && { body: body.body }),
          });
          await checkResponse(route, response);
        }),
        options,
      );
    });
  }
});

test('every /viewer event: acknowledged, never a server-side code, never a stack trace', async (t) => {
  for (const event of [...VIEWER_EVENTS, 'no_such_event']) {
    await t.test(event, async () => {
      await keepShowsLive();
      // A viewer per event: one viewer's budget is 20 events, and later ones would only be RATE_LIMITED.
      const socket = await openSocket(onair, '/viewer', await viewerToken(onair, shows.presenter), sockets);
      await send(socket, 'join', { consent: true, displayName: 'Fuzz' });
      await fc.assert(
        fc.asyncProperty(socketPayload(fc.oneof(nastyObject, nastyValue)), async (payload) => checkAck(await send(socket, event, payload), `${event} ${JSON.stringify(payload)?.slice(0, 200)}`)),
        { ...options, numRuns: 18 },
      );
      assert.ok(socket.connected, 'the socket is still connected');
    });
  }
});

test('every /host event: acknowledged, never a server-side code, never a stack trace', async (t) => {
  const host = await openSocket(onair, '/host', HOST_TOKEN, sockets);
  for (const event of [...HOST_EVENTS, 'no_such_event']) {
    await t.test(event, async () => {
      await keepShowsLive();
      const payload = fc.oneof(nastyValue, nastyObject, nastyObject.map((o) => ({ ...o, showId: shows.presenter })), nastyObject.map((o) => ({ ...o, showId: shows.card })));
      await fc.assert(fc.asyncProperty(socketPayload(payload), async (p) => checkAck(await send(host, event, p), `${event} ${JSON.stringify(p)?.slice(0, 200)}`)), options);
      await fetch(`${onair.url}/api/shows/${shows.presenter}/interrupt`, { method: 'POST', headers: hostAuth });
    });
  }
  assert.ok(host.connected, 'the socket is still connected');
});

test('the server still answers afterwards', async () => {
  assert.deepEqual(await (await fetch(`${onair.url}/healthz`)).json(), { status: 'ok' });
  assert.equal((await fetch(`${onair.url}/readyz`)).status, 200);
});
