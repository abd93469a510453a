import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { getPersona } from '../../pipeline/persona/index.js';
import {
  EYE_STEPS,
  RigAtlas,
  RigLogoError,
  RigResolutionError,
  VISEMES,
} from '../../renderer/rig/index.js';

describe('RigAtlas', () => {
  it('prerenders every part once and records the build time', async () => {
    const atlas = await RigAtlas.create(getPersona('marcus'));
    assert.equal(atlas.width, 640);
    assert.equal(atlas.height, 360);
    assert.equal(atlas.scale, 1);
    assert.equal(atlas.eyes.length, EYE_STEPS);
    assert.deepEqual(Object.keys(atlas.mouths).sort(), [...VISEMES].sort());
    assert.equal(atlas.background.canvas.width, 640);
    assert.ok(atlas.buildMs > 0 && atlas.buildMs < 2000, `buildMs ${atlas.buildMs}`);
  });

  it('fails with RIG_LOGO_UNREADABLE when the logo cannot be loaded', async () => {
    await assert.rejects(
      RigAtlas.create(getPersona('marcus'), { logosDir: '/nonexistent' }),
      (err: unknown) => err instanceof RigLogoError && err.code === 'RIG_LOGO_UNREADABLE',
    );
  });

  it('picks eye sprites from open to closed', () => {
    const atlas = new RigAtlas(getPersona('ava'));
    assert.equal(atlas.eyeSprite(1), atlas.eyes[0]);
    assert.equal(atlas.eyeSprite(0), atlas.eyes[EYE_STEPS - 1]);
    assert.equal(atlas.eyeSprite(0.5), atlas.eyes[2]);
    assert.equal(atlas.eyeSprite(7), atlas.eyes[0]);
    assert.equal(atlas.eyeSprite(Number.NaN), atlas.eyes[0]);
  });

  it('exposes a face safe area that covers the head and stays in frame', () => {
    for (const id of ['ava', 'marcus', 'lucia']) {
      const atlas = new RigAtlas(getPersona(id));
      const a = atlas.faceSafeArea;
      assert.ok(a.x >= 0 && a.y >= 0 && a.x + a.width <= 640 && a.y + a.height <= 360, id);
      // Eyes (~297/343, 150) and mouth (320, 195) with headroom for movement.
      assert.ok(a.x <= 270 && a.x + a.width >= 370, `${id} horizontal ${JSON.stringify(a)}`);
      assert.ok(a.y <= 80 && a.y + a.height >= 225, `${id} vertical ${JSON.stringify(a)}`);
      // It is about the head, not the whole frame.
      assert.ok(a.width < 260 && a.height < 240, `${id} too big ${JSON.stringify(a)}`);
    }
  });

  it('scales to 720p', () => {
    const small = new RigAtlas(getPersona('lucia'));
    const big = new RigAtlas(getPersona('lucia'), { width: 1280, height: 720 });
    assert.equal(big.scale, 2);
    assert.equal(big.background.canvas.width, 1280);
    assert.equal(big.mouths.AA.canvas.width, small.mouths.AA.canvas.width * 2);
    assert.ok(Math.abs(big.faceSafeArea.x - small.faceSafeArea.x * 2) <= 2);
  });

  it('refuses resolutions it cannot lay out', () => {
    for (const [width, height] of [
      [641, 360],
      [640, 480],
      [0, 0],
      [3840, 2160],
    ] as const) {
      assert.throws(
        () => new RigAtlas(getPersona('ava'), { width, height }),
        (err: unknown) =>
          err instanceof RigResolutionError && err.code === 'RIG_RESOLUTION_UNSUPPORTED',
      );
    }
  });
});
