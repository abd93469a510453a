import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EncodedFragment, EncodedInit } from '../../lib/media/EncodedMedia.js';
import { MediaSink } from '../../lib/media/MediaSink.js';
import { DEFAULT_ENCODER_SETTINGS } from '../../pipeline/encode/EncoderSettings.js';
import { selectVideoEncoder } from '../../pipeline/encode/selectVideoEncoder.js';
import { ShowSession } from '../../pipeline/show/ShowSession.js';
import { TestCard } from '../../renderer/testcard/TestCard.js';

/** Collects what a show sends it; `throwOnFragment` makes it a sink that breaks. */
class CollectingSink extends MediaSink {
  readonly inits: EncodedInit[] = [];
  readonly fragments: EncodedFragment[] = [];
  closes = 0;

  constructor(
    readonly kind: string,
    private readonly throwOnFragment = false,
  ) {
    super();
  }

  override init(init: EncodedInit): void {
    this.inits.push(init);
  }

  override fragment(fragment: EncodedFragment): void {
    if (this.throwOnFragment) throw new Error('disk full');
    this.fragments.push(fragment);
  }

  async close(): Promise<void> {
    this.closes++;
  }
}

async function until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

test('a show session fans one encoding out to sinks that come and go, and a failing sink stops nobody', async () => {
  const settings = DEFAULT_ENCODER_SETTINGS;
  const recorder = new CollectingSink('recording');
  const broken = new CollectingSink('broken', true);
  const session = new ShowSession({
    id: 'session1',
    settings,
    encoderChoice: await selectVideoEncoder(settings.videoCodec),
    source: new TestCard(settings.width, settings.height, 'sinks'),
    sinks: [recorder, broken],
  });
  const failures: string[] = [];
  session.on('sinkfailed', (sink, error) => failures.push(`${sink.kind}: ${error.message}`));
  try {
    await until(() => recorder.fragments.length >= 6, 10_000, 'six fragments');
    assert.deepEqual(failures, ['broken: disk full'], 'the throwing sink was detached once');
    assert.equal(broken.closes, 1, 'and closed');
    assert.deepEqual(session.sinks.map((sink) => sink.kind), ['recording']);

    const [init] = recorder.inits;
    assert.match(init!.codecs, /^avc1\.42c0[0-9a-f]{2},mp4a\.40\.2$/);
    assert.deepEqual([init!.width, init!.height], [settings.width, settings.height]);
    assert.equal(recorder.fragments[0]!.independent, true, 'the first fragment starts with a keyframe');
    for (const [i, fragment] of recorder.fragments.entries()) {
      // A third of a GOP; an encoder process's first GOP runs a frame long, leaving one one-frame fragment.
      assert.ok(fragment.durationMs > 30 && fragment.durationMs < 200, `fragment ${i} lasts ${fragment.durationMs} ms`);
      if (i === 0) continue;
      const previous = recorder.fragments[i - 1]!;
      assert.ok(Math.abs(previous.startStreamTimeMs + previous.durationMs - fragment.startStreamTimeMs) < 1, 'fragments tile the show clock');
    }
    const lag = session.lane.streamTimeMs - recorder.fragments.at(-1)!.startStreamTimeMs;
    assert.ok(lag < 1_500, `fragments arrive within ${Math.round(lag)} ms of the lane`);

    const late = new CollectingSink('hls');
    session.attach(late);
    assert.equal(late.inits.length, 1, 'a sink attached mid-show gets the current init segment at once');
    assert.throws(() => session.attach(new CollectingSink('hls')), { code: 'SINK_EXISTS' });

    session.encoder.kill('SIGKILL');
    await until(() => recorder.inits.length === 2 && recorder.fragments.at(-1)!.generation === 2, 5_000, 'the restarted encoder');
    assert.equal(recorder.inits[1]!.generation, 2, 'a crash restart is a new generation');
    const first = recorder.fragments.find((f) => f.generation === 2)!;
    assert.equal(first.independent, true);
    assert.ok(first.startStreamTimeMs > recorder.fragments.filter((f) => f.generation === 1).at(-1)!.startStreamTimeMs, 'and stays on the show clock');

    await session.detach(late);
    const count = late.fragments.length;
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(late.fragments.length, count, 'a detached sink gets nothing more');
    assert.equal(late.closes, 1);
  } finally {
    await session.close();
    await session.close();
  }
  assert.equal(recorder.closes, 1, 'close cascades to every sink, once');
  assert.equal(session.encoder.running, false);
});
