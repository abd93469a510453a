import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FrameTime } from '../../lib/media/MediaSource.js';
import type { Utterance } from '../../pipeline/animate/Utterance.js';
import { PresenterSource } from '../../pipeline/lanes/live/PresenterSource.js';
import { getPersona, loadPersonas } from '../../pipeline/persona/index.js';
import {
  Compositor,
  paintSprite,
  presenterLowerThird,
  REST_POSE,
  RigAtlas,
  VISEMES,
  type RigPose,
} from '../../renderer/rig/index.js';

/**
 * The partial redraw must be invisible: every frame it makes is byte for byte the frame the
 * full redraw makes, whatever moves and whatever changes the static frame in between.
 */

/** A pose sequence that visits every moving part: sway past the clamp, blinks, every viseme, nods, breath. */
function poseAt(i: number): RigPose {
  const t = i / 30;
  return {
    viseme: VISEMES[(i * 7 + Math.floor(i / 5)) % VISEMES.length]!,
    mouthOpen: 0.5 + 0.5 * Math.sin(i * 0.9),
    eyeOpen: i % 20 < 6 ? Math.abs(3 - (i % 20)) / 3 : 1,
    headX: 14 * Math.sin(t * 4.6),
    headY: 14 * Math.sin(t * 6.2 + 1),
    breath: 0.5 + 0.55 * Math.sin(t * 8),
    emphasis: Math.max(0, 1.1 * Math.sin(t * 10)),
  };
}

function firstDifference(a: Buffer, b: Buffer, width: number): string {
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) return `pixel ${Math.floor(i / 4) % width},${Math.floor(i / 4 / width)}: ${a[i]} vs ${b[i]}`;
  }
  return 'lengths differ';
}

describe('partial redraw', () => {
  // Every persona at 360p; at 720p the one with the widest head (the test is CPU-heavy).
  for (const [width, height, ids] of [
    [640, 360, ['ava', 'marcus', 'lucia']],
    [1280, 720, ['lucia']],
  ] as const) {
    it(`gives the full redraw's frames at ${height}p through moves, blinks, visemes and overlay changes`, async () => {
      for (const id of ids) {
        const atlas = await RigAtlas.create(getPersona(id), { width, height });
        const full = new Compositor(atlas, { redraw: 'full' });
        const partial = new Compositor(atlas);
        assert.equal(partial.redraw, 'partial');
        const bandArea = partial.motionBands.reduce((n, b) => n + b.width * b.height, 0);
        assert.ok(bandArea < 0.5 * width * height, `${id}: bands cover ${bandArea} of ${width * height} pixels`);

        const badge = paintSprite({ x: 300, y: 10, width: 40, height: 20 }, atlas.scale, (ctx) => {
          ctx.fillStyle = '#3050ff';
          ctx.fillRect(300, 10, 40, 20);
        });
        // What happens to the static frame, and when.
        const events: Record<number, (c: Compositor) => void> = {
          0: (c) => c.setLowerThird(presenterLowerThird(atlas.persona)),
          6: (c) => c.setLiveBadge(true),
          14: (c) => c.setLowerThird({ name: 'Guest Speaker', title: 'A caption that replaces the title' }),
          20: (c) => c.setLowerThird({ name: 'Guest Speaker', title: 'A caption that replaces the title' }),
          26: (c) => c.setLiveBadge(false),
          34: (c) => c.setLowerThird(null),
          42: (c) => c.setLowerThird(presenterLowerThird(atlas.persona)),
          50: (c) => c.setLiveBadge(true),
        };
        for (let i = 0; i < 64; i++) {
          events[i]?.(full);
          events[i]?.(partial);
          // A frame with an extra layer, then frames without: the layer must not linger.
          const extra = i === 30 ? [badge] : [];
          const pose = i === 10 ? { ...REST_POSE, headX: Number.NaN, mouthOpen: Infinity, viseme: 'AA' as const } : poseAt(i);
          const a = full.renderFrame(pose, extra);
          const b = partial.renderFrame(pose, extra);
          assert.ok(a.equals(b), `${id} ${height}p frame ${i} (${JSON.stringify(pose)}): ${firstDifference(a, b, width)}`);
        }
      }
    });
  }

  it('hands out a new buffer per frame and PNGs the last frame', async () => {
    const partial = new Compositor(await RigAtlas.create(getPersona('ava')));
    const first = partial.renderFrame(REST_POSE);
    const copy = Buffer.from(first);
    const second = partial.renderFrame({ ...REST_POSE, viseme: 'AA', mouthOpen: 1, headX: 8 });
    assert.ok(first.equals(copy), 'a later frame must not overwrite an earlier buffer');
    assert.ok(!first.equals(second));
    const png = partial.encodePng();
    assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
  });

  it('gives the same stream through persona switches and captions in the live lane', async () => {
    const personas = loadPersonas();
    const cast = ['ava', 'marcus', 'lucia'].map((id) => personas.get(id));
    const sizes = [{ width: 640, height: 360 }];
    const full = await PresenterSource.create(cast, cast[0]!, sizes, 7, undefined, { redraw: 'full' });
    const partial = await PresenterSource.create(cast, cast[0]!, sizes, 7);
    // Synthetic speech: 0.5 s per line, a viseme every 60 ms, a stressed word in the middle.
    const line = (): Utterance => ({
      pcm: new Int16Array(24_000),
      visemes: Array.from({ length: 8 }, (_, i) => ({ sample: i * 2_880, viseme: VISEMES[(i * 3) % VISEMES.length]! })),
      words: [{ sample: 9_600, textPosition: 1, length: 4, stressed: true }],
    });
    for (const source of [full, partial]) {
      for (const persona of [cast[1]!, cast[2]!, cast[0]!]) source.enqueue({ part: {}, utterance: line(), persona });
    }
    for (let index = 0; index < 75; index++) {
      const frame: FrameTime = { index, startSample: index * 1600, streamTimeMs: (index * 1000) / 30 };
      for (const source of [full, partial]) {
        if (index === 20) source.caption('Back in a moment', 400);
        source.advance(frame);
      }
      const a = full.renderVideo(frame);
      const b = partial.renderVideo(frame);
      assert.ok(a.equals(b), `frame ${index}: ${firstDifference(a, b, 640)}`);
    }
  });
});
