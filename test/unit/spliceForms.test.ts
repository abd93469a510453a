import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Utterance } from '../../pipeline/animate/Utterance.js';
import { concatUtterances, decodeUtterance, encodeUtterance } from '../../pipeline/animate/utteranceCodec.js';
import { loadPersonas } from '../../pipeline/persona/index.js';
import { splitSentences } from '../../pipeline/text/sentences.js';
import { Compositor, decodeAtlas, encodeAtlas, RigAtlas } from '../../renderer/rig/index.js';

const utterance = (samples: number, offset: number): Utterance => ({
  pcm: Int16Array.from({ length: samples }, (_, i) => ((i + offset) % 200) - 100),
  visemes: [
    { sample: 0, viseme: 'AA' },
    { sample: samples / 2, viseme: 'OO' },
    { sample: samples, viseme: 'sil' },
  ],
  words: [{ sample: 10, textPosition: 1, length: 5, stressed: false }],
});

test('an utterance survives encoding byte for byte; corrupt files are refused', () => {
  const u = utterance(4800, 0);
  assert.deepEqual(decodeUtterance(encodeUtterance(u)), u);
  assert.throws(() => decodeUtterance(Buffer.from('nope')), { code: 'UTTERANCE_CORRUPT' });
  assert.throws(() => decodeUtterance(encodeUtterance(u).subarray(0, 100)), { code: 'UTTERANCE_CORRUPT' });
});

test('spliced utterances keep continuous audio and shifted viseme and word tracks', () => {
  const a = utterance(1000, 0);
  const b = utterance(600, 7);
  const joined = concatUtterances([a, b], [0, 20]);
  assert.equal(joined.pcm.length, 1600);
  assert.deepEqual([...joined.pcm.subarray(1000, 1010)], [...b.pcm.subarray(0, 10)]);
  assert.deepEqual(
    joined.visemes.map((k) => [k.sample, k.viseme]),
    [[0, 'AA'], [500, 'OO'], [1000, 'AA'], [1300, 'OO'], [1600, 'sil']],
    "the first part's closing silence gives way to the second part",
  );
  assert.deepEqual(joined.words.map((w) => [w.sample, w.textPosition]), [[10, 1], [1010, 21]]);
});

test('cue text splits into sentences with their offsets', () => {
  assert.deepEqual(splitSentences('Welcome back! Today: lenses. And more'), [
    { text: 'Welcome back!', offset: 0 },
    { text: 'Today: lenses.', offset: 14 },
    { text: 'And more', offset: 29 },
  ]);
  assert.deepEqual(splitSentences('¿Listos? ¡Vamos!'), [{ text: '¿Listos?', offset: 0 }, { text: '¡Vamos!', offset: 9 }]);
  // The script stage's split: abbreviations and decimals do not end a sentence.
  assert.deepEqual(splitSentences('Dr. Smith paid 3.5 euros.  Wow!'), [
    { text: 'Dr. Smith paid 3.5 euros.', offset: 0 },
    { text: 'Wow!', offset: 27 },
  ]);
});

test('a prewarmed rig loads back into the same frames as a freshly built one', async () => {
  const persona = loadPersonas().get('lucia');
  const built = await RigAtlas.create(persona, { width: 640, height: 360 });
  const loaded = decodeAtlas(persona, encodeAtlas(built));
  assert.deepEqual(loaded.faceSafeArea, built.faceSafeArea);
  for (const viseme of ['sil', 'AA', 'OO'] as const) {
    const pose = { viseme, mouthOpen: 1, eyeOpen: 0.5, headX: 1, headY: -1, breath: 0.3, emphasis: 0.2 };
    assert.ok(Buffer.from(new Compositor(built).renderFrame(pose)).equals(Buffer.from(new Compositor(loaded).renderFrame(pose))), viseme);
  }
});
