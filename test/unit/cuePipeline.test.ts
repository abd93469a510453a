import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { AUDIO_SAMPLE_RATE } from '../../lib/media/codecs.js';
import type { FrameTime } from '../../lib/media/MediaSource.js';
import { buildUtterance } from '../../pipeline/animate/Utterance.js';
import { Brain } from '../../pipeline/brain/Brain.js';
import { CuePart } from '../../pipeline/cues/CuePart.js';
import { CueRegistry } from '../../pipeline/cues/CueRegistry.js';
import { EncodeStage } from '../../pipeline/cues/EncodeStage.js';
import { LaneScheduler } from '../../pipeline/cues/LaneScheduler.js';
import { locateOfferWord } from '../../pipeline/cues/offerWord.js';
import { ShowCues } from '../../pipeline/cues/ShowCues.js';
import { PresenterSource } from '../../pipeline/lanes/live/PresenterSource.js';
import { loadPersonas, type Persona, type PersonaCatalog } from '../../pipeline/persona/index.js';
import { TtsAbortedError } from '../../pipeline/tts/errors.js';
import { EspeakEngine } from '../../pipeline/tts/espeak/EspeakEngine.js';
import type { TtsEngine } from '../../pipeline/tts/TtsEngine.js';
import { waitUntil } from '../helpers/batch.js';

const frame = (index: number): FrameTime => ({ index, startSample: index * 1600, streamTimeMs: (index * 1000) / 30 });

let espeak: EspeakEngine;
let personas: PersonaCatalog;
let persona: Persona;

before(async () => {
  espeak = await EspeakEngine.start();
  personas = loadPersonas();
  persona = personas.get('ava');
});
after(() => espeak.close());

const presenterFor = (p: Persona) => PresenterSource.create([p], p, [{ width: 640, height: 360 }], 1);

test('parts on the presenter find their cue: the first puts it on air, the offer word gets its stream time, the last ends it', async () => {
  const presenter = await presenterFor(persona);
  const registry = new CueRegistry('parts');
  const lane = new LaneScheduler(presenter, registry, new EncodeStage());
  const lines = ['Hello there.', 'Grab the lens now.'];
  const flight = registry.open({ kind: 'say', text: lines.join(' '), offer: { word: 'lens', overlay: 'buy-now' } }, persona, performance.now());
  const utterances = await Promise.all(lines.map((line) => buildUtterance(espeak.synthesize(line, persona.voice))));
  lines.forEach((line, i) => lane.enqueue(flight, line, { utterance: utterances[i]!, source: 'tts' }));
  lane.lastPartEnqueued(flight);

  const starts: Array<{ part: object; frame: FrameTime }> = [];
  presenter.on('speechstart', (part, f) => starts.push({ part, frame: f }));
  const offers: Array<[string, number]> = [];
  lane.on('offerword', (cueId, offer) => offers.push([cueId, offer.streamTimeMs]));
  for (let i = 0; registry.get(flight.cue.id)?.state !== 'done'; i++) {
    assert.ok(i < 30 * 10, 'the cue ends within ten seconds of stream');
    presenter.advance(frame(i));
  }

  assert.deepEqual(starts.map(({ part }) => part instanceof CuePart && [part.flight, part.index]), [[flight, 0], [flight, 1]]);
  const cue = registry.get(flight.cue.id)!;
  assert.equal(cue.streamTimeMs, Math.round(starts[0]!.frame.streamTimeMs));
  const offerSample = locateOfferWord('lens', lines[1]!, utterances[1]!)!;
  const offerMs = Math.round(starts[1]!.frame.streamTimeMs + (offerSample * 1000) / AUDIO_SAMPLE_RATE);
  assert.deepEqual(offers, [[cue.id, offerMs]], 'the offer word is timed within the part that says it');
  assert.equal(cue.offer?.streamTimeMs, offerMs);
  assert.equal(cue.durationMs, Math.round(((utterances[0]!.pcm.length + utterances[1]!.pcm.length) * 1000) / AUDIO_SAMPLE_RATE));
  assert.deepEqual(flight.trace.spans.map((s) => s.stage), ['ingress', 'render']);
});

