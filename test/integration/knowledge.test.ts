import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Socket } from 'socket.io-client';
import type { Cue } from '../../pipeline/cues/Cue.js';
import type { OnAir } from '../../server/OnAir.js';
import { restoreSnapshot, snapshotOf } from '../../server/shows/ShowSnapshot.js';
import { KnowledgeBase } from '../../pipeline/knowledge/index.js';
import { waitUntil } from '../helpers/batch.js';
import { FakeChatCompletions } from '../helpers/fakeChatCompletions.js';
import { createShow, HOST_TOKEN, hostAuth, producerAuth, startOnAir } from '../helpers/startOnAir.js';
import { openSocket, send, viewerToken } from '../helpers/viewerSocket.js';

/**
 * Grounded answers over HTTP and sockets with real Redis and the fake LLM speaking the
 * OpenAI wire format: the show's facts go in with PUT /knowledge, a viewer's question is
 * answered with a fact (the LLM gets the facts and a reply that strays is not spoken), and a
 * question they do not answer gets the honest line while the host is told.
 */
const MODEL = 'grounded';
const FACTS = [
  { text: 'Orders arrive in 3 to 5 business days.', language: 'en' },
  { text: 'Shipping is free on orders over 100 euros.', language: 'en' },
  { text: 'The camera comes with a two-year warranty.', language: 'en' },
  { text: 'El envío es gratis en pedidos de más de 100 euros.', language: 'es' },
];

let onair: OnAir;
let llm: FakeChatCompletions;
let showId: string;
let host: Socket;
const sockets: Socket[] = [];
const unanswered: { line: { id: string; text: string }; cueId: string }[] = [];

before(async () => {
  llm = await FakeChatCompletions.start();
  onair = await startOnAir({ LLM_URL: llm.url, LLM_MODEL: MODEL, LLM_BUDGET_MS: '5000' });
  showId = await createShow(onair, 'Spring lens launch', { persona: 'ava' });
  host = await open('/host', HOST_TOKEN);
  assert.equal((await send(host, 'watch', { showId })).ok, true);
  host.on('question_unanswered', (question) => unanswered.push(question));
});

after(async () => {
  for (const socket of sockets) socket.close();
  await onair?.close();
  await llm?.close();
});

const open = (namespace: string, token: string) => openSocket(onair, namespace, token, sockets);

