import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Brain } from '../../pipeline/brain/Brain.js';
import { ShowCues } from '../../pipeline/cues/ShowCues.js';
import { PresenterSource } from '../../pipeline/lanes/live/PresenterSource.js';
import type { FrameTime } from '../../lib/media/MediaSource.js';
import { loadPersonas } from '../../pipeline/persona/index.js';
import { EspeakEngine } from '../../pipeline/tts/espeak/EspeakEngine.js';
import { TtsAbortedError } from '../../pipeline/tts/errors.js';
import type { TtsEngine } from '../../pipeline/tts/TtsEngine.js';
import { waitUntil } from '../helpers/batch.js';

const frame = (index: number): FrameTime => ({ index, startSample: index * 1600, streamTimeMs: (index * 1000) / 30 });

/** A TTS stage that never answers, as a hung engine would: only its abort ends it. */
const stuckTts: TtsEngine = {
  name: 'stuck',
  // eslint-disable-next-line require-yield -- it never gets to yield
  async *synthesize(_text, _voice, signal) {
    await new Promise((_resolve, reject) => signal?.addEventListener('abort', () => reject(new TtsAbortedError()), { once: true }));
  },
  close: async () => undefined,
};

/** Rows of the lower third, where the presenter's name and title (or a caption) are burned in: their luma. */
function lowerThird(i420: Buffer): Buffer {
  return i420.subarray(640 * 280, 640 * 350);
}

test('a line the TTS stage cannot speak in time goes out as a text overlay, and the trace says so', async () => {
  const personas = loadPersonas();
  const persona = personas.get('ava');
  const presenter = await PresenterSource.create([persona], persona, [{ width: 640, height: 360 }], 1);
  const cues = new ShowCues({ showId: 'fallback', tts: stuckTts, presenter, personas, persona });
  // The same seed animates the same way: the reference shows what the frame looks like uncaptioned.
  const reference = await PresenterSource.create([persona], persona, [{ width: 640, height: 360 }], 1);
  const plain = (f: FrameTime) => (reference.advance(f), Buffer.from(lowerThird(reference.renderVideo(f))));

  const cue = cues.submit('The engine is stuck, so read this instead.');
  await waitUntil(() => cues.get(cue.id)?.state === 'done', 5_000, 'the cue to fall back');
  assert.equal(cues.get(cue.id)?.reason, 'shown as a text overlay');
  assert.deepEqual(cues.trace(cue.id)!.fallbacks.map((f) => [f.stage, f.to, f.reason]), [['tts', 'text-overlay', 'TTS_ABORTED']]);

  presenter.advance(frame(1));
  const captioned = Buffer.from(lowerThird(presenter.renderVideo(frame(1))));
  assert.ok(!captioned.equals(plain(frame(1))), 'the caption replaced the lower third');
  const after = frame(1 + Math.ceil(('The engine is stuck, so read this instead.'.length * 60 * 30) / 1000) + 1);
  presenter.advance(after);
  assert.ok(Buffer.from(lowerThird(presenter.renderVideo(after))).equals(plain(after)), 'and gave it back afterwards');
});

test('an interrupt between two sentences of a prompt ends the cue, though nothing of it is on the presenter', async () => {
  const personas = loadPersonas();
  const persona = personas.get('ava');
  const presenter = await PresenterSource.create([persona], persona, [{ width: 640, height: 360 }], 1);
  const espeak = await EspeakEngine.start();
  const brain = await Brain.create();
  let calls = 0;
  // The first sentence is spoken; the second one's synthesis hangs until aborted.
  const tts: TtsEngine = { name: 'half', synthesize: (text, voice, signal) => (calls++ === 0 ? espeak.synthesize(text, voice, signal) : stuckTts.synthesize(text, voice, signal)), close: async () => undefined };
  try {
    const cues = new ShowCues({ showId: 'between', tts, presenter, personas, persona, brain });
    const cue = cues.prompt('welcome everyone to the show');
    let index = 0;
    // A second of stream per poll, so the first sentence ends well inside the TTS hard limit.
    const play = () => {
      for (let i = 0; i < 30; i++) presenter.advance(frame(index++));
    };
    await waitUntil(() => (play(), cues.get(cue.id)?.state === 'speaking'), 5_000, 'the first sentence on air');
    await waitUntil(() => (play(), presenter.speaking === undefined), 1_500, 'the first sentence to end', 20);
    assert.equal(calls, 2, 'the second sentence is being synthesized');
    assert.equal(cues.get(cue.id)?.state, 'speaking');
    cues.interrupt();
    assert.equal(cues.get(cue.id)?.state, 'interrupted');
  } finally {
    await brain.close();
    await espeak.close();
  }
});
