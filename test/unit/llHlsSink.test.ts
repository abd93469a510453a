import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Parser, type ParsedManifest, type ParsedSegment } from 'm3u8-parser';
import type { EncodedFragment, EncodedInit } from '../../lib/media/EncodedMedia.js';
import { DEFAULT_ENCODER_SETTINGS } from '../../pipeline/encode/EncoderSettings.js';
import { parseMediaFile } from '../../pipeline/hls/hlsNames.js';
import { hlsTiming } from '../../pipeline/hls/hlsTiming.js';
import { LlHlsSink } from '../../pipeline/hls/LlHlsSink.js';

const EPOCH_MS = Date.UTC(2030, 0, 1);
const settings = DEFAULT_ENCODER_SETTINGS;

/** What the encoder sends at 30 fps with a keyframe every 500 ms: three fragments of five frames. */
class FakeEncoder {
  private generation = 0;
  private index = 0;
  /** Where in the GOP the next fragment is: 0 starts with a keyframe. */
  private phase = 0;
  streamTimeMs = 0;

  constructor(private readonly sink: LlHlsSink) {}

  /** A new encoder process; `midGop`: the sink joins it a fragment after a keyframe. */
  restart(midGop = false): void {
    const init: EncodedInit = { generation: ++this.generation, data: Buffer.from(`init${this.generation}`), codecs: 'avc1.42c01f,mp4a.40.2', width: 640, height: 360 };
    this.index = 0;
    this.phase = midGop ? 1 : 0;
    this.sink.init(init);
  }

  /** The next `count` fragments; the i-th of them holds bytes of value i. */
  fragments(count: number): void {
    for (let i = 0; i < count; i++) {
      const durationMs = [167, 167, 166][this.phase]!;
      const fragment: EncodedFragment = { generation: this.generation, index: this.index++, data: Buffer.alloc(100, i), startStreamTimeMs: this.streamTimeMs, durationMs, independent: this.phase === 0 };
      this.streamTimeMs += durationMs;
      this.phase = (this.phase + 1) % 3;
      this.sink.fragment(fragment);
    }
  }
}

const pdtMs = (segment: ParsedSegment) => Date.parse(segment.dateTimeString!);

async function playlist(sink: LlHlsSink, request = {}): Promise<ParsedManifest> {
  const parser = new Parser();
  parser.push(await sink.mediaPlaylist(request));
  parser.end();
  return parser.manifest;
}

function setup(midGop = false) {
  const sink = new LlHlsSink({ streamEpochMs: EPOCH_MS, settings });
  const encoder = new FakeEncoder(sink);
  encoder.restart(midGop);
  return { sink, encoder };
}

test('timing follows the encoder: a GOP in three equal parts, 1 s segments, RFC limits', () => {
  assert.deepEqual(hlsTiming(settings), { partTargetMs: 167, segmentSplitMs: 750, targetDurationS: 1, partHoldBackMs: 501, holdBackMs: 3_000, blockingWaitMs: 3_000, advancePartLimit: 17 });
  // At 24 fps a 500 ms GOP is twelve frames: three parts of four, 166.7 ms.
  assert.equal(hlsTiming({ fps: 24, keyframeIntervalMs: 500 }).partTargetMs, 167);
  assert.equal(hlsTiming({ fps: 30, keyframeIntervalMs: 1_000 }).partTargetMs, 200, 'a 1 s GOP: five parts of six frames');
  const slow = hlsTiming({ fps: 30, keyframeIntervalMs: 2_000 });
  assert.equal(slow.segmentSplitMs, 1_000);
  assert.equal(slow.targetDurationS, 3, 'a 2 s GOP is one segment, with room for a long one');
});

test('parts group into segments that start at keyframes; parts before the first keyframe are dropped', async () => {
  const { sink, encoder } = setup(true);
  encoder.fragments(15);
  const manifest = await playlist(sink);
  const segments = [...manifest.segments, manifest.preloadSegment!];
  assert.equal(manifest.segments.length, 2);
  for (const segment of segments) assert.equal(segment.parts![0]!.independent, true, 'each segment opens with an independent part');
  assert.deepEqual(manifest.segments.map((s) => s.duration), [1, 1]);
  assert.deepEqual(segments.map((s) => s.parts!.length), [6, 6, 1]);
  assert.equal(manifest.segments[0]!.parts![0]!.uri, 'part-0.m4s', 'the mid-GOP fragments were never parts');
  assert.deepEqual(manifest.preloadSegment!.preloadHints, [{ type: 'PART', uri: 'part-13.m4s' }]);
  assert.deepEqual(segments.map((s) => pdtMs(s) - EPOCH_MS), [333, 1_333, 2_333], 'program date time = epoch + stream time');
  assert.equal(manifest.segments[0]!.map!.uri, 'init-1.mp4');
  assert.deepEqual(sink.segment(0), Buffer.concat(Array.from({ length: 6 }, (_, i) => Buffer.alloc(100, i + 2))), 'a segment is its parts');
  assert.throws(() => sink.segment(2), { code: 'HLS_MEDIA_NOT_FOUND' }, 'the open segment is not served whole');
});

