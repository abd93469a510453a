// Issue 16, tokens and secrets, over HTTP: /metrics and /readyz, board sessions, MAX_SHOWS
// under concurrent creates, erasure revoking a viewer token, and the LLM answer's size cap.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { loadPersonas } from '../../pipeline/persona/index.js';
import { LlmScripter, LlmUnavailableError } from '../../pipeline/script/index.js';
import type { OnAir } from '../../server/OnAir.js';
import { FakeChatCompletions } from '../helpers/fakeChatCompletions.js';
import { createShow, hostAuth, producerAuth, startOnAir } from '../helpers/startOnAir.js';

const METRICS_TOKEN = 'J-NeCD0P9WjImlyD42NA3Q';
let onair: OnAir;
let showId: string;

before(async () => {
  onair = await startOnAir({ METRICS_TOKEN, MAX_SHOWS: '2' });
  showId = await createShow(onair, 'secrets', { testCard: true });
});

after(() => onair.close());

const get = (path: string, headers: Record<string, string> = {}) =>
  fetch(`${onair.url}${path}`, { headers });
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

test('/metrics needs METRICS_TOKEN (or a host or producer token) and names no show id', async () => {
  assert.equal((await get('/metrics')).status, 401);
  assert.equal((await get('/metrics', bearer('Zq8Lx2Wm9Tk4Vb7Nc1HdPs'))).status, 401);
  const viewer = (
    (await (
      await fetch(`${onair.url}/api/shows/${showId}/viewers`, { method: 'POST' })
    ).json()) as { token: string }
  ).token;
  assert.equal((await get('/metrics', bearer(viewer))).status, 403);
  assert.equal((await get('/metrics', producerAuth)).status, 200);
  const response = await get('/metrics', bearer(METRICS_TOKEN));
  assert.equal(response.status, 200);
  const text = await response.text();
  assert.match(text, /^onair_frames_total\{show="[0-9a-f]{12}",outcome="produced"\}/m);
  assert.ok(!text.includes(showId), 'the show id is not in any label');
});

test('/readyz says only whether it is ready without a token; a host or producer gets the detail', async () => {
  const terse = await get('/readyz');
  assert.equal(terse.status, 200);
  assert.deepEqual(await terse.json(), { ready: true });
  const full = (await (await get('/readyz', hostAuth)).json()) as {
    ready: boolean;
    sfu: object;
    shows: Array<{ id: string; metricsLabel: string }>;
  };
  assert.equal(full.ready, true);
  assert.ok(full.sfu);
  const metrics = await (await get('/metrics', bearer(METRICS_TOKEN))).text();
  const label = full.shows.find((s) => s.id === showId)!.metricsLabel;
  assert.ok(metrics.includes(`show="${label}"`), 'the detail maps show ids to metrics labels');
  assert.equal((await get('/readyz', bearer('Zq8Lx2Wm9Tk4Vb7Nc1HdPs'))).status, 401);
});

test('a board session is a random, expiring, revocable server-side session; hosts get a read-only board', async () => {
  const open = (auth: Record<string, string>) =>
    fetch(`${onair.url}/api/producer/board-session`, { method: 'POST', headers: auth });
  const first = await open(producerAuth);
  const second = await open(producerAuth);
  const cookie = first.headers.get('set-cookie')!;
  assert.match(
    cookie,
    /^onair_board=[A-Za-z0-9_-]{43}; Path=\/admin; HttpOnly; SameSite=Strict; Max-Age=28800$/,
  );
  assert.notEqual(
    cookie,
    second.headers.get('set-cookie'),
    'not a fixed value derived from the token',
  );
  assert.deepEqual(await first.json(), {
    board: '/admin/queues',
    readOnly: false,
    expiresInSeconds: 28800,
  });
  const session = cookie.split(';')[0]!;
  assert.equal((await get('/admin/queues/api/queues', { cookie: session })).status, 200);
  assert.equal(
    (await get('/admin/queues/api/queues', { cookie: 'onair_board=forged' })).status,
    401,
  );

  const host = await open(hostAuth);
  assert.deepEqual(await host.json(), {
    board: '/admin/queues-view',
    readOnly: true,
    expiresInSeconds: 28800,
  });
  const hostSession = host.headers.get('set-cookie')!.split(';')[0]!;
  const view = (await (
    await get('/admin/queues-view/api/queues', { cookie: hostSession })
  ).json()) as { queues: Array<{ readOnlyMode: boolean }> };
  assert.ok(
    view.queues.length > 0 && view.queues.every((q) => q.readOnlyMode),
    'the host board is read-only',
  );
  assert.equal(
    (await get('/admin/queues/api/queues', { cookie: hostSession })).status,
    401,
    'a host session does not open the producer board',
  );

  const ended = await fetch(`${onair.url}/api/producer/board-session`, {
    method: 'DELETE',
    headers: producerAuth,
  });
  assert.deepEqual(await ended.json(), { ended: 2 });
  assert.equal((await get('/admin/queues/api/queues', { cookie: session })).status, 401, 'revoked');
  assert.equal(
    (await get('/admin/queues-view/api/queues', { cookie: hostSession })).status,
    200,
    "the hosts' session is untouched",
  );
});