const putKnowledge = (body: unknown, headers: Record<string, string> = hostAuth) =>
  fetch(`${onair.url}/api/shows/${showId}/knowledge`, { method: 'PUT', headers: { ...headers, 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });

/** A viewer asks `text` in the chat and the host presses "Answer": the cue once its script is written. */
async function ask(text: string): Promise<Cue> {
  const viewer = await open('/viewer', await viewerToken(onair, showId));
  assert.equal((await send(viewer, 'join', { displayName: 'Maria', consent: true })).ok, true);
  const asked = await send(viewer, 'chat', { text });
  assert.ok(asked.ok, JSON.stringify(asked));
  const answered = await fetch(`${onair.url}/api/shows/${showId}/chat/${(asked.result as { id: string }).id}/answer`, { method: 'POST', headers: hostAuth });
  assert.equal(answered.status, 202);
  const { id } = (await answered.json()) as Cue;
  const cue = await waitUntil(() => {
    const c = onair.shows.live(showId)!.cues!.get(id)!;
    return c.script !== undefined && ['speaking', 'done', 'failed', 'refused'].includes(c.state) && c;
  }, 15_000, `the answer to "${text}"`);
  await fetch(`${onair.url}/api/shows/${showId}/interrupt`, { method: 'POST', headers: hostAuth });
  return cue;
}

test('PUT /knowledge stores the facts for the host and the producer; bad bodies get stable 4xx codes', async () => {
  const bad: [unknown, number, string][] = [
    [{ facts: 'shipping is free' }, 400, 'KNOWLEDGE_INVALID'],
    [{ facts: [{ text: 'Free shipping.', language: 'fr' }] }, 400, 'KNOWLEDGE_INVALID'],
    [{ facts: [{ text: 'Free shipping.' }], more: true }, 400, 'KNOWLEDGE_INVALID'],
    [{ facts: [{ text: 42 }] }, 400, 'KNOWLEDGE_INVALID'],
    [{ facts: [{ text: 'x'.repeat(301) }] }, 400, 'KNOWLEDGE_TOO_LARGE'],
    [{ facts: Array.from({ length: 201 }, (_, i) => ({ text: `fact ${i}` })) }, 400, 'KNOWLEDGE_TOO_LARGE'],
    [{ facts: [{ text: 'Free \u202eshipping' }] }, 400, 'KNOWLEDGE_TEXT_INVALID'],
    [[{ text: 'an array, not {facts}' }], 400, 'INVALID_REQUEST'],
    ['{"facts": [', 400, 'INVALID_JSON'],
  ];
  for (const [body, status, code] of bad) {
    const response = await putKnowledge(body);
    assert.equal(response.status, status, JSON.stringify(body).slice(0, 60));
    assert.equal(((await response.json()) as { error: { code: string } }).error.code, code, JSON.stringify(body).slice(0, 60));
  }
  assert.equal((await putKnowledge({ facts: [] }, {})).status, 401);
  const stored = await putKnowledge({ facts: FACTS }, producerAuth);
  assert.equal(stored.status, 200);
  const { facts } = (await stored.json()) as { facts: { id: string; text: string }[] };
  assert.deepEqual(facts.map((f) => f.id), ['f1', 'f2', 'f3', 'f4']);
  const read = (await (await fetch(`${onair.url}/api/shows/${showId}/knowledge`, { headers: hostAuth })).json()) as { facts: unknown[] };
  assert.deepEqual(read.facts, facts);
});

test('a viewer question is answered from the facts: the LLM gets them, and its grounded reply is spoken', async () => {
  llm.scenarios.set(MODEL, { chunks: ['Good news, Maria: ', 'shipping is free on orders over 100 euros.'] });
  const before = llm.requests.length;
  const cue = await ask('hey is shiping free??');
  const request = llm.requests[before]!;
  const system = request.body.messages.find((m) => m.role === 'system')!.content;
  assert.match(system, /- Shipping is free on orders over 100 euros\./, 'the retrieved fact reaches the LLM');
  assert.match(system, /only with the facts/);
  assert.doesNotMatch(system, /El envío es gratis/, 'a Spanish fact stays out of an English answer');
  assert.match(system, /Spring lens launch/, 'the show title is in the context');
  assert.match(cue.text, /shipping is free on orders over 100 euros/i);
  assert.deepEqual(cue.answer, { status: 'answered', facts: ['f2'], strayed: 0 });
  assert.equal(cue.script?.path, 'llm');
});

test('an LLM reply that strays from the facts is not spoken: the template states the fact instead', async () => {
  llm.scenarios.set(MODEL, { chunks: ['We ship to Mars in 2 days by rocket drone, free of charge.'] });
  const cue = await ask('how long does delivery take?');
  assert.doesNotMatch(cue.text, /Mars|rocket|2 days/);
  assert.match(cue.text, /Orders arrive in 3 to 5 business days\./);
  assert.equal(cue.answer?.strayed, 1);
  assert.equal(cue.script?.fallback, 'template');
  assert.equal(cue.script?.fallbackReason, 'ungrounded');
  const blocked = (cue.script?.audits as { decision: string; text: string; rulesFired: string[] }[]).find((a) => a.decision === 'block');
  assert.match(blocked?.text ?? '', /Mars/, 'the stray sentence is kept in the audit');
  assert.ok(blocked?.rulesFired.some((rule) => rule.startsWith('ungrounded:')));
});

test('a question the facts do not answer gets the honest line, never the LLM, and the host is told', async () => {
  llm.scenarios.set(MODEL, { chunks: ['Yes, it has a flip screen.'] });
  const before = llm.requests.length;
  const cue = await ask('does the camera have a flip screen for selfies?');
  assert.match(cue.text, /isn't in my notes/);
  assert.doesNotMatch(cue.text, /flip screen\./i);
  assert.deepEqual(cue.answer, { status: 'abstained', facts: [], strayed: 0 });
  assert.equal(llm.requests.length, before, 'nothing to ground an LLM answer in: it is not asked');
  await waitUntil(() => unanswered.some((q) => q.cueId === cue.id), 5_000, 'question_unanswered on the host socket');
  assert.match(unanswered.find((q) => q.cueId === cue.id)!.line.text, /flip screen/);
});

/** The host sends a prompt (POST /cues): the cue once its script is written. */
async function hostPrompt(body: Record<string, unknown>): Promise<Cue> {
  const response = await fetch(`${onair.url}/api/shows/${showId}/cues`, { method: 'POST', headers: { ...hostAuth, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  assert.equal(response.status, 202, await response.clone().text());
  return settled(((await response.json()) as Cue).id, String(body.prompt));
}

/** A cue once its script is written and it is on air (or over); then the host cuts it, to keep the next one quick. */
async function settled(id: string, what: string): Promise<Cue> {
  const cue = await waitUntil(() => {
    const c = onair.shows.live(showId)!.cues!.get(id)!;
    return c.script !== undefined && ['speaking', 'done', 'failed', 'refused'].includes(c.state) && c;
  }, 15_000, `the answer to "${what}"`);
  await fetch(`${onair.url}/api/shows/${showId}/interrupt`, { method: 'POST', headers: hostAuth });
  return cue;
}

const userMessage = (request: (typeof llm.requests)[number]) => request.body.messages.find((m) => m.role === 'user')!.content;
const systemMessage = (request: (typeof llm.requests)[number]) => request.body.messages.find((m) => m.role === 'system')!.content;

test("a host's prompt that is a question is answered from the facts as a viewer's is: read so by the intent model, or said so by the host", async () => {
  llm.scenarios.set(MODEL, { chunks: ['Orders arrive in 3 to 5 business days.'] });
  let before = llm.requests.length;
  const read = await hostPrompt({ prompt: 'How long does delivery take?' });
  assert.equal(read.intent?.intent, 'answer_question', 'the intent model reads it as a question');
  assert.deepEqual([read.answer?.status, read.answer?.facts[0], read.answer?.strayed], ['answered', 'f1', 0], JSON.stringify(read.answer));
  assert.match(systemMessage(llm.requests[before]!), /- Orders arrive in 3 to 5 business days\./, 'the LLM gets the facts');
  assert.match(userMessage(llm.requests[before]!), /How long does delivery take\?/, 'and the question, as data');
  assert.match(read.text, /Orders arrive in 3 to 5 business days\./);

  // The model reads this one as an offer; the host says it is a question.
  llm.scenarios.set(MODEL, { chunks: ['Yes: shipping is free on orders over 100 euros.'] });
  const said = await hostPrompt({ prompt: 'Is shipping free?', question: true });
  assert.deepEqual(said.answer, { status: 'answered', facts: ['f2'], strayed: 0 });
  assert.match(said.text, /free on orders over 100 euros/);

  // Nothing in the facts: the honest line, never the LLM; the host sees it on the cue.
  llm.scenarios.set(MODEL, { chunks: ['Yes, it has a flip screen.'] });
  before = llm.requests.length;
  const unknown = await hostPrompt({ prompt: 'Does the camera have a flip screen?', question: true });
  assert.deepEqual(unknown.answer, { status: 'abstained', facts: [], strayed: 0 });
  assert.match(unknown.text, /isn't in my notes/);
  assert.equal(llm.requests.length, before, 'the LLM is not asked');

  // A prompt that is not a question is not grounded.
  const plain = await hostPrompt({ prompt: 'Talk about the new lens' });
  assert.equal(plain.answer, undefined);

  const refused = async (body: unknown) => {
    const response = await fetch(`${onair.url}/api/shows/${showId}/cues`, { method: 'POST', headers: { ...hostAuth, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return [response.status, ((await response.json()) as { error: { code: string } }).error.code];
  };
  assert.deepEqual(await refused({ text: 'Is shipping free?', question: true }), [400, 'INVALID_REQUEST']);
  assert.deepEqual(await refused({ prompt: 'Is shipping free?', question: 'yes' }), [400, 'INVALID_REQUEST']);
});

test("a question the host inserts into the autopilot's rundown is answered from the facts; the host's own prompts know the segment on air", async () => {
  const call = (method: string, path: string, body?: unknown) =>
    fetch(`${onair.url}/api/shows/${showId}${path}`, { method, headers: { ...hostAuth, ...(body !== undefined && { 'content-type': 'application/json' }) }, ...(body !== undefined && { body: JSON.stringify(body) }) });
  const rundown = { linePauseMs: 0, segmentPauseMs: 0, segments: [{ id: 'lenses', title: 'Lens hour', talkingPoints: ['the new 35 mm prime'], lines: { en: ['Welcome to the lens hour.', 'Stay with us.'] } }] };
  assert.equal((await call('PUT', '/rundown', rundown)).status, 200);
  assert.equal((await call('POST', '/rundown/start', {})).status, 202);
  try {
    assert.equal((await call('POST', '/rundown/pause')).status, 200);
    const cues = onair.shows.live(showId)!.cues!;
    assert.deepEqual(cues.knownContext?.().segment, { title: 'Lens hour', talkingPoints: ['the new 35 mm prime'] }, 'a paused autopilot is still on its segment');

    llm.scenarios.set(MODEL, { chunks: ['The camera comes with a two-year warranty.'] });
    const before = llm.requests.length;
    assert.equal((await call('POST', '/rundown/insert', { prompt: 'What is the warranty on the camera?' })).status, 202);
    const id = await waitUntil(() => cues.list().find((c) => c.prompt === 'What is the warranty on the camera?')?.id, 10_000, 'the inserted prompt');
    const inserted = await settled(id, 'the inserted question');
    assert.deepEqual(inserted.answer, { status: 'answered', facts: ['f3'], strayed: 0 });
    assert.match(inserted.text, /two-year warranty/);
    assert.match(systemMessage(llm.requests[before]!), /Current segment: Lens hour\. Talking points: the new 35 mm prime\./);

    // The host's own prompt (not the autopilot's) gets the segment as well.
    llm.scenarios.set(MODEL, { chunks: ['Orders arrive in 3 to 5 business days.'] });
    const next = llm.requests.length;
    await hostPrompt({ prompt: 'How long does delivery take?' });
    assert.match(systemMessage(llm.requests[next]!), /Current segment: Lens hour\./);

    const bad = await call('POST', '/rundown/insert', { text: 'Hello.', question: true });
    assert.equal(((await bad.json()) as { error: { code: string } }).error.code, 'INVALID_REQUEST');
  } finally {
    await call('POST', '/rundown/stop');
  }
  assert.equal(onair.shows.live(showId)!.cues!.knownContext?.().segment, undefined, 'a stopped autopilot is on no segment');
});

test('the facts are in the show snapshot, and a takeover restores them', async () => {
  const show = onair.shows.live(showId)!;
  const snapshot = JSON.parse(JSON.stringify(snapshotOf(show.cues, onair.shows.audience(showId), undefined, show.knowledge)));
  assert.equal(snapshot.knowledge.length, FACTS.length);
  const restored = { knowledge: KnowledgeBase.EMPTY };
  assert.deepEqual(await restoreSnapshot(snapshot, undefined, undefined, undefined, restored), []);
  assert.equal(restored.knowledge.retrieve('is shipping free?', 'en').facts[0]?.text, 'Shipping is free on orders over 100 euros.');
});

test('an answer still waiting when its node dies is answered from the facts again after the takeover', async () => {
  const approval = (enabled: boolean) => fetch(`${onair.url}/api/shows/${showId}/approval`, { method: 'PUT', headers: { ...hostAuth, 'content-type': 'application/json' }, body: JSON.stringify({ enabled }) });
  assert.equal((await approval(true)).status, 200);
  try {
    const viewer = await open('/viewer', await viewerToken(onair, showId));
    assert.equal((await send(viewer, 'join', { consent: true })).ok, true);
    const asked = await send(viewer, 'chat', { text: 'Is shipping free?' });
    assert.ok(asked.ok, JSON.stringify(asked));
    const answered = await fetch(`${onair.url}/api/shows/${showId}/chat/${(asked.result as { id: string }).id}/answer`, { method: 'POST', headers: hostAuth });
    const { id } = (await answered.json()) as Cue;
    const show = onair.shows.live(showId)!;
    await waitUntil(() => show.cues!.get(id)?.state === 'awaiting_approval', 15_000, 'the answer waiting for the host');
    const snapshot = JSON.parse(JSON.stringify(snapshotOf(show.cues, onair.shows.audience(showId), undefined, show.knowledge)));
    assert.deepEqual(snapshot.cues.map((c: { question?: true; text: string }) => [c.text, c.question]), [['Is shipping free?', true]]);

    const takenOver = onair.shows.live(await createShow(onair, 'taken over', { persona: 'ava' }))!;
    assert.deepEqual(await restoreSnapshot(snapshot, takenOver.cues, onair.shows.audience(takenOver.id), undefined, takenOver), []);
    const again = takenOver.cues!.list().find((c) => c.prompt === 'Is shipping free?');
    assert.equal(again?.answer?.status, 'answered', 'the facts came with the restored cue');
    await onair.shows.end(takenOver.id);
  } finally {
    await approval(false);
  }
});