test('an interrupt cancels every queued unit of work and ends the part on air at the next frame', async () => {
  const presenter = await presenterFor(persona);
  const synthesized: string[] = [];
  const aborted: string[] = [];
  // A line with "hangs" in it is synthesized until its abort: the work an interrupt must cancel.
  const tts: TtsEngine = {
    name: 'hanging',
    synthesize: (text, voice, signal) => {
      synthesized.push(text);
      return text.includes('hangs') ? hang(text, aborted, signal) : espeak.synthesize(text, voice, signal);
    },
    close: async () => undefined,
  };
  const cues = new ShowCues({ showId: 'interrupt', tts, presenter, personas, persona });
  const onAir = cues.submit('This one is on air for a while.');
  let index = 0;
  await waitUntil(() => (presenter.advance(frame(index++)), cues.get(onAir.id)?.state === 'speaking'), 5_000, 'the first cue on air', 5);
  const stuck = cues.submit('This one hangs in synthesis.');
  const waiting = cues.submit('This one waits its turn.');
  await waitUntil(() => synthesized.length === 2, 5_000, 'the second cue in synthesis', 5);

  assert.deepEqual(cues.interrupt(), [onAir.id], 'only the first cue had a part on the presenter');
  assert.equal(cues.get(stuck.id)?.state, 'interrupted');
  assert.equal(cues.get(waiting.id)?.state, 'interrupted');
  await waitUntil(() => aborted.length === 1, 1_000, 'the synthesis to be aborted', 5);
  assert.equal(cues.get(onAir.id)?.state, 'speaking', 'the part on air ends with the next frame');
  presenter.advance(frame(index));
  assert.equal(presenter.speaking, undefined);
  assert.equal(cues.get(onAir.id)?.state, 'interrupted');
  assert.equal(cues.get(onAir.id)?.endStreamTimeMs, Math.round(frame(index).streamTimeMs));
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.deepEqual(synthesized, ['This one is on air for a while.', 'This one hangs in synthesis.'], 'the queued cue never reached the TTS stage');
  assert.equal(cues.trace(stuck.id)?.fallbacks.length, 0, 'an aborted line is not captioned');
});

test('approval: a bad edit leaves the line waiting, a good one is spoken; an interrupt rejects what waits', async () => {
  const presenter = await presenterFor(persona);
  const brain = await Brain.create();
  try {
    const cues = new ShowCues({ showId: 'approval', tts: espeak, presenter, personas, persona, brain });
    cues.approvalMode = true;
    const first = cues.prompt('welcome everyone to the show');
    await waitUntil(() => cues.get(first.id)?.state === 'awaiting_approval', 5_000, 'the line to wait for approval', 5);
    assert.throws(() => cues.decide(first.id, { text: '   ' }), { code: 'TEXT_EMPTY' });
    assert.equal(cues.get(first.id)?.state, 'awaiting_approval');
    cues.decide(first.id, { text: 'Welcome, as the host wrote it.' });
    await waitUntil(() => cues.get(first.id)?.state === 'queued' && cues.get(first.id), 5_000, 'the approved line');
    assert.equal(cues.get(first.id)?.text, 'Welcome, as the host wrote it.');
    let index = 0;
    await waitUntil(() => (presenter.advance(frame(index++)), cues.get(first.id)?.state === 'speaking'), 5_000, 'the approved line on air', 5);

    const second = cues.prompt('thanks for watching, see you next week');
    await waitUntil(() => (presenter.advance(frame(index++)), cues.get(second.id)?.state === 'awaiting_approval'), 5_000, 'the second line to wait', 5);
    cues.interrupt();
    assert.equal(cues.get(second.id)?.state, 'interrupted');
    assert.throws(() => cues.decide(second.id, null), { code: 'CUE_NOT_AWAITING_APPROVAL' });
  } finally {
    await brain.close();
  }
});

/** A synthesis that never yields; its abort is recorded. */
// eslint-disable-next-line require-yield -- it never gets to yield
async function* hang(text: string, aborted: string[], signal?: AbortSignal): AsyncGenerator<never> {
  await new Promise((_resolve, reject) =>
    signal?.addEventListener('abort', () => (aborted.push(text), reject(new TtsAbortedError())), { once: true }),
  );
}
