import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { getPersona } from '../../pipeline/persona/index.js';
import { i420Bytes, rgbaToI420 } from '../../renderer/i420.js';
import { Compositor, decodeAtlas, encodeAtlas, presenterLowerThird, RigAtlas, VISEMES, type RigPose } from '../../renderer/rig/index.js';
import { RenderThread } from '../../renderer/rig/thread/RenderThread.js';

const persona = getPersona('ava');

/** Poses up to every limit (head offsets past the rig's clamp, a full nod, breath, mouth). */
function poseAt(i: number): RigPose {
  return {
    viseme: VISEMES[i % VISEMES.length]!,
    mouthOpen: (i % 7) / 6,
    eyeOpen: i % 11 === 0 ? 0 : 1,
    headX: 15 * Math.sin(i),
    headY: 15 * Math.cos(i * 0.7),
    breath: (i % 5) / 4,
    emphasis: (i % 3) / 2,
  };
}

/** What the thread should give: the whole RGBA frame converted. */
function i420Of(compositor: Compositor, pose: RigPose): Buffer {
  const out = Buffer.alloc(i420Bytes(compositor.width, compositor.height));
  rgbaToI420(compositor.renderFrame(pose), compositor.width, compositor.height, out);
  return out;
}

/** Compositors drawing what the render thread draws: the same rig, after its trip through a bundle. */
async function twins(sizes: Array<{ width: number; height: number }>): Promise<Compositor[]> {
  const out: Compositor[] = [];
  for (const size of sizes) {
    const compositor = new Compositor(decodeAtlas(persona, encodeAtlas(await RigAtlas.create(persona, size))));
    compositor.setLowerThird(presenterLowerThird(persona));
    compositor.setLiveBadge(true);
    out.push(compositor);
  }
  return out;
}

describe('the render thread', () => {
  let locals: Compositor[];
  let references: Compositor[];
  let thread: RenderThread;

  before(async () => {
    const sizes = [{ width: 640, height: 360 }, { width: 320, height: 180 }];
    locals = await twins(sizes);
    references = await twins(sizes);
    thread = await RenderThread.start(locals, 4);
  });
  after(() => thread.close());

  it('draws every pose, at each size, byte for byte as a compositor on this thread does, converted to I420', () => {
    // Frames after the first convert only the compositor's motion bounds: this checks they hold every change.
    for (let i = 0; i < 80; i++) {
      const which = i % 2;
      const picture = thread.compositors[which]!.renderFrame(poseAt(i));
      assert.ok(picture.equals(i420Of(references[which]!, poseAt(i))), `frame ${i} at size ${which}`);
    }
    assert.ok(thread.running, 'drawn there, not by the fallback');
  });

  it('applies overlay changes before the next frame, and keeps its local twin in step', () => {
    const [threaded] = thread.compositors;
    threaded!.setLowerThird({ name: 'Ava', title: 'A caption burned in now' });
    threaded!.setLiveBadge(false);
    references[0]!.setLowerThird({ name: 'Ava', title: 'A caption burned in now' });
    references[0]!.setLiveBadge(false);
    const picture = threaded!.renderFrame(poseAt(3));
    assert.ok(picture.equals(i420Of(references[0]!, poseAt(3))));
    assert.deepEqual(threaded!.local.overlays, { lowerThird: { name: 'Ava', title: 'A caption burned in now' }, liveBadge: false });
  });

  it('keeps a picture unchanged until as many more frames as it has slots are drawn', () => {
    const [threaded] = thread.compositors;
    const first = threaded!.renderFrame(poseAt(5));
    const copy = Buffer.from(first);
    for (let i = 0; i < 3; i++) threaded!.renderFrame(poseAt(20 + i));
    assert.ok(first.equals(copy), 'three frames later');
    threaded!.renderFrame(poseAt(30));
    assert.ok(!first.equals(copy), 'the fourth frame reused its slot');
    assert.ok(thread.running);
  });

  it('frees its read-backs as it goes: 900 frames leave memory about where it was', async () => {
    // A thread that never reached its event loop kept every read-back: ~1 GB for these frames.
    const before = process.memoryUsage().rss;
    for (let i = 0; i < 900; i++) {
      thread.compositors[0]!.renderFrame(poseAt(i));
      if (i % 30 === 0) await new Promise((resolve) => setTimeout(resolve, 1));
    }
    const grownMb = (process.memoryUsage().rss - before) / 1e6;
    assert.ok(thread.running);
    assert.ok(grownMb < 400, `RSS grew ${grownMb.toFixed(0)} MB`);
  });

  it('once closed, its compositors draw on this thread instead', () => {
    thread.close();
    assert.equal(thread.running, false);
    const picture = thread.compositors[1]!.renderFrame(poseAt(7));
    assert.ok(picture.equals(i420Of(references[1]!, poseAt(7))), 'the same I420, converted here');
  });
});
