import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { io as connect, type Socket } from 'socket.io-client';
import type { OnAir } from '../../server/OnAir.js';
import { HOST_TOKEN, createShow, hostAuth, startOnAir } from '../helpers/startOnAir.js';

let onair: OnAir;
let showId: string;
let socket: Socket | undefined;

before(async () => {
  onair = await startOnAir();
  showId = await createShow(onair, 'cues');
});

after(async () => {
  socket?.disconnect();
  await onair.close();
});

const cue = (body: unknown, show = showId, headers: Record<string, string> = hostAuth) =>
  fetch(`${onair.url}/api/shows/${show}/cues`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) });

async function cueState(id: string) {
  return (await (await fetch(`${onair.url}/api/shows/${showId}/cues/${id}`, { headers: hostAuth })).json()) as {
    state: string;
    streamTimeMs?: number;
    endStreamTimeMs?: number;
    reason?: string;
    timings: Record<string, number>;
  };
}

async function waitState(id: string, state: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const current = await cueState(id);
    if (current.state === state) return current;
    if (Date.now() > deadline) throw new Error(`cue ${id} is ${current.state}, not ${state}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

test('a cue goes queued → speaking (with its stream time) → done, with stage timings', async () => {
  const response = await cue({ text: 'Hello and welcome to the show.' });
  assert.equal(response.status, 202);
  const created = (await response.json()) as { id: string; state: string; personaId: string };
  assert.equal(created.state, 'queued');
  assert.equal(created.personaId, 'ava');
  const speaking = await waitState(created.id, 'speaking', 2_000);
  assert.ok(typeof speaking.streamTimeMs === 'number');
  assert.ok(speaking.timings.ttsFirstChunkMs! <= speaking.timings.ttsDoneMs!);
  assert.ok(speaking.timings.speakingMs! < 500, `on air ${speaking.timings.speakingMs} ms after the cue`);
  const done = await waitState(created.id, 'done', 10_000);
  assert.ok(done.endStreamTimeMs! - done.streamTimeMs! > 1_000, 'the line lasted as long as its audio');
});

test('interrupt stops speech within a frame and drops the queued cues', async () => {
  const first = (await (await cue({ text: 'This is a long line that the host will cut off before it ends, because plans change.' })).json()) as { id: string };
  const second = (await (await cue({ text: 'And this one never airs.' })).json()) as { id: string };
  const speaking = await waitState(first.id, 'speaking', 2_000);
  await new Promise((r) => setTimeout(r, 300));
  const interruptedAt = onair.shows.live(showId)!.lane.streamTimeMs;
  const response = await fetch(`${onair.url}/api/shows/${showId}/interrupt`, { method: 'POST', headers: hostAuth });
  assert.deepEqual(((await response.json()) as { interrupted: string[] }).interrupted, [first.id, second.id]);
  const stopped = await waitState(first.id, 'interrupted', 1_000);
  assert.ok(stopped.endStreamTimeMs! - interruptedAt <= 34, `speech stopped ${stopped.endStreamTimeMs! - interruptedAt} ms of stream time after the interrupt`);
  assert.ok(stopped.endStreamTimeMs! > speaking.streamTimeMs!);
  assert.equal((await cueState(second.id)).state, 'interrupted');
});

test('a persona switch applies from the next cue; a cue may name its own persona', async () => {
  const put = await fetch(`${onair.url}/api/shows/${showId}/persona`, {
    method: 'PUT',
    headers: { ...hostAuth, 'content-type': 'application/json' },
    body: JSON.stringify({ persona: 'marcus' }),
  });
  assert.equal(put.status, 200);
  const next = (await (await cue({ text: 'Good evening.' })).json()) as { personaId: string; id: string };
  assert.equal(next.personaId, 'marcus');
  const spanish = (await (await cue({ text: 'Hola a todos.', persona: 'lucia' })).json()) as { personaId: string; id: string };
  assert.equal(spanish.personaId, 'lucia');
  await waitState(spanish.id, 'done', 10_000);
  assert.equal(onair.shows.live(showId)!.lane.stats.framesProduced > 0, true, 'the stream was never restarted');
  assert.equal(onair.shows.live(showId)!.encoder.restarts, 0);
});

test('bad cues get a clear 4xx with a stable code and nothing breaks', async () => {
  const expect = async (response: Response, status: number, code: string) => {
    const body = (await response.json()) as { error: { code: string } };
    assert.equal(response.status, status, JSON.stringify(body));
    assert.equal(body.error.code, code);
  };
  await expect(await cue({ text: '' }), 400, 'TEXT_EMPTY');
  await expect(await cue({ text: 'x'.repeat(1_001) }), 400, 'TEXT_TOO_LONG');
  await expect(await cue({ text: 'beep\u0007' }), 400, 'TEXT_CONTROL_CHARS');
  await expect(await cue({ text: 'hi', persona: 'nobody' }), 400, 'PERSONA_UNKNOWN');
  await expect(await cue({ text: 'hi', persona: '../../etc/passwd' }), 400, 'PERSONA_UNKNOWN');
  await expect(await cue({ words: 'hi' }), 400, 'INVALID_REQUEST');
  await expect(await cue({ text: 'x'.repeat(20_000) }), 413, 'BODY_TOO_LARGE');
  await expect(await cue({ text: 'hi' }, showId, {}), 401, 'AUTH_REQUIRED');
  const markup = await cue({ text: '<speak><prosody rate="x-slow">markup</prosody></speak> is read as text' });
  assert.equal(markup.status, 202, 'markup is accepted and spoken literally');
  const ended = await createShow(onair, 'short-lived');
  await fetch(`${onair.url}/api/shows/${ended}`, { method: 'DELETE', headers: hostAuth });
  await expect(await cue({ text: 'anyone there?' }, ended), 409, 'SHOW_ENDED');
  const card = await createShow(onair, 'card', { testCard: true });
  await expect(await cue({ text: 'hello' }, card), 409, 'SHOW_HAS_NO_PRESENTER');
  await fetch(`${onair.url}/api/shows/${showId}/interrupt`, { method: 'POST', headers: hostAuth });
  assert.equal((await fetch(`${onair.url}/healthz`)).status, 200);
});

test('the /host socket namespace takes cues and pushes their status', async () => {
  const refused = connect(`${onair.url}/host`, { auth: { token: 'wrong' }, transports: ['websocket'] });
  const refusal = await new Promise<Error>((resolve) => refused.on('connect_error', resolve));
  assert.match(refusal.message, /AUTH_INVALID/);
  refused.disconnect();

  socket = connect(`${onair.url}/host`, { auth: { token: HOST_TOKEN }, transports: ['websocket'] });
  const emit = (event: string, payload: unknown) =>
    new Promise<{ ok: boolean; result?: { id: string }; error?: { code: string } }>((resolve) => socket!.emit(event, payload, resolve));
  assert.equal((await emit('watch', { showId })).ok, true);
  const seen: Array<{ id: string; state: string }> = [];
  socket.on('cue', (c: { id: string; state: string }) => seen.push(c));
  const reply = await emit('cue', { showId, text: 'Sent over the socket.' });
  assert.equal(reply.ok, true);
  const id = reply.result!.id;
  const deadline = Date.now() + 10_000;
  while (!seen.some((c) => c.id === id && c.state === 'done') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
  assert.deepEqual(seen.filter((c) => c.id === id).map((c) => c.state), ['queued', 'speaking', 'done']);
  assert.equal((await emit('cue', { showId, text: '' })).error?.code, 'TEXT_EMPTY');
  assert.equal((await emit('cue', 'not an object')).error?.code, 'INVALID_REQUEST');
  assert.equal((await emit('cue', { showId: '../x', text: 'hi' })).error?.code, 'INVALID_REQUEST');
  assert.equal((await emit('persona', { showId, persona: 'lucia' })).ok, true);
});