test('a new generation is a discontinuity with its own map, counted in the discontinuity sequence once it slides out', async () => {
  const { sink, encoder } = setup();
  encoder.fragments(12);
  encoder.restart();
  encoder.streamTimeMs += 700;
  encoder.fragments(6);
  let manifest = await playlist(sink);
  const after = manifest.segments[2] ?? manifest.preloadSegment!;
  assert.equal(manifest.segments.length, 2, 'the crash closed the open segment');
  assert.equal(after.discontinuity, true);
  assert.equal(after.map!.uri, 'init-2.mp4');
  assert.equal(after.timeline, 1);
  assert.equal(pdtMs(after) - pdtMs(manifest.segments[1]!), 1_700, 'the restart gap stays on the clock');
  assert.equal(manifest.discontinuitySequence, 0);
  assert.deepEqual(sink.initSegment(1), Buffer.from('init1'));

  encoder.fragments(120);
  manifest = await playlist(sink);
  assert.equal(manifest.discontinuitySequence, 1, 'the discontinuity left the playlist and is counted');
  assert.equal(manifest.segments[0]!.timeline, 1);
  // Segments 0-1 of the first generation, 2-22 of the second (22 still open): six complete listed.
  assert.equal(manifest.mediaSequence, 16);
  assert.equal(manifest.segments.length, 6);
  assert.throws(() => sink.initSegment(1), { code: 'HLS_MEDIA_NOT_FOUND' }, "a generation's init goes with its last segment");
});

test('memory stays bounded however long the show runs', async () => {
  const { sink, encoder } = setup();
  // An hour (six fragments a second), with an encoder restart every ten minutes.
  for (let tenMinutes = 0; tenMinutes < 6; tenMinutes++) {
    if (tenMinutes > 0) encoder.restart();
    encoder.fragments(600 * 6);
  }
  const manifest = await playlist(sink);
  assert.equal(manifest.segments.length, 6);
  const oldest = manifest.mediaSequence!;
  assert.ok(oldest > 3_590, `media sequence ${oldest}`);
  assert.equal(manifest.discontinuitySequence, 5);
  assert.throws(() => sink.segment(oldest - 5), { code: 'HLS_MEDIA_NOT_FOUND' }, 'ten seconds are kept, not more');
  assert.ok(sink.segment(oldest - 4), 'which is more than is listed');
});

test('a blocking reload waits for its part; far ahead is refused; a part that never comes times out', async (t) => {
  const { sink, encoder } = setup();
  encoder.fragments(4);
  // Segment 0 holds parts 0..3 now.
  assert.ok((await playlist(sink, { msn: 0, part: 3 })).segments.length === 0, 'a part already there answers at once');
  const waiting = playlist(sink, { msn: 0, part: 5 });
  const hinted = sink.part(4);
  let answered = false;
  void waiting.then(() => (answered = true));
  encoder.fragments(1);
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(answered, false, 'part 4 is not part 5');
  assert.deepEqual(await hinted, Buffer.alloc(100, 0), 'the preload-hinted part is sent once it exists');
  encoder.fragments(1);
  const manifest = await waiting;
  assert.equal(manifest.preloadSegment!.parts!.length, 6);
  const nextSegment = playlist(sink, { msn: 1, part: 0 });
  encoder.fragments(1);
  assert.equal((await nextSegment).segments.length, 1, 'asking for the part after a segment ends returns the next segment');

  await assert.rejects(playlist(sink, { msn: 4 }), { code: 'HLS_TOO_FAR_AHEAD' });
  await assert.rejects(playlist(sink, { msn: 1, part: 25 }), { code: 'HLS_TOO_FAR_AHEAD' });
  await assert.rejects(sink.part(100), { code: 'HLS_MEDIA_NOT_FOUND' }, 'a part far in the future is not held');

  t.mock.timers.enable({ apis: ['setTimeout'] });
  const stalled = playlist(sink, { msn: 1, part: 1 });
  t.mock.timers.tick(3_000);
  await assert.rejects(stalled, { code: 'HLS_NOT_AVAILABLE', retryAfterS: 1 });
  const closing = sink.part(8);
  await sink.close();
  await assert.rejects(closing, { code: 'SHOW_ENDED' });
  await assert.rejects(sink.mediaPlaylist(), { code: 'SHOW_ENDED' });
});

test('media file names: one spelling per file, nothing else', () => {
  assert.deepEqual(parseMediaFile('part-12.m4s'), { kind: 'part', seq: 12 });
  assert.deepEqual(parseMediaFile('seg-0.m4s'), { kind: 'segment', msn: 0 });
  assert.deepEqual(parseMediaFile('init-3.mp4'), { kind: 'init', generation: 3 });
  for (const name of ['part-012.m4s', 'seg-1.mp4', 'init-1.m4s', '../index.m3u8', 'part-1.m4s/x', 'part-.m4s', 'part-1234567890123.m4s']) assert.equal(parseMediaFile(name), undefined, name);
});
