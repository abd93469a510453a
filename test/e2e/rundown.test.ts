/**
 * Issue 12 end to end, in Chromium with three pages open (host, an English viewer, a Spanish
 * viewer): a three-segment rundown in two languages, prepped by the batch lane, plays by
 * itself from the host's "Start autopilot". Its poll slot runs on the viewers' pages and its
 * card leaves after the result; a viewer's question is answered from the show's facts between
 * segments, and an unanswerable one gets the honest line while the host page is told. The
 * Spanish viewer's page is in Spanish.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { OnAir } from '../../server/OnAir.js';
import { waitUntil } from '../helpers/batch.js';
import { launchChromium } from '../helpers/chromium.js';
import { createShow, HOST_TOKEN, hostAuth, startOnAir } from '../helpers/startOnAir.js';

let onair: OnAir;
let browser: Browser;

before(async () => {
  onair = await startOnAir({ EMBEDDED_WORKER: 'true', HOLDOUT_PERCENT: '0', EXPLORE_PERCENT: '0' });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await onair?.close();
});

const api = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
  const response = await fetch(`${onair.url}${path}`, { method, headers: { ...hostAuth, ...(body !== undefined && { 'content-type': 'application/json' }) }, ...(body !== undefined && { body: JSON.stringify(body) }) });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
};

const RUNDOWN = {
  title: 'Camera night',
  linePauseMs: 300,
  segmentPauseMs: 500,
  segments: [
    {
      id: 'open',
      title: 'Welcome',
      talkingPoints: ['the X1 camera'],
      lines: { en: ['Good evening and welcome to camera night.', 'Tonight it is all about the X1.'], es: ['Buenas noches y bienvenidos a la noche de cámaras.', 'Esta noche hablamos de la X1.'] },
      poll: { question: 'What next?', options: [{ label: 'Lenses', next: 'lenses' }, { label: 'Batteries', next: 'lenses' }], durationMs: 5_000 },
    },
    {
      id: 'lenses',
      title: 'Lenses',
      lines: { en: ['The kit lens is a good place to start.'], es: ['El objetivo del kit es un buen comienzo.'] },
    },
    {
      id: 'close',
      title: 'Goodbye',
      lines: { en: ['Thank you for watching, see you next week.'], es: ['Gracias por vernos, hasta la semana que viene.'] },
    },
  ],
};

const FACTS = [
  { text: 'The X1 camera costs 499 dollars with the kit lens.', language: 'en' },
  { text: 'Orders ship within two working days.', language: 'en' },
  { text: 'The X1 battery lasts about 400 shots.', language: 'en' },
];

/** A viewer page in a browser context of that locale, joined with consent and playing. */
async function viewerPage(showId: string, locale: string): Promise<Page> {
  const context = await browser.newContext({ locale });
  await context.route(/^https:/, (route) => route.fulfill({ status: 204 }));
  const page = await context.newPage();
  await page.goto(`${onair.url}/watch/${showId}`);
  await page.check('#consent');
  await page.waitForSelector('#state[data-state="connected"]', { timeout: 15_000 });
  await page.waitForSelector('#chat:not([hidden])', { timeout: 10_000 });
  return page;
}

async function ask(page: Page, text: string): Promise<void> {
  await page.fill('#chat-text', text);
  await page.click('#chat button[type="submit"]');
}

type CueView = { id: string; kind: string; prompt?: string; text: string; state: string; answer?: { status: string } };