test('board cookies are Secure when PUBLIC_URL is https', async () => {
  const tls = await startOnAir({ PUBLIC_URL: 'https://onair.example' });
  try {
    const response = await fetch(`${tls.url}/api/producer/board-session`, {
      method: 'POST',
      headers: producerAuth,
    });
    assert.match(
      response.headers.get('set-cookie')!,
      /; HttpOnly; SameSite=Strict; Max-Age=\d+; Secure$/,
    );
  } finally {
    await tls.close();
  }
});

test('concurrent creates cannot run past MAX_SHOWS', async () => {
  // One show runs (MAX_SHOWS=2): of three creates at once, exactly one fits.
  const responses = await Promise.all(
    [1, 2, 3].map(() =>
      fetch(`${onair.url}/api/shows`, {
        method: 'POST',
        headers: { ...hostAuth, 'content-type': 'application/json' },
        body: JSON.stringify({ title: 'race', testCard: true }),
      }),
    ),
  );
  const statuses = responses.map((r) => r.status).sort();
  const bodies = await Promise.all(
    responses.map((r) => r.json() as Promise<{ id?: string; error?: { code: string } }>),
  );
  assert.deepEqual(statuses, [201, 429, 429].sort(), JSON.stringify(bodies));
  assert.equal(bodies.filter((b) => b.error?.code === 'SHOW_LIMIT').length, 2);
  assert.equal(onair.shows.list().length, 2);
  const created = bodies.find((b) => b.id)!.id!;
  await fetch(`${onair.url}/api/shows/${created}`, { method: 'DELETE', headers: hostAuth });
});

test("erasing a viewer's data revokes its token, for watching and for coming back", async () => {
  const { token } = (await (
    await fetch(`${onair.url}/api/shows/${showId}/viewers`, { method: 'POST' })
  ).json()) as { token: string };
  const erase = () =>
    fetch(`${onair.url}/api/viewers/me`, { method: 'DELETE', headers: bearer(token) });
  assert.equal((await erase()).status, 200);
  const again = await erase();
  assert.equal(again.status, 401);
  assert.equal(((await again.json()) as { error: { code: string } }).error.code, 'AUTH_INVALID');
  assert.equal(onair.app.hasRoute({ method: 'POST', url: '/whep/:showId' }), true);
});

test("an erased viewer's token stays revoked after a restart", async () => {
  const env = { VIEWER_TOKEN_SECRET: randomBytes(32).toString('base64url'), AUDIENCE_PREFIX: `t${randomBytes(4).toString('hex')}:aud` };
  const first = await startOnAir(env);
  const tokens: string[] = [];
  try {
    const show = await createShow(first, 'revocations', { testCard: true });
    for (let i = 0; i < 2; i++) tokens.push(((await (await fetch(`${first.url}/api/shows/${show}/viewers`, { method: 'POST' })).json()) as { token: string }).token);
    assert.equal((await fetch(`${first.url}/api/viewers/me`, { method: 'DELETE', headers: bearer(tokens[0]!) })).status, 200);
  } finally {
    await first.close();
  }
  const second = await startOnAir(env);
  try {
    const erasedAgain = await fetch(`${second.url}/api/viewers/me`, { method: 'DELETE', headers: bearer(tokens[0]!) });
    assert.equal(erasedAgain.status, 401, 'the erased viewer is refused by the restarted server');
    assert.equal((await fetch(`${second.url}/api/viewers/me`, { method: 'DELETE', headers: bearer(tokens[1]!) })).status, 200, 'while the same secret still accepts the other viewer');
  } finally {
    await second.close();
  }
});

test('an LLM answer is cut off past its byte cap', async () => {
  const fake = await FakeChatCompletions.start();
  try {
    fake.scenarios.set('flood', {
      chunks: Array.from({ length: 200 }, () => 'A sentence that goes on. '),
    });
    const llm = new LlmScripter({
      url: fake.url,
      model: 'flood',
      budgetMs: 2_000,
      totalBudgetMs: 5_000,
      maxAnswerBytes: 4_096,
    });
    let heard = 0;
    await assert.rejects(
      (async () => {
        for await (const _ of llm.sentences({
          intent: 'explain',
          persona: loadPersonas().get('ava'),
          context: {},
        }))
          heard++;
      })(),
      (error: unknown) =>
        error instanceof LlmUnavailableError &&
        error.reason === 'LLM_MALFORMED' &&
        /over 4096 bytes/.test(error.message),
    );
    assert.ok(heard < 200, `stopped early after ${heard} sentences`);
  } finally {
    await fake.close();
  }
});
