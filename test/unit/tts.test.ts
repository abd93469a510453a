import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { InvalidTextError, TtsError } from '../../pipeline/tts/errors.js';
import { EspeakEngine } from '../../pipeline/tts/espeak/EspeakEngine.js';
import { MAX_SPEECH_CHARS, validateSpeechText } from '../../pipeline/tts/text.js';
import type { TtsChunk, TtsEvent, VoiceSpec } from '../../pipeline/tts/TtsEngine.js';

let engine: EspeakEngine;
const ava: VoiceSpec = { voice: 'en-us', variant: 'f3', rateWpm: 165, pitch: 62 };

before(async () => {
  engine = await EspeakEngine.start();
});
after(() => engine.close());

async function collect(text: string, voice: VoiceSpec = ava, signal?: AbortSignal) {
  const chunks: TtsChunk[] = [];
  for await (const chunk of engine.synthesize(text, voice, signal)) chunks.push(chunk);
  const samples = chunks.reduce((n, c) => n + c.pcm.length, 0);
  const events = chunks.flatMap((c) => c.events);
  return { chunks, samples, events };
}

test('audio streams in chunks whose events sit at exact sample positions inside the audio', async () => {
  const { chunks, samples, events } = await collect('Welcome everyone. Today we talk about the new lens, and why it matters.');
  assert.ok(chunks.length > 1, 'streamed in several chunks');
  assert.equal(engine.sampleRate, 22_050);
  const seconds = samples / engine.sampleRate;
  assert.ok(seconds > 2 && seconds < 8, `${seconds.toFixed(2)} s of audio`);
  const words = events.filter((e) => e.type === 'word');
  const phonemes = events.filter((e) => e.type === 'phoneme');
  assert.ok(words.length >= 13 && words.length <= 14, `${words.length} word events for 13 words`);
  assert.ok(phonemes.length > 30);
  assertMonotonic(words);
  assertMonotonic(phonemes);
  for (const event of events) assert.ok(event.sample >= 0 && event.sample <= samples, `${event.type} at ${event.sample} of ${samples}`);
  const last = events.at(-1)!;
  assert.ok(samples - last.sample < engine.sampleRate * 0.5, 'the last event is near the end of the audio');
  const lastPhoneme = phonemes.at(-1)!;
  assert.ok(lastPhoneme.sample < samples, 'every phoneme starts inside the audio');
  // Each chunk's events fall inside that chunk (timing streams with the audio).
  for (const chunk of chunks) {
    for (const event of chunk.events.filter((e) => e.type === 'phoneme')) {
      assert.ok(event.sample >= chunk.startSample - 1 && event.sample <= chunk.startSample + chunk.pcm.length + 1);
    }
  }
});

test('markup is spoken as text, never interpreted as SSML', async () => {
  const plain = await collect('hi');
  const markup = await collect('<speak>hi</speak>');
  assert.ok(markup.samples > plain.samples * 2, 'the tags were read out');
});

test('voice settings change the audio: rate changes the length, pitch and voice the waveform', async () => {
  const line = 'Good evening and welcome to the show.';
  const slow = await collect(line, { ...ava, rateWpm: 120 });
  const fast = await collect(line, { ...ava, rateWpm: 300 });
  assert.ok(fast.samples < slow.samples * 0.6, `fast ${fast.samples} vs slow ${slow.samples}`);
  const low = await collect(line, { ...ava, pitch: 10 });
  const high = await collect(line, { ...ava, pitch: 95 });
  assert.notDeepEqual(pcmOf(low), pcmOf(high));
  const male = await collect(line, { voice: 'en-gb', variant: 'm3', rateWpm: 165, pitch: 62 });
  assert.notDeepEqual(pcmOf(male), pcmOf(low));
  const spanish = await collect('Buenas noches a todos.', { voice: 'es', variant: 'f4', rateWpm: 185, pitch: 72 });
  assert.ok(spanish.events.some((e) => e.type === 'phoneme'));
});

test('an unknown voice is refused with a stable code', async () => {
  await assert.rejects(collect('hello', { ...ava, voice: 'xx-nope' }), (e: TtsError) => e.code === 'VOICE_UNKNOWN');
  await assert.rejects(collect('hello', { ...ava, voice: '../../etc' }), (e: TtsError) => e.code === 'VOICE_UNKNOWN');
});

test('cancellation stops a long synthesis early', async () => {
  const abort = new AbortController();
  const long = 'This sentence goes on. '.repeat(40);
  let received = 0;
  await assert.rejects(async () => {
    for await (const chunk of engine.synthesize(long, ava, abort.signal)) {
      received += chunk.pcm.length;
      abort.abort();
    }
  }, (e: TtsError) => e.code === 'TTS_ABORTED');
  const full = await collect(long);
  assert.ok(received < full.samples / 2, 'stopped well before the end');
});

test('speech text is validated with stable codes', () => {
  const code = (text: unknown) => {
    try {
      validateSpeechText(text);
      return 'ok';
    } catch (error) {
      assert.ok(error instanceof InvalidTextError);
      return error.code;
    }
  };
  assert.equal(code(''), 'TEXT_EMPTY');
  assert.equal(code('   \n '), 'TEXT_EMPTY');
  assert.equal(code('x'.repeat(MAX_SPEECH_CHARS + 1)), 'TEXT_TOO_LONG');
  assert.equal(code('bell\u0007'), 'TEXT_CONTROL_CHARS');
  assert.equal(code('nul\u0000'), 'TEXT_CONTROL_CHARS');
  assert.equal(code(42), 'TEXT_INVALID');
  assert.equal(code('<b>bold</b> & "quotes"'), 'ok');
  assert.equal(validateSpeechText('  two\n\nlines  '), 'two lines');
});

function assertMonotonic(events: TtsEvent[]) {
  for (let i = 1; i < events.length; i++) assert.ok(events[i]!.sample >= events[i - 1]!.sample, `${events[i]!.type} out of order`);
}

function pcmOf({ chunks }: { chunks: TtsChunk[] }): number[] {
  return chunks.flatMap((c) => [...c.pcm.subarray(0, 2000)]);
}