test('a prepped three-segment rundown in two languages plays by itself: poll slot, grounded answer, honest "I don\'t know", Spanish page', { timeout: 240_000 }, async () => {
  const showId = await createShow(onair, 'Camera night');
  await api('PUT', `/api/shows/${showId}/knowledge`, { facts: FACTS });
  await api('PUT', `/api/shows/${showId}/rundown`, RUNDOWN);
  await api('POST', `/api/shows/${showId}/rundown/prep`, {});
  await waitUntil(async () => (await api<{ prep: { ready: boolean } | null }>('GET', `/api/shows/${showId}/rundown`)).prep?.ready === true, 120_000, 'every line of the rundown in the voice cache, in both languages');

  const host = await browser.newPage();
  await host.goto(`${onair.url}/host#token=${HOST_TOKEN}`);
  await host.locator(`#shows li[data-show-id="${showId}"] button`, { hasText: 'Preview' }).click();
  await host.evaluate('window.onairHost.preview?.stop()');
  await host.waitForSelector('#rundown-segments li:nth-child(3)', { timeout: 10_000 });

  const english = await viewerPage(showId, 'en-US');
  const spanish = await viewerPage(showId, 'es-ES');
  assert.equal(await spanish.getAttribute('html', 'lang'), 'es');
  assert.match((await spanish.textContent('#chat button[type="submit"]')) ?? '', /Enviar/);
  assert.equal(await english.getAttribute('html', 'lang'), 'en');

  await ask(english, 'How much does the X1 cost?');
  await waitUntil(async () => (await api<{ lines: unknown[] }>('GET', `/api/shows/${showId}/chat`)).lines.length === 1, 10_000, 'the first question in the chat');
  await ask(english, 'Who won the football match last night?');
  await waitUntil(async () => (await api<{ lines: unknown[] }>('GET', `/api/shows/${showId}/chat`)).lines.length === 2, 10_000, 'both questions in the chat');

  await host.click('#rundown-start');
  // The poll slot: its card shows on both viewers' pages, then leaves after the result.
  await spanish.waitForSelector('[data-poll-id]', { timeout: 60_000 });
  await english.waitForSelector('[data-poll-id]', { timeout: 5_000 });
  await english.click('[data-poll-id] .poll-option[data-option="0"]');
  await english.waitForSelector('[data-poll-id][data-state="closed"]', { timeout: 15_000 });
  await english.waitForSelector('[data-poll-id]', { state: 'detached', timeout: 20_000 });

  await host.waitForSelector('#rundown-state[data-state="finished"]', { timeout: 120_000 });
  const cuesNow = async () => (await api<{ cues: CueView[] }>('GET', `/api/shows/${showId}/cues`)).cues;
  await waitUntil(async () => (await cuesNow()).every((c) => ['done', 'interrupted', 'failed', 'refused'].includes(c.state)), 30_000, 'every cue ended');
  const cues = await cuesNow();

  // The scripted lines, in the show's language (its persona speaks English), in order.
  const said = cues.filter((c) => c.kind === 'say').map((c) => c.text);
  const scripted = RUNDOWN.segments.flatMap((s) => s.lines.en);
  assert.deepEqual(said.filter((text) => scripted.includes(text)), scripted);

  const answered = cues.find((c) => c.prompt === 'How much does the X1 cost?');
  assert.ok(answered, 'the answerable question was taken between segments');
  assert.equal(answered.answer?.status, 'answered');
  assert.match(answered.text, /499/, `the answer states the fact: ${answered.text}`);
  const abstained = cues.find((c) => c.prompt === 'Who won the football match last night?');
  assert.ok(abstained, 'the unanswerable question was taken too');
  assert.equal(abstained.answer?.status, 'abstained');
  assert.doesNotMatch(abstained.text, /499|two working days|400 shots/, `no invented answer: ${abstained.text}`);
  await host.waitForSelector('#questions li[data-unanswered="true"]', { timeout: 10_000 });

  // The poll ran and was announced with its options, in the rundown's slot.
  const polls = await api<{ polls: Array<{ question: string; state: string }> }>('GET', `/api/shows/${showId}/polls`);
  assert.ok(polls.polls.some((p) => p.question === 'What next?' && p.state === 'closed'));
  assert.ok(cues.some((c) => /Lenses/.test(c.text) && /Batteries/.test(c.text)), 'the poll announcement reads its options');

  // Prep rendered clips of the static lines too, and the host page says so per segment.
  const prep = await api<{ prep: { segments: Array<{ clips: number; rendered: number }> } }>('GET', `/api/shows/${showId}/rundown`);
  assert.deepEqual(prep.prep.segments.map((s) => [s.clips, s.rendered]), [[4, 4], [2, 2], [2, 2]]);
  assert.match((await host.textContent('#rundown-segments li:nth-child(1) .prep')) ?? '', /clips 4\/4/);

  // The host types questions of its own: answered from the facts like a viewer's, or the honest line, and the host page says so.
  await host.fill('#cue-text', 'How much is the X1 camera?');
  await host.click('#prompt');
  await host.fill('#cue-text', 'Does the X1 have a flip screen?');
  await host.check('#cue-question');
  await host.click('#prompt');
  const flipOnHost = host.locator('#cues li[data-answer="abstained"]', { hasText: 'flip screen' });
  await flipOnHost.waitFor({ timeout: 15_000 });
  const hostAsked = await waitUntil(async () => {
    const all = await cuesNow();
    const price = all.find((c) => c.prompt === 'How much is the X1 camera?');
    const flip = all.find((c) => c.prompt === 'Does the X1 have a flip screen?');
    return price?.text && flip?.text && { price, flip };
  }, 30_000, "the host's questions answered");
  assert.equal(hostAsked.price.answer?.status, 'answered', 'the intent model reads it as a question');
  assert.match(hostAsked.price.text, /499/);
  assert.equal(hostAsked.flip.answer?.status, 'abstained');
  assert.match((await flipOnHost.locator('.unanswered').textContent()) ?? '', /No fact matched/);
  console.log(`rundown e2e: ${cues.length} cues; answer "${answered.text}"; abstained "${abstained.text}"; host asked "${hostAsked.price.text}" / "${hostAsked.flip.text}"`);
});
